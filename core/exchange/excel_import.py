"""Importing a workbook: a dry run that changes nothing, then an all-or-nothing apply.

    workbook = read_workbook(path)                  # refuses unfit files (ImportRefused)
    plan = preview(ledger, workbook)                # new / changed / unchanged / rejected rows
    plan = preview(ledger, workbook, mappings={…})  # after the clerk corrected the columns
    result = apply_import(ledger, plan)             # backup, then one transaction, one Change

Sheets are recognised by their headers (our export's, or a clerk's own: see layout.py); the
clerk may correct that mapping. Applying is refused unless every row passed the dry run, so the
ledger changes only by a whole, valid import; the Change it returns undoes all of it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import clock
from core.changes import Change, Writer
from core.errors import ConflictError, InputError
from core.exchange.catalogue_sheet import CatalogueImporter
from core.exchange.excel_export import MAX_CELL_TEXT
from core.exchange.importers import (
    CHANGED,
    NEW,
    REJECTED,
    UNCHANGED,
    Context,
    EnterpriseImporter,
    HonourImporter,
    IndicatorImporter,
    Op,
    ProjectImporter,
    RowImporter,
    RowResult,
    ServiceImporter,
)
from core.exchange.layout import (
    HEADER_SCAN_ROWS,
    IMPORT_ORDER,
    Mapping,
    guess_header_row,
    guess_mapping,
)
from core.exchange.plan_import import PlanImporter
from core.exchange.reading import (
    MAX_COLUMNS,
    PROGRESS_EVERY,
    ImportRefused,
    Progress,
    RawSheet,
    RawWorkbook,
    column_name,
    no_progress,
    read_workbook,
)
from core.exchange.unknown import UnknownName, unknown_note

if TYPE_CHECKING:
    from core.ledger import Ledger

IMPORTERS: dict[str, type[RowImporter]] = {
    "enterprises": EnterpriseImporter, "honours": HonourImporter, "projects": ProjectImporter,
    "services": ServiceImporter, "indicators": IndicatorImporter, "plans": PlanImporter,
    "catalogue": CatalogueImporter,
}
_TOTAL_WORDS = {"合计", "小计", "总计", "累计", "合计:", "总计:"}
EMPTY_CELLS_NOTE = "空白单元格不会清除台账中已有的内容"


@dataclass
class SheetPlan:
    title: str
    mapping: Mapping | None
    headers: tuple[Any, ...]  # the header row's cells (for the mapping step)
    results: list[RowResult] = field(default_factory=list)
    skipped: str = ""  # why the sheet is not imported ('' if it is)
    ignored_columns: list[str] = field(default_factory=list)
    total_rows: int = 0  # 合计 / 小计 rows left out
    merged: list[str] = field(default_factory=list)  # merged ranges filled down
    cut_cells: int = 0  # texts of exactly a cell's limit (cut by an export): left alone
    wide: bool = False  # columns past MAX_COLUMNS were not read


@dataclass
class ImportPlan:
    path: Path
    ledger_path: Path
    year: int
    sheets: list[SheetPlan]
    formulas: int  # formula cells whose saved values were used
    audit_mark: int  # the ledger's newest audit row when the plan was made
    # indicator names the catalogue lacks, and those the clerk chose to create (core.exchange.
    # unknown): name → what the file said of it / name → kind
    unknown: dict[str, UnknownName] = field(default_factory=dict)
    create: dict[str, str] = field(default_factory=dict)

    def results(self, action: str | None = None) -> list[RowResult]:
        return [r for sheet in self.sheets for r in sheet.results
                if action is None or r.action == action]

    def count(self, action: str) -> int:
        return len(self.results(action))

    @property
    def ops(self) -> list[Op]:
        """The writes, enterprises first (the other sheets may refer to those it adds)."""
        ready = sorted((s for s in self.sheets if s.mapping is not None and not s.skipped),
                       key=lambda s: IMPORT_ORDER.index(_kind(s)))
        return [op for sheet in ready for result in sheet.results for op in result.ops]

    @property
    def can_apply(self) -> bool:
        return self.count(REJECTED) == 0 and bool(self.ops)

    @property
    def summary(self) -> str:
        return (f"新增 {self.count(NEW)} 条，修改 {self.count(CHANGED)} 条，"
                f"无变化 {self.count(UNCHANGED)} 条，未通过 {self.count(REJECTED)} 条")

    @property
    def notes(self) -> list[str]:
        """What the clerk should know about how the file was read."""
        notes = []
        if self.formulas:
            notes.append(f"表中有 {self.formulas} 个公式单元格：按文件中保存的计算结果导入，"
                         "未重新计算")
        for sheet in self.sheets:
            if sheet.skipped:
                notes.append(f"工作表“{sheet.title}”：{sheet.skipped}")
                continue
            if sheet.ignored_columns:
                notes.append(f"工作表“{sheet.title}”中未导入的列："
                             f"{'、'.join(sheet.ignored_columns)}")
            if sheet.total_rows:
                notes.append(f"工作表“{sheet.title}”中的 {sheet.total_rows} 个合计行未导入")
            if sheet.merged:
                shown = "、".join(sheet.merged[:5]) + ("等" if len(sheet.merged) > 5 else "")
                notes.append(f"工作表“{sheet.title}”有 {len(sheet.merged)} 处纵向合并的单元格"
                             f"（{shown}）：合并格的内容已填入它所跨的每一行，请核对")
            if sheet.cut_cells:
                notes.append(f"工作表“{sheet.title}”中 {sheet.cut_cells} 个单元格的文字正好"
                             f" {MAX_CELL_TEXT:,} 字（Excel 单元格上限，导出时截断的长文字），"
                             "未导入：台账中原有的全文不变")
            if sheet.wide:
                notes.append(f"工作表“{sheet.title}”超过 {MAX_COLUMNS} 列：第 {MAX_COLUMNS} 列"
                             f"（{column_name(MAX_COLUMNS)}）之后的内容未读取，也未导入")
        if unknown_note(self.unknown, self.create):
            notes.append(unknown_note(self.unknown, self.create))
        notes.append(EMPTY_CELLS_NOTE)
        return notes


@dataclass(frozen=True)
class ImportResult:
    change: Change
    backup: Path  # the copy taken just before
    new: int
    changed: int


def default_year(ledger: Ledger) -> int:
    latest = ledger.latest_period()
    return latest.year if latest is not None else clock.today().year


def guess_mappings(workbook: RawWorkbook) -> dict[str, Mapping | None]:
    """Each worksheet's recognised kind and columns (None: nothing recognisable)."""
    return {sheet.title: guess_mapping(sheet.first_rows(HEADER_SCAN_ROWS), sheet.title)
            for sheet in workbook.sheets}


