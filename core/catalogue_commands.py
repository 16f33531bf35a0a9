"""Sub-commands for the indicator catalogue and for starting a ledger of another bureau.

    catalogue export --db FILE --out C.xlsx        the catalogue as a sheet (retired ones too)
    catalogue import --db FILE C.xlsx [--apply]    a dry run unless --apply
    new --db FILE [--starter NAME]                 an empty ledger with a starter's catalogue
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from core.cli import _Parser, command, starter_name


def add_commands(commands: Any) -> None:
    catalogue = commands.add_parser("catalogue", help="导出或导入指标目录（Excel）")
    steps = catalogue.add_subparsers(dest="catalogue_command", required=True, metavar="操作",
                                     parser_class=_Parser)
    export = steps.add_parser("export", help="把指标目录导出为 Excel 表格")
    export.add_argument("--db", required=True, type=Path, help="台账文件")
    export.add_argument("--out", required=True, type=Path, help="输出文件（.xlsx）")
    import_ = steps.add_parser("import", help="从 Excel 表格导入指标目录（不加 --apply 只检查）")
    import_.add_argument("--db", required=True, type=Path, help="台账文件")
    import_.add_argument("file", type=Path, help="Excel 文件（.xlsx）")
    import_.add_argument("--apply", action="store_true", help="检查全部通过后写入台账")

    new = commands.add_parser("new", help="新建一个空台账（可选起步模板：指标目录和总结模板）")
    new.add_argument("--db", required=True, type=Path, help="新台账文件（不能已存在）")
    new.add_argument("--starter", type=starter_name, default=None,
                     help="起步模板，如 区工信局、区科技局（默认区科工信局）")


@command("catalogue")
def _catalogue(args: argparse.Namespace, out: TextIO) -> int:
    from core.ledger import Ledger

    if args.catalogue_command == "export":
        from core.exchange.catalogue_sheet import export_catalogue

        with Ledger.open_for_reading(args.db) as ledger:
            path, rows = export_catalogue(ledger, args.out)
        print(f"已导出指标目录：{path}（{rows} 个指标，含已停用的）", file=out)
        return 0
    from core.exchange.catalogue_sheet import preview_catalogue
    from core.safety_commands import finish_import

    with Ledger.open(args.db, readonly=not args.apply, create=False) as ledger:
        plan = preview_catalogue(ledger, args.file)
        print_catalogue_plan(plan, out)
        return finish_import(ledger, plan, apply=args.apply, out=out,
                             untouched="指标目录未作任何修改",
                             nothing="表格与指标目录一致，没有需要导入的新指标或修改",
                             done="已导入指标目录：新增 {new} 个，修改 {changed} 个")


def print_catalogue_plan(plan: Any, out: TextIO) -> None:
    from core.exchange.catalogue_sheet import plan_lines

    for line in plan_lines(plan):
        print(line, file=out)


@command("new")
def _new(args: argparse.Namespace, out: TextIO) -> int:
    from core.starters import DEFAULT_STARTER, new_ledger

    name = args.starter or DEFAULT_STARTER
    new_ledger(args.db, name).close()
    print(f"已新建台账：{args.db}（起步模板：{name}）", file=out)
    return 0
