"""The red / yellow / green of a plan item's 督办 status (core.supervision's `mark`)."""

from __future__ import annotations

from PySide6.QtGui import QColor

MARK_COLOURS = {"red": QColor("#f6c9c9"), "yellow": QColor("#fbe7a1"),
                "green": QColor("#cdebc9")}
