"""The summary as plain text (.txt): for pasting into a system or a message.

Laid out the way such text is usually pasted: the title, a blank line, then every heading and
paragraph on its own line, indented by two full-width spaces. Tables become tab-separated rows
(they paste into WPS/Excel as cells); a chart leaves its caption in brackets. UTF-8 with a BOM
and CRLF line ends, so even an old Notepad shows the Chinese.
"""

from __future__ import annotations

from pathlib import Path

from core.report.document import TITLE, Chart, Document, Heading, Paragraph, Table, plain

INDENT = "\u3000\u3000"


def render(document: Document) -> str:
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == TITLE:
            lines += [block.text, ""]
        elif isinstance(block, Heading | Paragraph):
            lines.append(INDENT + block.text)
        elif isinstance(block, Table):
            lines.append(INDENT + block.caption)
            lines.append("\t".join(block.header))
            lines += ["\t".join(plain((cell,)) for cell in row) for row in block.rows]
        elif isinstance(block, Chart):
            lines.append(f"{INDENT}〔{block.caption}〕")
    return "\r\n".join(lines) + "\r\n"


def write(document: Document, path: Path) -> None:
    path.write_bytes(render(document).encode("utf-8-sig"))
