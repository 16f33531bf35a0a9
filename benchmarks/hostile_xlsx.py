"""Small .xlsx files with big costs (issue 18 #5, #10), written as raw XML so that they are as
small as a clerk's file can be: one long text shared by every row, a formatted empty cell at
Excel's last row, merged cells. Used by the tests and by benchmarks/run.py."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from core.exchange.reading import column_name

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>')
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf/><xf fillId="1" applyFill="1"/></cellXfs></styleSheet>')


def write_raw_xlsx(path: Path, rows: Sequence[tuple[int, Sequence[object]]], *,
                   title: str = "服务记录", merges: Sequence[str] = (),
                   styled_cells: Sequence[str] = ()) -> Path:
    """A one-sheet workbook: `rows` as (row number, cells) with text as shared strings (each
    distinct text stored once, however many cells hold it), numbers as numbers, None empty;
    `merges` like "B2:B4"; `styled_cells` formatted but empty (a fill), like "A1048576"."""
    strings: dict[str, int] = {}
    body: list[str] = []
    styled = {}
    for ref in styled_cells:
        number = int("".join(ch for ch in ref if ch.isdigit()))
        styled.setdefault(number, []).append(ref)
    numbers = sorted({n for n, _cells in rows} | set(styled))
    by_number = dict(rows)
    for number in numbers:
        cells = []
        for index, value in enumerate(by_number.get(number, ()), start=1):
            ref = f"{column_name(index)}{number}"
            if value is None:
                continue
            if isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                text = str(value)
                position = strings.setdefault(text, len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{position}</v></c>')
        cells += [f'<c r="{ref}" s="1"/>' for ref in styled.get(number, ())]
        body.append(f'<row r="{number}">{"".join(cells)}</row>')
    merged = (f'<mergeCells count="{len(merges)}">'
              + "".join(f'<mergeCell ref="{ref}"/>' for ref in merges) + "</mergeCells>"
              if merges else "")
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(body)}</sheetData>{merged}</worksheet>')
    shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              f'count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f'<si><t xml:space="preserve">{_xml_text(text)}</t></si>'
                        for text in strings) + "</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(title=escape(title)))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _xml_text(text: str) -> str:
    """Text as Excel stores it: characters XML cannot hold (controls, U+FFFE, lone
    surrogates) as _xHHHH_ escapes, which readers turn back into the character."""
    out = []
    for char in text:
        code = ord(char)
        if (code < 0x20 and char not in "\t\n\r") or 0xD800 <= code <= 0xDFFF or code in (
                0xFFFE, 0xFFFF):
            out.append(f"_x{code:04X}_")
        else:
            out.append(escape(char))
    return "".join(out)


SERVICE_HEADER = ("日期", "企业", "类型", "人次", "事项")


def one_long_text_in_every_row(path: Path, *, rows: int = 49_000, chars: int = 19_000) -> Path:
    """The worst small file found: every service row's 事项 is one long shared text, so a file
    of a few hundred KB holds a gigabyte of text once read."""
    text = ("推进企业技术改造，协调解决用地、用电、融资等问题。" * (chars // 24 + 1))[:chars]
    data = [(1, SERVICE_HEADER)] + [
        (number, ("2026-03-05", None, "走访", 1, text)) for number in range(2, rows + 2)]
    return write_raw_xlsx(path, data)
