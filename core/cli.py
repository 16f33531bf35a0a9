"""Headless sub-commands of main.py (no window, no Qt).

Exit status 0 on success; otherwise a one-line Chinese reason on stderr and a non-zero status
(2 for wrong arguments, 1 for everything else). No traceback reaches the clerk: unexpected
errors go to the log file, whose place the message names.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from core import APP_TITLE, __version__
from core.errors import LedgerError
from core.periods import Period, parse_months

# argparse's own words, in Chinese.
_ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "无效的选择：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "show this help message and exit": "显示帮助并退出",
    "positional arguments": "位置参数",
    "options": "选项",
    "show program's version number and exit": "显示版本号并退出",
}


def _translate(text: str) -> str:
    return _ARGPARSE_WORDS.get(text, text)


argparse._ = _translate  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n")


def _year(text: str) -> int:
    if not text.isdigit() or not 1900 <= int(text) <= 2200:
        raise argparse.ArgumentTypeError(f"年份应为 1900–2200 的整数，收到“{text}”")
    return int(text)


def _months(text: str) -> int:
    try:
        return parse_months(text)
    except LedgerError as exc:
        raise argparse.ArgumentTypeError(exc.message) from exc


def starter_name(text: str) -> str:
    from core.starters import names

    if text.strip() not in names():
        raise argparse.ArgumentTypeError(
            f"没有名为“{text}”的起步模板（可选：{'、'.join(names())}）")
    return text.strip()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workledger", description=f"{APP_TITLE}：命令行（不打开窗口）")
    parser.add_argument("--version", action="version", version=f"{APP_TITLE} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令",
                                     parser_class=_Parser)

    demo = commands.add_parser("demo", help="生成一个填好虚构演示数据的台账")
    demo.add_argument("--db", required=True, type=Path, help="新台账文件（不能已存在）")
    demo.add_argument("--year", type=_year, help="演示数据的最近年份（默认今年）")
    demo.add_argument("--months", type=_months, help="最近年份填到几月，如 1-11（默认本月）")
    demo.add_argument("--size", choices=("normal", "large"), default="normal",
                      help="large：十年、数万条记录的大台账（性能测试用）")
    demo.add_argument("--starter", type=starter_name, default=None,
                      help="起步模板（指标目录和总结模板），如 区工信局（默认区科工信局）")

    check = commands.add_parser("check", help="完整性检查，并列出总结还缺的数据")
    check.add_argument("--db", required=True, type=Path, help="台账文件")
    check.add_argument("--year", type=_year, help="年份（默认最近有数据的年份）")
    check.add_argument("--months", type=_months, help="月份范围，如 1-11（默认该年最近一期）")

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).add_commands(commands)
    return parser


# Modules that add sub-commands: each has `add_commands(subparsers)` that adds its parsers and
# registers its handlers with @command(name). Keep their imports light (load work lazily).
COMMAND_MODULES: list[str] = ["core.safety_commands", "core.report.commands",
                               "core.name_commands", "core.catalogue_commands",
                               "core.packet_commands", "core.sharing_commands"]
_HANDLERS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {}


def command(name: str) -> Callable[[Callable[[argparse.Namespace, TextIO], int]],
                                    Callable[[argparse.Namespace, TextIO], int]]:
    def register(func: Callable[[argparse.Namespace, TextIO], int]
                 ) -> Callable[[argparse.Namespace, TextIO], int]:
        _HANDLERS[name] = func
        return func
    return register


def _log_to_file() -> None:
    """Warnings (of the program and of its libraries) go to the log file, never to stderr,
    where only the one Chinese line belongs. The log file opens only if something is logged."""
    import logging

    from core.logs import setup_logging

    try:
        setup_logging()
    except OSError:  # no data folder: then nothing at all rather than English on the screen
        logging.getLogger().addHandler(logging.NullHandler())
    logging.captureWarnings(True)


def choose_period(ledger: object, year: int | None, months: int | None) -> Period:
    """The period asked for; by default the newest one the ledger holds."""
    from core.ledger import Ledger

    assert isinstance(ledger, Ledger)
    latest = ledger.latest_period()
    if year is None:
        if latest is None:
            from core import clock

            return Period(clock.today().year, months or 12)
        year = latest.year
    if months is None:
        months = latest.months if latest is not None and latest.year == year else 12
    return Period(year, months)


@command("demo")
def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from core.demo import NORMAL, write_demo
    from core.periods import current_period

    period = current_period()
    if args.year is not None:
        period = Period(args.year, args.months or 12)
    elif args.months is not None:
        period = Period(period.year, args.months)
    size = NORMAL
    if args.size == "large":
        from core.demo import LARGE

        size = LARGE
    from core.starters import DEFAULT_STARTER

    ledger = write_demo(args.db, period=period, size=size,
                        starter=args.starter or DEFAULT_STARTER)
    try:
        counts = {table: ledger.scalar(f"SELECT count(*) FROM {table}") for table in
                  ("enterprises", "projects", "services", "indicator_values", "plan_items")}
    finally:
        ledger.close()
    print(f"已生成演示台账：{args.db}（{period.label}；企业 {counts['enterprises']} 家，"
          f"项目 {counts['projects']} 个，服务记录 {counts['services']} 条，"
          f"指标数值 {counts['indicator_values']} 条，计划条目 {counts['plan_items']} 条）",
          file=out)
    return 0


def summary_gaps(ledger: Any, period: Period) -> list[str]:
    """What the default summary of `period` lacks: the same list the 总结 tab shows (every
    figure the period lacks, then whatever else the template asks for), one count for both."""
    from core.figures import missing_for
    from core.report.build import build, what_is_missing
    from core.report.store import DEFAULT_NAME, Templates
    from core.report.template import TemplateError

    try:
        document = build(ledger, period, Templates(ledger).get(DEFAULT_NAME),
                         render_chart=lambda _key: b"")
    except TemplateError:  # a broken template of the ledger's own: the figures alone
        return [item.label for item in missing_for(ledger, period)]
    return what_is_missing(ledger, period, document)


@command("check")
def _check(args: argparse.Namespace, out: TextIO) -> int:
    from core.figures import override_notes
    from core.ledger import Ledger
    from core.schema import LATEST_VERSION

    ledger = Ledger.open_for_reading(args.db)
    try:
        problems = ledger.integrity_problems()
        period = choose_period(ledger, args.year, args.months)
        print(f"台账：{args.db}（数据版本 {LATEST_VERSION}）", file=out)
        if problems:
            print("完整性检查：未通过", file=out)
            for problem in problems:
                print(f"  - {problem}", file=out)
        else:
            print("完整性检查：通过", file=out)
        missing = [] if problems else summary_gaps(ledger, period)  # damaged: no more
        if problems:
            pass
        elif missing:
            print(f"{period.label}总结尚缺 {len(missing)} 项数据：", file=out)
            for label in missing:
                print(f"  - {label}", file=out)
        else:
            print(f"{period.label}总结所需数据已齐全", file=out)
        notes = [] if problems else override_notes(ledger, period)
        if notes:
            print(f"{len(notes)} 项自动计算数据采用了手工填报数：", file=out)
            for note in notes:
                print(f"  - {note}", file=out)
        if not problems:
            from core.lookalikes import find_lookalikes
            from core.name_commands import print_lookalikes

            print_lookalikes(find_lookalikes(ledger), out)
    finally:
        ledger.close()
    if problems:
        print(f"“{args.db.name}”完整性检查未通过，请从备份恢复", file=sys.stderr)
        return 1
    return 0


_FORGIVING = ("replace", "backslashreplace", "namereplace", "xmlcharrefreplace", "ignore")


def forgiving_streams() -> None:
    """Never die on a character the console's code page lacks: write `?` in its place.

    A Windows program writes pipes and files in the ANSI code page (GBK on a Chinese Windows,
    cp1252 on an English one), whatever PYTHONIOENCODING says when frozen; a path with 𠮷 or
    any Chinese on an English-locale PC would otherwise raise UnicodeEncodeError after the
    work was done and report it as failed."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        # strict and surrogateescape (what Python picks for some locales) both raise
        if reconfigure is not None and getattr(stream, "errors", "strict") not in _FORGIVING:
            reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    forgiving_streams()
    out = out or sys.stdout
    _log_to_file()
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["report", "propose-marks"]:  # the form the help of `report` names
        argv = argv[1:]
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage already on stderr
        return int(exc.code or 0)
    try:
        return _HANDLERS[args.command](args, out)
    except LedgerError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback on the clerk's screen
        from core.logs import log_unexpected
        from core.storage import damaged

        db = getattr(args, "db", None)
        found = damaged(exc, Path(db)) if db is not None else None
        if found is not None:  # damage the open's check did not see (bit rot)
            print(found.message, file=sys.stderr)
            return 1

        log = log_unexpected(exc, f"command {args.command}")
        print(f"发生意外错误，未完成“{args.command}”（详情已写入 {log}）", file=sys.stderr)
        return 1

