"""署名 and 成文日期 (GB/T 9704-2012 §7.3.5.3, no seal), read back from every exported format.

The standard counts in characters of the 16 pt body face: the 署名 stands two characters from
the right margin, the date on the next line starts two characters right of the 署名's first
character; a date that would then come closer than two characters to the margin keeps two and
pushes the 署名 left.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.ledger import Ledger
from core.report import writers
from core.report.build import build
from core.report.closing import GAP, LINE_CHARS, date_words, em_width, right_gaps
from core.report.document import Closing, Document, Paragraph, Run
from core.report.store import Templates
from core.report.template import TemplateError
from core.report.writers import html, text
from tests.conftest import DEMO_PERIOD, TEST_TODAY
from ui.report_pdf import register_pdf_writer

LONG_NAME = "星河区科学技术和工业信息化局"  # 14 characters: the date fits under it
SHORT_NAME = "科工局"  # 3 characters: the date is longer, the 署名 moves left
DATE = "2026年12月1日"  # 6.5 characters (seven half-width digits)
BODY_PT = 16.0
RIGHT_MARGIN_PT = 26 / 25.4 * 72
PAGE_WIDTH_PT = 210 / 25.4 * 72


def closing_document(name: str, day: str = DATE) -> Document:
    body = Paragraph((Run("今年以来，我局坚持稳中求进工作总基调，各项工作取得新成效。"),))
    return Document((body, Closing(Run(name), Run(day))))


def expected_gaps(name: str, day: str) -> tuple[float, float]:
    """Worked out by hand from the standard's words, not by the code under test."""
    name_chars, date_chars = em_width(name), em_width(day)
    if (GAP + name_chars) - GAP - date_chars >= GAP:  # the date ends ≥ 2 from the margin
        return GAP, name_chars - date_chars
    return GAP + date_chars + GAP - name_chars, GAP


# -- the rule ---------------------------------------------------------------------------------
def test_dates_are_written_in_full_without_leading_zeros() -> None:
    assert date_words(date(2026, 12, 1)) == "2026年12月1日"
    assert date_words(date(2027, 1, 9)) == "2027年1月9日"
    assert em_width(DATE) == 6.5


@settings(max_examples=200, deadline=None)
@given(name=st.floats(1, 30), day=st.floats(4, 12))
def test_the_date_starts_two_characters_right_of_the_name_and_keeps_two_to_the_margin(
        name: float, day: float) -> None:
    name_gap, date_gap = right_gaps(name, day)
    assert date_gap >= GAP - 1e-9 and name_gap >= GAP - 1e-9
    assert (name_gap + name) - (date_gap + day) == pytest.approx(GAP)  # 首字右移二字
    assert min(name_gap, date_gap) == pytest.approx(GAP)  # one of them 右空二字, never more
    if name - day >= GAP:
        assert name_gap == pytest.approx(GAP)


# -- the template ------------------------------------------------------------------------------
def test_the_bundled_summaries_end_with_the_bureau_and_todays_date(demo: Ledger) -> None:
    for name in ("年度总结", "半年总结"):
        document = build(demo, DEMO_PERIOD, Templates(demo).get(name))
        closing = document.blocks[-1]
        assert isinstance(closing, Closing), name
        assert closing.name.text == "星河区科工信局"
        assert closing.date.text == date_words(TEST_TODAY) == "2026年11月28日"


def test_the_date_the_clerk_sets_is_printed(demo: Ledger) -> None:
    """The 总结 tab's 截至 date and `report --date` (the clock's today by default)."""
    closing = build(demo, DEMO_PERIOD, "正文。\n【落款】", today=date(2026, 12, 1)).blocks[-1]
    assert isinstance(closing, Closing) and closing.date.text == "2026年12月1日"


def test_a_ledger_without_a_bureau_name_prints_it_as_missing(ledger: Ledger) -> None:
    ledger.set_setting("bureau", "")
    document = build(ledger, DEMO_PERIOD, "正文。\n【落款】")
    closing = document.blocks[-1]
    assert isinstance(closing, Closing) and closing.name.missing
    assert "单位名称（设置）" in document.missing


