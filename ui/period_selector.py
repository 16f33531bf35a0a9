"""The shared period selector: a year and cumulative months 1–N (1-11月 … 全年)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from core.periods import Period
from ui.i18n import tr


class PeriodSelector(QWidget):
    changed = Signal(object)  # Period

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = QSpinBox(self)
        self.year.setRange(1900, 2200)
        self.year.setSuffix(tr(" 年"))
        self.year.setToolTip(tr("统计年份"))
        self.months = QComboBox(self)
        for months in range(1, 13):
            self.months.addItem(tr(Period(2000, months).months_label), months)
        self.months.setToolTip(tr("累计月份：1-N月，或全年"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel(tr("统计期："), self))
        layout.addWidget(self.year)
        layout.addWidget(self.months)
        self.year.valueChanged.connect(self._emit)
        self.months.currentIndexChanged.connect(self._emit)

    def period(self) -> Period:
        return Period(self.year.value(), int(self.months.currentData()))

    def set_period(self, period: Period) -> None:
        for widget in (self.year, self.months):
            widget.blockSignals(True)
        self.year.setValue(period.year)
        self.months.setCurrentIndex(period.months - 1)
        for widget in (self.year, self.months):
            widget.blockSignals(False)

    def _emit(self) -> None:
        self.changed.emit(self.period())
