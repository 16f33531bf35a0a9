"""The summary preview's charts: drawn off the window's thread, and only if the clerk stays.

The preview asks `PreviewCharts.picture(key)` while laying out its pages and gets a grey
placeholder at once. The chart is drawn after the clerk has stayed on the tab for CHART_DELAY_MS
(drawing competes with the window for Python's attention, so a tab passed through draws none),
one at a time in a worker thread; `arrived` tells the tab to lay the pages out again.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter

from core.charts import FIGSIZE, ChartData, chart_data, png_of
from core.ledger import Ledger
from core.logs import log_unexpected
from core.periods import Period
from ui.i18n import tr

PREVIEW_CHART_DPI = 110  # charts for the screen; print and export render them at 200 dpi
CHART_DELAY_MS = 300  # the clerk stays on the tab this long before its charts are drawn
# One at a time, off the window's thread (matplotlib figures only; each drawing reads the
# ledger through a connection of its own).
CHART_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summary-charts")

# The worker's last picture of each chart, with the data it shows: an edit that does not change
# a chart's figures (a note, another period's value) does not have it drawn again. Only the one
# worker thread touches it.
_LAST_DRAWN: dict[tuple[Path, str], tuple[ChartData, bytes]] = {}


def _draw_chart(path: Path, period: Period, key: str) -> bytes:
    """In the worker thread: the chart's figures read through a connection of its own (the
    window's is for the window's thread), then drawn unless they are what was drawn last."""
    with Ledger.reader(path) as ledger:
        data = chart_data(ledger, period, key)
    last = _LAST_DRAWN.get((path, key))
    if last is not None and last[0] == data:
        return last[1]
    picture = png_of(data, PREVIEW_CHART_DPI)
    _LAST_DRAWN[(path, key)] = (data, picture)
    return picture


@cache
def placeholder(text: str) -> bytes:
    """A grey box of the preview chart's size with `text` in it, as PNG bytes."""
    width, height = (round(side * PREVIEW_CHART_DPI) for side in FIGSIZE)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#f2f2f2"))
    painter = QPainter(image)
    painter.setPen(QColor("#888888"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


class PreviewCharts(QObject):
    """The pictures of one ledger and period. `source` says what to draw from — the ledger's
    file and the period — or None when the clerk is no longer there to see them."""

    arrived = Signal()  # a picture is ready: lay the preview out again
    _drawn = Signal(str, bytes, int)  # key, PNG (b"" if drawing failed), token

    def __init__(self, source: Callable[[], tuple[Path, Period] | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.pictures: dict[str, bytes] = {}  # drawn for this period and these data
        self.drawing: set[str] = set()  # handed to the worker
        self.waiting: set[str] = set()  # to hand over once the clerk has stayed
        self._futures: dict[str, Future[bytes]] = {}
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHART_DELAY_MS)
        self.timer.timeout.connect(self.start)
        self._token = 0  # +1 whenever the pictures go stale: late ones are dropped
        self._drawn.connect(self._arrive)

    def picture(self, key: str) -> bytes:
        """The chart if drawn, else a placeholder now and the chart shortly after."""
        if key in self.pictures:
            return self.pictures[key]
        if key not in self.drawing:
            self.waiting.add(key)
            self.timer.start()
        return placeholder(tr("图表绘制中…"))

    @property
    def settled(self) -> bool:
        """Nothing waits to be drawn or is being drawn."""
        return not (self.timer.isActive() or self.drawing or self.waiting)

    def start(self) -> None:
        """Hand the waiting charts to the worker, if the clerk is still there to see them."""
        source = self._source()
        if source is None:
            self.waiting.clear()
            return
        path, period = source
        for key in sorted(self.waiting):
            self.drawing.add(key)
            token = self._token
            future = CHART_WORKER.submit(_draw_chart, path, period, key)
            future.add_done_callback(lambda done, k=key, t=token: self._done(done, k, t))
            self._futures[key] = future
        self.waiting.clear()

    def stop(self) -> None:
        """Drop the charts not drawn yet (one being drawn finishes; its picture is kept)."""
        self.timer.stop()
        self.waiting.clear()
        for key, future in list(self._futures.items()):
            if future.cancel():
                self.drawing.discard(key)
        self._futures.clear()

    def forget(self) -> None:
        """The data or the period changed: every picture is stale."""
        self.stop()
        self.pictures.clear()
        self.drawing.clear()
        self._token += 1

    def _done(self, done: Future[bytes], key: str, token: int) -> None:
        """In the worker's thread: hand the picture (or the failure) to the window's thread."""
        if done.cancelled():
            return
        error = done.exception()
        if error is not None:
            log_unexpected(error, f"drawing chart {key}")
        self._drawn.emit(key, b"" if error is not None else done.result(), token)

    def _arrive(self, key: str, picture: bytes, token: int) -> None:
        if token != self._token:
            return  # drawn for data that has changed since
        self.drawing.discard(key)
        self.pictures[key] = picture or placeholder(tr("图表未能绘制（详情见日志）"))
        self.arrived.emit()
