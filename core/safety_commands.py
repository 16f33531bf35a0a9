"""Sub-commands for keeping the data safe: backup, restore, export, import, diagnose.

    backup   --db FILE --to DIR                 a consistent copy (the app may have it open)
    restore  --db FILE --from BACKUP            replace the ledger's content (asks nothing)
    export   --db FILE --year Y --out F.xlsx    the year's data for Excel/WPS
    import   --db FILE F.xlsx [--apply]         a dry run unless --apply
    diagnose --out F.zip [--db FILE]            logs and versions for support, no ledger data
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from core.cli import _year, command
from core.errors import BadFileError


def add_commands(commands: Any) -> None:
    backup = commands.add_parser("backup", help="备份台账到指定文件夹（软件打开时也可以）")
    backup.add_argument("--db", required=True, type=Path, help="台账文件")
    backup.add_argument("--to", required=True, type=Path, help="存放备份的文件夹")

    restore = commands.add_parser("restore", help="用备份替换台账内容（恢复前自动再备份一次）")
    restore.add_argument("--db", required=True, type=Path, help="台账文件")
    restore.add_argument("--from", dest="source", required=True, type=Path, help="备份文件")

    export = commands.add_parser("export", help="把一年的数据导出为 Excel 表格")
    export.add_argument("--db", required=True, type=Path, help="台账文件")
    export.add_argument("--year", required=True, type=_year, help="年份")
    export.add_argument("--out", required=True, type=Path, help="输出文件（.xlsx）")
    export.add_argument("--all-periods", action="store_true",
                        help="指标表列出该年每一期（默认只列最近一期）")

    import_ = commands.add_parser("import", help="从 Excel 表格导入（不加 --apply 只检查不写入）")
    import_.add_argument("--db", required=True, type=Path, help="台账文件")
    import_.add_argument("file", type=Path, help="Excel 文件（.xlsx）")
    import_.add_argument("--apply", action="store_true", help="检查全部通过后写入台账")
    import_.add_argument("--year", type=_year,
                         help="“本年完成投资”等列所指的年份（默认台账最近一期的年份）")
    import_.add_argument("--create-unknown", action="append", metavar="名称=类型",
                         help="新建指标目录中没有的指标，如 --create-unknown 科技人才数=计数；"
                              "只写类型（如 --create-unknown 金额）则其余未知指标都按该类型新建")

    diagnose = commands.add_parser("diagnose", help="导出诊断信息（日志与版本，不含台账数据）")
    diagnose.add_argument("--out", required=True, type=Path, help="输出文件（.zip）")
    diagnose.add_argument("--db", type=Path, help="台账文件（只读取数据版本和各表行数）")


@command("backup")
def _backup(args: argparse.Namespace, out: TextIO) -> int:
    from core.backup import backup_into
    from core.ledger import Ledger

    # Read-only: no writer lock is needed, so this works while the window has the file open;
    # an older ledger is copied as it is.
    with Ledger.open(args.db, readonly=True, create=False, old_ok=True) as ledger:
        written = backup_into(ledger.conn, ledger.path, args.to)
    print(written, file=out)
    return 0


@command("restore")
def _restore(args: argparse.Namespace, out: TextIO) -> int:
    from core.backup import describe_counts, restore, restore_file
    from core.ledger import Ledger

    try:
        ledger = Ledger.open(args.db, create=False)
    except BadFileError as exc:  # damaged, missing, not openable: replace the file itself
        result = restore_file(args.db, args.source)
        print(f"“{args.db.name}”无法打开（{exc.message}），已用备份“{args.source.name}”替换"
              f"（{describe_counts(result.counts)}）", file=out)
        if result.previous is not None:
            print(f"原文件已原样保留在：{result.previous}", file=out)
        return 0
    try:
        result = restore(ledger, args.source)
    finally:
        ledger.close()
    print(f"已从备份“{args.source.name}”恢复台账“{args.db.name}”"
          f"（{describe_counts(result.counts)}）", file=out)
    print(f"恢复前的台账已备份到：{result.previous}", file=out)
    return 0


@command("export")
def _export(args: argparse.Namespace, out: TextIO) -> int:
    from core.exchange.excel_export import export_year
    from core.ledger import Ledger

    with Ledger.open_for_reading(args.db) as ledger:
        result = export_year(ledger, args.year, args.out, all_periods=args.all_periods)
    sheets = "，".join(f"{title} {rows} 行" for title, rows in result.rows.items())
    print(f"已导出 {args.year} 年数据（指标为{result.period.label}，{result.edition}）："
          f"{result.path}（{sheets}）", file=out)
    for note in result.notes:
        print(f"说明：{note}", file=out)
    return 0


_LISTED_ROWS = 200  # rows of a dry run printed one by one (all rejected ones come first)


@command("import")
def _import(args: argparse.Namespace, out: TextIO) -> int:
    from core.exchange.excel_import import preview_file
    from core.ledger import Ledger

    # A dry run only reads: it works while the window has the ledger open.
    with Ledger.open(args.db, readonly=not args.apply, create=False) as ledger:
        plan = preview_file(ledger, args.file, year=args.year)
        if args.create_unknown and plan.unknown:  # again, with the clerk's choice
            create = chosen_kinds(args.create_unknown, list(plan.unknown))
            plan = preview_file(ledger, args.file, year=args.year, create=create)
        print_plan(plan, out)
        left = [name for name in plan.unknown if name not in plan.create]
        if left:
            print(f"如需新建这些指标，加 --create-unknown 名称=类型（如 --create-unknown "
                  f"{left[0]}=计数；类型：计数、金额/数量、增速、占比、排名、文字、名单）",
                  file=out)
        return finish_import(ledger, plan, apply=args.apply, out=out, untouched="未导入任何内容",
                             nothing="表格中没有需要导入的新内容或修改，台账未作修改",
                             done="已导入：新增 {new} 条，修改 {changed} 条")


def finish_import(ledger: Any, plan: Any, *, apply: bool, out: TextIO, untouched: str,
                  nothing: str, done: str) -> int:
    """The end every `… import` command shares, after it printed its plan: a rejected row stops
    it with nothing changed, an empty plan says so, a dry run says how to apply, and `--apply`
    imports (backed up first) and names the backup. `done` is formatted with new= and changed=."""
    from core.exchange.excel_import import apply_import
    from core.exchange.importers import REJECTED

    rejected = plan.count(REJECTED)
    if rejected:
        print(f"有 {rejected} 行未通过检查，{untouched}；请按提示修改表格后再导入", file=sys.stderr)
        return 1
    if not plan.ops:
        print(nothing, file=out)
        return 0
    if not apply:
        print("以上为检查结果，台账未作修改；确认无误后加 --apply 导入", file=out)
        return 0
    result = apply_import(ledger, plan)
    print(done.format(new=result.new, changed=result.changed)
          + f"。导入前的台账已备份到：{result.backup}", file=out)
    return 0


def chosen_kinds(specs: list[str], unknown: list[str]) -> dict[str, str]:
    """`名称=类型` (or a bare `类型` for every other unknown name) → name → kind key."""
    from core.catalogue_columns import COLUMN_BY_KEY
    from core.errors import InputError

    column = COLUMN_BY_KEY["kind"]
    chosen: dict[str, str] = {}
    default: str | None = None
    for spec in specs:
        name, _, kind = spec.rpartition("=")
        key = column.read(kind, "--create-unknown 的类型")
        if not name.strip():
            default = key
        elif name.strip() not in unknown:
            raise InputError(f"表中没有指标目录之外的“{name.strip()}”（未知指标："
                             f"{'、'.join(unknown) or '无'}）")
        else:
            chosen[name.strip()] = key
    if default is not None:
        chosen.update({name: default for name in unknown if name not in chosen})
    return chosen


def print_plan(plan: Any, out: TextIO) -> None:
    """The dry run as the command shows it: per sheet, then the rows that need a look."""
    from core.exchange.importers import ACTION_LABELS, CHANGED, NEW, REJECTED, UNCHANGED

    print(f"文件：{plan.path.name}（“本年完成投资”等按 {plan.year} 年）", file=out)
    for sheet in plan.sheets:
        if sheet.skipped:
            continue
        counts = "，".join(f"{ACTION_LABELS[a]} {sum(r.action == a for r in sheet.results)} 条"
                          for a in (NEW, CHANGED, UNCHANGED, REJECTED))
        print(f"工作表“{sheet.title}”按“{sheet.mapping.sheet.title}”读取：{counts}", file=out)
    listed = [r for r in plan.results() if r.action == REJECTED]
    listed += [r for r in plan.results() if r.action == CHANGED]
    for result in listed[:_LISTED_ROWS]:
        print(f"  {result.sheet} 第 {result.row} 行 {result.label}：{ACTION_LABELS[result.action]}"
              f"——{result.detail}", file=out)
    if len(listed) > _LISTED_ROWS:
        print(f"  ……另有 {len(listed) - _LISTED_ROWS} 行未列出", file=out)
    for note in plan.notes:
        print(f"说明：{note}", file=out)
    print(f"合计：{plan.summary}", file=out)


@command("diagnose")
def _diagnose(args: argparse.Namespace, out: TextIO) -> int:
    from core.diagnostics import write_diagnostics

    written = write_diagnostics(args.out, ledger_path=args.db)
    print(f"诊断信息已写入：{written}（含日志和版本信息，不含台账数据）", file=out)
    return 0