def preview_file(ledger: Ledger, path: Path, *, year: int | None = None,
                 progress: Progress = no_progress, create: dict[str, str] | None = None
                 ) -> ImportPlan:
    return preview(ledger, read_workbook(path, progress), year=year, progress=progress,
                   create=create)


def preview(ledger: Ledger, workbook: RawWorkbook, *,
            mappings: dict[str, Mapping | None] | None = None,
            year: int | None = None, progress: Progress = no_progress,
            create: dict[str, str] | None = None) -> ImportPlan:
    """The dry run: what importing `workbook` would do, row by row. Writes nothing.

    `create`: indicator names the catalogue lacks that the clerk chose to create (name →
    kind); any other unknown name is refused and listed in `ImportPlan.unknown`.
    Raises ImportRefused when no worksheet has a recognised (or given) mapping.
    """
    chosen = guess_mappings(workbook)
    chosen.update(mappings or {})
    context = Context(ledger, year or default_year(ledger), create=dict(create or {}))
    importers: dict[str, RowImporter] = {}
    plans = {sheet.title: _sheet_plan(sheet, chosen.get(sheet.title)) for sheet in workbook.sheets}
    if all(plan.mapping is None for plan in plans.values()):
        raise ImportRefused(
            f"“{workbook.path.name}”中没有找到可识别的列（如“企业名称”“项目名称”“日期”“指标”），"
            "未导入；请检查表头是否在前 10 行，或在导入窗口中指定各列对应的内容")
    ready = [sheet for sheet in workbook.sheets if not plans[sheet.title].skipped]
    # Enterprises first: the other sheets of the same file may name the enterprises it adds.
    counter = _Counter(progress, sum(len(sheet.rows) for sheet in ready))
    for sheet in sorted(ready, key=lambda s: IMPORT_ORDER.index(_kind(plans[s.title]))):
        plan = plans[sheet.title]
        kind = _kind(plan)
        if kind not in importers:
            importers[kind] = IMPORTERS[kind](context)
        _read_rows(sheet, plan, importers[kind], counter)
    return ImportPlan(
        path=workbook.path, ledger_path=ledger.path, year=context.year,
        sheets=[plans[sheet.title] for sheet in workbook.sheets], formulas=workbook.formulas,
        audit_mark=_audit_mark(ledger), unknown=context.unknown, create=context.create,
    )


def _kind(plan: SheetPlan) -> str:
    assert plan.mapping is not None
    return plan.mapping.kind


