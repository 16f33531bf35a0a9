"""The Qt binding itself: a PySide6 that corrupts Python's reference counts must never ship.

PySide6 6.12.0 on Python 3.11 drops one reference to None each time a method that returns
nothing (setFont, setText, insertText, drawText …) is called from Python. None starts with a
few thousand references, so a long table in the summary, or a few minutes of scrolling through
painted cells, ends the app with "Fatal Python error: none_dealloc". From Python 3.12 None is
immortal and the bug is harmless; pyproject.toml keeps 3.11 on an earlier PySide6.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor, QTextDocument

CALLS = 500


def _none_references_lost(action: object) -> int:
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        action()  # type: ignore[operator]
    return before - sys.getrefcount(None)


def test_methods_returning_nothing_keep_the_reference_count_of_none(qapp) -> None:
    font = QFont("WenQuanYi Micro Hei")
    char_format = QTextCharFormat()
    cursor = QTextCursor(QTextDocument())
    holder = QObject()
    calls = {
        "QFont.setBold": lambda: font.setBold(False),
        "QFont.setPointSizeF": lambda: font.setPointSizeF(12.0),
        "QTextCharFormat.setFont": lambda: char_format.setFont(font),
        "QTextCursor.insertText": lambda: cursor.insertText("字", char_format),
        "QObject.setObjectName": lambda: holder.setObjectName("台账"),
    }
    lost = {name: _none_references_lost(call) for name, call in calls.items()}
    # A few references either way come from the interpreter itself; the bug loses one per call.
    assert all(count < CALLS // 10 for count in lost.values()), lost


def test_a_long_summary_table_is_laid_out_without_crashing(qapp) -> None:
    """What first showed the bug: a 274-row 指标表 built for the PDF (≈ 8,000 calls)."""
    from core.report.document import Document, Run, Table
    from ui.report_pdf import SummaryLayout

    header = ("指标", "本期", "确保目标", "完成率", "上年同期", "同比")
    rows = tuple(tuple(Run(f"{name}{i}") for name in header) for i in range(300))
    layout = SummaryLayout(Document((Table("表1 长表", header, rows),)))
    assert layout.page_count > 5
