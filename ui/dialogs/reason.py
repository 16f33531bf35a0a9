"""Ask why a value outside its usual range is right (core stores the reason with the value)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from ui.i18n import tr


def ask_reason(parent: QWidget | None, question: str) -> str | None:
    """The reason typed, or None when the clerk cancelled (then nothing is stored)."""
    prompt = tr("原因（随数值保存，总结的数据说明可引用）：")
    text, accepted = QInputDialog.getText(parent, tr("需要注明原因"), f"{question}\n\n{prompt}",
                                          QLineEdit.EchoMode.Normal, "")
    text = text.strip()
    return text if accepted and text else None
