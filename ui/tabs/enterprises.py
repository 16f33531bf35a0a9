"""企业名录: the enterprise register with its flags, and the honours of the selected enterprise.

Flag columns hold the years a flag applies: 2019 (since 2019) or 2019-2023 (no longer since
2024). The credit code is checked by core as it is typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSplitter, QVBoxLayout, QWidget

from core.derived import ENTERPRISE_FLAGS
from core.enterprises import Enterprises, Honours
from core.periods import Period
from ui import messages
from ui.i18n import tr
from ui.table.model import CellEdit, Column, Row, Write
from ui.table.records import RecordModel
from ui.tabs.common import RegisterCompleteBox, TablePage

FLAG_TIP = "填认定年份，如 2021；已不再具备的写 2019-2023；留空表示没有"


class EnterprisesModel(RecordModel):
    placeholder = "（新企业）"

    def __init__(self, parent: Any = None) -> None:
        columns = []
        for field in Enterprises.FIELDS:
            column = Column.of(field)
            if field.kind == "flag":
                column = Column(field.key, tr(field.label), max(field.width, 6), True, "flag",
                                tip=f"{tr(field.label)}：{tr(FLAG_TIP)}")
            columns.append(column)
        columns.append(Column("honour_count", tr("荣誉"), 5, editable=False, numeric=True,
                              tip="该企业的荣誉条数；选中企业后在右侧查看和填写"))
        super().__init__(columns, parent)
        self.search = ""
        self.flag = ""
        self.year: int | None = None

    @property
    def table(self) -> Enterprises:
        assert self.ledger is not None
        return self.ledger.enterprises

    def filters(self) -> dict[str, Any]:
        return {"text": self.search, "flag": self.flag, "year": self.year if self.flag else None}

    def count(self) -> int:
        return self.table.count(**self.filters())

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return self.table.rows(limit=limit, offset=offset, **self.filters())

    def text(self, row: Row, column: Column) -> str:
        if column.key == "honour_count":
            return str(row["honour_count"]) if row.get("honour_count") else ""
        return super().text(row, column)


class HonoursModel(RecordModel):
    placeholder = "（新荣誉）"

    def __init__(self, parent: Any = None) -> None:
        super().__init__([Column.of(f) for f in Honours.FIELDS if f.key != "enterprise"], parent)
        self.enterprise_id: str | None = None

    def wants_draft(self) -> bool:
        return super().wants_draft() and self.enterprise_id is not None

    @property
    def table(self) -> Honours:
        assert self.ledger is not None
        return self.ledger.enterprises.honours

    def _rows(self) -> list[Row]:
        if self.enterprise_id is None:
            return []
        return self.table.rows(enterprise_id=self.enterprise_id)

    def count(self) -> int:
        return len(self._rows())

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return self._rows()[offset:offset + limit]

    def add_writes(self, rows: list[list[CellEdit]]) -> list[Write]:
        table, owner = self.table, self.enterprise_id
        writes = []
        for cells in rows:
            raw = self.raw_record(cells)
            writes.append(Write(lambda raw=raw: table.add_for(owner, **raw),  # type: ignore[misc]
                                ((cells[0].at[0], None),)))
        return writes


class EnterprisesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EnterprisesModel(self)
        self.page = TablePage(self.model, self.reload,
                              tr("输入文字筛选：企业名称、信用代码、行业、备注"), self)
        self.flag_box = QComboBox(self)
        self.flag_box.addItem(tr("全部企业"), "")
        for flag, label in ENTERPRISE_FLAGS.items():
            self.flag_box.addItem(tr(label), flag)
        self.flag_box.currentIndexChanged.connect(self.reload)
        self.page.add_filter("标记：", self.flag_box)
        self.complete_box = RegisterCompleteBox(self.model, "enterprises", self)
        self.page.add_filter("", self.complete_box)
        self.page.add_button("新增企业", self.page.start_new_record)
        self.page.add_button("删除企业", self.delete_selected)

        self.honours = HonoursModel(self)
        self.honours_page = TablePage(self.honours, self.reload_honours, tr("筛选荣誉"), self)
        self.honours_page.search.hide()
        self.honours_title = QLabel(self)
        self.honours_title.setWordWrap(True)
        self.honours_page.bar.addWidget(self.honours_title, 1)
        self.honours_page.add_button("删除荣誉", self.delete_honours)
        self.page.view.selectionModel().currentRowChanged.connect(self._select_enterprise)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.page)
        splitter.addWidget(self.honours_page)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([800, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.period: Period | None = None

    def reload(self) -> None:
        model = self.model
        if model.ledger is None:
            return
        model.search = self.page.search.text()
        model.flag = str(self.flag_box.currentData() or "")
        model.year = self.period.year if self.period else None
        model.reload()
        self.page.set_writable(model.writable)
        scope = ""
        if model.flag and self.period is not None:
            scope = f"（{self.period.year}年有效的“{ENTERPRISE_FLAGS[model.flag]}”）"
        self.page.totals.setText(f"共 {model.total} 家企业{scope}")
        if self.period is not None:
            self.complete_box.refresh(self.period.year)
        self._select_enterprise(self.page.view.currentIndex())

    def _select_enterprise(self, index: QModelIndex, _previous: Any = None) -> None:
        row = self.model.record(index.row()) if index.isValid() else None
        enterprise_id = None if row is None else str(row["id"])
        if enterprise_id != self.honours.enterprise_id or row is None:
            self.honours.discard_draft()
        self.honours.enterprise_id = enterprise_id
        self.honours_title.setText(f"<b>{row['name']}</b> 的荣誉" if row else
                                   tr("选中一家企业，在此查看和填写它的荣誉"))
        self.reload_honours()

    def reload_honours(self) -> None:
        if self.honours.ledger is None:
            return
        self.honours.reload()
        self.honours_page.set_writable(self.honours.writable and bool(self.honours.enterprise_id))
        self.honours_page.totals.setText(f"共 {self.honours.total} 项荣誉"
                                         if self.honours.enterprise_id else "")

    def delete_selected(self) -> None:
        rows = self.model.record_rows(self.page.selected_rows())
        if not rows:
            self.page.view.say(tr("请先选中要删除的企业"))
            return
        names = "、".join(f"“{r['name']}”" for r in rows[:3]) + (
            f" 等 {len(rows)} 家企业" if len(rows) > 3 else "")
        if messages.confirm(self, f"确定从企业名录中删除{names}吗？其荣誉一并删除；"
                                  "删除后可用“撤销”恢复。"):
            messages.attempt(self, lambda: self.model.delete(self.page.selected_rows()))

    def delete_honours(self) -> None:
        rows = self.honours.record_rows(self.honours_page.selected_rows())
        if not rows:
            self.honours_page.view.say(tr("请先选中要删除的荣誉"))
            return
        if messages.confirm(self, f"确定删除荣誉“{rows[0]['name']}”"
                                  + (f"等 {len(rows)} 项" if len(rows) > 1 else "")
                                  + "吗？删除后可用“撤销”恢复。"):
            messages.attempt(self, lambda: self.honours.delete(self.honours_page.selected_rows()))
