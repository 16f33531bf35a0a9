"""Sub-commands for ledgers on network folders: working copies and published copies.

    checkout --db SHARED [--out LOCAL]     a local working copy of a shared ledger
    checkin  --db LOCAL [--apply]          a dry run unless --apply: put it back on the share
    publish  --db FILE --out DIR_OR_FILE   a read-only copy for the leader, on a shared folder
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from core.cli import command


def add_commands(commands: Any) -> None:
    checkout = commands.add_parser("checkout", help="把网络文件夹中的台账复制到本机作为工作副本")
    checkout.add_argument("--db", required=True, type=Path, help="共享文件夹中的台账文件")
    checkout.add_argument("--out", type=Path,
                          help="本机工作副本的文件名（默认放在本机数据文件夹）")

    checkin = commands.add_parser(
        "checkin", help="把本机工作副本交回共享文件夹（不加 --apply 只检查不写入）")
    checkin.add_argument("--db", required=True, type=Path, help="本机工作副本")
    checkin.add_argument("--apply", action="store_true", help="检查通过后写回共享文件夹")

    publish = commands.add_parser("publish", help="把台账发布为只读副本（供领导查看）")
    publish.add_argument("--db", required=True, type=Path, help="台账文件")
    publish.add_argument("--out", required=True, type=Path,
                         help="存放只读副本的文件夹，或副本的文件名（.db）")


@command("checkout")
def _checkout(args: argparse.Namespace, out: TextIO) -> int:
    from core.working_copy import checkout

    record = checkout(args.db, args.out)
    print(f"已建工作副本：{record.local}", file=out)
    print(f"共享文件：{record.shared}；修改完后用 checkin --db “{record.local}” --apply 交回",
          file=out)
    return 0


@command("checkin")
def _checkin(args: argparse.Namespace, out: TextIO) -> int:
    from core.ledger import Ledger
    from core.working_copy import checkin, checkin_check

    record, _now = checkin_check(args.db)
    if not args.apply:
        print(f"{record.describe()}", file=out)
        print("共享文件自取出后没有被别人修改，可以交回；以上为检查结果，未写入；"
              "确认无误后加 --apply 交回", file=out)
        return 0
    # read-only: works while the window has the copy open (the backup API reads it whole)
    with Ledger.open(args.db, readonly=True, create=False) as ledger:
        result = checkin(ledger.conn, ledger.path)
    if result.unchanged:
        print(f"工作副本与共享文件内容相同，无需交回：{result.shared}", file=out)
        return 0
    print(f"已交回共享文件夹：{result.shared}", file=out)
    print(f"交回前的共享文件已备份到：{result.previous}", file=out)
    return 0


@command("publish")
def _publish(args: argparse.Namespace, out: TextIO) -> int:
    from core.ledger import Ledger
    from core.published_copy import describe, publish

    with Ledger.open(args.db, readonly=True, create=False) as ledger:
        result = publish(ledger.conn, ledger.path, args.out)
    print(describe(result), file=out)
    return 0
