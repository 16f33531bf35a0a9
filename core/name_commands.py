"""merge-names: merge look-alike enterprises or projects that `check` listed (core.lookalikes).

    merge-names --db FILE N [--keep K]   group N of check's list; keep its K-th name (default 1)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from core.cli import command
from core.errors import InputError


def add_commands(commands: Any) -> None:
    merge = commands.add_parser("merge-names",
                                help="合并 check 列出的看起来相同的企业或项目名称")
    merge.add_argument("--db", required=True, type=Path, help="台账文件")
    merge.add_argument("group", type=int, help="check 列出的组号")
    merge.add_argument("--keep", type=int, default=1, help="保留该组第几个名称（默认第 1 个）")


def print_lookalikes(groups: list[Any], out: TextIO) -> None:
    """check's part: each group numbered, each name numbered (what merge-names takes)."""
    if not groups:
        print("重复名称检查：未发现看起来相同的企业或项目名称", file=out)
        return
    print(f"重复名称检查：{len(groups)} 组名称看起来相同（可用 merge-names 合并）：", file=out)
    for number, group in enumerate(groups, 1):
        print(f"  [{number}] {group.noun}：", file=out)
        for index, name in enumerate(group.names, 1):
            print(f"      {index}. {group.describe_name(name)}", file=out)


@command("merge-names")
def _merge(args: argparse.Namespace, out: TextIO) -> int:
    from core.ledger import Ledger
    from core.lookalikes import find_lookalikes, merge_names

    with Ledger.open(args.db, create=False) as ledger:
        groups = find_lookalikes(ledger)
        if not 1 <= args.group <= len(groups):
            raise InputError(f"没有第 {args.group} 组：台账中有 {len(groups)} 组看起来相同的名称"
                             "（用 check 查看）")
        group = groups[args.group - 1]
        if not 1 <= args.keep <= len(group.names):
            raise InputError(f"第 {args.group} 组只有 {len(group.names)} 个名称")
        kept = group.names[args.keep - 1]
        change = merge_names(ledger, group, keep=kept.id)
        print(f"已{change.label}（保留“{group.describe_name(kept, short=True)}”；"
              "可在窗口中撤销）", file=out)
    return 0
