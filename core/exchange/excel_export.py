"""The year's data as an Excel workbook: a sheet per tab, ready to read, print and re-import.

Sheets (layout.py): 指标 (the year's latest period, or every period), 项目, 企业名录, 企业荣誉
and 服务记录 of the year, 工作计划 of the year and the next. Headers are Chinese with units,
numbers are numbers (with the field's decimals) and dates are dates, columns are as wide as
their Chinese text, the header row is frozen, filtered and printed on every page. Text that
starts like a formula (= + - @, tab, CR) is stored as text with Excel's quote prefix, so no
spreadsheet ever runs it. Record sheets carry a hidden 记录编号 column so that an edited copy
re-imports onto the right records.

The file is written under a temporary name beside the target and renamed when complete.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import APP_TITLE
from core.errors import InputError, LedgerError
from core.evidence import evidence_listing
from core.exchange.layout import (
    ENTERPRISES,
    HONOURS,
    ID_KEY,
    INDICATORS,
    INVEST_KEY,
    PLANS,
    PROJECTS,
    SERVICES,
    Column,
    Sheet,
)
from core.files import reason, write_atomically
from core.kinds import other_ranks_text
from core.metrics import SOURCE_LABELS, Figure
from core.numbers import format_number
from core.periods import Period
from core.records import RecordTable, Row
from core.text import scrub

if TYPE_CHECKING:
    from core.ledger import Ledger

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
MIN_WIDTH, MAX_WIDTH = 6, 60
NUMBER_MAX_WIDTH = 24  # a 名单 in the 本期数值 column wraps instead
LINE_HEIGHT = 15  # points per line of text (Excel's default row height)


@dataclass
class Table:
    """One sheet's content before it is written."""

    sheet: Sheet
    rows: list[list[Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # key → header, where not the layout's
    row_decimals: list[int] | None = None  # per row (indicators: each has its own decimals)

    def header(self, column: Column) -> str:
        return self.headers.get(column.key, column.header)

    def decimals(self, number: int, column: Column) -> int:
        """Decimals of a cell: its column's, or else its row's (an indicator's own)."""
        if column.decimals or self.row_decimals is None:
            return column.decimals
        return self.row_decimals[number]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: dict[str, int]  # sheet title → data rows
    period: Period  # the period of the 指标 sheet (the latest one when all are listed)
    cut: int = 0  # texts longer than a cell holds (MAX_CELL_TEXT): cut, and said so
    edition: str = ""  # 版本：草稿 / 版本：第N版（上报版）, in every sheet's printed header

    @property
    def notes(self) -> list[str]:
        if not self.cut:
            return []
        return [f"有 {self.cut} 处文字超过 Excel 单元格上限 {MAX_CELL_TEXT:,} 字，表中只有前"
                f" {MAX_CELL_TEXT:,} 字；再导入时这些单元格不会改动台账中的全文"]


def export_year(ledger: Ledger, year: int, out: Path, *, all_periods: bool = False
                ) -> ExportResult:
    """Write the workbook of `year` to `out` (.xlsx); never leaves a half-written file."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"导出文件名应以 .xlsx 结尾，收到“{out.name}”")
    try:  # before openpyxl starts its temporary files: a folder we cannot use fails here
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"无法写入“{out}”（{reason(exc)}），请换一个位置") from exc
    periods = _periods(ledger, year, all_periods)
    period = periods[-1]
    tables = [
        _indicators(ledger, periods),
        _projects(ledger, period),
        _records(ENTERPRISES, ledger.enterprises, ledger.enterprises.rows()),
        _records(HONOURS, ledger.enterprises.honours, ledger.enterprises.honours.rows(year=year)),
        _records(SERVICES, ledger.services, list(reversed(ledger.services.rows(
            start=f"{year:04d}-01-01", end=f"{year:04d}-12-31")))),
        _plans(ledger, year),
    ]
    from core.report.writers.text import periods_edition_line

    edition = periods_edition_line(ledger, periods)
    cut = _write(tables, out, edition=edition, title=f"{year}年工作台账")
    return ExportResult(out, {t.sheet.title: len(t.rows) for t in tables}, period, cut, edition)


def _periods(ledger: Ledger, year: int, all_periods: bool) -> list[Period]:
    months = [r[0] for r in ledger.conn.execute(
        "SELECT DISTINCT months FROM indicator_values WHERE year = ? ORDER BY months", (year,))]
    if not months:
        return [Period(year, 12)]
    return [Period(year, m) for m in months] if all_periods else [Period(year, months[-1])]


# -- sheet contents ------------------------------------------------------------------------------
def _cell(column: Column, value: Any) -> Any:
    """A stored value as the cell of its column (numbers stay numbers, dates become dates)."""
    if value is None or value == "":
        return None
    kind = column.kind
    if kind == "date":
        return date.fromisoformat(str(value)[:10])
    if kind == "bool":
        return "是" if value else "否"
    if kind == "flag":
        since, until = value
        if since is None:
            return None
        return since if until is None else f"{since}-{until}"
    return value


def _records(sheet: Sheet, table: RecordTable, rows: list[Row],
             extra: dict[str, Callable[[Row], Any]] | None = None) -> Table:
    getters: dict[str, Callable[[Row], Any]] = {ID_KEY: lambda row: row["id"], **(extra or {})}
    result = Table(sheet)
    for row in rows:
        result.rows.append([
            _cell(c, getters[c.key](row) if c.key in getters else table.field_value(row, c.key))
            for c in sheet.columns
        ])
    return result


def _projects(ledger: Ledger, period: Period) -> Table:
    table = _records(PROJECTS, ledger.projects, ledger.projects.rows(period), {
        INVEST_KEY: lambda row: row["invest_year"], "status": lambda row: row["status"],
    })
    invest = PROJECTS.column(INVEST_KEY)
    table.headers = {INVEST_KEY: f"{period.year}年完成投资（{invest.unit}）",
                     "status": f"状态（{period.label}）"}
    return table


def _indicator_row(figure: Figure) -> list[Any]:
    indicator = figure.indicator
    if indicator.kind == "list":
        value: Any = "、".join(figure.items) or None
    elif indicator.kind == "text":
        value = figure.text or None
    else:
        value = figure.value
    computed = figure.computed_versus if figure.growth_source == "official" else None
    return [
        indicator.name, indicator.section, indicator.unit or None, figure.period.year,
        figure.period.months_label, value, SOURCE_LABELS[figure.source],
        figure.month_value, figure.forecast,
        figure.target_committed, figure.target_stretch,
        None if figure.completion is None else figure.completion.words, figure.last_year,
        None if figure.versus is None else figure.versus.words,
        figure.official_growth, None if computed is None else computed.words, figure.rank,
        figure.rank_scope or None,
        other_ranks_text(dict(figure.other_ranks)) or None,
        figure.kind.references_text(indicator, dict(figure.refs)) or None,
        "是" if figure.estimate else None, figure.note or None, figure.reason or None,
    ]


def _indicators(ledger: Ledger, periods: list[Period]) -> Table:
    keys = [c.key for c in INDICATORS.columns]
    assert keys[:7] == ["indicator", "section", "unit", "year", "months", "value", "source"]
    table = Table(INDICATORS, row_decimals=[])
    for period in periods:
        for figure in ledger.metrics.figures(period):
            table.rows.append(_indicator_row(figure))
            assert table.row_decimals is not None
            # The decimals the tab shows for this row's numbers (more when one has more).
            kind, indicator = figure.kind, figure.indicator
            table.row_decimals.append(max(kind.excel_decimals(indicator, v) for v in (
                figure.value, figure.target_committed, figure.target_stretch,
                figure.last_year, figure.month_value, figure.forecast)))
    return table


def _plans(ledger: Ledger, year: int) -> Table:
    table = Table(PLANS)
    for plan_year in (year, year + 1):
        for section in ledger.plans.outline(plan_year):
            for item in section["items"] or [{}]:
                names = "、".join(p["name"] for p in item.get("projects", []))
                values = {"year": plan_year, "section": section["heading"],
                          "narrative": section["narrative"], "projects": names, **{
                              key: item.get(key) for key in (
                                  "title", "text", "target_indicator", "target_value", "owner",
                                  "co_offices", "deadline", "done_on", "result_status",
                                  "result_note")}}
                if item:
                    values["status"] = ledger.plans.status(item).text
                    values["evidence"] = evidence_listing(item["evidence"])
                table.rows.append([_cell(c, values.get(c.key)) for c in PLANS.columns])
    return table


# -- writing -------------------------------------------------------------------------------------
def display_width(text: str) -> int:
    """Columns a text takes: a CJK (wide) character counts double."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(value: Any, decimals: int) -> str:
    if isinstance(value, float):
        return format_number(value, decimals)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _widths(table: Table) -> list[int]:
    widths = []
    for index, column in enumerate(table.sheet.columns):
        longest = display_width(table.header(column))
        for number, row in enumerate(table.rows):
            text = _shown(row[index], table.decimals(number, column))
            if 2 * len(text) > longest:  # else it cannot be the widest (2 per character at most)
                longest = max(longest, display_width(text))
            if longest >= MAX_WIDTH:
                break
        limit = NUMBER_MAX_WIDTH if column.kind in ("number", "int") else MAX_WIDTH
        widths.append(min(limit, max(MIN_WIDTH, longest + 2)))
    return widths


def _number_format(decimals: int) -> str:
    return "0" if decimals == 0 else "0." + "0" * decimals


def _write(tables: list[Table], out: Path, *, edition: str = "", title: str = "") -> int:
    """Write the workbook; returns how many texts had to be cut to a cell's limit. `edition`
    (the edition line) heads every printed page, right, and is in the file's title; row 1
    stays the header row, so the sheets re-import as they are."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.creator = APP_TITLE
    if edition:
        workbook.properties.title = f"{title}（{edition}）" if title else edition
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header_border = Border(bottom=Side(style="thin"))
    centred = Alignment(horizontal="center", vertical="center")
    cut = 0
    for table in tables:
        sheet = workbook.create_sheet(table.sheet.title)

        columns = table.sheet.columns
        widths = _widths(table)
        for index, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = width
            dimension.hidden = column.hidden
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        if edition:
            sheet.oddHeader.right.text = edition
            sheet.oddHeader.right.size = 10
        headers = []
        for column in columns:
            head = WriteOnlyCell(sheet, table.header(column))
            head.font, head.fill, head.border, head.alignment = (header_font, header_fill,
                                                                 header_border, centred)
            headers.append(head)
        sheet.append(headers)
        cells = _Cells(sheet)
        for number, row in enumerate(table.rows):
            lines = [_lines(value, width) for value, width in zip(row, widths, strict=True)]
            if max(lines) > 1:  # wrapped text: a row tall enough (viewers do not all resize)
                sheet.row_dimensions[number + 2].height = LINE_HEIGHT * min(max(lines), 15)
            tall = max(lines) > 1
            sheet.append([cells.cell(value, table.decimals(number, c), wrap > 1, tall)
                          for value, c, wrap in zip(row, columns, lines, strict=True)])
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        cut += cells.cut
    _save(workbook, out)
    return cut


def _lines(value: Any, width: int) -> int:
    """Lines a value takes in a column `width` wide (text longer than that wraps)."""
    if not isinstance(value, str) or 2 * len(value) <= width:
        return 1
    return -(-display_width(value) // max(1, width - 1))


class _Cells:
    """Makes the cells of one export; openpyxl's classes and the few styles are made once
    (a year of a busy district is a hundred thousand cells)."""

    def __init__(self, sheet: Any) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment

        self.sheet = sheet
        self.cut = 0
        self.make = WriteOnlyCell
        self.top = {wrap: Alignment(wrap_text=wrap, vertical="top") for wrap in (False, True)}

    def cell(self, value: Any, decimals: int, wrap: bool, tall: bool) -> Any:
        """What to append for one value: plain values as they are, styled cells where needed.

        `wrap`: the text is wider than its column; `tall`: its row holds such a text, so every
        cell of it sits at the top.
        """
        if isinstance(value, str):
            value = scrub(value)
            if len(value) > MAX_CELL_TEXT:
                self.cut += 1
                value = value[:MAX_CELL_TEXT]
        formula_like = isinstance(value, str) and value.startswith(FORMULA_STARTS)
        number_format = ("yyyy-mm-dd" if isinstance(value, date)
                         else _number_format(decimals) if isinstance(value, float) else None)
        if value is None or not (formula_like or tall or number_format):
            return value
        cell = self.make(self.sheet, value)
        if formula_like:  # text, never a formula
            cell.data_type = "s"
            cell.quotePrefix = True
        if number_format:
            cell.number_format = number_format
        if tall:
            cell.alignment = self.top[wrap]
        return cell


def _save(workbook: Any, out: Path) -> None:
    try:
        write_atomically(out, workbook.save)
    except OSError as exc:
        if isinstance(exc, PermissionError) and out.exists():
            raise LedgerError(f"无法覆盖“{out.name}”：它可能正在 Excel/WPS 中打开，请关闭后重试"
                              ) from exc
        raise LedgerError(f"无法写入“{out}”（{reason(exc)}），请换一个位置") from exc
