"""Register the bundled CJK fonts with Qt and pick a face per role (see core/fonts.py)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from core.fonts import ROLES, bundled_files

_registered = False


def register_bundled_fonts() -> None:
    """Make the bundled faces available to Qt (once; needs a QGuiApplication)."""
    global _registered
    if _registered:
        return
    for path in bundled_files():
        QFontDatabase.addApplicationFont(str(path))
    _registered = True


def family_for(role: str) -> str:
    """The first family of the role's preference list that is installed or bundled."""
    register_bundled_fonts()
    available = set(QFontDatabase.families())
    for family in ROLES[role]:
        if family in available:
            return family
    return ROLES[role][-1]


def has_chinese(font: QFont) -> bool:
    """Whether `font`'s own family covers Simplified Chinese (else Qt would fall back)."""
    return QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(
        font.family()
    )
