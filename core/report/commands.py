"""The `report` sub-command: write the summary of a period to .pdf, .docx, .html or .txt.

    python main.py report --db 台账.db --year 2026 --months 1-11 --out 总结.docx

The ledger is opened read-only (the window may have it open). What the summary lacks is listed
on stderr, one item per line, and the file is still written: the gaps read 【未填：…】 in it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from core.cli import _months, _year, choose_period, command
from core.report.writers import FORMATS


def _output(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"输出文件的扩展名应为 {' '.join(FORMATS)} 之一，收到“{text}”")
    return path


def _day(text: str) -> date:
    from core.errors import InputError
    from core.fields import parse_date

    try:
        value = parse_date(text, field="截至日期")
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from exc
    if value is None:
        raise argparse.ArgumentTypeError("截至日期不能为空")
    return date.fromisoformat(value)


def add_commands(commands: Any) -> None:
    report = commands.add_parser("report", help="生成工作总结（PDF / Word / 网页 / 纯文本）")
    report.add_argument("--db", required=True, type=Path, help="台账文件")
    report.add_argument("--year", type=_year, help="年份（默认最近有数据的年份）")
    report.add_argument("--months", type=_months, help="月份范围，如 1-11（默认该年最近一期）")
    report.add_argument("--template", help="模板名称（默认“年度总结”）")
    report.add_argument("--date", type=_day, help="截至日期（督办通报按此判断超期、临期；"
                                                  "落款的成文日期），如 2026-6-30；默认今天")
    report.add_argument("--template-docx", type=Path,
                        help="用自己的 Word 文件作模板：其中以【字段】标出的数字按台账填写，"
                             "其余原样保留；此时 --out 须为 .docx")
    report.add_argument("--out", required=True, type=_output,
                        help="输出文件：.pdf .docx .html 或 .txt")
    add_propose_marks(commands)


@command("report")
def _report(args: argparse.Namespace, out: TextIO) -> int:
    from core.ledger import Ledger
    from core.report.build import build, what_is_missing
    from core.report.store import DEFAULT_NAME, Templates
    from core.report.writers import save

    if args.template_docx is not None:
        return _report_from_word(args, out)
    ledger = Ledger.open_for_reading(args.db)
    try:
        templates = Templates(ledger)
        name = args.template or DEFAULT_NAME
        if name not in templates.names():
            print(f"错误：没有名为“{name}”的模板（可选：{'、'.join(templates.names())}）",
                  file=sys.stderr)
            return 2
        period = choose_period(ledger, args.year, args.months)
        document = build(ledger, period, templates.get(name), today=args.date)
        missing = what_is_missing(ledger, period, document)
        target = save(document, args.out)
    finally:
        ledger.close()
    what = "工作总结" if name.endswith("总结") else name  # 督办通报 says what it is
    as_of = f"（截至{args.date:%Y-%m-%d}）" if args.date else ""
    print(f"已生成{period.label}{what}{as_of}：{target}", file=out)
    if missing:
        print(f"总结尚缺 {len(missing)} 项数据（文中显示为【未填：…】）：", file=sys.stderr)
        for label in missing:
            print(label, file=sys.stderr)
    return 0


def _report_from_word(args: argparse.Namespace, out: TextIO) -> int:
    from core.ledger import Ledger
    from core.report.docx_template import fill

    if args.out.suffix.lower() != ".docx":
        print("错误：用 Word 模板时输出文件须为 .docx", file=sys.stderr)
        return 2
    ledger = Ledger.open_for_reading(args.db)
    try:
        period = choose_period(ledger, args.year, args.months)
        filled = fill(ledger, period, args.template_docx, args.out, today=args.date)
    finally:
        ledger.close()
    print(f"已按 Word 模板“{args.template_docx.name}”生成{period.label}总结：{filled.path}",
          file=out)
    if filled.missing:
        print(f"尚缺 {len(filled.missing)} 项数据（文中显示为【未填：…】）：", file=sys.stderr)
        for label in filled.missing:
            print(label, file=sys.stderr)
    return 0


def add_propose_marks(commands: Any) -> None:
    propose = commands.add_parser(
        "propose-marks", help="把去年的总结（.docx）做成 Word 模板：建议把哪些数字标为【字段】"
                              "（也可写作 report propose-marks）")
    propose.add_argument("--db", required=True, type=Path, help="台账文件")
    propose.add_argument("--year", type=_year, help="去年总结所写的年份（默认最近有数据的年份）")
    propose.add_argument("--months", type=_months, help="月份范围（默认该年最近一期）")
    propose.add_argument("source", type=Path, help="去年的总结（.docx）")
    propose.add_argument("--out", required=True, type=Path, help="生成的 Word 模板（.docx）")
    propose.add_argument("--accept",
                         help="采纳哪些建议：all（全部只有一种可能的）或编号如 1,3,5；与两个"
                              "数字相同的写 编号:第几种，如 4:2。不写则只列出建议、不生成文件")


@command("propose-marks")
def _propose_marks(args: argparse.Namespace, out: TextIO) -> int:
    from core.ledger import Ledger
    from core.report.mark_proposals import parse_accept, propose, write_marked

    if args.out.suffix.lower() != ".docx":
        print("错误：生成的模板须为 .docx", file=sys.stderr)
        return 2
    ledger = Ledger.open_for_reading(args.db)
    try:
        period = choose_period(ledger, args.year, args.months)
        proposals = propose(ledger, period, args.source)
        if not proposals:
            print(f"“{args.source.name}”中没有与{period.label}台账数字相同的数字，未生成文件",
                  file=out)
            return 0
        print(f"“{args.source.name}”中有 {len(proposals)} 处数字与{period.label}台账数字相同：",
              file=out)
        for proposal in proposals:
            if proposal.ambiguous:
                fields = "  ".join(f"{proposal.number}:{i} {c.field}"
                                   for i, c in enumerate(proposal.choices, 1))
                print(f"[{proposal.number}] {proposal.where}：{proposal.context}\n"
                      f"      与 {len(proposal.choices)} 个数字相同，须指定：{fields}", file=out)
            else:
                print(f"[{proposal.number}] {proposal.where}：{proposal.context}"
                      f" → {proposal.choices[0].field}", file=out)
        if args.accept is None:
            print("未生成文件：确认后用 --accept all 或 --accept 1,3,5 写出模板", file=out)
            return 0
        chosen = parse_accept(args.accept, proposals)
        left = [p for p in proposals if p.ambiguous and p.number not in chosen]
        result = write_marked(ledger, period, args.source, args.out, chosen)
    finally:
        ledger.close()
    print(f"已标记 {result.marked} 处，模板写入：{result.path}", file=out)
    if left:
        print(f"{len(left)} 处与两个以上数字相同、未指定，未标记："
              f"{'、'.join(str(p.number) for p in left)}", file=out)
    for problem in result.skipped:
        print(f"未标记：{problem}", file=sys.stderr)
    return 0
