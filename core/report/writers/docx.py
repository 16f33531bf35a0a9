"""The summary as a Word document (.docx) that opens the same in WPS, Word and LibreOffice.

Laid out after GB/T 9704 like the PDF: A4, margins 37/28/26/35 mm, body 16 pt 仿宋 at a fixed
28.95 pt line pitch (22 lines a page), title 22 pt 方正小标宋, level-1 headings 黑体, level-2
楷体, page numbers “— 1 —” in 14 pt 宋体 below the text, odd pages right and even pages left.
python-docx writes only the Latin font names itself; Chinese text takes its face from
w:eastAsia, so every style and every run sets that too (else WPS shows 宋体 everywhere).

The names are the Windows faces: a PC without 方正小标宋 substitutes a 宋体, as it does for a
document typed by hand. python-docx is imported only when a .docx is written.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from core import APP_TITLE
from core.report.attachments import NOTE_HANG, NOTE_LEFT
from core.report.closing import em_width, right_gaps
from core.report.document import (
    TITLE,
    AttachmentNote,
    Block,
    Chart,
    Closing,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
)

FACES = {"title": "方正小标宋简体", "body": "仿宋", "heading1": "黑体", "heading2": "楷体",
         "page": "宋体"}
BODY_PT, TITLE_PT, CAPTION_PT, TABLE_PT, PAGE_PT = 16, 22, 14, 10.5, 14
LINE_PT = 28.95  # 22 lines in the 225 mm of text height
TEXT_WIDTH_MM = 210 - 28 - 26
MISSING_RGB = (0xC0, 0x00, 0x00)


def write(document: Document, path: Path) -> None:
    from docx import Document as new_document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    word = new_document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(23)  # the number's top 7 mm below the text, as GB/T 9704 says
    section.header_distance = Mm(15)
    styles = _styles(word)
    for block in document.blocks:
        _block(word, block, styles)
    word.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    if document.edition:  # in the page header, on every printed page
        from core.report.writers.text import edition_line

        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            header.paragraphs[0].text = edition_line(document.edition)
            header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    properties = word.core_properties
    properties.title, properties.author, properties.last_modified_by = (
        document.title, APP_TITLE, APP_TITLE)
    properties.comments = ""
    word.save(str(path))


def _block(word: Any, block: Block, styles: dict[str, Any]) -> None:
    from docx.shared import Mm, Pt

    if isinstance(block, Heading):
        name = {TITLE: "公文标题", 1: "一级标题"}.get(block.level, "二级标题")
        _add_runs(word.add_paragraph(style=styles[name]), block.runs)
    elif isinstance(block, Paragraph):
        _add_runs(word.add_paragraph(style=styles["正文"]), block.runs)
    elif isinstance(block, Table):
        _table(word, block, styles)
    elif isinstance(block, Chart):
        picture = word.add_paragraph(style=styles["图"])
        picture.add_run().add_picture(io.BytesIO(block.png), width=Mm(TEXT_WIDTH_MM))
        _add_runs(word.add_paragraph(style=styles["题注"]), (Run(block.caption),))
    elif isinstance(block, Closing):
        _closing(word, block, styles)
    elif isinstance(block, AttachmentNote):  # 附件说明: a blank line, 附件： hanging
        word.add_paragraph(style=styles["正文"])
        for index, line in enumerate(block.lines):
            paragraph = word.add_paragraph(style=styles["正文"])
            paragraph.paragraph_format.left_indent = Pt(NOTE_LEFT * BODY_PT)
            paragraph.paragraph_format.first_line_indent = Pt(-NOTE_HANG * BODY_PT if index == 0
                                                              else 0)
            _add_runs(paragraph, (Run(line),))
    else:  # Attachment: a page of its own, 附件N flush left in 黑体, the title centred below
        label = word.add_paragraph(style=styles["一级标题"])
        label.paragraph_format.page_break_before = True
        label.paragraph_format.first_line_indent = Pt(0)
        _add_runs(label, (Run(block.label),))
        title = word.add_paragraph(style=styles["公文标题"])
        title.paragraph_format.space_after = Pt(0)
        _add_runs(title, (Run(block.title),))
        for part in block.body:
            _block(word, part, styles)


def set_face(element_with_rpr: Any, face: str) -> None:
    """Set the Latin and the East Asian face (w:eastAsia) of a style's or a run's rPr."""
    from docx.oxml.ns import qn

    rpr = element_with_rpr.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), face)
    for theme in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named face


THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _real_fonts_only(word: Any) -> None:
    """Name real faces wherever python-docx's template points at the theme's (Calibri, Cambria,
    and whatever the theme gives East Asian text): in docDefaults and in every built-in style.
    WPS reports theme faces as missing and substitutes on its own."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for rel_id, rel in list(word.part.rels.items()):  # Word 2010's copy of the styles, with
        if rel.reltype.endswith("/stylesWithEffects"):  # theme faces; Word and WPS read styles
            word.part.drop_rel(rel_id)
    root = word.styles.element
    defaults = root.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        if rpr.find(qn("w:rFonts")) is None:
            rpr.insert(0, OxmlElement("w:rFonts"))
    heading_face = FACES["heading1"]
    for fonts in root.iter(qn("w:rFonts")):
        themed = [name for name in THEME_ATTRIBUTES if fonts.get(qn(name)) is not None]
        major = any("major" in (fonts.get(qn(name)) or "") for name in themed)
        for name in THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(name), None)
        face = heading_face if major else FACES["body"]
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            if fonts.get(qn(attribute)) is None or themed:
                fonts.set(qn(attribute), face)


