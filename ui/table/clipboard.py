"""Tab-separated text, the way Excel and WPS put a block of cells on the clipboard.

Cells that contain a tab, a line break or a double quote are quoted ("…", quotes doubled);
rows end with CRLF on Windows and LF elsewhere, and the block usually ends with one.
"""

from __future__ import annotations


def parse_block(text: str) -> list[list[str]]:
    """Clipboard text → rows of cells (a trailing line break adds no empty row)."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    quoted = False
    i = 0
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1:i + 2] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and not cell:
            quoted = True
        elif ch == "\t":
            row.append("".join(cell))
            cell = []
        elif ch == "\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


def format_block(rows: list[list[str]]) -> str:
    """Rows of cells → clipboard text Excel and WPS paste as a block."""
    def quote(cell: str) -> str:
        if any(ch in cell for ch in '\t\n\r"'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "".join("\t".join(quote(c) for c in row) + "\n" for row in rows)
