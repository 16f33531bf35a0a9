"""Register the bundled CJK fonts with Qt and pick a face per role (see core/fonts.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QRawFont

from core.fonts import BUNDLED, FALLBACK, ROLES

_registered: set[Path] = set()
_BUNDLED_FILES = {family: path for path, family in BUNDLED.values()}


def _register(path: Path) -> None:
    """Make one bundled face available to Qt (once; needs a QGuiApplication). Each file takes
    a few milliseconds to read, so a face is registered when a role first needs it."""
    if path not in _registered:
        QFontDatabase.addApplicationFont(str(path))
        _registered.add(path)


def family_for(role: str) -> str:
    """The first family of the role's preference list that is installed, else its bundled face
    (registered now)."""
    available = set(QFontDatabase.families())
    for family in ROLES[role]:
        if family in available:
            return family
        bundled = _BUNDLED_FILES.get(family)
        if bundled is not None:
            _register(bundled)
            return family
    return ROLES[role][-1]


def print_families(role: str) -> list[str]:
    """The role's face, then the bundled Simplified-Chinese serif for what it lacks."""
    _register(_BUNDLED_FILES[FALLBACK])
    return [family_for(role), FALLBACK]


def lacking(font: QFont, text: str) -> str:
    """The characters of `text` (each once, in order) that `font`'s own face has no glyph for
    (Qt would draw them in a fallback face); spaces and line breaks are not asked about."""
    raw = QRawFont.fromFont(font)
    return "".join(ch for ch in dict.fromkeys(text)
                   if not ch.isspace() and not raw.supportsCharacter(ord(ch)))


def has_chinese(font: QFont) -> bool:
    """Whether `font`'s own family covers Simplified Chinese (else Qt would fall back)."""
    return QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(
        font.family()
    )
