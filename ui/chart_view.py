"""The charts of the summary on screen: choose one, look at it, save it as a picture.

The drawing is core's (core.charts.draw into the canvas's Figure), so what the clerk sees is
what the report prints. matplotlib is imported when a chart is first shown, not when the
window starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.charts import CHARTS, FIGSIZE, chart_data, draw, prepare, save_png
from core.errors import LedgerError
from core.ledger import Ledger
from core.periods import Period
from ui.messages import guarded

if TYPE_CHECKING:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg


class ChartView(QWidget):
    chart_changed = Signal(str)  # the key of the chart now shown
    saved = Signal(str)  # the path of a picture just saved

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger: Ledger | None = None
        self.period: Period | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self._stale = True

        self.chooser = QComboBox()
        for key, title in CHARTS.items():
            self.chooser.addItem(title, key)
        self.chooser.setToolTip("选择要查看的图表")
        self.save_button = QPushButton("保存为图片…")
        self.save_button.setToolTip("将当前图表保存为 PNG 图片（200 dpi，可直接插入文档或打印）")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()

        bar = QHBoxLayout()
        bar.addWidget(QLabel("图表："))
        bar.addWidget(self.chooser)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        self.body = QVBoxLayout(self)
        self.body.addLayout(bar)
        self.body.addWidget(self.status)

        self.chooser.currentIndexChanged.connect(self._chart_chosen)
        self.save_button.clicked.connect(self.save_image)
        self._update_buttons()

    # -- what to show --------------------------------------------------------------------------
    def set_ledger(self, ledger: Ledger | None) -> None:
        self.ledger = ledger
        self._mark_stale()

    def set_period(self, period: Period | None) -> None:
        if period != self.period:
            self.period = period
            self._mark_stale()

    def current_key(self) -> str:
        return str(self.chooser.currentData())

    def set_chart(self, key: str) -> None:
        index = self.chooser.findData(key)
        if index < 0:
            raise KeyError(key)
        self.chooser.setCurrentIndex(index)

    def reload(self) -> None:
        """Draw the chosen chart for the ledger and period now (the ledger may have changed)."""
        self._stale = False
        self._update_buttons()
        if self.ledger is None or self.period is None:
            self._say("请先打开台账并选择报告期。")
            return
        canvas = self._canvas()
        try:
            data = chart_data(self.ledger, self.period, self.current_key())
        except LedgerError as exc:
            self._say(exc.message)
            return
        self._say("")
        draw(data, canvas.figure)
        canvas.draw_idle()

    # -- saving --------------------------------------------------------------------------------
    def save_image(self) -> None:
        """Ask where, then write the chart as a 200 dpi PNG (never a half-written file)."""
        if self.ledger is None or self.period is None:
            return
        key = self.current_key()
        suggested = self.ledger.path.parent / f"{CHARTS[key]}（{self.period.label}）.png"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "保存图表为图片", str(suggested), "PNG 图片 (*.png)")
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        try:
            save_png(self.ledger, self.period, key, path)
        except LedgerError as exc:
            QMessageBox.warning(self, "未能保存图片", exc.message)
            return
        self._say(f"已保存：{path}")
        self.saved.emit(str(path))

    # -- internals -----------------------------------------------------------------------------
    def _canvas(self) -> FigureCanvasQTAgg:
        """The matplotlib canvas, made on first use so that matplotlib loads only then."""
        if self.canvas is None:
            prepare()  # fonts first: the canvas's figure must find the Chinese faces
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.canvas = FigureCanvasQTAgg(Figure(figsize=FIGSIZE, layout="constrained"))
            self.canvas.setMinimumSize(480, 300)
            self.body.insertWidget(1, self.canvas, 1)
        return self.canvas

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _chart_chosen(self) -> None:
        self.chart_changed.emit(self.current_key())
        self._mark_stale()

    def _mark_stale(self) -> None:
        self._stale = True
        self._update_buttons()
        if self.isVisible():
            self.reload()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.ledger is not None and self.period is not None)

    @guarded()
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.reload()
