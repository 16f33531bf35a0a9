"""工作计划: a year's plan — ordered sections with heading and narrative, and their items.

By default the tab shows next year's plan (the year after the period's). For a year that has
begun (year ≤ the period's year) the plan is being checked off, so 完成情况 and 情况说明 come
right after 事项 and are highlighted. Every item shows its 督办 status (core.supervision, as of
today by core.clock) marked red / yellow / green; “督办…” opens its milestones, progress log and
evidence; “只看临期、超期” lists the pressing items of the whole year (where the window's
opening line “临期3项，超期1项” leads).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core import clock
from core.changes import Change
from core.ledger import Ledger
from core.plans import PlanItems
from core.supervision import DUE_SOON, OVERDUE, STATUSES, Status
from ui import messages
from ui.dialogs import project_picker
from ui.dialogs.plan_item import PlanItemDialog
from ui.i18n import tr
from ui.operations import Operations
from ui.tab_base import LedgerTab
from ui.table.model import CellEdit, Column, Row, Write
from ui.table.records import RecordModel
from ui.tabs.common import TablePage
from ui.tabs.marks import MARK_COLOURS

RESULT_KEYS = ("result_status", "result_note")
RESULT_BACKGROUND = QColor("#fff4d6")
NUMERALS = "一二三四五六七八九十"
NARRATIVE_SAVE_MS = 1500  # a pause in typing saves the narrative (nothing lost on power cuts)


def numbered(position: int, heading: str) -> str:
    mark = NUMERALS[position - 1] if 1 <= position <= len(NUMERALS) else str(position)
    return f"（{mark}）{heading}"


class PlanItemsModel(RecordModel):
    placeholder = "（新条目）"

    def __init__(self, parent: Any = None) -> None:
        self.fields = {f.key: f for f in PlanItems.FIELDS}
        super().__init__(self._columns(checking=False), parent)
        self.section_id: str | None = None
        self.items: list[Row] = []
        self.checking = False
        self.statuses: dict[str, Status] = {}  # item id → its status today (set with items)
        self._indicator_names: list[str] = []

    def _columns(self, *, checking: bool) -> list[Column]:
        keys = [f.key for f in PlanItems.FIELDS if f.key not in RESULT_KEYS]
        if checking:
            keys[1:1] = RESULT_KEYS
        columns = [Column.of(self.fields[key]) for key in keys]
        columns.insert(1, Column("status", tr("督办状态"), 12, editable=False,
                                 tip="按完成时限、节点和进展自动判断；双击查看节点、进展和佐证材料"))
        columns.append(Column("projects", tr("关联项目"), 24, editable=False,
                              tip="该条目推进的项目；点“关联项目…”选择"))
        return columns

    def set_checking(self, checking: bool) -> None:
        """Last year's plan puts 完成情况 / 情况说明 first; next year's leaves them out."""
        if checking != self.checking:
            self.beginResetModel()
            self.checking = checking
            self.columns = self._columns(checking=checking)
            self.endResetModel()

    def wants_draft(self) -> bool:
        return super().wants_draft() and self.section_id is not None

    @property
    def table(self) -> PlanItems:
        assert self.ledger is not None
        return self.ledger.plans.items

    def count(self) -> int:
        return len(self.items)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return self.items[offset:offset + limit]

    def reload(self, total: int | None = None) -> None:
        if self.ledger is not None:
            self._indicator_names = [i.name for i in self.ledger.catalogue.all()
                                     if i.is_numeric]
        super().reload(total)

    def completions(self, column: int) -> list[str]:
        if self.columns[column].key == "target_indicator":
            return self._indicator_names
        return super().completions(column)

    def text(self, row: Row, column: Column) -> str:
        if column.key == "status":
            status = self.statuses.get(str(row["id"]))
            return "" if status is None else status.text
        if column.key == "projects":
            return "、".join(p["name"] for p in row.get("projects", []))
        text = super().text(row, column)
        if column.key == "target_value" and text:
            return text + (row.get("target_unit") or "")  # 7.00% (typed without the unit)
        return text

    def edit_text(self, row: Row, column: Column) -> str:
        if column.key == "target_value":
            return super().text(row, column)
        return super().edit_text(row, column)

    def tooltip(self, row: Row, column: Column) -> str:
        if column.key == "status":
            lines = [f"{m['what']}：{m['due']}" + (f"（{m['done_on']}完成）" if m["done_on"]
                                                  else "") for m in row.get("milestones", [])]
            if row.get("progress"):
                last = row["progress"][-1]
                lines.append(f"最近进展（{last['date']}）：{last['text']}")
            return "\n".join(lines) or column.tip
        return super().tooltip(row, column)

    def background(self, row: Row, column: Column) -> QColor | None:
        if column.key == "status":
            status = self.statuses.get(str(row["id"]))
            return None if status is None else MARK_COLOURS.get(status.mark)
        if column.key in RESULT_KEYS:
            return RESULT_BACKGROUND
        return super().background(row, column)

    def add_writes(self, rows: list[list[CellEdit]]) -> list[Write]:
        assert self.ledger is not None and self.section_id is not None
        plans, section = self.ledger.plans, self.section_id
        writes = []
        for cells in rows:
            raw = self.raw_record(cells)
            title = raw.pop("title", "")
            writes.append(Write(
                lambda title=title, raw=raw: plans.add_item(section, title, **raw),  # type: ignore[misc]
                ((cells[0].at[0], None),)))
        return writes


class PlansTab(LedgerTab):
    title = "工作计划"
    watches = frozenset({"plan_sections", "plan_items", "plan_item_projects", "projects",
                         "indicators", "plan_milestones", "plan_progress", "evidence",
                         "settings"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year_box = QSpinBox(self)
        self.year_box.setRange(1900, 2200)
        self.year_box.setSuffix(tr(" 年"))
        self.year_box.valueChanged.connect(self._year_changed)
        self.year_note = QLabel(self)
        self.copy_button = self._button("以上年计划为底稿", self.copy_last_year)
        self.carry_button = self._button("转入上年未完成事项", self.carry_over)
        self.carry_button.setToolTip(tr("把上年计划中到今天仍未完成的事项加入本年计划"))
        self.add_section_button = self._button("新增部分", self.add_section)
        self.delete_section_button = self._button("删除部分", self.delete_section)
        self.section_up = self._button("上移", lambda: self.move_section(-1))
        self.section_down = self._button("下移", lambda: self.move_section(1))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("计划年份："), self))
        bar.addWidget(self.year_box)
        bar.addWidget(self.year_note, 1)
        for button in (self.copy_button, self.carry_button, self.add_section_button,
                       self.delete_section_button, self.section_up, self.section_down):
            bar.addWidget(button)

        self.sections = QListWidget(self)
        self.sections.currentRowChanged.connect(self._section_changed)
        self.heading = QLineEdit(self)
        self.heading.editingFinished.connect(self.save_heading)
        self.narrative = QPlainTextEdit(self)
        self.narrative.setFixedHeight(self.fontMetrics().height() * 5 + 12)
        self.narrative.setPlaceholderText(tr("本部分的总体思路（总结中“二、工作打算”各部分的开头一段）"))
        self.narrative.installEventFilter(self)
        self._narrative_timer = QTimer(self)
        self._narrative_timer.setSingleShot(True)
        self._narrative_timer.setInterval(NARRATIVE_SAVE_MS)
        self._narrative_timer.timeout.connect(self.save_narrative)
        self.narrative.textChanged.connect(self._narrative_typed)
        self._narrative_saved = ""
        self._shown_id: str | None = None  # the section whose heading and narrative are shown

        self.items = PlanItemsModel(self)
        self.page = TablePage(self.items, self.reload, tr("筛选"), self)
        self.page.search.hide()
        self.page.bar.addWidget(QLabel(tr("条目（“一是…二是…”按此顺序）"), self), 1)
        self.page.add_button("新增条目", self.page.start_new_record)
        self.page.add_button("删除条目", self.delete_items)
        self.page.add_button("上移", lambda: self.move_item(-1))
        self.page.add_button("下移", lambda: self.move_item(1))
        self.page.add_button("关联项目…", self.link_projects)
        self.page.add_button("督办…", self.supervise, edits=False)
        self.pressing = QCheckBox(tr("只看临期、超期"), self)
        self.pressing.toggled.connect(lambda _on: self.reload())
        self.page.bar.addWidget(self.pressing)
        self.page.view.doubleClicked.connect(self._double_clicked)

        form = QFormLayout()
        form.addRow(tr("标题"), self.heading)
        form.addRow(tr("总体思路"), self.narrative)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(self.page, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.sections)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1100])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.outline: list[dict[str, Any]] = []
        self._default_for: int | None = None  # the period year the plan year was chosen for

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(tr(text), self)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- loading -------------------------------------------------------------------------------
    def set_ledger(self, ledger: Ledger | None, ops: Operations) -> None:
        self.items.set_ledger(ledger, ops)
        self._default_for = None
        super().set_ledger(ledger, ops)

    @property
    def year(self) -> int:
        return self.year_box.value()

    def reload(self) -> None:
        if self.ledger is None or self.period is None:
            return
        if self._default_for != self.period.year:  # next year's plan, unless chosen otherwise
            self._default_for = self.period.year
            self.year_box.blockSignals(True)
            self.year_box.setValue(self.period.year + 1)
            self.year_box.blockSignals(False)
        checking = self.year <= self.period.year
        self.year_note.setText(tr("（对照检查：请填写完成情况）") if checking
                               else tr("（下年工作打算）"))
        self.outline = self.ledger.plans.outline(self.year)
        plans, today = self.ledger.plans, clock.today()
        self.items.statuses = {str(i["id"]): plans.status(i, today)
                               for s in self.outline for i in s["items"]}
        keep = self.current_section_id()
        self.sections.blockSignals(True)
        self.sections.clear()
        for position, section in enumerate(self.outline, start=1):
            item = QListWidgetItem(numbered(position, section["heading"]), self.sections)
            item.setData(Qt.ItemDataRole.UserRole, section["id"])
            item.setToolTip(section["heading"])
        ids = [s["id"] for s in self.outline]
        self.sections.setCurrentRow(ids.index(keep) if keep in ids else (0 if ids else -1))
        self.sections.blockSignals(False)
        self.items.set_checking(checking)
        self._show_section(switched=self._shown_id != self.current_section_id())
        writable = self.items.writable
        self.copy_button.setEnabled(writable and not self.outline)
        self.carry_button.setEnabled(writable)
        for button in (self.add_section_button, self.delete_section_button, self.section_up,
                       self.section_down):
            button.setEnabled(writable and (button is self.add_section_button
                                            or bool(self.outline)))
        self.heading.setReadOnly(not writable)
        self.narrative.setReadOnly(not writable)

    def current_section(self) -> dict[str, Any] | None:
        row = self.sections.currentRow()
        return self.outline[row] if 0 <= row < len(self.outline) else None

    def current_section_id(self) -> str | None:
        item = self.sections.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _year_changed(self) -> None:
        self.save_narrative()
        self.reload()

    def _section_changed(self, _row: int) -> None:
        self.save_heading()
        self.save_narrative()
        self._show_section(switched=True)

    def _show_section(self, switched: bool = False) -> None:
        section = self.current_section()
        self._shown_id = None if section is None else str(section["id"])
        pressing = self.pressing.isChecked()
        self.sections.setEnabled(not pressing)
        self.items.section_id = None if section is None or pressing else section["id"]
        self.items.items = (self.pressing_items() if pressing
                            else [] if section is None else section["items"])
        if switched:
            self.items.discard_draft()
        self.items.reload()
        self.page.set_writable(self.items.writable and section is not None)
        heading = "" if section is None else section["heading"]
        if switched or not self.heading.hasFocus():
            self.heading.setText(heading)
        narrative = "" if section is None else section["narrative"]
        # Never overwrite what the clerk is typing: only replace an unchanged editor.
        if switched or self.narrative.toPlainText() == self._narrative_saved:
            self.narrative.blockSignals(True)
            self.narrative.setPlainText(narrative)
            self.narrative.blockSignals(False)
            self._narrative_saved = narrative
        counts = {label: 0 for label in STATUSES}
        for status in self.items.statuses.values():
            counts[status.label] += 1
        shown = "，".join(f"{label}{count}项" for label, count in counts.items() if count)
        where = (f"临期、超期 {len(self.items.items)} 条" if pressing
                 else f"本部分 {len(self.items.items)} 条")
        self.page.totals.setText(f"{self.year}年计划：{len(self.outline)} 个部分，{where}"
                                 + (f"（全年：{shown}）" if shown else ""))

    def pressing_items(self) -> list[Row]:
        """The year's items due soon or overdue: the most overdue first."""
        pressing = [i for s in self.outline for i in s["items"]
                    if self.items.statuses[str(i["id"])].label in (DUE_SOON, OVERDUE)]
        return sorted(pressing, key=lambda i: self.items.statuses[str(i["id"])].days_left or 0)

    def show_pressing(self) -> None:
        """Where the window's line “临期3项，超期1项” leads: this year's pressing items."""
        self.year_box.blockSignals(True)
        self.year_box.setValue(clock.today().year)
        self.year_box.blockSignals(False)
        if self.period is not None:
            self._default_for = self.period.year  # keep the year chosen here
        if self.pressing.isChecked():
            self.reload()
        else:
            self.pressing.setChecked(True)

    # -- sections ------------------------------------------------------------------------------
    def _apply(self, write: Any) -> Change | None:
        if self.ops is None:
            return None
        return messages.attempt(self, lambda: self.ops.apply(write))  # type: ignore[union-attr]

    def shown_section(self) -> dict[str, Any] | None:
        """The section the heading and narrative editors hold (before a switch completes)."""
        return next((s for s in self.outline if s["id"] == self._shown_id), None)

    def save_heading(self) -> None:
        section = self.shown_section()
        text = self.heading.text().strip()
        if section is None or self.ledger is None or text == section["heading"] \
                or self.heading.isReadOnly():
            return
        sections = self.ledger.plans.sections
        if self._apply(lambda: sections.set_field(section["id"], "heading", text)) is None:
            self.heading.setText(section["heading"])

    @messages.guarded(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.narrative and event.type() == QEvent.Type.FocusOut:
            self.save_narrative()
        return super().eventFilter(watched, event)

    def _narrative_typed(self) -> None:
        if not self.narrative.isReadOnly():
            self._narrative_timer.start()

    def save_narrative(self) -> None:
        self._narrative_timer.stop()
        section = self.shown_section()
        text = self.narrative.toPlainText().strip()
        if section is None or self.ledger is None or text == section["narrative"].strip() \
                or self.narrative.isReadOnly():
            return
        sections = self.ledger.plans.sections
        if self._apply(lambda: sections.set_field(section["id"], "narrative", text)):
            self._narrative_saved = self.narrative.toPlainText()
            section["narrative"] = text

    def add_section(self) -> None:
        if self.ledger is None:
            return
        plans, year = self.ledger.plans, self.year
        change = self._apply(lambda: plans.add_section(year, tr("新的工作部分")))
        if change is not None:
            self.reload()  # (the window's refresh comes later; select the new section now)
            ids = [s["id"] for s in self.outline]
            new_id = change.inserted_ids("plan_sections")[0]
            self.sections.setCurrentRow(ids.index(new_id))
            self.heading.setFocus()
            self.heading.selectAll()

    def delete_section(self) -> None:
        section = self.current_section()
        if section is None or self.ledger is None:
            return
        count = len(section["items"])
        if messages.confirm(self, f"确定删除“{section['heading']}”及其 {count} 个条目吗？"
                                  "删除后可用“撤销”恢复。"):
            sections = self.ledger.plans.sections
            self._apply(lambda: sections.delete(section["id"]))

    def move_section(self, delta: int) -> None:
        section = self.current_section()
        if section is not None and self.ledger is not None:
            plans = self.ledger.plans
            self._apply(lambda: plans.move("plan_sections", section["id"], delta))

    def copy_last_year(self) -> None:
        if self.ledger is None:
            return
        plans, year = self.ledger.plans, self.year
        self._apply(lambda: plans.copy_year(year - 1, year))

    def carry_over(self) -> None:
        if self.ledger is None:
            return
        plans, year = self.ledger.plans, self.year
        self._apply(lambda: plans.carry_over(year - 1, year))

    # -- items ---------------------------------------------------------------------------------
    def selected_items(self) -> list[Row]:
        return self.items.record_rows(self.page.selected_rows())

    def delete_items(self) -> None:
        rows = self.selected_items()
        if not rows:
            self.page.view.say(tr("请先选中要删除的条目"))
            return
        if messages.confirm(self, f"确定删除条目“{rows[0]['title']}”"
                                  + (f"等 {len(rows)} 条" if len(rows) > 1 else "")
                                  + "吗？删除后可用“撤销”恢复。"):
            messages.attempt(self, lambda: self.items.delete(self.page.selected_rows()))

    def move_item(self, delta: int) -> None:
        rows = self.selected_items()
        if not rows or self.ledger is None:
            return
        plans, item_id = self.ledger.plans, str(rows[0]["id"])
        if self._apply(lambda: plans.move("plan_items", item_id, delta)) is not None:
            self._follow(item_id)

    def _follow(self, item_id: str) -> None:
        """Keep the moved item selected once the table has reloaded."""
        def select() -> None:
            row = self.items.row_of(item_id)
            if row is not None:
                self.page.view.setCurrentIndex(self.items.index(row, 0))
        QTimer.singleShot(0, select)

    def _double_clicked(self, index: Any) -> None:
        key = self.items.columns[index.column()].key
        if key == "projects":
            self.link_projects()
        elif key == "status":
            self.supervise()

    def supervise(self) -> PlanItemDialog | None:
        """督办…: the selected item's milestones, progress log and evidence."""
        rows = self.selected_items()
        if not rows or self.ledger is None or self.ops is None:
            self.page.view.say(tr("请先选中一个条目"))
            return None
        dialog = PlanItemDialog(self.ledger, self.ops, str(rows[0]["id"]), self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def link_projects(self) -> None:
        rows = self.selected_items()
        if not rows or self.ledger is None:
            self.page.view.say(tr("请先选中一个条目"))
            return
        item = rows[0]
        chosen = project_picker.pick_projects(self, self.ledger.projects.names(),
                                              [p["id"] for p in item["projects"]], item["title"])
        if chosen is not None:
            plans = self.ledger.plans
            self._apply(lambda: plans.set_projects(str(item["id"]), chosen))

    # -- the window's hooks --------------------------------------------------------------------
    def current_table(self) -> Any:
        return self.page.view

    @messages.guarded()
    def hideEvent(self, event: Any) -> None:  # noqa: N802 - leaving the tab saves the narrative
        self.save_narrative()
        super().hideEvent(event)

