"""The GB/T 9704 page of the printed summary and the text formats it is laid out with.

Layout happens at LAYOUT_DPI (72: one layout unit is one point); ui.report_pdf builds the
summary's blocks with these formats, ui.font_check checks its characters against the same faces.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from core.report.document import LEVEL1, TITLE
from ui.fonts import print_families

LAYOUT_DPI = 72.0  # layout units are points
MM = LAYOUT_DPI / 25.4
PAGE_MM = (210.0, 297.0)
TOP_MM, LEFT_MM, RIGHT_MM, BOTTOM_MM = 37.0, 28.0, 26.0, 35.0  # GB/T 9704
TEXT_WIDTH = (PAGE_MM[0] - LEFT_MM - RIGHT_MM) * MM
TEXT_HEIGHT = (PAGE_MM[1] - TOP_MM - BOTTOM_MM) * MM
LINE = TEXT_HEIGHT / 22  # 22 lines of body text a page: 28.99 pt
BODY_PT, TITLE_PT, CAPTION_PT, TABLE_PT, PAGE_NUMBER_PT = 16.0, 22.0, 14.0, 10.5, 14.0
PAGE_NUMBER_GAP = 7 * MM  # from the bottom of the text to the top of the page number
MISSING_INK, MISSING_GROUND = QColor("#c00000"), QColor("#fff2a8")
RULE_HEAVY, RULE_LIGHT = 1.0, 0.5  # points: the rules of a three-line table
CELL_PADDING = 3.0


@cache
def layout_device() -> QImage:
    """A paint device at exactly LAYOUT_DPI for laying out (kept alive for the process)."""
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    dots_per_metre = round(LAYOUT_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


@cache
def fixed_height_unit() -> float:
    """How many layout points one unit of a fixed line height comes out as.

    Qt scales fixed line heights by the device's dpi over its default dpi (96 on Windows and
    Linux, 72 on macOS); measuring it once keeps the 22-line pitch exact on every platform.
    """
    probe = QTextDocument()
    probe.documentLayout().setPaintDevice(layout_device())
    block_format = QTextBlockFormat()
    block_format.setLineHeight(100.0, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    cursor = QTextCursor(probe)
    cursor.setBlockFormat(block_format)
    cursor.insertText("一\u2028二")
    layout = probe.firstBlock().layout()
    return (layout.lineAt(1).y() - layout.lineAt(0).y()) / 100.0


def print_font(role: str, size: float) -> QFont:
    font = QFont()
    font.setFamilies(print_families(role))
    font.setPointSizeF(size)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setBold(False)  # no synthetic bold: it draws glyphs twice and spoils copied text
    return font


def heading_role(level: int) -> str:
    """The face a heading is printed in (core.fonts.ROLES)."""
    return {TITLE: "title", LEVEL1: "heading1"}.get(level, "heading2")


def run_format(role: str, size: float, missing: bool = False) -> QTextCharFormat:
    char_format = QTextCharFormat()
    char_format.setFont(print_font(role, size))
    if missing:
        char_format.setForeground(MISSING_INK)
        char_format.setBackground(MISSING_GROUND)
    return char_format


def paragraph_format(*, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignJustify,
                  indent: float = 2 * BODY_PT, line: float | None = LINE,
                  after: float = 0.0) -> QTextBlockFormat:
    block_format = QTextBlockFormat()
    block_format.setAlignment(align)
    block_format.setTextIndent(indent)
    block_format.setBottomMargin(after)
    if line is not None:
        block_format.setLineHeight(line / fixed_height_unit(),
                                   QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    return block_format