def _sheet_plan(sheet: RawSheet, mapping: Mapping | None) -> SheetPlan:
    if mapping is None:
        headers = sheet.row(guess_header_row(sheet.first_rows(HEADER_SCAN_ROWS)))
        reason = "没有可识别的列，未导入" if sheet.rows else "是空表"
        return SheetPlan(sheet.title, None, headers, skipped=reason)
    headers = sheet.row(mapping.header_row)
    plan = SheetPlan(sheet.title, mapping, headers, merged=list(sheet.merged), wide=sheet.wide)
    layout = mapping.sheet
    if not mapping.complete:
        missing = [layout.column(key).header for key in layout.required
                   if key not in mapping.columns.values()]
        plan.skipped = f"缺少必需的列：{'、'.join(missing)}，未导入"
    for index, value in enumerate(headers):
        key = mapping.columns.get(index)
        if value is not None and (key is None or not layout.column(key).importable):
            plan.ignored_columns.append(str(value).strip())
    return plan


class _Counter:
    """Rows checked so far, told to `progress` every PROGRESS_EVERY rows."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self.progress("正在检查每一行", self.done, self.total)


def _read_rows(sheet: RawSheet, plan: SheetPlan, importer: RowImporter,
               counter: _Counter | None = None) -> None:
    mapping = plan.mapping
    assert mapping is not None
    layout = mapping.sheet
    columns = {index: key for index, key in mapping.columns.items()
               if layout.column(key).importable}
    importer.worksheet = sheet.title
    units = {columns[i]: unit for i, unit in mapping.units.items() if i in columns}
    years = {columns[i]: year for i, year in mapping.years.items() if i in columns}
    for number, cells in sheet.rows:
        if counter is not None:
            counter.step()
        if number <= mapping.header_row:
            continue
        if any(_is_total(value) for value in cells[:3]):  # 合计 stands at the start of its row
            plan.total_rows += 1
            continue
        values = {key: cells[i] for i, key in columns.items()
                  if i < len(cells) and cells[i] is not None}
        for key, value in list(values.items()):
            if isinstance(value, str) and len(value) == MAX_CELL_TEXT:  # cut by an export
                del values[key]
                plan.cut_cells += 1
        if values:
            plan.results.append(importer.read(number, values, units, years))


def _is_total(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    return "".join(unicodedata.normalize("NFKC", value).split()) in _TOTAL_WORDS


def _audit_mark(ledger: Ledger) -> int:
    return int(ledger.scalar("SELECT coalesce(max(id), 0) FROM audit"))


def apply_import(ledger: Ledger, plan: ImportPlan,
                 progress: Progress = no_progress) -> ImportResult:
    """Write a fully valid plan in one transaction, after a backup; refuse anything else.

    `progress` is told how far the writing is (every PROGRESS_EVERY rows) and may raise
    ImportCancelled until the very end: the transaction is then rolled back and the ledger is
    exactly as before (the backup copy taken first stays)."""
    from core.backup import BEFORE_IMPORT, automatic_backup

    ledger.require_writable()
    rejected = plan.count(REJECTED)
    if rejected:
        raise InputError(f"有 {rejected} 行未通过检查，未导入任何内容；请按提示修改表格后重新检查")
    ops = plan.ops
    if not ops:
        raise InputError("表格中没有需要导入的新内容或修改")
    if plan.ledger_path != ledger.path or plan.audit_mark != _audit_mark(ledger):
        raise ConflictError("检查之后台账又有修改，请重新检查后再导入")
    progress("正在备份台账", 0, 0)
    backup = automatic_backup(ledger.conn, ledger.path, BEFORE_IMPORT)
    new, changed = plan.count(NEW), plan.count(CHANGED)
    label = f"从 Excel 导入“{plan.path.name}”（新增 {new} 条，修改 {changed} 条）"
    with ledger.write(label) as writer:
        progress(WRITING, 0, len(ops))
        for start in range(0, len(ops), PROGRESS_EVERY):
            _write_ops(writer, ops[start:start + PROGRESS_EVERY])
            progress(WRITING, min(start + PROGRESS_EVERY, len(ops)), len(ops))
    return ImportResult(writer.change, backup, new, changed)


WRITING = "正在写入台账"


def _write_ops(writer: Writer, ops: list[Op]) -> None:
    """`ops` in order; consecutive inserts into one table go in bulk."""
    inserts: list[Op] = []
    for op in [*ops, None]:
        if op is not None and op.insert and (not inserts or inserts[0].table == op.table):
            inserts.append(op)
            continue
        if inserts:
            writer.insert_many(inserts[0].table,
                               [{"id": o.row_id, **o.values} for o in inserts])
            inserts = []
        if op is None:
            break
        if op.insert:
            inserts.append(op)
        else:
            writer.update(op.table, op.row_id, op.values)
