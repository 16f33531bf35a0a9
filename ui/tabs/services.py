"""企业服务: the service log (entered row after row from the keyboard) and the enterprise register.

The log may hold tens of thousands of records: the model fetches them a batch at a time. New
records are typed into the draft row on top; Enter saves one and leaves the cursor there, with
the date kept, ready for the next.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import LedgerError
from core.ledger import Ledger
from core.numbers import format_number
from core.services import KINDS, Services
from ui import messages
from ui.i18n import tr
from ui.operations import Operations
from ui.tab_base import LedgerTab
from ui.table.model import Column, Row
from ui.table.records import RecordModel
from ui.tabs.common import RegisterCompleteBox, TablePage
from ui.tabs.enterprises import EnterprisesPage

RANGES = (("period", "本期"), ("year", "本年"), ("all", "全部日期"), ("custom", "自定义"))


class ServicesModel(RecordModel):
    carry_over = ("date",)
    draft_hint = "新记录：依次填写日期、企业、类型……（Tab 到下一格），按回车保存；日期保留给下一条"

    def __init__(self, parent: Any = None) -> None:
        super().__init__([Column.of(f) for f in Services.FIELDS], parent)
        self.filters: dict[str, Any] = {}

    @property
    def table(self) -> Services:
        assert self.ledger is not None
        return self.ledger.services

    def count(self) -> int:
        return self.table.count(**self.filters)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return self.table.rows(limit=limit, offset=offset, **self.filters)


class ServiceLogPage(QWidget):
    def __init__(self, owner: ServicesTab) -> None:
        super().__init__(owner)
        self.owner = owner
        self.model = ServicesModel(self)
        self.page = TablePage(self.model, self.reload, tr("输入文字筛选：事项、企业"), self)
        self.range_box = QComboBox(self)
        for key, text in RANGES:
            self.range_box.addItem(tr(text), key)
        self.start = QDateEdit(self)
        self.end = QDateEdit(self)
        for box in (self.start, self.end):
            box.setCalendarPopup(True)
            box.setDisplayFormat("yyyy-MM-dd")
            box.setVisible(False)
            box.dateChanged.connect(self.reload)
        self.range_box.currentIndexChanged.connect(self._range_changed)
        self.kind_box = QComboBox(self)
        self.kind_box.addItem(tr("全部类型"), "")
        for kind in KINDS:
            self.kind_box.addItem(tr(kind), kind)
        self.kind_box.currentIndexChanged.connect(self.reload)
        self.enterprise = QLineEdit(self)
        self.enterprise.setPlaceholderText(tr("全部企业"))
        self.enterprise.setClearButtonEnabled(True)
        self.enterprise.editingFinished.connect(self.reload)
        self.enterprise.textChanged.connect(lambda text: None if text else self.reload())
        self.page.add_filter("日期：", self.range_box)
        self.page.add_filter("", self.start)
        self.page.add_filter("", self.end)
        self.page.add_filter("类型：", self.kind_box)
        self.page.add_filter("企业：", self.enterprise)
        self.complete_box = RegisterCompleteBox(self.model, "services", self)
        self.page.add_filter("", self.complete_box)
        self.page.add_button("新增", self.page.start_new_record,
                             tip=tr("在最上面的新记录行中逐格录入，回车保存"))
        self.page.add_button("删除记录", self.delete_selected)
        self._names: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page)

    def _range_changed(self) -> None:
        custom = self.range_box.currentData() == "custom"
        period = self.owner.period
        if custom and period is not None:
            for box, text in ((self.start, period.start), (self.end, period.end)):
                box.blockSignals(True)
                box.setDate(QDate.fromString(text, "yyyy-MM-dd"))
                box.blockSignals(False)
        self.start.setVisible(custom)
        self.end.setVisible(custom)
        self.reload()

    def filters(self) -> dict[str, Any]:
        """The filter as core's Services.rows takes it (raises LedgerError for an unknown firm)."""
        period = self.owner.period
        assert period is not None and self.model.ledger is not None
        span = self.range_box.currentData()
        start = end = None
        if span == "period":
            start, end = period.start, period.end
        elif span == "year":
            start, end = f"{period.year}-01-01", f"{period.year}-12-31"
        elif span == "custom":
            start = self.start.date().toString("yyyy-MM-dd")
            end = self.end.date().toString("yyyy-MM-dd")
        name = self.enterprise.text().strip()
        enterprise_id = self.model.ledger.enterprises.id_for_name(name) if name else None
        return {"start": start, "end": end, "kind": str(self.kind_box.currentData() or ""),
                "enterprise_id": enterprise_id, "text": self.page.search.text()}

    def reload(self) -> None:
        ledger = self.model.ledger
        if ledger is None or self.owner.period is None:
            return
        try:
            self.model.filters = self.filters()
        except LedgerError as exc:
            self.page.totals.setText(exc.message)
            return
        totals = ledger.services.totals(**self.model.filters)
        self.model.reload(total=totals["count"])
        self.complete_box.refresh(self.owner.period.year)
        self.page.set_writable(self.model.writable)
        self.page.totals.setText(
            f"共 {totals['count']} 条记录　服务 {totals['person_times']} 人次"
            f"　问题 {totals['problems']} 条"
            f"　金额合计 {format_number(totals['money_wan'], 2)} 万元")

    def update_completion(self) -> None:
        """The enterprise filter completes from the register (rebuilt when the names change)."""
        names = self.model.completions(1)
        if names == self._names:
            return
        self._names = names
        completer = QCompleter(names, self.enterprise)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.enterprise.setCompleter(completer)

    def delete_selected(self) -> None:
        rows = self.model.record_rows(self.page.selected_rows())
        if not rows:
            self.page.view.say(tr("请先选中要删除的服务记录"))
            return
        what = (f"{rows[0]['date']} {rows[0]['kind']}" if len(rows) == 1
                else f"所选 {len(rows)} 条")
        if messages.confirm(self, f"确定删除服务记录“{what}”吗？删除后可用“撤销”恢复。"):
            messages.attempt(self, lambda: self.model.delete(self.page.selected_rows()))


class ServicesTab(LedgerTab):
    title = "企业服务"
    watches = frozenset({"services", "enterprises", "honours", "settings"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log = ServiceLogPage(self)
        self.register = EnterprisesPage(self)
        self.pages = QTabWidget(self)
        self.pages.addTab(self.log, tr("服务记录"))
        self.pages.addTab(self.register, tr("企业名录"))
        self.pages.currentChanged.connect(lambda _index: self.reload())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def set_ledger(self, ledger: Ledger | None, ops: Operations) -> None:
        for model in (self.log.model, self.register.model, self.register.honours):
            model.set_ledger(ledger, ops)
        super().set_ledger(ledger, ops)

    def reload(self) -> None:
        if self.ledger is None or self.period is None:
            return
        self.register.period = self.period
        if self.pages.currentWidget() is self.log:
            self.log.reload()
            self.log.update_completion()
        else:
            self.register.reload()

    def current_page(self) -> TablePage:
        return self.log.page if self.pages.currentWidget() is self.log else self.register.page

    def focus_search(self) -> bool:
        search = self.current_page().search
        search.setFocus()
        search.selectAll()
        return True

    def current_table(self) -> Any:
        view = self.current_page().view
        honours = self.register.honours_page.view
        return honours if honours.hasFocus() else view
