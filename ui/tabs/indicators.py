"""指标: the period's indicators by section, with a detail panel for the selected one."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.catalogue import Indicator
from core.default_catalogue import KINDS
from core.ledger import Ledger
from core.metrics import SOURCE_LABELS, Figure
from ui import messages
from ui.i18n import tr
from ui.operations import Operations
from ui.tab_base import LedgerTab
from ui.tabs.common import TablePage
from ui.tabs.indicator_model import COLUMNS, IndicatorsModel, change_text

SHOW_CHOICES = (("", "全部指标"), ("missing", "尚未填写"), ("overridden", "手工修正"),
                ("follow_up", "需跟进"))


class IndicatorsTab(LedgerTab):
    title = "指标"  # every table can feed a derived figure: reload on any change

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = IndicatorsModel(self)
        self.page = TablePage(self.model, self.reload, tr("输入文字筛选指标"), self)
        view = self.page.view
        view.verticalHeader().setVisible(False)
        self.only_box = QComboBox(self)
        for key, text in SHOW_CHOICES:
            self.only_box.addItem(tr(text), key)
        self.only_box.currentIndexChanged.connect(self.reload)
        self.page.add_filter("显示：", self.only_box)
        self.restore_button = self.page.add_button("恢复自动计算值", self.restore_derived,
                                                   tip=tr("删除手工修正值，改用由台账记录计算的值"))
        self.page.add_button("指标目录…", self.edit_catalogue, edits=False,
                             tip=tr("新增、改名、停用指标，设置单位、小数位和范围"))
        restore = QAction(tr("恢复自动计算值"), view)
        restore.triggered.connect(self.restore_derived)
        view.addAction(restore)
        self.model.modelReset.connect(self._span_sections)
        view.selectionModel().currentChanged.connect(self._show_detail)
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        self.detail.setMinimumWidth(180)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.page)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([1130, 210])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def set_ledger(self, ledger: Ledger | None, ops: Operations) -> None:
        self.model.set_ledger(ledger, ops)
        super().set_ledger(ledger, ops)

    def reload(self) -> None:
        if self.ledger is None or self.period is None:
            return
        self.model.period = self.period
        self.model.search = self.page.search.text()
        self.model.only = str(self.only_box.currentData() or "")
        self.model.reload()
        self.page.set_writable(self.model.writable)
        self._show_detail(self.page.view.currentIndex())
        figures = [f for r in self.model.rows if (f := self.model.figure_of(r)) is not None]
        missing = sum(1 for f in figures if f.missing)
        self.page.totals.setText(
            f"{self.period.label}：共 {len(figures)} 项指标，尚未填写 {missing} 项"
            f"，自动计算 {sum(1 for f in figures if f.source == 'derived')} 项"
            f"，手工修正 {sum(1 for f in figures if f.overridden)} 项")

    def _span_sections(self) -> None:
        view = self.page.view
        view.clearSpans()
        for row in self.model.section_rows():
            view.setSpan(row, 0, 1, self.model.columnCount())

    def show_missing(self, labels: list[str]) -> None:
        """Show what the summary still lacks, the first of `labels` selected, ready to type."""
        view = self.page.view
        first = labels[0] if labels else ""
        wanted = "rank" if first.endswith("排名）") else "value"
        column = next(n for n, (c, _f) in enumerate(COLUMNS) if c.key == wanted)
        # Only what is missing, if the first one is among it (the template may want more).
        for only in ("missing", ""):
            self.only_box.setCurrentIndex(max(0, self.only_box.findData(only)))
            self.reload()
            for row_number, row in enumerate(self.model.rows):
                figure = self.model.figure_of(row)
                if figure is not None and first.startswith(figure.indicator.name):
                    view.setCurrentIndex(self.model.index(row_number, column))
                    view.scrollTo(view.currentIndex())
                    view.setFocus()
                    return
        view.setFocus()

    def focus_search(self) -> bool:
        self.page.search.setFocus()
        self.page.search.selectAll()
        return True

    def current_table(self) -> Any:
        return self.page.view

    def current_figure(self) -> Figure | None:
        index = self.page.view.currentIndex()
        return self.model.figure_of(self.model.record(index.row())) if index.isValid() else None

    # -- actions -------------------------------------------------------------------------------
    def restore_derived(self) -> None:
        figure = self.current_figure()
        if figure is None or not figure.overridden or self.ops is None or self.ledger is None:
            self.page.view.say(tr("所选指标没有手工修正值"))
            return
        ledger, period = self.ledger, figure.period
        messages.attempt(self, lambda: self.ops.apply(  # type: ignore[union-attr]
            lambda: ledger.metrics.clear_override(figure.indicator, period)))

    def edit_catalogue(self) -> None:
        if self.ledger is None or self.ops is None:
            return
        from ui.dialogs.catalogue import CatalogueDialog

        figure = self.current_figure()
        CatalogueDialog(self.ledger, self.ops, figure.indicator.id if figure else None,
                        self).exec()

    # -- the detail panel ----------------------------------------------------------------------
    def _show_detail(self, index: QModelIndex) -> None:
        figure = self.model.figure_of(self.model.record(index.row())) if index.isValid() else None
        self.restore_button.setEnabled(bool(figure and figure.overridden and self.model.writable))
        hint = tr("选中一项指标，这里显示它的说明、来源和近三年数值。")
        self.detail.setHtml(detail_html(figure) if figure else
                            f"<p style='color:#666'>{hint}</p>")


def detail_html(figure: Figure) -> str:
    """The detail panel: what the indicator is, where its value comes from, the last years."""
    indicator: Indicator = figure.indicator
    esc = html.escape
    unit = indicator.unit
    parts = [f"<h3 style='margin:0'>{esc(indicator.name)}</h3>",
             f"<p style='color:#555'>{esc(indicator.section)} · {KINDS[indicator.kind]}"
             + (f" · 单位：{esc(unit)}" if unit else "") + "</p>"]
    if indicator.description:
        parts.append(f"<p>{esc(indicator.description)}</p>")
    parts.append(f"<p><b>来源：</b>{SOURCE_LABELS[figure.source]}</p>")
    if figure.derived is not None and figure.derived.basis:
        parts.append(f"<p><b>计算方式：</b>{esc(figure.derived.basis)}</p>")
    if figure.overridden and figure.derived_value is not None:
        parts.append(f"<p style='color:#1a56db'>手工修正为 {indicator.format(figure.entered)}"
                     f"{esc(unit)}，自动计算值为 {indicator.format(figure.derived_value)}"
                     f"{esc(unit)}。</p>")
    if indicator.kind == "list":
        items = "".join(f"<li>{esc(item)}</li>" for item in figure.items)
        parts.append(f"<p><b>{tr('名单')}：</b></p><ul>{items or '<li>（本期没有）</li>'}</ul>")
    elif indicator.is_numeric:
        rows = "".join(
            f"<tr><td>{year}年{figure.period.months_label}</td>"
            f"<td align='right'>{indicator.format(value) if value is not None else '—'}</td></tr>"
            for year, value in (*figure.history, (figure.period.year, figure.value)))
        parts.append(f"<p><b>{tr('近三年')}同期：</b></p>"
                     f"<table cellpadding='3'>{rows}</table>")
        change = change_text(figure)
        if change:
            parts.append(f"<p>同比{change}</p>")
    if figure.reason:
        parts.append(f"<p><b>超范围原因：</b>{esc(figure.reason)}</p>")
    if figure.note:
        parts.append(f"<p><b>备注：</b>{esc(figure.note)}</p>")
    return "".join(parts)

