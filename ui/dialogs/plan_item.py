"""督办 of one plan item: its milestones (节点), progress log (进展) and evidence files.

A thin view: every write is a core.plans / core.evidence call applied through the window's
Operations (audited, undoable); the status shown is core.supervision's. Evidence opens in the
system's viewer from a temporary copy, so the viewer never holds the ledger's file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import clock
from core.changes import Change
from core.evidence import ACCEPTED, size_text
from core.ledger import Ledger
from ui import messages
from ui.i18n import tr
from ui.operations import Operations
from ui.tabs.marks import MARK_COLOURS

FILE_FILTER = "佐证材料 (" + " ".join(f"*{suffix}" for suffix in ACCEPTED) + ")"


def open_with_system(path: Path) -> bool:
    """Hand a file to the system's viewer (WPS, a PDF reader, the photo viewer …)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class PlanItemDialog(QDialog):
    def __init__(self, ledger: Ledger, ops: Operations, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.ops, self.item_id = ledger, ops, item_id
        self.item: dict[str, Any] = {}
        self.opener: Callable[[Path], bool] = open_with_system  # tests replace it
        self.resize(900, 640)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.milestones = self._table(("节点内容", "节点时限", "完成日期", "状态"))
        self.step_what = QLineEdit(self)
        self.step_what.setPlaceholderText(tr("节点内容，如 完成设备招标"))
        self.step_due = QLineEdit(self)
        self.step_due.setPlaceholderText(tr("时限，如 2027年3月底"))
        add_step = self._button("新增节点", self.add_milestone)
        reach_step = self._button("标记节点完成（今天）", self.reach_milestone)
        drop_step = self._button("删除节点", self.delete_milestone)
        step_bar = QHBoxLayout()
        for widget in (self.step_what, self.step_due, add_step, reach_step, drop_step):
            step_bar.addWidget(widget, 2 if widget is self.step_what else 0)

        self.progress = self._table(("日期", "进展情况", "记录人"))
        self.progress_date = QLineEdit(self)
        self.progress_text = QLineEdit(self)
        self.progress_text.setPlaceholderText(tr("做了什么，如 召开项目调度会，解决用地问题"))
        self.finishes = QCheckBox(tr("本事项已完成"), self)
        log = self._button("记录进展", self.log_progress)
        drop_log = self._button("删除进展", self.delete_progress)
        log_bar = QHBoxLayout()
        for widget in (self.progress_date, self.progress_text, self.finishes, log, drop_log):
            log_bar.addWidget(widget, 3 if widget is self.progress_text else 0)

        self.files = self._table(("文件", "大小", "添加人", "添加时间"))
        self.files.doubleClicked.connect(lambda _index: self.open_evidence())
        file_bar = QHBoxLayout()
        for text, slot in (("添加佐证材料…", self.attach), ("打开", self.open_evidence),
                           ("删除材料", self.remove_evidence)):
            file_bar.addWidget(self._button(text, slot))
        file_bar.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        for title, table, bar in ((tr("节点"), self.milestones, step_bar),
                                  (tr("进展"), self.progress, log_bar),
                                  (tr("佐证材料（保存在台账文件中，随备份一起保存）"), self.files,
                                   file_bar)):
            box = QGroupBox(title, self)
            inner = QVBoxLayout(box)
            inner.addWidget(table)
            inner.addLayout(bar)
            layout.addWidget(box, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for widget in (add_step, reach_step, drop_step, log, drop_log):
            widget.setEnabled(not ledger.readonly)
        self.reload()

    def _table(self, headers: tuple[str, ...]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels([tr(h) for h in headers])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        return table

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(tr(text), self)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- showing -------------------------------------------------------------------------------
    def reload(self) -> None:
        self.item = self.ledger.plans.item(self.item_id)
        item, plans = self.item, self.ledger.plans
        status = plans.status(item)
        self.setWindowTitle(f"{tr('督办')}：{item['title']}")
        offices = item["owner"] + (f"（配合：{item['co_offices']}）" if item["co_offices"] else "")
        self.summary.setText(
            f"{item['title']}　牵头：{offices or '未填'}　完成时限：{item['deadline'] or '未填'}"
            f"　完成日期：{item['done_on'] or '—'}　状态：{status.text}")
        self._fill(self.milestones, [
            (m["id"], (m["what"], m["due"], m["done_on"] or "",
                       plans.milestone_status(m).text), plans.milestone_status(m).mark)
            for m in item["milestones"]])
        self._fill(self.progress, [(p["id"], (p["date"], p["text"], p["who"]), None)
                                   for p in reversed(item["progress"])])
        self._fill(self.files, [(e["id"], (e["name"], size_text(e["size"]), e["added_by"],
                                           clock.shown(e["created_at"])), None)
                                for e in item["evidence"]])
        if not self.progress_date.text():
            self.progress_date.setText(clock.today().isoformat())

    def _fill(self, table: QTableWidget, rows: list[tuple[str, tuple[str, ...], str | None]]
              ) -> None:
        table.setRowCount(len(rows))
        for number, (row_id, cells, mark) in enumerate(rows):
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, row_id)
                if mark is not None and column == len(cells) - 1 and mark in MARK_COLOURS:
                    cell.setBackground(MARK_COLOURS[mark])
                table.setItem(number, column, cell)
        table.resizeColumnsToContents()

    def _selected(self, table: QTableWidget, what: str) -> str | None:
        row = table.currentRow()
        cell = table.item(row, 0) if row >= 0 else None
        if cell is None:
            messages.inform(self, f"请先选中一条{what}")
            return None
        return str(cell.data(Qt.ItemDataRole.UserRole))

    def _apply(self, write: Callable[[], Change]) -> Change | None:
        change = messages.attempt(self, lambda: self.ops.apply(write))
        if change is not None:
            self.reload()
        return change

    # -- writing -------------------------------------------------------------------------------
    def add_milestone(self) -> None:
        plans, what, due = self.ledger.plans, self.step_what.text(), self.step_due.text()
        if self._apply(lambda: plans.add_milestone(self.item_id, what, due)) is not None:
            self.step_what.clear()
            self.step_due.clear()

    def reach_milestone(self) -> None:
        step = self._selected(self.milestones, "节点")
        if step is not None:
            table = self.ledger.plans.milestones
            self._apply(lambda: table.set_field(step, "done_on", clock.today().isoformat()))

    def delete_milestone(self) -> None:
        step = self._selected(self.milestones, "节点")
        if step is not None:
            table = self.ledger.plans.milestones
            self._apply(lambda: table.delete(step))

    def log_progress(self) -> None:
        plans = self.ledger.plans
        text, on, done = (self.progress_text.text(), self.progress_date.text(),
                          self.finishes.isChecked())
        if self._apply(lambda: plans.log_progress(self.item_id, text, on,
                                                  finishes_item=done)) is not None:
            self.progress_text.clear()
            self.finishes.setChecked(False)

    def delete_progress(self) -> None:
        entry = self._selected(self.progress, "进展")
        if entry is not None:
            table = self.ledger.plans.progress
            self._apply(lambda: table.delete(entry))

    def attach(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _filter = QFileDialog.getOpenFileNames(self, tr("选择佐证材料"), "",
                                                          FILE_FILTER)
        evidence = self.ledger.evidence
        for path in paths:
            if self._apply(lambda path=path: evidence.attach(self.item_id, path)) is None:  # type: ignore[misc]
                break

    def open_evidence(self) -> None:
        chosen = self._selected(self.files, "佐证材料")
        if chosen is None:
            return
        copy = messages.attempt(self, lambda: self.ledger.evidence.copy_for_viewing(chosen))
        if copy is not None and not self.opener(copy):
            messages.warn(self, f"系统中没有能打开“{copy.name}”的程序；文件副本在 {copy.parent}")

    def remove_evidence(self) -> None:
        chosen = self._selected(self.files, "佐证材料")
        if chosen is not None and messages.confirm(
                self, "确定删除这份佐证材料吗？删除后可用“撤销”恢复。"):
            evidence = self.ledger.evidence
            self._apply(lambda: evidence.remove(chosen))
