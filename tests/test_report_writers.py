"""The demo year exported to every format: the text of each file holds every figure, right.

The document is built once with the real charts (matplotlib's missing-glyph warning is an error
in this suite, so a chart with boxes instead of Chinese fails here) and written to PDF through
Qt, Word through python-docx, HTML and plain text.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from core.errors import InputError, LedgerError
from core.ledger import Ledger
from core.report import writers
from core.report.build import build
from core.report.document import (
    Chart,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
    missing_run,
)
from core.report.store import Templates
from core.report.writers.docx import TEXT_WIDTH_MM
from tests.conftest import DEMO_PERIOD
from tests.report_support import expected_figures, missing_figures, squash
from ui.report_pdf import register_pdf_writer


@dataclass(frozen=True)
class Exported:
    document: Document
    expected: dict[int, list[str]]
    paths: dict[str, Path]


@pytest.fixture(scope="module")
def exported(qapp, demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    register_pdf_writer()
    folder = tmp_path_factory.mktemp("导出 总结")
    with Ledger.open(demo_template, readonly=True) as ledger:
        document = build(ledger, DEMO_PERIOD, Templates(ledger).get("年度总结"))
        expected = expected_figures(ledger, DEMO_PERIOD)
    paths = {suffix: writers.save(document, folder / f"星河区工作总结{suffix}")
             for suffix in writers.FORMATS}
    return Exported(document, expected, paths)


def pdf_text(path: Path) -> str:
    """The running text: each page without its page number (a sentence may continue across)."""
    from pypdf import PdfReader

    pages = [re.sub(r"—\s*\d+\s*—\s*$", "", page.extract_text())
             for page in PdfReader(path).pages]
    return "\n".join(pages)


def docx_text(path: Path) -> str:
    from docx import Document as open_docx

    word = open_docx(str(path))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip = tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _TextOnly()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def json_text(path: Path) -> str:
    """The text the JSON document model holds: headings, paragraphs, table cells."""
    import json

    blocks = json.loads(path.read_text(encoding="utf-8"))["blocks"]
    return "\n".join(b.get("text") or b.get("caption", "") + "\n" + "\n".join(
        "\t".join(row) for row in b.get("rows", [])) for b in blocks)


EXTRACT = {".pdf": pdf_text, ".docx": docx_text, ".html": html_text,
           ".txt": lambda path: path.read_text(encoding="utf-8-sig"), ".json": json_text}


@pytest.mark.parametrize("suffix", list(writers.FORMATS))
def test_every_format_holds_every_seed_figure(exported: Exported, suffix: str) -> None:
    text = EXTRACT[suffix](exported.paths[suffix])
    assert missing_figures(text, exported.expected) == {}
    assert squash(exported.document.title) in squash(text)
    assert "下降" in text  # the demo's one declining figure (技术合同交易额)


def test_the_pdf_repeats_no_line_and_numbers_its_pages(exported: Exported) -> None:
    from pypdf import PdfReader

    reader = PdfReader(exported.paths[".pdf"])
    assert len(reader.pages) >= 3
    for index, page in enumerate(reader.pages, 1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert f"—{index}—" in squash(page.extract_text())
    text = squash(pdf_text(exported.paths[".pdf"]))
    for block in exported.document.blocks:
        if isinstance(block, Paragraph):  # a paragraph across a page break is printed once
            assert text.count(squash(block.text)[:24]) == 1, block.text[:24]


def test_every_pdf_font_is_embedded(exported: Exported) -> None:
    from pypdf import PdfReader

    fonts: dict[str, bool] = {}
    for page in PdfReader(exported.paths[".pdf"]).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptors = [d.get_object()["/FontDescriptor"] for d in
                           font.get("/DescendantFonts", [])] or [font.get("/FontDescriptor")]
            fonts[font["/BaseFont"]] = all(
                d is not None and any(k in d.get_object() for k in
                                      ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors)
    assert len(fonts) >= 3  # title/body, level-1 headings, level-2 headings
    assert all(fonts.values()), fonts


def test_charts_are_at_print_resolution(exported: Exported) -> None:
    charts = [block for block in exported.document.blocks if isinstance(block, Chart)]
    assert len(charts) == 4
    for chart in charts:
        width = struct.unpack(">I", chart.png[16:20])[0]
        assert width / (TEXT_WIDTH_MM / 25.4) >= 199  # ≥ 200 dpi at the text width


def test_a_previewed_layout_still_prints_charts_at_full_resolution(exported: Exported,
                                                                  tmp_path: Path) -> None:
    """The preview paints shrunken charts (averaged, so their text stays legible); a PDF made
    from the same layout afterwards must get the full pictures back."""
    from pypdf import PdfReader
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QPdfWriter, QTextDocument

    from ui.page_formats import LAYOUT_DPI, TEXT_WIDTH
    from ui.report_pdf import SummaryLayout, page_image, render

    layout = SummaryLayout(exported.document)
    page_image(layout, 0, 100)
    names = list(layout._charts)
    shown = layout.text.resource(QTextDocument.ResourceType.ImageResource, QUrl(names[0]))
    assert shown.width() == round(TEXT_WIDTH * 100 / LAYOUT_DPI)  # 614 px
    full = struct.unpack(">I", next(block for block in exported.document.blocks
                                    if isinstance(block, Chart)).png[16:20])[0]
    assert full >= 2 * shown.width()

    path = tmp_path / "预览后打印.pdf"
    writer = QPdfWriter(str(path))
    writer.setResolution(1200)
    render(layout, writer)
    del writer
    widths = [image.image.width for page in PdfReader(path).pages for image in page.images]
    assert len(widths) == len(names) and min(widths) == full


def test_the_word_file_sets_east_asian_fonts_and_a4_margins(exported: Exported) -> None:
    from docx import Document as open_docx
    from docx.oxml.ns import qn
    word = open_docx(str(exported.paths[".docx"]))
    section = word.sections[0]
    measures = (section.page_width, section.page_height, section.top_margin,
                section.left_margin, section.right_margin, section.bottom_margin)
    assert [round(length.mm) for length in measures] == [210, 297, 37, 28, 26, 35]
    runs = [run for paragraph in word.paragraphs for run in paragraph.runs if run.text]
    assert runs and all(run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in runs)
    faces = {run._parent.style.name: run._element.rPr.rFonts.get(qn("w:eastAsia"))
             for run in runs}
    assert faces["公文标题"] == "方正小标宋简体" and faces["正文"] == "仿宋"
    assert faces["一级标题"] == "黑体" and faces["二级标题"] == "楷体"
    assert len(word.inline_shapes) == 4


def test_html_is_self_contained(exported: Exported) -> None:
    html = exported.paths[".html"].read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 4
    assert "http://" not in html and "https://" not in html


def test_plain_text_suits_notepad(exported: Exported) -> None:
    data = exported.paths[".txt"].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n\n" not in data


def test_missing_figures_are_marked_in_every_format(qapp, tmp_path: Path) -> None:
    register_pdf_writer()
    document = Document((Heading(0, (Run("标题"),)),
                         Paragraph((Run("复工复产率"), missing_run("复工复产率"),
                                    Run("<script>alert(1)</script>")))), ("复工复产率",))
    paths = {s: writers.save(document, tmp_path / f"缺数{s}") for s in writers.FORMATS}
    for suffix, path in paths.items():
        assert "【未填：复工复产率】" in EXTRACT[suffix](path), suffix
    html = paths[".html"].read_text(encoding="utf-8")
    assert '<span class="missing">【未填：复工复产率】</span>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html

    from docx import Document as open_docx
    from docx.enum.text import WD_COLOR_INDEX

    [marked] = [run for run in open_docx(str(paths[".docx"])).paragraphs[1].runs
                if run.text.startswith("【未填")]
    assert marked.font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_a_table_running_over_pages_repeats_its_header_on_each(qapp, tmp_path: Path) -> None:
    from docx import Document as open_docx
    from docx.oxml.ns import qn
    from pypdf import PdfReader

    register_pdf_writer()
    header = ("指标", "本期", "确保目标", "完成率", "上年同期", "同比")
    rows = tuple((Run(f"第{i:03d}号指标"), *(Run(f"{i}.{k}") for k in range(5)))
                 for i in range(1, 121))
    document = Document((Heading(0, (Run("长表"),)), Paragraph((Run("表前的文字。"),)),
                         Table("表1 绩效指标完成情况", header, rows)))
    pdf = writers.save(document, tmp_path / "长表.pdf")
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert len(pages) >= 3
    assert all("确保目标" in page and "上年同期" in page for page in pages)
    text = "\n".join(pages)
    assert all(text.count(f"第{i:03d}号指标") == 1 for i in range(1, 121))  # each row once

    word = open_docx(str(writers.save(document, tmp_path / "长表.docx")))
    table_rows = word.tables[0].rows
    assert table_rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table_rows)
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table_rows[1:])


def test_a_failed_write_leaves_the_old_file_and_no_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "总结.txt"
    target.write_text("旧内容", encoding="utf-8")

    def half_then_fail(partial: Path) -> None:
        partial.write_text("写了一半", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(LedgerError, match="磁盘空间不足"):
        writers.replace_atomically(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["总结.txt"]


def test_unknown_formats_and_pdf_without_qt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    document = Document((Heading(0, (Run("标题"),)),))
    with pytest.raises(InputError, match="不支持"):
        writers.save(document, tmp_path / "总结.xls")
    monkeypatch.setattr(writers, "_REGISTERED", {})
    with pytest.raises(LedgerError, match="窗口中导出"):
        writers.save(document, tmp_path / "总结.pdf")
    assert not list(tmp_path.iterdir())
