"""项目: the project table, filtered by status for the period, with its totals line.

A project's status is never typed: core derives it from the dates for the selected period, so
the table, its totals and the derived 亿元项目 figures of the 指标 tab always agree.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QComboBox, QVBoxLayout, QWidget

from core.errors import LedgerError
from core.ledger import Ledger
from core.numbers import format_number
from core.periods import Period
from core.projects import STATUSES, Projects
from ui import messages
from ui.i18n import tr
from ui.operations import Operations
from ui.tab_base import LedgerTab
from ui.table.model import CellEdit, Column, Row, Write
from ui.table.records import RecordModel
from ui.tabs.common import RegisterCompleteBox, TablePage

STATUS_FILTERS = ("", *STATUSES, "本期相关")
STATUS_COLOURS = {"新开工": "#1f6f43", "在建": "#1f4e8c", "竣工投产": "#6b4c9a", "签约": "#8a5a00",
                  "已签约": "#8a5a00", "已投产": "#5f5f7a", "谋划": "#8a8f98"}
INVEST_FIELD = Projects.INVEST_FIELD  # the investment of one year, core's own rule


class ProjectsModel(RecordModel):
    def __init__(self, parent: Any = None) -> None:
        fields = {f.key: f for f in Projects.FIELDS}
        columns = [
            Column.of(fields["name"]),
            Column("status", tr("状态"), 7, editable=False,
                   tip="状态由日期自动得出：签约、新开工、竣工投产为本期内发生；在建为本期以前开工、"
                       "期末未竣工；已签约、已投产为本期以前发生；其余为谋划。按状态筛选与此一致"),
            Column.of(fields["enterprise"]),
            Column.of(fields["signed_date"]),
            Column.of(fields["start_date"]),
            Column.of(fields["completion_date"]),
            Column.of(fields["total_investment"]),
            Column.of(INVEST_FIELD),
            Column.of(fields["tech_renovation"]),
            Column.of(fields["industry_chain"]),
            Column.of(fields["note"]),
        ]
        super().__init__(columns, parent)
        self.period = Period(2000)
        self.status = ""
        self.search = ""
        self.yi_only = False

    @property
    def table(self) -> Projects:
        assert self.ledger is not None
        return self.ledger.projects

    def set_period(self, period: Period) -> None:
        self.period = period
        number = next(i for i, c in enumerate(self.columns) if c.key == "invest_year")
        self.columns[number] = dataclasses.replace(
            self.columns[number], label=f"{period.year}年完成投资（亿元）")
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, number, number)

    def filters(self) -> dict[str, Any]:
        return {"status": self.status, "text": self.search, "yi_only": self.yi_only}

    def count(self) -> int:
        return self.table.count(self.period, **self.filters())

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return self.table.rows(self.period, limit=limit, offset=offset, **self.filters())

    # -- cells ---------------------------------------------------------------------------------
    def text(self, row: Row, column: Column) -> str:
        if column.key == "status":
            return str(row["status"])
        if column.key == "invest_year":
            return format_number(row.get("invest_year"), INVEST_FIELD.decimals)
        return super().text(row, column)

    def foreground(self, row: Row, column: Column) -> QColor | None:
        if column.key == "status":
            last = str(row["status"]).split("、")[-1]  # 签约、新开工: the latest stage's colour
            return QColor(STATUS_COLOURS.get(last, "#000000"))
        return None

    def check(self, row: Row | None, column: Column, raw: str, reason: str) -> None:
        if column.key == "invest_year":
            INVEST_FIELD.parse(raw)
        else:
            super().check(row, column, raw, reason)

    def update_writes(self, edits: list[CellEdit], reason: str) -> list[Write]:
        writes = self.field_edits(edits)
        invest = [e for e in edits if self.columns[e.column].key == "invest_year"]
        if invest:
            year = self.period.year
            triples = [(self.edited_id(e), year, e.raw) for e in invest]
            table = self.table
            writes.append(Write(lambda: table.set_investments(triples),
                                tuple(e.at for e in invest)))
        return writes

    def raw_record(self, cells: list[CellEdit]) -> dict[str, str]:
        """A new project's cells; an investment typed on the new row is for the period's year
        (core writes both in one transaction: Projects.child_values)."""
        raw = super().raw_record(cells)
        invest = [c.raw for c in cells if self.columns[c.column].key == "invest_year"
                  and c.raw.strip()]
        if invest:
            raw.update({"invest_year": invest[0], "invest_year_of": str(self.period.year)})
        return raw


class ProjectsTab(LedgerTab):
    title = "项目"
    watches = frozenset({"projects", "project_investments", "enterprises", "settings"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProjectsModel(self)
        self.page = TablePage(self.model, self.reload, tr("输入文字筛选：项目、企业、产业链、备注"),
                              self)
        self.status_box = QComboBox(self)
        for status in STATUS_FILTERS:
            self.status_box.addItem(tr(status or "全部"), status)
        self.status_box.currentIndexChanged.connect(self.reload)
        self.yi_box = QCheckBox(tr("仅亿元项目"), self)
        self.yi_box.toggled.connect(self.reload)
        self.page.add_filter("项目状态：", self.status_box)
        self.page.add_filter("", self.yi_box)
        self.complete_box = RegisterCompleteBox(self.model, "projects", self)
        self.page.add_filter("", self.complete_box)
        self.page.add_button("新增项目", self.page.start_new_record)
        self.page.add_button("删除项目", self.delete_selected)
        self.page.add_button("分年投资…", self.edit_investments,
                             tip=tr("逐年查看和填写所选项目的完成投资"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)

    def set_ledger(self, ledger: Ledger | None, ops: Operations) -> None:
        self.model.set_ledger(ledger, ops)
        super().set_ledger(ledger, ops)

    def reload(self) -> None:
        if self.ledger is None or self.period is None:
            return
        model = self.model
        model.set_period(self.period)
        model.status = str(self.status_box.currentData() or "")
        model.yi_only = self.yi_box.isChecked()
        model.search = self.page.search.text()
        totals = self.ledger.projects.totals(self.period, **model.filters())
        model.reload(total=totals["count"])
        self.page.set_writable(model.writable)
        self.complete_box.refresh(self.period.year)
        self.page.totals.setText(
            f"共 {totals['count']} 个项目　总投资 {format_number(totals['total_investment'], 2)}"
            f" 亿元　{self.period.year}年完成投资 {format_number(totals['invest_year'], 2)} 亿元"
            + (f"　（亿元项目：总投资 ≥ {self.ledger.yi_threshold:g} 亿元）"
               if model.yi_only else ""))

    def focus_search(self) -> bool:
        self.page.search.setFocus()
        self.page.search.selectAll()
        return True

    def current_table(self) -> Any:
        return self.page.view

    def delete_selected(self) -> None:
        rows = self.model.record_rows(self.page.selected_rows())
        if not rows:
            self.page.view.say(tr("请先选中要删除的项目"))
            return
        names = "、".join(f"“{r['name']}”" for r in rows[:3]) + (
            f" 等 {len(rows)} 个项目" if len(rows) > 3 else "")
        if messages.confirm(self, f"确定删除项目{names}吗？其分年投资和计划关联一并删除；"
                                  "删除后可用“撤销”恢复。"):
            messages.attempt(self, lambda: self.model.delete(self.page.selected_rows()))

    def edit_investments(self) -> None:
        rows = self.model.record_rows(self.page.selected_rows())
        if not rows or self.ledger is None or self.ops is None or self.period is None:
            self.page.view.say(tr("请先选中一个项目"))
            return
        from ui.dialogs.investments import InvestmentsDialog

        try:
            dialog = InvestmentsDialog(self.ledger, self.ops, rows[0], self.period, self)
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return
        dialog.exec()