def _styles(word: Any) -> dict[str, Any]:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    _real_fonts_only(word)
    normal = word.styles["Normal"]
    set_face(normal.element, FACES["body"])
    normal.font.size = Pt(BODY_PT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    made: dict[str, Any] = {}
    specs = (  # name, face, size, centred, first-line indent, outline level
        ("正文", "body", BODY_PT, False, True, None),
        ("公文标题", "title", TITLE_PT, True, False, None),
        ("一级标题", "heading1", BODY_PT, False, True, 0),
        ("二级标题", "heading2", BODY_PT, False, True, 1),
        ("图", "body", BODY_PT, True, False, None),
        ("题注", "body", CAPTION_PT, True, False, None),
        ("表格", "body", TABLE_PT, False, False, None),
    )
    for name, face, size, centred, indent, outline in specs:
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        set_face(style.element, FACES[face])
        style.font.size = Pt(size)
        style.font.bold = False
        layout = style.paragraph_format
        layout.space_before = layout.space_after = Pt(0)
        layout.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
        layout.first_line_indent = Pt(2 * size) if indent else Pt(0)
        if name in ("图", "表格"):  # an exact line height would crop a picture
            layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            layout.line_spacing = Pt(LINE_PT)
        if outline is not None or name in ("图", "公文标题"):
            layout.keep_with_next = True  # never a heading or a chart alone at a page end
        if outline is not None:
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline))
            style.element.get_or_add_pPr().append(level)
        made[name] = style
    made["公文标题"].paragraph_format.space_after = Pt(LINE_PT)
    made["公文标题"].paragraph_format.line_spacing = Pt(TITLE_PT * 1.6)
    return made


def _add_runs(paragraph: Any, runs: tuple[Run, ...]) -> None:
    """The runs, each with the paragraph style's face spelled out (w:eastAsia included)."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    face = paragraph.style.element.rPr.rFonts.get(qn("w:eastAsia"))
    for run in runs:
        added = paragraph.add_run(run.text)
        set_face(added._element, face)
        if run.missing:
            added.font.color.rgb = RGBColor(*MISSING_RGB)
            added.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _closing(word: Any, block: Closing, styles: dict[str, Any]) -> None:
    """A blank line, then the 署名 and the date flush right, each its GB/T 9704 right gap in
    characters (w:rightChars, which WPS and Word keep when the face changes; w:right for others)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    word.add_paragraph(style=styles["正文"])
    runs = (block.name, block.date)
    gaps = right_gaps(*(em_width(run.text) for run in runs))
    for run, gap in zip(runs, gaps, strict=True):
        paragraph = word.add_paragraph(style=styles["正文"])
        layout = paragraph.paragraph_format
        layout.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        layout.first_line_indent = Pt(0)
        layout.right_indent = Pt(gap * BODY_PT)
        layout.keep_with_next = run is block.name  # the 署名 never parted from its date
        properties = paragraph._p.get_or_add_pPr()
        properties.get_or_add_ind().set(qn("w:rightChars"), str(round(gap * 100)))
        for name in ("w:autoSpaceDN", "w:autoSpaceDE"):  # no extra space around the digits:
            off = OxmlElement(name)  # the date's width is what the rule measured
            off.set(qn("w:val"), "0")
            properties.insert_element_before(
                off, "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
        _add_runs(paragraph, (run,))


def _table(word: Any, block: Table, styles: dict[str, Any]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = word.add_paragraph(style=styles["题注"])
    caption.paragraph_format.keep_with_next = True
    _add_runs(caption, (Run(block.caption),))
    table = word.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _three_line_borders(table)
    _row_flags(table)
    # Row by row: table.cell(r, c) walks the whole table each time (a 274-row table took 40 s).
    # And the style by its id: assigning a style object searches every style of the file.
    contents = [tuple(Run(h) for h in block.header), *block.rows]
    style_id = styles["表格"].style_id
    for row_index, (row, cells) in enumerate(zip(table.rows, contents, strict=True)):
        word_cells = row.cells
        for column, cell in enumerate(cells):
            paragraph = word_cells[column].paragraphs[0]
            paragraph._p.style = style_id
            if column:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_runs(paragraph, (cell,))
            if row_index == 0:
                _cell_border(word_cells[column], "bottom", 6)


def _row_flags(table: Any) -> None:
    """A table running on to the next page repeats its header there; no row splits in two."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        flags = ("w:cantSplit", "w:tblHeader") if index == 0 else ("w:cantSplit",)
        for name in flags:
            flag = OxmlElement(name)
            flag.set(qn("w:val"), "true")
            properties.append(flag)


def _three_line_borders(table: Any) -> None:
    """三线表: a heavy rule above and below the table, a light one under the header."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge, size in (("top", 12), ("bottom", 12)):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "0"),
                           ("w:color", "000000")):
            line.set(qn(key), value)
        borders.append(line)
    table._tbl.tblPr.append(borders)


def _cell_border(cell: Any, edge: str, size: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    line = OxmlElement(f"w:{edge}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "0"),
                       ("w:color", "000000")):
        line.set(qn(key), value)
    borders.append(line)
    properties.append(borders)


def _page_number(paragraph: Any, alignment: Any) -> None:
    """— PAGE — in 宋体 14 pt, one character in from the outer edge."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = alignment
    layout = paragraph.paragraph_format
    layout.first_line_indent = Pt(0)
    layout.right_indent = layout.left_indent = Pt(PAGE_PT)
    pieces: list[tuple[str, str]] = [("text", "— "), ("begin", ""), ("instr", " PAGE "),
                                     ("separate", ""), ("text", "1"), ("end", ""),
                                     ("text", " —")]
    for kind, text in pieces:
        run = paragraph.add_run()
        set_face(run._element, FACES["page"])
        run.font.size = Pt(PAGE_PT)
        if kind == "text":
            run.text = text
        elif kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._element.append(instruction)
        else:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._element.append(field)
