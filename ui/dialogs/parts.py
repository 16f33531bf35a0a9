"""Pieces every form dialog has: the red line that says what is wrong, 确定 / 取消."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

PROBLEM_INK = "#b3261e"


def problem_label(dialog: QDialog) -> QLabel:
    """Where the dialog names what it refused (empty until then), wrapped, in red."""
    label = QLabel(dialog)
    label.setStyleSheet(f"color: {PROBLEM_INK}")
    label.setWordWrap(True)
    return label


def ok_cancel(dialog: QDialog, on_ok: Callable[[], object]) -> QDialogButtonBox:
    """确定 runs `on_ok` (which accepts the dialog when all is well); 取消 closes it."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons
