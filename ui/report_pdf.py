"""The summary on paper: one Qt rendering for the preview, the printer and the PDF file.

Why QTextDocument: it does what a summary needs from a typesetter — Chinese line breaking
(no line starts with a closing mark), justification, fonts per run, inline pictures, tables and
pagination — so we only build blocks with GB/T 9704 formats. Layout happens once, at 72 dpi,
so one layout unit is one point and the pages break the same on every printer; painting scales
that layout to the device (1200 dpi for PDF, the printer's own resolution, the screen).

Pages are painted line by line rather than with drawContents(): Qt redraws the last line of a
paragraph that continues from the previous page (clipped away, but still written into a PDF,
which then repeats that line in copied or extracted text).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QSize, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
    QTextLayout,
    QTextLength,
    QTextLine,
    QTextTable,
    QTextTableFormat,
)

from core import APP_TITLE
from core.report import writers
from core.report.attachments import NOTE_HANG, NOTE_LEFT
from core.report.closing import right_gaps
from core.report.document import (
    TITLE,
    Attachment,
    AttachmentNote,
    Block,
    Chart,
    Closing,
    Document,
    Heading,
    Run,
    Table,
)
from ui.page_formats import (
    BODY_PT,
    CAPTION_PT,
    CELL_PADDING,
    LAYOUT_DPI,
    LEFT_MM,
    LINE,
    MM,
    PAGE_MM,
    PAGE_NUMBER_GAP,
    PAGE_NUMBER_PT,
    RULE_HEAVY,
    RULE_LIGHT,
    TABLE_PT,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TITLE_PT,
    TOP_MM,
    fixed_height_unit,
    heading_role,
    layout_device,
    paragraph_format,
    print_font,
    run_format,
)


@dataclass(frozen=True)
class _Keep:
    """A block that must start on the same page as what follows it (heading, caption…)."""

    block: QTextBlock
    follower: QTextBlock | QTextTable


class SummaryLayout:
    """A Document laid out on A4 pages, ready to paint on any device."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = QTextDocument()
        self.text.setUseDesignMetrics(True)
        self.text.documentLayout().setPaintDevice(layout_device())
        self.text.setDocumentMargin(0)
        self.text.setPageSize(QSizeF(TEXT_WIDTH, TEXT_HEIGHT))
        self.tables: list[QTextTable] = []
        self._keeps: list[_Keep] = []
        self._charts: dict[str, QImage] = {}  # resource name → the chart at print resolution
        self._chart_dpi: float | None = None  # the resolution the resources now have
        self._cursor = QTextCursor(self.text)
        self._first = True
        self._by_page: dict[int, list[tuple[QPointF, QTextLine]]] | None = None
        self._row_spans: dict[int, list[tuple[float, float]]] = {}  # table position → rows
        heading: QTextBlock | None = None  # the last heading, until what it heads is added
        # One edit block: the document is laid out once at the end. Laid out after each insert,
        # a table is laid out again for every cell (a 100-row table took half a minute).
        self._cursor.beginEditBlock()
        for block in document.blocks:
            first = self._add(block)
            if heading is not None:
                self._keeps.append(_Keep(heading, first))
            heading = first if isinstance(block, Heading) and block.level != TITLE else None
        self._cursor.endEditBlock()
        self._keep_together()

    # -- building -------------------------------------------------------------------------------
    def _new_block(self, block_format: QTextBlockFormat, char_format: QTextCharFormat
                   ) -> QTextBlock:
        if self._first:
            self._cursor.setBlockFormat(block_format)
            self._cursor.setBlockCharFormat(char_format)
            self._first = False
        else:
            self._cursor.insertBlock(block_format, char_format)
        return self._cursor.block()

    def _add_runs(self, runs: tuple[Run, ...], role: str, size: float) -> None:
        for run in runs:
            self._cursor.insertText(run.text, run_format(role, size, run.missing))

    def _add(self, block: Block) -> QTextBlock:
        """Append one block of the document; returns the first text block it made."""
        if isinstance(block, AttachmentNote):
            return self._add_note(block)
        if isinstance(block, Attachment):
            return self._add_attachment(block)
        if isinstance(block, Closing):
            return self._add_closing(block)
        if isinstance(block, Chart):
            return self._add_chart(block)
        if isinstance(block, Table):
            return self._add_table(block)
        if isinstance(block, Heading) and block.level == TITLE:
            role, size = "title", TITLE_PT
            block_format = paragraph_format(align=Qt.AlignmentFlag.AlignHCenter, indent=0,
                                         line=TITLE_PT * 1.6, after=LINE)
        else:
            role = heading_role(block.level) if isinstance(block, Heading) else "body"
            size, block_format = BODY_PT, paragraph_format()
        first = self._new_block(block_format, run_format(role, size))
        self._add_runs(block.runs, role, size)
        return first

    def _add_chart(self, chart: Chart) -> QTextBlock:
        image = QImage.fromData(chart.png)
        name = f"chart-{self.text.blockCount()}"
        self._charts[name] = image
        self.text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        picture_format = paragraph_format(align=Qt.AlignmentFlag.AlignHCenter, indent=0, line=None)
        picture_format.setTopMargin(LINE / 4)  # a little air between the text and the chart
        picture = self._new_block(picture_format, run_format("body", BODY_PT))
        image_format = QTextImageFormat()
        image_format.setName(name)
        image_format.setWidth(TEXT_WIDTH)
        if not image.isNull() and image.width():
            image_format.setHeight(TEXT_WIDTH * image.height() / image.width())
        self._cursor.insertImage(image_format)
        caption = self._new_block(paragraph_format(align=Qt.AlignmentFlag.AlignHCenter, indent=0),
                                  run_format("body", CAPTION_PT))
        self._cursor.insertText(chart.caption, run_format("body", CAPTION_PT))
        self._keeps.append(_Keep(picture, caption))
        return picture

    def _add_note(self, note: AttachmentNote) -> QTextBlock:
        """附件说明: a blank line below the body, then 附件： hanging before the names."""
        blank = self._new_block(paragraph_format(), run_format("body", BODY_PT))
        for index, line in enumerate(note.lines):
            block_format = paragraph_format(indent=-NOTE_HANG * BODY_PT if index == 0 else 0)
            block_format.setLeftMargin(NOTE_LEFT * BODY_PT)
            self._new_block(block_format, run_format("body", BODY_PT))
            self._add_runs((Run(line),), "body", BODY_PT)
        return blank

    def _add_attachment(self, attachment: Attachment) -> QTextBlock:
        """A page of its own: 附件N in 黑体 flush left on the first line, the title centred on
        the second, then its table (or the note that the ledger has nothing for it)."""
        label_format = paragraph_format(align=Qt.AlignmentFlag.AlignLeft, indent=0)
        label_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        label = self._new_block(label_format, run_format("heading1", BODY_PT))
        self._add_runs((Run(attachment.label),), "heading1", BODY_PT)
        title = self._new_block(paragraph_format(align=Qt.AlignmentFlag.AlignHCenter, indent=0,
                                              line=TITLE_PT * 1.6),
                                run_format("title", TITLE_PT))
        self._add_runs((Run(attachment.title),), "title", TITLE_PT)
        self._keeps.append(_Keep(label, title))
        for part in attachment.body:
            first = self._add(part)
            self._keeps.append(_Keep(title, first))
            title = first
        return label

    def _add_closing(self, closing: Closing) -> QTextBlock:
        """署名 and 成文日期: a blank line below the body, then each flush right with its right
        gap (core.report.closing), measured in the face that prints it."""
        metrics = QFontMetricsF(print_font("body", BODY_PT), layout_device())
        runs = (closing.name, closing.date)
        gaps = right_gaps(*(metrics.horizontalAdvance(run.text) / BODY_PT for run in runs))
        blank = self._new_block(paragraph_format(), run_format("body", BODY_PT))  # 正文下空一行
        made = []
        for run, gap in zip(runs, gaps, strict=True):
            block_format = paragraph_format(align=Qt.AlignmentFlag.AlignRight, indent=0)
            block_format.setRightMargin(gap * BODY_PT)
            made.append(self._new_block(block_format, run_format("body", BODY_PT)))
            self._add_runs((run,), "body", BODY_PT)
        self._keeps.append(_Keep(made[0], made[1]))
        return blank

    def _add_table(self, table: Table) -> QTextBlock:
        caption = self._new_block(paragraph_format(align=Qt.AlignmentFlag.AlignHCenter, indent=0),
                                  run_format("body", CAPTION_PT))
        self._cursor.insertText(table.caption, run_format("body", CAPTION_PT))
        table_format = QTextTableFormat()
        table_format.setBorder(0)
        table_format.setCellSpacing(0)
        table_format.setCellPadding(CELL_PADDING / fixed_height_unit())  # scaled like lines
        table_format.setHeaderRowCount(1)
        table_format.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        table_format.setColumnWidthConstraints(
            [QTextLength(QTextLength.Type.PercentageLength, share) for share in _shares(table)])
        text_table = self._cursor.insertTable(1 + len(table.rows), len(table.header),
                                              table_format)
        rows = [tuple(Run(cell) for cell in table.header), *table.rows]
        for row_index, cells in enumerate(rows):
            for column, cell in enumerate(cells):
                cursor = text_table.cellAt(row_index, column).firstCursorPosition()
                align = Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignHCenter
                cursor.setBlockFormat(paragraph_format(align=align, indent=0, line=None))
                cursor.insertText(cell.text, run_format("body", TABLE_PT, cell.missing))
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        self.tables.append(text_table)
        self._keeps.append(_Keep(caption, text_table))
        return caption

    # -- pagination -----------------------------------------------------------------------------
    @staticmethod
    def page_of(y: float) -> int:
        """The page (from 0) of a position; half a point of slack absorbs rounding at a break."""
        return int((y + 0.5) // TEXT_HEIGHT)

    def _lines(self, block: QTextBlock) -> tuple[QPointF, list[tuple[float, QTextLine]]]:
        """The block's origin and its lines, each with its top in document coordinates.

        A line is where Qt placed it, which for a line pushed onto the next page lies below the
        block's bounding rect, so pages are decided line by line.
        """
        origin = self.text.documentLayout().blockBoundingRect(block).topLeft()
        lines = block.layout()
        return origin, [(origin.y() + lines.lineAt(i).y(), lines.lineAt(i))
                        for i in range(lines.lineCount())]

    def _top(self, block: QTextBlock) -> float:
        origin, lines = self._lines(block)
        return lines[0][0] if lines else origin.y()

    def _keep_together(self) -> None:
        """Move a heading, caption or picture that would end a page to the next page."""
        layout = self.text.documentLayout()
        for _attempt in range(len(self._keeps) + 1):
            moved = False
            for keep in self._keeps:
                top = self._top(keep.block)
                if isinstance(keep.follower, QTextTable):
                    follower = layout.frameBoundingRect(keep.follower)
                    fits = follower.height() < TEXT_HEIGHT - LINE
                    end = follower.bottom() - 1 if fits else follower.top() + LINE
                else:
                    end = self._top(keep.follower) + 1
                at_page_top = self.page_of(top - LINE) < self.page_of(top)
                if self.page_of(top) != self.page_of(end) and not at_page_top:
                    block_format = keep.block.blockFormat()
                    block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    QTextCursor(keep.block).setBlockFormat(block_format)
                    moved = True
                    break  # re-check from the start: everything after it moved
            if not moved:
                return

    @property
    def page_count(self) -> int:
        return max(1, self.text.pageCount())

    def _pages(self) -> dict[int, list[tuple[QPointF, QTextLine]]]:
        """Every line of the laid-out text by page, found once (a long summary has thousands
        of lines and dozens of pages)."""
        if self._by_page is None:
            self._by_page = {}
            block = self.text.begin()
            while block.isValid():
                origin, lines = self._lines(block)
                for top, line in lines:
                    self._by_page.setdefault(self.page_of(top), []).append((origin, line))
                block = block.next()
        return self._by_page

    # -- painting -------------------------------------------------------------------------------
    def charts_for(self, dpi: float | None) -> None:
        """Chart pixels for painting at `dpi` (None: print resolution, for PDF and printer).

        A page drawn on screen shrinks a 1228-pixel chart to a few hundred pixels; the painter's
        bilinear shrink drops pixels and leaves the chart's text ragged, so the pictures are
        first shrunk with an averaging filter to the size they are painted at."""
        if dpi == self._chart_dpi:
            return
        for name, image in self._charts.items():
            if dpi is not None and not image.isNull():
                width = round(TEXT_WIDTH * dpi / LAYOUT_DPI)
                if width < image.width():
                    image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            self.text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        self._chart_dpi = dpi

    def paint_page(self, painter: QPainter, index: int) -> None:
        """Page `index` (from 0); the painter's coordinates are points from the paper's corner."""
        if index == 0:
            self._paint_edition(painter)
        painter.save()
        painter.translate(LEFT_MM * MM, TOP_MM * MM - index * TEXT_HEIGHT)
        for origin, line in self._pages().get(index, []):
            line.draw(painter, origin)
        for table in self.tables:
            self._paint_table(painter, table, index)
        painter.restore()
        self._paint_page_number(painter, index)

    def _paint_edition(self, painter: QPainter) -> None:
        """版本：草稿 / 第N版 (core.editions) in 12 pt at the top right of the first page, above
        the title (painted before the text, so a PDF's text reads it first)."""
        if not self.document.edition:
            return
        from core.report.writers.text import edition_line

        mark = QTextLayout(edition_line(self.document.edition), print_font("body", 12),
                           layout_device())
        mark.beginLayout()
        line = mark.createLine()
        mark.endLayout()
        x = LEFT_MM * MM + TEXT_WIDTH - line.naturalTextWidth()
        mark.draw(painter, QPointF(x, TOP_MM * MM / 2))

    def _rows(self, table: QTextTable) -> list[tuple[float, float]]:
        """Each row's top and bottom: the extent of its cells' text blocks (where Qt draws the
        text). Qt's frame rectangle of a table is offset by the padding and cannot be used.
        Found once per table (the layout is final), not again for every page painted."""
        key = table.firstPosition()
        if key not in self._row_spans:
            layout = self.text.documentLayout()
            rows = []
            for number in range(table.rows()):
                rects = [layout.blockBoundingRect(table.cellAt(number, column)
                                                  .firstCursorPosition().block())
                         for column in range(table.columns())]
                rows.append((min(r.top() for r in rects), max(r.bottom() for r in rects)))
            self._row_spans[key] = rows
        return self._row_spans[key]

    def _paint_table(self, painter: QPainter, table: QTextTable, index: int) -> None:
        """A three-line table: heavy rules above and below, a light one under the header.

        A table that runs on to later pages is closed at the foot of each page, and each later
        page starts with its header again (drawn in the room Qt leaves for it there), so every
        page reads on its own.
        """
        rows = self._rows(table)
        on_page = [(top, bottom) for top, bottom in rows[1:] if self.page_of(top) == index]
        header_page = self.page_of(rows[0][0])
        if not on_page and header_page != index:
            return
        layout = self.text.documentLayout()
        first = layout.blockBoundingRect(table.cellAt(0, 0).firstCursorPosition().block())
        last = layout.blockBoundingRect(
            table.cellAt(0, table.columns() - 1).firstCursorPosition().block())
        left, right = first.left() - CELL_PADDING, last.right() + CELL_PADDING
        shift = 0.0  # how far down this page's header lies from the table's first one
        if header_page != index:
            shift = on_page[0][0] - rows[1][0]
            self._paint_header_text(painter, table, shift)
        rules = [(rows[0][0] + shift - CELL_PADDING, RULE_HEAVY)]
        if on_page:
            rules += [(on_page[0][0] - CELL_PADDING, RULE_LIGHT),
                      # a row running on to the next page is closed at the page's foot
                      (min(on_page[-1][1] + CELL_PADDING, (index + 1) * TEXT_HEIGHT), RULE_HEAVY)]
        else:  # a header alone: closed under it
            rules.append((rows[0][1] + CELL_PADDING, RULE_HEAVY))
        for y, width in rules:
            painter.setPen(QPen(QColor("black"), width))
            painter.drawLine(QPointF(left, y), QPointF(right, y))

    def _paint_header_text(self, painter: QPainter, table: QTextTable, shift: float) -> None:
        for column in range(table.columns()):
            origin, lines = self._lines(table.cellAt(0, column).firstCursorPosition().block())
            for _top, line in lines:
                line.draw(painter, origin + QPointF(0, shift))

    def _paint_page_number(self, painter: QPainter, index: int) -> None:
        """— 1 — in 14 pt, 7 mm below the text, odd pages right and even pages left."""
        number = QTextLayout(f"— {index + 1} —", print_font("body", PAGE_NUMBER_PT),
                             layout_device())
        number.beginLayout()
        line = number.createLine()
        number.endLayout()
        width = line.naturalTextWidth()
        inset = PAGE_NUMBER_PT  # one character in from the edge of the text
        left = LEFT_MM * MM
        x = left + inset if index % 2 else left + TEXT_WIDTH - inset - width
        number.draw(painter, QPointF(x, TOP_MM * MM + TEXT_HEIGHT + PAGE_NUMBER_GAP))


SHORT_COLUMN = 9  # characters: a column no wider than this keeps its width in a crowded table


def _shares(table: Table) -> list[float]:
    """Column widths in % of the text width: every figure column as wide as its widest entry,
    the first (the names) gets the rest and wraps if it must — a number never breaks."""
    metrics = QFontMetricsF(print_font("body", TABLE_PT), layout_device())

    def width(text: str) -> float:
        return metrics.horizontalAdvance(text) + 2 * CELL_PADDING + 2

    widest = [max([width(table.header[column])] + [width(row[column].text) for row in table.rows])
              for column in range(len(table.header))]
    names = max(TEXT_WIDTH - sum(widest[1:]), 6 * TABLE_PT)  # at least six characters
    columns = [min(widest[0], names), *widest[1:]]
    total = sum(columns)
    if total > TEXT_WIDTH:  # text in several columns (a 督办 table): short ones never break,
        short = [value <= SHORT_COLUMN * TABLE_PT for value in columns]  # the long ones wrap
        fixed = sum(value for value, keep in zip(columns, short, strict=True) if keep)
        room, flexible = TEXT_WIDTH - fixed, total - fixed
        if room > 0 and flexible > 0:
            columns = [value if keep else value * room / flexible
                       for value, keep in zip(columns, short, strict=True)]
    return [100.0 * value / sum(columns) for value in columns]


# -- devices -----------------------------------------------------------------------------------
def render(layout: SummaryLayout, device: QPagedPaintDevice) -> None:
    """Every page onto a PDF writer or a printer set to A4 with no margins of its own."""
    device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    layout.charts_for(None)
    painter = QPainter(device)
    try:
        scale = device.logicalDpiX() / LAYOUT_DPI
        for index in range(layout.page_count):
            if index:
                device.newPage()
            painter.save()
            painter.scale(scale, scale)
            layout.paint_page(painter, index)
            painter.restore()
    finally:
        painter.end()


def write_pdf(document: Document, path: Path) -> None:
    """The writer core.report.writers uses for .pdf (registered by register_pdf_writer)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(1200)
    writer.setTitle(document.title)
    writer.setCreator(APP_TITLE)
    render(SummaryLayout(document), writer)


def page_size(dpi: float) -> QSize:
    scale = dpi / LAYOUT_DPI
    return QSizeF(PAGE_MM[0] * MM * scale, PAGE_MM[1] * MM * scale).toSize()


def page_image(layout: SummaryLayout, index: int, dpi: float) -> QImage:
    """Page `index` as a picture at `dpi` (the on-screen preview: white paper, same layout)."""
    layout.charts_for(dpi)
    image = QImage(page_size(dpi), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing
                           | QPainter.RenderHint.TextAntialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform)
    painter.scale(dpi / LAYOUT_DPI, dpi / LAYOUT_DPI)
    layout.paint_page(painter, index)
    painter.end()
    return image


_application: QGuiApplication | None = None  # the one the report command needs, kept alive


def register_pdf_writer() -> None:
    """Let core's writers write .pdf through Qt; the report command calls this without a window,
    so a QGuiApplication (fonts, painting) is made when there is none."""
    global _application
    if QGuiApplication.instance() is None:
        if sys.platform.startswith("linux") and not (
                os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server without a screen
        _application = QGuiApplication(sys.argv[:1])
    writers.register(".pdf", write_pdf)

