"""Every character of a summary against the faces that will print it (before an export).

A character the chosen face of its role lacks is printed in core.fonts.FALLBACK, the bundled
Simplified-Chinese serif; one that face lacks too is named to the clerk as unprintable.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont

from core.fonts import FALLBACK
from core.report.document import (
    AttachmentNote,
    Block,
    Chart,
    Closing,
    Document,
    Heading,
    Paragraph,
    Table,
)
from ui.fonts import lacking
from ui.page_formats import BODY_PT, heading_role, print_font


@dataclass(frozen=True)
class FontCheck:
    """What the chosen faces cannot print: `fallback` in the bundled Chinese serif instead,
    `unprintable` in no face WorkLedger knows (the system's fallback, perhaps empty boxes)."""

    fallback: str
    unprintable: str

    @property
    def message(self) -> str:
        parts = []
        if self.fallback:
            parts.append(f"{'、'.join(self.fallback)} 不在所选字体中，"
                         f"已改用{FALLBACK}（宋体类）印出")
        if self.unprintable:
            parts.append(f"{'、'.join(self.unprintable)} 没有可用的中文字体，"
                         "可能印成方框或其他字形，请核对")
        return "；".join(parts)


def role_texts(document: Document) -> dict[str, str]:
    """All the text of the document by the role whose face prints it (as SummaryLayout does)."""
    texts: dict[str, list[str]] = {}

    def add(role: str, *parts: str) -> None:
        texts.setdefault(role, []).extend(parts)

    def walk(block: Block) -> None:
        if isinstance(block, Heading):
            add(heading_role(block.level), block.text)
        elif isinstance(block, Paragraph):
            add("body", block.text)
        elif isinstance(block, Table):
            add("body", block.caption, *block.header,
                *(cell.text for row in block.rows for cell in row))
        elif isinstance(block, Chart):
            add("body", block.caption)
        elif isinstance(block, Closing):
            add("body", block.text)
        elif isinstance(block, AttachmentNote):
            add("body", block.text)
        else:
            add("heading1", block.label)
            add("title", block.title)
            for part in block.body:
                walk(part)

    for block in document.blocks:
        walk(block)
    return {role: "".join(parts) for role, parts in texts.items()}


def check_fonts(document: Document) -> FontCheck:
    """Every character of `document` against the face of its role, then the bundled serif."""
    fallback, unprintable = [], []
    fallback_font = QFont(FALLBACK)
    for role, text in role_texts(document).items():
        for ch in lacking(print_font(role, BODY_PT), text):
            (unprintable if lacking(fallback_font, ch) else fallback).append(ch)
    return FontCheck("".join(dict.fromkeys(fallback)), "".join(dict.fromkeys(unprintable)))
