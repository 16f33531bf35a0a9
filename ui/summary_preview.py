"""The live preview of the 总结 tab: the summary's pages as they will print.

The pages are painted by ui.report_pdf, the same code that prints and writes the PDF, at a
resolution that fits the panel's width; the scroll position is kept when the text changes.
A page is painted only when it comes into view (a long summary stays quick to show).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.messages import guarded
from ui.page_formats import PAGE_MM
from ui.report_pdf import SummaryLayout, page_image, page_size

MIN_DPI, MAX_DPI = 30.0, 150.0
PAGE_GAP = 12


class PageView(QWidget):
    """One page of the preview: painted the first time it is seen, then kept as a picture."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary: SummaryLayout | None = None
        self.index = 0
        self.dpi = MIN_DPI
        self.picture: QPixmap | None = None

    def show_page(self, summary: SummaryLayout, index: int, dpi: float) -> None:
        self.summary, self.index, self.dpi, self.picture = summary, index, dpi, None
        self.setFixedSize(page_size(dpi))
        self.update()

    @guarded()
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.summary is None:
            return
        if self.picture is None:
            self.picture = QPixmap.fromImage(page_image(self.summary, self.index, self.dpi))
        QPainter(self).drawPixmap(0, 0, self.picture)


class PagePreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_shown: SummaryLayout | None = None
        self.pages: list[PageView] = []
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._sheet = QWidget()
        self._sheet.setObjectName("previewSheet")
        self._sheet.setStyleSheet("#previewSheet { background: #7f7f7f; }")
        self._column = QVBoxLayout(self._sheet)
        self._column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self._column.setSpacing(PAGE_GAP)
        self._column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._message = QLabel()
        self._message.setWordWrap(True)
        self._message.setStyleSheet("color: white;")
        self._column.addWidget(self._message)
        self.setWidget(self._sheet)
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(150)
        self._resized.timeout.connect(self._paint)

    def show_layout(self, layout: SummaryLayout | None, message: str = "") -> None:
        """Show the pages of `layout` (None: only the message, e.g. before a ledger is open)."""
        self.layout_shown = layout
        self._message.setText(message)
        self._message.setVisible(bool(message))
        self._paint()

    def dpi(self) -> float:
        width = self.viewport().width() - 2 * PAGE_GAP - self.verticalScrollBar().sizeHint().width()
        return max(MIN_DPI, min(MAX_DPI, width / (PAGE_MM[0] / 25.4)))

    def _paint(self) -> None:
        scroll = self.verticalScrollBar()
        ratio = scroll.value() / scroll.maximum() if scroll.maximum() else 0.0
        count = self.layout_shown.page_count if self.layout_shown else 0
        while len(self.pages) > count:
            self.pages.pop().deleteLater()
        while len(self.pages) < count:
            page = PageView()
            self._column.addWidget(page)
            self.pages.append(page)
        if self.layout_shown is not None:
            dpi = self.dpi()
            for index, page in enumerate(self.pages):
                page.show_page(self.layout_shown, index, dpi)
        # the new pages are laid out on the next turn of the event loop: restore the place then
        QTimer.singleShot(0, self, lambda: scroll.setValue(round(ratio * scroll.maximum())))

    @guarded()
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._resized.start()
