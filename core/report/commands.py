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
