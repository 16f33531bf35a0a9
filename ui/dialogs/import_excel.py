"""文件 → 导入 Excel…: check the columns, see the dry run, then import all of it or nothing.

Per worksheet the clerk sees what the sheet was taken for (企业名录, 项目 …), which column
became which field — both can be corrected — and the dry run row by row: 新增 / 修改 / 无变化 /
未通过 with the reason. 导入 is enabled only when no row is refused; it backs the ledger up,
writes everything in one transaction and lands on the undo stack as one step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEventLoop,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import LedgerError
from core.exchange.excel_import import (
    ImportPlan,
    ImportResult,
    apply_import,
    default_year,
    guess_mappings,
    preview,
)
from core.exchange.importers import ACTION_LABELS, CHANGED, NEW, REJECTED, UNCHANGED, RowResult
from core.exchange.layout import HEADER_SCAN_ROWS, SHEET_BY_KIND, SHEETS, Mapping, map_headers
from core.exchange.reading import ImportCancelled, Progress, RawSheet, RawWorkbook, read_workbook
from core.ledger import Ledger
from ui import messages
from ui.background import running
from ui.dialogs.unknown_names import UnknownNamesBox
from ui.i18n import tr
from ui.operations import Operations

NOT_IMPORTED = ""  # the kind / column choice “不导入”
ACTION_COLOURS = {NEW: "#e3f4e1", CHANGED: "#e1ecfb", REJECTED: "#fbe1e1", UNCHANGED: ""}
FILTERS = (("全部", None), ("未通过", REJECTED), ("新增", NEW), ("修改", CHANGED),
           ("无变化", UNCHANGED))

Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """The dry run of one worksheet: 行 / 结果 / 内容 / 说明 (fast for tens of thousands)."""

    HEADERS = ("行", "结果", "内容", "说明")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: list[RowResult] = []
        self.shown: list[RowResult] = []
        self.action: str | None = None

    def set_results(self, results: list[RowResult]) -> None:
        self.beginResetModel()
        self.results = results
        self.shown = [r for r in results if self.action is None or r.action == self.action]
        self.endResetModel()

    def set_filter(self, action: str | None) -> None:
        self.action = action
        self.set_results(self.results)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        result = self.shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(result.row), tr(ACTION_LABELS[result.action]), result.label,
                    result.detail)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and ACTION_COLOURS[result.action]:
            return QBrush(QColor(ACTION_COLOURS[result.action]))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3 and result.detail:
            return result.detail
        return None


class SheetPage(QWidget):
    """One worksheet: its kind, header row, column mapping, and its dry-run rows."""

    def __init__(self, sheet: RawSheet, mapping: Mapping | None, on_change: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheet = sheet
        self.on_change = on_change
        self.kind = QComboBox(self)
        self.kind.addItem(tr("不导入"), NOT_IMPORTED)
        for layout_sheet in SHEETS:
            self.kind.addItem(tr(layout_sheet.title), layout_sheet.kind)
        self.header_row = QSpinBox(self)
        self.header_row.setRange(1, HEADER_SCAN_ROWS)
        self.columns = QTableWidget(0, 2, self)
        self.columns.setHorizontalHeaderLabels([tr("表中的列"), tr("导入为")])
        self.columns.verticalHeader().hide()
        self.columns.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.filter = QComboBox(self)
        for label, action in FILTERS:
            self.filter.addItem(tr(label), action)
        self.model = PreviewModel(self)
        self.rows = QTableView(self)
        self.rows.setModel(self.model)
        self.rows.verticalHeader().hide()
        self.rows.setWordWrap(False)
        header = self.rows.horizontalHeader()
        header.setStretchLastSection(True)
        self.rows.setColumnWidth(0, 50)
        self.rows.setColumnWidth(1, 60)
        self.rows.setColumnWidth(2, 260)
        self.status = QLabel(self)

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("这张表是："), self))
        top.addWidget(self.kind)
        top.addSpacing(16)
        top.addWidget(QLabel(tr("表头在第"), self))
        top.addWidget(self.header_row)
        top.addWidget(QLabel(tr("行"), self))
        top.addStretch(1)
        top.addWidget(QLabel(tr("显示："), self))
        top.addWidget(self.filter)
        splitter = QSplitter(self)
        splitter.addWidget(self.columns)
        splitter.addWidget(self.rows)
        splitter.setSizes([300, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        self._building = False
        self.set_mapping(mapping)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.header_row.valueChanged.connect(self._kind_changed)
        self.filter.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(self.filter.currentData()))

    # -- the mapping ---------------------------------------------------------------------------
    def headers(self) -> tuple[Any, ...]:
        return self.sheet.row(self.header_row.value())

    def set_mapping(self, mapping: Mapping | None) -> None:
        """Show `mapping` (None: the sheet is not imported) in the kind and column choices."""
        self._building = True
        try:
            kind = mapping.kind if mapping is not None else NOT_IMPORTED
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
            if mapping is not None:
                self.header_row.setValue(mapping.header_row)
            self._fill_columns(mapping)
        finally:
            self._building = False

    def _fill_columns(self, mapping: Mapping | None) -> None:
        headers = self.headers()
        self.columns.setRowCount(len(headers))
        choices = ([(c.key, c.header) for c in SHEET_BY_KIND[mapping.kind].columns
                    if c.importable] if mapping is not None else [])
        for index, header in enumerate(headers):
            item = QTableWidgetItem("" if header is None else str(header))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.columns.setItem(index, 0, item)
            combo = QComboBox(self.columns)
            combo.addItem(tr("（不导入）"), NOT_IMPORTED)
            for key, label in choices:
                combo.addItem(label, key)
            if mapping is not None:
                combo.setCurrentIndex(max(0, combo.findData(mapping.columns.get(index, ""))))
            combo.setEnabled(mapping is not None)
            combo.currentIndexChanged.connect(
                lambda _i, column=index: self._column_changed(column))
            self.columns.setCellWidget(index, 1, combo)

    def column_choice(self, index: int) -> QComboBox:
        widget = self.columns.cellWidget(index, 1)
        assert isinstance(widget, QComboBox)
        return widget

    def mapping(self) -> Mapping | None:
        """The mapping as the clerk has set it."""
        kind = self.kind.currentData()
        if kind == NOT_IMPORTED:
            return None
        headers = list(self.headers())
        recognised = map_headers(kind, headers, self.header_row.value())  # units and years
        mapping = Mapping(kind, self.header_row.value())
        for index in range(len(headers)):
            key = self.column_choice(index).currentData()
            if key:
                mapping.columns[index] = key
                if index in recognised.units:
                    mapping.units[index] = recognised.units[index]
                if index in recognised.years:
                    mapping.years[index] = recognised.years[index]
        return mapping

    def _kind_changed(self) -> None:
        if self._building:
            return
        kind = self.kind.currentData()
        mapping = (map_headers(kind, list(self.headers()), self.header_row.value())
                   if kind != NOT_IMPORTED else None)
        self.set_mapping(mapping)
        self.on_change()

    def _column_changed(self, column: int) -> None:
        if self._building:
            return
        key = self.column_choice(column).currentData()
        if key:  # each field comes from one column: another column choosing it lets go
            self._building = True
            for index in range(self.columns.rowCount()):
                other = self.column_choice(index)
                if index != column and other.currentData() == key:
                    other.setCurrentIndex(0)
            self._building = False
        self.on_change()

    # -- the dry run ---------------------------------------------------------------------------
    def show_plan(self, results: list[RowResult], skipped: str) -> None:
        self.model.set_results(results)
        if skipped:
            self.status.setText(skipped)
        else:
            counts = "，".join(f"{tr(ACTION_LABELS[a])} {sum(r.action == a for r in results)}"
                              for a in (NEW, CHANGED, UNCHANGED, REJECTED))
            self.status.setText(counts)


T = TypeVar("T")
SHOW_AFTER_MS = 400  # work done sooner shows no progress window at all


def run_in_background(parent: QWidget | None, title: str,
                      work: Callable[[Progress], T]) -> T | None:
    """Run `work(progress)` off the window's thread while a progress window with 取消 shows
    what it does; the window stays responsive. Returns its result; None when the clerk
    cancelled or it was refused (a LedgerError, shown in one sentence). `work` must not touch
    the window's ledger connection: it gets one of its own (Ledger.reader)."""
    from PySide6.QtWidgets import QProgressDialog

    state: dict[str, Any] = {"what": title, "done": 0, "total": 0, "cancel": False}
    outcome: dict[str, Any] = {}

    def progress(what: str, done: int, total: int) -> None:  # in the worker
        if state["cancel"]:
            raise ImportCancelled("已取消，台账未作任何修改")
        state.update(what=what, done=done, total=total)

    def target() -> None:
        try:
            outcome["value"] = work(progress)
        except BaseException as exc:  # handed to the window's thread below
            outcome["error"] = exc

    dialog = QProgressDialog(title, tr("取消"), 0, 0, parent)
    dialog.setWindowTitle(tr("导入 Excel"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(lambda: state.update(cancel=True))
    worker = threading.Thread(target=target, name="import-worker", daemon=True)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(50)

    def poll() -> None:
        if dialog.wasCanceled():  # the 取消 button, Esc, closing the progress window
            state["cancel"] = True
        if worker.is_alive():
            total, done = int(state["total"]), int(state["done"])
            dialog.setLabelText(f"{state['what']}……" + (f"（{done:,} / {total:,} 行）"
                                                       if total else ""))
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            return
        timer.stop()
        loop.quit()

    timer.timeout.connect(poll)
    with running(title):  # the main window waits for it before closing
        worker.start()
        timer.start()
        loop.exec()
        worker.join()
    dialog.close()
    dialog.deleteLater()
    error = outcome.get("error")
    if isinstance(error, ImportCancelled):
        return None
    if isinstance(error, LedgerError):
        messages.warn(parent, error.message)
        return None
    if error is not None:
        raise error
    return outcome.get("value")


def read_in_background(parent: QWidget | None, path: Any) -> RawWorkbook | None:
    """文件 → 导入 Excel…: the workbook read off the window's thread (progress, 取消)."""
    return run_in_background(parent, tr("正在读取表格"),
                             lambda progress: read_workbook(path, progress))


class ImportDialog(QDialog):
    def __init__(self, ledger: Ledger, ops: Operations, workbook: RawWorkbook,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.ops, self.workbook = ledger, ops, workbook
        self.plan: ImportPlan | None = None
        self.imported: ImportResult | None = None
        self.setWindowTitle(tr("导入 Excel") + f" — {workbook.path.name}")
        self.year = QSpinBox(self)
        self.year.setRange(1900, 2200)
        self.year.setValue(default_year(ledger))
        self.tabs = QTabWidget(self)
        guessed = guess_mappings(workbook)
        self.pages: dict[str, SheetPage] = {}
        for sheet in workbook.sheets:
            page = SheetPage(sheet, guessed.get(sheet.title), self.schedule_preview, self)
            self.pages[sheet.title] = page
            self.tabs.addTab(page, sheet.title)
        self.unknown = UnknownNamesBox(self.schedule_preview, self)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(tr("导入"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        year_row = QHBoxLayout()
        year_row.addWidget(QLabel(tr("“本年完成投资”等未写年份的列按"), self))
        year_row.addWidget(self.year)
        year_row.addWidget(QLabel(tr("年导入"), self))
        year_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(year_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.unknown)
        layout.addWidget(self.notes)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(1100, 680)

        self._busy = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        self.year.valueChanged.connect(self.schedule_preview)
        self.refresh()

    def schedule_preview(self) -> None:
        """Re-run the dry run once the clerk's changes of the moment are done."""
        self._timer.start(0)

    def _dry_run(self, mappings: dict[str, Mapping | None], year: int,
                 progress: Progress, create: dict[str, str] | None = None) -> ImportPlan:
        """In the worker: the dry run through a read-only connection of its own."""
        reader = Ledger.reader(self.ledger.path)
        try:
            return preview(reader, self.workbook, mappings=mappings, year=year,
                           progress=progress, create=create)
        finally:
            reader.close()

    def refresh(self) -> None:
        if self._busy:  # asked again while a dry run is under way: once it is done
            self.schedule_preview()
            return
        mappings = {title: page.mapping() for title, page in self.pages.items()}
        year = self.year.value()
        create = self.unknown.choices()
        failure: list[LedgerError] = []

        def dry_run(progress: Progress) -> ImportPlan | None:
            try:
                return self._dry_run(mappings, year, progress, create)
            except ImportCancelled:
                raise
            except LedgerError as exc:  # shown in the dialog, not in a message box
                failure.append(exc)
                return None

        self._busy = True
        try:
            plan = run_in_background(self, tr("正在检查表格"), dry_run)
        finally:
            self._busy = False
        if plan is None and not failure:  # cancelled: the dialog shows the previous check
            if self.plan is None:
                self.summary.setText(tr("检查已取消，台账未作修改。"))
                self.import_button.setEnabled(False)
            return
        try:
            if failure:
                raise failure[0]
            assert plan is not None
            self.plan = plan
        except LedgerError as exc:
            self.plan = None
            for page in self.pages.values():
                page.show_plan([], "")
            self.notes.setText("")
            self.summary.setText(exc.message)
            self.import_button.setEnabled(False)
            return
        self.unknown.show_names(self.plan.unknown)
        for sheet in self.plan.sheets:
            self.pages[sheet.title].show_plan(sheet.results, sheet.skipped)
        self.notes.setText("\n".join(f"· {note}" for note in self.plan.notes))
        self.summary.setText(self._summary(self.plan))
        self.import_button.setEnabled(self.plan.can_apply and not self.ledger.readonly)
        rejected = [i for i, page in enumerate(self.pages.values())
                    if any(r.action == REJECTED for r in page.model.results)]
        if rejected and self.tabs.currentIndex() not in rejected:
            self.tabs.setCurrentIndex(rejected[0])  # where the clerk has something to fix

    def _summary(self, plan: ImportPlan) -> str:
        text = f"{tr('检查结果')}：{plan.summary}。"
        if plan.count(REJECTED):
            return text + tr("有未通过的行时不会导入任何内容：请按“说明”修改表格，保存后重新导入。")
        if self.ledger.readonly:
            return text + tr("台账以只读方式打开，不能导入。")
        if not plan.ops:
            return text + tr("没有需要导入的新内容或修改。")
        return text + tr("点“导入”后先自动备份台账，再一次写入全部内容；可以用“撤销”整体撤回。")

    def apply(self) -> None:
        """导入: the writing runs off the window's thread through a connection of its own, with
        progress and 取消 (before the commit: the ledger stays exactly as it was)."""
        plan = self.plan
        if plan is None or not plan.can_apply or self._busy:
            return
        if self.ledger.readonly:  # the companion could write what the window may not
            messages.warn(self, f"台账以只读方式打开（{self.ledger.readonly_reason}），不能导入")
            return
        path = self.ledger.path
        failure: list[LedgerError] = []

        def write(progress: Progress) -> ImportResult | None:
            try:
                companion = Ledger.companion(path)
                try:
                    return apply_import(companion, plan, progress)
                finally:
                    companion.close()
            except ImportCancelled:
                raise
            except LedgerError as exc:  # shown once, below
                failure.append(exc)
                return None

        self._busy = True
        self.import_button.setEnabled(False)
        try:
            result = run_in_background(self, tr("正在导入"), write)
        finally:
            self._busy = False
        if result is None:
            self.ledger.invalidate()  # a failed or cancelled write changed nothing; be sure
            if failure:
                messages.warn(self, failure[0].message)
                self.refresh()
            else:
                self.summary.setText(tr("导入已取消，台账未作任何修改。"))
                self.import_button.setEnabled(self.plan is not None and self.plan.can_apply)
            return
        self.ledger.invalidate()  # written through the companion connection
        self.imported = result
        self.ops.apply(lambda: result.change)
        self.accept()
