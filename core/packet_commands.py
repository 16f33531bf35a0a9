"""Sub-commands for 报送: filing units, packets, 上报 editions.

    unit add|list|assign --db FILE …                       填报单位 and what each fills
    packet issue  --db FILE --unit NAME --year Y --months 1-N --out P.wlp
    packet return --db P.wlp --out R.wlp                   the unit's changes since issue
    packet apply  --db FILE R.wlp [--apply] [--take theirs|ours|N=theirs …]
    period submit|unlock|compare --db FILE --year Y --months 1-N …   上报, 解锁, 与上报版比较
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from core import clock
from core.cli import _months, _Parser, _year, command
from core.errors import InputError
from core.periods import Period

_LISTED = 500  # values of a dry run printed one by one


def add_commands(commands: Any) -> None:
    unit = commands.add_parser("unit", help="填报单位（科室、街道、园区）及其填报内容")
    units = unit.add_subparsers(dest="unit_command", required=True, metavar="操作",
                                parser_class=_Parser)
    add = units.add_parser("add", help="新增填报单位")
    add.add_argument("--db", required=True, type=Path, help="台账文件")
    add.add_argument("name", help="单位名称，如 工业科、星河街道")
    add.add_argument("--kind", default="科室", help="类别：科室、街道、园区、其他（默认科室）")
    list_ = units.add_parser("list", help="列出填报单位及某期的填报内容")
    list_.add_argument("--db", required=True, type=Path, help="台账文件")
    _period_args(list_, required=False)
    assign = units.add_parser("assign", help="为单位分配某期要填报的指标和记录表")
    assign.add_argument("--db", required=True, type=Path, help="台账文件")
    assign.add_argument("--unit", required=True, help="填报单位名称")
    _period_args(assign)
    assign.add_argument("--indicator", action="append", default=[], help="指标名称（可多次）")
    assign.add_argument("--table", action="append", default=[],
                        help="记录表：services（企业服务记录）、projects（重点项目）、"
                             "plans（工作计划）")
    assign.add_argument("--due", help="报送期限，如 2026-07-05")

    packet = commands.add_parser("packet", help="填报包：下发、导出报送包、导入报送包")
    packets = packet.add_subparsers(dest="packet_command", required=True, metavar="操作",
                                    parser_class=_Parser)
    issue = packets.add_parser("issue", help="为填报单位生成填报包")
    issue.add_argument("--db", required=True, type=Path, help="台账文件")
    issue.add_argument("--unit", required=True, help="填报单位名称")
    _period_args(issue)
    issue.add_argument("--out", required=True, type=Path, help="填报包文件（.wlp）")
    return_ = packets.add_parser("return", help="从填好的填报包导出报送包")
    return_.add_argument("--db", required=True, type=Path, help="填好的填报包（.wlp）")
    return_.add_argument("--out", required=True, type=Path, help="报送包文件（.wlp）")
    apply = packets.add_parser("apply", help="导入报送包（不加 --apply 只检查不写入）")
    apply.add_argument("--db", required=True, type=Path, help="台账文件")
    apply.add_argument("file", type=Path, nargs="+",
                       help="报送包文件（.wlp，可多个：一次备份、一次写入、一步撤销）")
    apply.add_argument("--apply", action="store_true", help="写入台账")
    apply.add_argument("--take", action="append", default=[],
                       help="冲突的选择：theirs（全部采用报送值）、ours（全部保留台账现值），"
                            "或 序号=theirs / 序号=ours（逐项，可多次）")
    apply.add_argument("--year", type=_year, help="只接受该年的报送包")
    apply.add_argument("--months", type=_months, help="只接受该期的报送包，如 1-6")

    period = commands.add_parser("period", help="上报（锁定一期）、解锁、与上报版比较")
    periods = period.add_subparsers(dest="period_command", required=True, metavar="操作",
                                    parser_class=_Parser)
    submit = periods.add_parser("submit", help="上报：生成新版本并锁定该期")
    submit.add_argument("--db", required=True, type=Path, help="台账文件")
    _period_args(submit)
    submit.add_argument("--note", default="", help="上报说明")
    unlock = periods.add_parser("unlock", help="解锁（须注明原因）")
    unlock.add_argument("--db", required=True, type=Path, help="台账文件")
    _period_args(unlock)
    unlock.add_argument("--reason", required=True, help="解锁原因")
    compare = periods.add_parser("compare", help="与上报版比较：列出上报后改动的每一个数")
    compare.add_argument("--db", required=True, type=Path, help="台账文件")
    _period_args(compare)
    compare.add_argument("--edition", type=int, help="版本号（默认最近一版）")
    compare.add_argument("--out", type=Path, help="另存为可打印的清单（.txt 或 .html）")


def _period_args(parser: Any, *, required: bool = True) -> None:
    parser.add_argument("--year", required=required, type=_year, help="年份")
    parser.add_argument("--months", required=required, type=_months, help="月份范围，如 1-6")


def _period(args: argparse.Namespace) -> Period:
    return Period(args.year, args.months)


# -- unit ------------------------------------------------------------------------------------------
@command("unit")
def _unit(args: argparse.Namespace, out: TextIO) -> int:
    from core.filing_units import RECORD_TABLES, FilingUnits
    from core.ledger import Ledger

    with Ledger.open(args.db, readonly=args.unit_command == "list", create=False) as ledger:
        units = FilingUnits(ledger)
        if args.unit_command == "add":
            units.add(args.name, kind=args.kind)
            print(f"已新增填报单位“{' '.join(args.name.split())}”（{args.kind}）", file=out)
        elif args.unit_command == "assign":
            period = _period(args)
            units.assign(args.unit, period, indicators=args.indicator, tables=args.table,
                         due=args.due)
            got = units.assignment(args.unit, period)
            print(f"“{got.unit.name}”{period.label}填报：指标 {len(got.indicator_ids)} 项"
                  + (f"，记录表 {'、'.join(RECORD_TABLES[t] for t in got.tables)}"
                     if got.tables else "") + (f"，报送期限 {got.due}" if got.due else ""),
                  file=out)
        else:
            found = units.all()
            if not found:
                print("尚未设置填报单位（用 unit add 新增）", file=out)
            for unit in found:
                line = f"{unit.name}（{unit.kind}）"
                if args.year is not None and args.months is not None:
                    got = units.assignment(unit.name, _period(args))
                    names = [ledger.catalogue.get(i).name for i in got.indicator_ids]
                    names += [RECORD_TABLES[t] for t in got.tables]
                    line += "：" + ("、".join(names) if names else "本期无填报内容")
                print(line, file=out)
    return 0


# -- packet ----------------------------------------------------------------------------------------
@command("packet")
def _packet(args: argparse.Namespace, out: TextIO) -> int:
    from core import packets
    from core.ledger import Ledger

    if args.packet_command == "issue":
        with Ledger.open(args.db, create=False) as ledger:
            result = packets.issue(ledger, args.unit, _period(args), args.out)
        print(f"已生成“{result.info.unit}”{result.info.period.label}填报包：{result.path}"
              f"（指标 {result.indicators} 项，数值 {result.values} 条，记录 {result.records} 条）",
              file=out)
        return 0
    if args.packet_command == "return":
        done = packets.make_return(args.db, args.out)
        print(f"已导出“{done.info.unit}”{done.info.period.label}报送包：{done.path}"
              f"（修改 {done.rows} 行，校验码 {done.sha256[:12]}）", file=out)
        return 0
    period = None
    if args.year is not None or args.months is not None:
        if args.year is None or args.months is None:
            raise InputError("--year 与 --months 须同时给出")
        period = _period(args)
    if len(args.file) > 1:
        return _apply_many(args, period, out)
    # A dry run only reads: it works while the window has the ledger open.
    with Ledger.open(args.db, readonly=not args.apply, create=False) as ledger:
        plan = packets.preview(ledger, args.file[0], period=period)
        if plan.already:
            print(f"{plan.already}，台账未作修改", file=out)
            return 0
        print_merge_plan(plan, out)
        take, take_all = _choices(args.take, plan)
        if not args.apply:
            print("以上为检查结果，台账未作修改；确认无误后加 --apply 导入"
                  + ("（有冲突时须用 --take 选择）" if plan.conflicts else ""), file=out)
            return 0
        merged = packets.apply_merge(ledger, plan, take=take, take_all=take_all)
    print(f"已导入“{plan.info.unit}”的报送包：采用 {merged.applied} 项，保留台账现值 "
          f"{merged.kept} 项。导入前的台账已备份到：{merged.backup}", file=out)
    return 0


def _apply_many(args: argparse.Namespace, period: Period | None, out: TextIO) -> int:
    from core import packets
    from core.ledger import Ledger

    take_all = None
    for text in args.take:
        if text not in (packets.THEIRS, packets.OURS):
            raise InputError("一次导入多个报送包时，冲突只能统一选择：--take theirs 或 --take ours")
        take_all = text
    with Ledger.open(args.db, readonly=not args.apply, create=False) as ledger:
        if not args.apply:  # one dry run over all of them, each after the ones before it
            for path, plan in zip(args.file, packets.preview_many(ledger, args.file,
                                                                  period=period), strict=True):
                if plan.already:
                    print(f"{path.name}：{plan.already}", file=out)
                else:
                    print_merge_plan(plan, out)
            print("以上为一并检查的结果，台账未作修改；确认无误后加 --apply 一次导入", file=out)
            return 0
        batch = packets.apply_many(ledger, args.file, take_all=take_all, period=period)
    for path, merged in batch.merged:
        print(f"已导入“{path.name}”：采用 {merged.applied} 项，保留台账现值 {merged.kept} 项",
              file=out)
    for path, why in batch.skipped:
        print(f"未导入“{path.name}”：{why}", file=out)
    print(f"导入前的台账已备份到：{batch.backup}", file=out)
    return 0


def _choices(given: list[str], plan: Any) -> tuple[dict[str, str], str | None]:
    from core.packets import OURS, THEIRS

    numbered = {str(n): item for n, item in enumerate(plan.items, start=1)}
    take: dict[str, str] = {}
    take_all = None
    for text in given:
        number, _, choice = text.partition("=")
        if not choice:
            number, choice = "", number
        if choice not in (THEIRS, OURS):
            raise InputError(f"--take 应为 theirs、ours 或 序号=theirs / 序号=ours，收到“{text}”")
        if not number:
            take_all = choice
            continue
        item = numbered.get(number.strip())
        if item is None or item.status != "conflict":
            raise InputError(f"第 {number} 项不是冲突，无需选择")
        take[item.key] = choice
    return take, take_all


def print_merge_plan(plan: Any, out: TextIO) -> None:
    """The dry run as the command shows it: every value with base / theirs / ours."""
    from core.packets import CONFLICT, STATUS_LABELS, UNCHANGED, show

    info = plan.info
    print(f"报送包：{plan.packet.path.name}（{info.unit}，{info.period.label}；"
          f"导出人 {plan.packet.meta.get('returned_by', '')}，"
          f"{clock.shown(str(plan.packet.meta.get('returned_at', '')))}）", file=out)
    listed = 0
    for number, item in enumerate(plan.items, start=1):
        if item.status == UNCHANGED:
            continue
        listed += 1
        if listed > _LISTED:
            continue
        line = (f"  [{number}] {STATUS_LABELS[item.status]} {item.what} {item.field_label}：")
        if item.status == CONFLICT:
            line += (f"下发时 {show(item.base)}，报送 {show(item.theirs)}，"
                     f"台账现值 {show(item.ours)}")
        elif item.note and item.status != "new":
            line += item.note
        else:
            line += f"{show(item.base)} → {show(item.theirs)}" + (
                f"，{item.note}" if item.note else "")
        when = clock.shown(item.when)
        print(f"{line}（{item.who} {when}）" if item.who else line, file=out)
    if listed > _LISTED:
        print(f"  ……另有 {listed - _LISTED} 项未列出", file=out)
    for note in plan.notes:
        print(f"说明：{note}", file=out)
    print(f"合计：{plan.summary}", file=out)


# -- period ----------------------------------------------------------------------------------------
@command("period")
def _period_command(args: argparse.Namespace, out: TextIO) -> int:
    from core import editions
    from core.ledger import Ledger

    period = _period(args)
    readonly = args.period_command == "compare"
    with Ledger.open(args.db, readonly=readonly, create=False) as ledger:
        if args.period_command == "submit":
            edition, _change = editions.submit(ledger, period, note=args.note)
            print(f"已上报{period.label}（{edition.label}，{len(edition.snapshot)} 项指标），"
                  "该期已锁定", file=out)
            return 0
        if args.period_command == "unlock":
            editions.unlock(ledger, period, args.reason)
            print(f"已解锁{period.label}（原因：{' '.join(args.reason.split())}）", file=out)
            return 0
        base = editions.edition(ledger, period, args.edition)
        found = editions.compare(ledger, period, args.edition)
        lines = compare_lines(ledger, period, base, found)
    for line in lines:
        print(line, file=out)
    if args.out is not None:
        write_compare(args.out, lines)
        print(f"清单已保存：{args.out}", file=out)
    return 0


def compare_lines(ledger: Any, period: Period, base: Any, found: list[Any]) -> list[str]:
    """The 与上报版比较 list (the CLI's and the window's), ended by the edition line of the
    figures now, as every printout is."""
    from core.packets import show
    from core.report.writers.text import periods_edition_line

    lines = [f"{period.label}与上报{base.label}比较（{clock.shown(base.made_at)} "
             f"{base.made_by} 上报）：" + (f"改动 {len(found)} 项" if found else "没有改动")]
    for diff in found:
        who = f"，{diff.who} {clock.shown(diff.when)}" if diff.who else ""
        why = f"，{diff.why}" if diff.why else ""
        lines.append(f"  {diff.indicator} {diff.field}：{show(diff.old)} → {show(diff.new)}"
                     f"{who}{why}")
    lines.append(f"（{periods_edition_line(ledger, [period])}）")
    return lines


def write_compare(path: Path, lines: list[str]) -> None:
    """The list as a file to print: plain text, or HTML for a browser's print."""
    from html import escape

    from core.errors import LedgerError
    from core.files import reason, write_atomically

    if path.suffix.lower() in (".html", ".htm"):
        body = "".join(f"<p>{escape(line)}</p>" for line in lines)
        text = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
                f"<title>{escape(lines[0])}</title><body>{body}</body></html>")
    elif path.suffix.lower() == ".txt":
        text = "\r\n".join(lines) + "\r\n"
    else:
        raise InputError("清单文件应为 .txt 或 .html")
    try:
        write_atomically(path, lambda partial: partial.write_text(text, encoding="utf-8-sig"))
    except OSError as exc:
        raise LedgerError(f"未能写入“{path.name}”：{reason(exc)}") from exc