def test_the_closing_stands_alone_and_takes_nothing_after_it(demo: Ledger) -> None:
    with pytest.raises(TemplateError) as raised:
        build(demo, DEMO_PERIOD, "正文。\n【落款：2026年】\n此致【落款】")
    messages = [problem.message for problem in raised.value.problems]
    assert any("【落款】后面不需要写内容" in message for message in messages), messages
    assert any("要单独占一行" in message for message in messages), messages


# -- read back from the files ------------------------------------------------------------------
def pdf_words(path: Path, page: int = -1) -> list[tuple[str, float, float, float]]:
    """(word, xMin, xMax, yMin) of every word on a page (from 0; the last by default), in
    points (pdftotext -bbox)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = path.with_suffix(".html")
    subprocess.run(["pdftotext", "-bbox", str(path), str(out)], check=True)
    pages = out.read_text(encoding="utf-8").split("<page ")[1:]
    return [(m[5], float(m[1]), float(m[3]), float(m[2])) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        pages[page])]


@pytest.mark.parametrize("name", [LONG_NAME, SHORT_NAME])
def test_the_pdf_places_name_and_date_by_the_standard(qapp, tmp_path: Path, name: str) -> None:
    register_pdf_writer()
    pdf = writers.save(closing_document(name), tmp_path / f"落款{len(name)}.pdf")
    words = {word: (left, right, top) for word, left, right, top in pdf_words(pdf)}
    name_gap, date_gap = expected_gaps(name, DATE)
    text_right = PAGE_WIDTH_PT - RIGHT_MARGIN_PT
    name_left, name_right, name_top = words[name]
    date_left, date_right, date_top = words[DATE]
    assert (text_right - name_right) / BODY_PT == pytest.approx(name_gap, abs=0.25)
    assert (text_right - date_right) / BODY_PT == pytest.approx(date_gap, abs=0.25)
    assert (date_left - name_left) / BODY_PT == pytest.approx(GAP, abs=0.25)  # 首字右移二字
    body_end = max(top for word, (_l, _r, top) in words.items()
                   if word not in (name, DATE) and top < 700)  # not the page number
    line = (297 - 37 - 35) / 25.4 * 72 / 22
    lines = [round((t - body_end) / line, 1) for t in (name_top, date_top)]
    assert lines == [2.0, 3.0]  # one blank line after the body, the date on the next line


@pytest.mark.parametrize("name", [LONG_NAME, SHORT_NAME])
def test_word_places_name_and_date_by_the_standard(tmp_path: Path, name: str) -> None:
    from docx import Document as open_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    path = writers.save(closing_document(name), tmp_path / "落款.docx")
    paragraphs = open_docx(str(path)).paragraphs
    blank, signed, dated = paragraphs[-3:]
    assert blank.text == "" and (signed.text, dated.text) == (name, DATE)
    for paragraph, gap in zip((signed, dated), expected_gaps(name, DATE), strict=True):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert paragraph.paragraph_format.right_indent.pt / BODY_PT == pytest.approx(gap)
        indent = paragraph._p.pPr.find(qn("w:ind"))
        assert int(indent.get(qn("w:rightChars"))) == round(gap * 100)
        for name in ("w:autoSpaceDE", "w:autoSpaceDN"):  # Word's extra space by the digits off
            assert paragraph._p.pPr.find(qn(name)).get(qn("w:val")) == "0"
        assert paragraph.paragraph_format.first_line_indent.pt == 0
    assert signed.paragraph_format.keep_with_next


@pytest.mark.parametrize("name", [LONG_NAME, SHORT_NAME])
def test_text_and_html_place_name_and_date_by_the_standard(name: str) -> None:
    document = closing_document(name)
    lines = text.render(document).split("\r\n")
    assert lines[-4] == ""  # the blank line after the body
    for line, gap in zip(lines[-3:-1], expected_gaps(name, DATE), strict=True):
        assert em_width(line) + gap == pytest.approx(LINE_CHARS)
    page = html.render(document)
    for run_text, gap in zip((name, DATE), expected_gaps(name, DATE), strict=True):
        assert re.search(rf'padding-right: {gap:g}em">{run_text}</p>', page), run_text
