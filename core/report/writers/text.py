"""The summary as plain text (.txt): for pasting into a system or a message.

Laid out the way such text is usually pasted: the title, a blank line, then every heading and
paragraph on its own line, indented by two full-width spaces. Tables become tab-separated rows
(they paste into WPS/Excel as cells); a chart leaves its caption in brackets. The 署名 and
成文日期 follow a blank line, padded with full-width spaces to stand where GB/T 9704 puts them
in a 28-character line (core.report.closing). UTF-8 with a BOM
and CRLF line ends, so even an old Notepad shows the Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.periods import Period
from core.report.attachments import NOTE_LEFT
from core.report.closing import LINE_CHARS, em_width, right_gaps
from core.report.document import (
    TITLE,
    Attachment,
    AttachmentNote,
    Block,
    Chart,
    Closing,
    Document,
    Heading,
    Paragraph,
    Table,
    plain,
)

INDENT = "\u3000\u3000"
NOTE_INDENT = "\u3000" * round(NOTE_LEFT)


def render(document: Document) -> str:
    lines: list[str] = []
    for block in document.blocks:
        lines += _lines(block)
    if document.edition:
        lines += ["", f"（{edition_line(document.edition)}）"]
    return "\r\n".join(lines) + "\r\n"


def edition_line(edition: str) -> str:
    """How a printout names its edition: 版本：草稿 / 版本：第1版（上报版）."""
    return f"版本：{_edition_words(edition)}"


def _edition_words(edition: str) -> str:
    return edition + ("" if edition == "草稿" else "（上报版）")


def periods_edition_line(ledger: Any, periods: Sequence[Period]) -> str:
    """The edition line of an export of `periods` (core.editions.edition_label of each): one
    period, or several of one edition — 版本：草稿; else each named —
    版本：2026年1-6月第1版（上报版）；2026年1-11月草稿."""
    from core.editions import edition_label

    labels = [(period, edition_label(ledger, period)) for period in periods]
    if len({label for _period, label in labels}) <= 1:
        return edition_line(labels[0][1] if labels else "草稿")
    return "版本：" + "；".join(f"{period.label}{_edition_words(label)}"
                              for period, label in labels)


def _lines(block: Block) -> list[str]:
    lines: list[str] = []
    if isinstance(block, Heading) and block.level == TITLE:
        lines += [block.text, ""]
    elif isinstance(block, Heading | Paragraph):
        lines.append(INDENT + block.text)
    elif isinstance(block, Table):
        if block.caption:
            lines.append(INDENT + block.caption)
        lines.append("\t".join(block.header))
        lines += ["\t".join(plain((cell,)) for cell in row) for row in block.rows]
    elif isinstance(block, Chart):
        lines.append(f"{INDENT}〔{block.caption}〕")
    elif isinstance(block, Closing):
        lines += ["", *closing_lines(block)]
    elif isinstance(block, AttachmentNote):
        first, *more = block.lines
        lines += ["", INDENT + first, *(NOTE_INDENT + line for line in more)]
    elif isinstance(block, Attachment):  # no page break in text: a blank line and 附件N
        lines += ["", block.label, block.title, ""]
        for part in block.body:
            lines += _lines(part)
    return lines


def closing_lines(block: Closing) -> list[str]:
    """The 署名 and the date, each led by spaces so that its right gap is GB/T 9704's."""
    texts = (block.name.text, block.date.text)
    gaps = right_gaps(*(em_width(text) for text in texts))
    lines = []
    for text, gap in zip(texts, gaps, strict=True):
        lead = max(0.0, LINE_CHARS - gap - em_width(text))
        whole, half = divmod(round(lead * 2), 2)
        lines.append("\u3000" * whole + " " * half + text)
    return lines


def write(document: Document, path: Path) -> None:
    path.write_bytes(render(document).encode("utf-8-sig"))
