"""附件 (GB/T 9704-2012 §7.3.4, §8): the 附件说明 below the body, each attachment on a page of
its own headed 附件N, the registers as printable tables — read back from the PDF and the .docx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.ledger import Ledger
from core.report import attachments, writers
from core.report.build import build
from core.report.document import Attachment, AttachmentNote, Closing, Paragraph, Table
from core.report.store import Templates
from core.report.template import TemplateError
from core.report.writers import text
from tests.conftest import DEMO_PERIOD
from tests.test_report_closing import BODY_PT, pdf_words
from ui.report_pdf import register_pdf_writer

ALL = "".join(f"【附件：{name}】\n" for name in attachments.ATTACHMENTS)
LEFT_MARGIN_PT = 28 / 25.4 * 72


def summary(ledger: Ledger, extra: str = ALL, name: str = "年度总结"):
    return build(ledger, DEMO_PERIOD, Templates(ledger).get(name).body + "\n" + extra)


def test_the_note_comes_before_the_closing_and_the_pages_after_it(demo: Ledger) -> None:
    document = summary(demo)
    kinds = [type(block) for block in document.blocks]
    note_at, closing_at = kinds.index(AttachmentNote), kinds.index(Closing)
    assert closing_at == note_at + 1
    pages = document.blocks[closing_at + 1:]
    assert [(p.label, p.title) for p in pages if isinstance(p, Attachment)] == [
        ("附件1", "指标完成情况表"), ("附件2", "项目推进表"), ("附件3", "企业服务台账")]
    note = document.blocks[note_at]
    assert isinstance(note, AttachmentNote)
    assert note.lines == ("附件：1.指标完成情况表", "2.项目推进表", "3.企业服务台账")


def test_one_attachment_has_no_number(demo: Ledger) -> None:
    document = summary(demo, "【附件：项目推进表】\n【附件：项目推进表】")
    notes = [b for b in document.blocks if isinstance(b, AttachmentNote)]
    pages = [b for b in document.blocks if isinstance(b, Attachment)]
    assert [n.lines for n in notes] == [("附件：项目推进表",)]
    assert [p.label for p in pages] == ["附件"]


def test_the_tabs_choice_adds_attachments_to_every_template(demo: Ledger) -> None:
    demo.set_setting(attachments.SETTING, ["企业服务台账", "不存在的表"])
    for name in ("年度总结", "半年总结"):
        pages = [b for b in summary(demo, "", name).blocks if isinstance(b, Attachment)]
        assert [p.title for p in pages] == ["企业服务台账"], name


def test_the_tables_hold_the_registers(demo: Ledger) -> None:
    pages = {b.title: b for b in summary(demo).blocks if isinstance(b, Attachment)}
    indicators = pages["指标完成情况表"].body[0]
    assert isinstance(indicators, Table) and indicators.caption == ""
    numeric = [i.name for i in demo.catalogue.all() if i.kind not in ("list", "text")]
    assert [row[0].text for row in indicators.rows] == numeric
    projects = pages["项目推进表"].body[0]
    assert isinstance(projects, Table)
    assert [row[1].text for row in projects.rows] == [
        row["name"] for row in demo.projects.rows(DEMO_PERIOD)]
    services = pages["企业服务台账"].body[0]
    assert isinstance(services, Table)
    records = demo.services.rows(start=DEMO_PERIOD.start, end=DEMO_PERIOD.end)
    assert len(services.rows) == len(records)
    dates = [row[0].text for row in services.rows]
    assert dates == sorted(dates)
    assert not any(cell.text in ("0", "0人次", "问题0个") for row in services.rows for cell in row)


def test_an_empty_register_is_shown_as_missing_not_as_an_empty_table(ledger: Ledger) -> None:
    document = build(ledger, DEMO_PERIOD, "正文。\n【附件：企业服务台账】")
    page = next(b for b in document.blocks if isinstance(b, Attachment))
    assert isinstance(page.body[0], Paragraph) and page.body[0].runs[0].missing
    assert f"{DEMO_PERIOD.label}的企业服务记录" in document.missing


def test_an_unknown_attachment_is_a_template_problem(demo: Ledger) -> None:
    with pytest.raises(TemplateError) as raised:
        summary(demo, "【附件：工资表】")
    assert "附件应为 指标完成情况表、项目推进表、企业服务台账 之一" in str(raised.value)


def test_text_indents_the_note_under_the_first_name(demo: Ledger) -> None:
    lines = text.render(summary(demo)).split("\r\n")
    at = lines.index("\u3000\u3000附件：1.指标完成情况表")
    assert lines[at - 1] == "" and lines[at + 1] == "\u3000" * 5 + "2.项目推进表"


def test_the_pdf_starts_each_attachment_on_a_new_page(qapp, demo: Ledger, tmp_path: Path) -> None:
    from pypdf import PdfReader

    register_pdf_writer()
    pdf = writers.save(summary(demo), tmp_path / "附件.pdf")
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    starts = [re.match(r"\s*(附件\d)\s*(\S+)", page) for page in pages]
    heads = [(m[1], m[2]) for m in starts if m]
    assert heads == [("附件1", "指标完成情况表"), ("附件2", "项目推进表"),
                     ("附件3", "企业服务台账")]
    first = next(n for n, m in enumerate(starts) if m)
    note_page = pages[first - 1]
    assert "附件：1.指标完成情况表" in note_page and "星河区科工信局" in note_page
    assert note_page.index("3.企业服务台账") < note_page.index("星河区科工信局")
    # 附件： two characters in from the left margin, 2. and 3. under the first name
    only_note = writers.save(build(demo, DEMO_PERIOD, "正文。\n" + ALL), tmp_path / "说明.pdf")
    words = {word: left for word, left, _right, _top in pdf_words(only_note, page=0)}
    assert (words["附件：1.指标完成情况表"] - LEFT_MARGIN_PT) / BODY_PT == pytest.approx(2, abs=0.1)
    assert (words["2.项目推进表"] - LEFT_MARGIN_PT) / BODY_PT == pytest.approx(5, abs=0.1)


def test_word_starts_each_attachment_on_a_new_page(demo: Ledger, tmp_path: Path) -> None:
    from docx import Document as open_docx

    path = writers.save(summary(demo), tmp_path / "附件.docx")
    word = open_docx(str(path))
    paragraphs = word.paragraphs
    labels = [p for p in paragraphs if p.paragraph_format.page_break_before]
    assert [p.text for p in labels] == ["附件1", "附件2", "附件3"]
    for label in labels:
        assert label.style.name == "一级标题" and label.paragraph_format.first_line_indent == 0
    note = next(n for n, p in enumerate(paragraphs) if p.text == "附件：1.指标完成情况表")
    assert paragraphs[note - 1].text == ""
    first, second = paragraphs[note].paragraph_format, paragraphs[note + 1].paragraph_format
    assert (first.left_indent.pt, first.first_line_indent.pt) == (5 * BODY_PT, -3 * BODY_PT)
    assert (second.left_indent.pt, second.first_line_indent.pt) == (5 * BODY_PT, 0)
    tables = word.tables
    project_names = {row["name"] for row in demo.projects.rows(DEMO_PERIOD)}
    assert any({row.cells[1].text for row in table.rows[1:]} == project_names
               for table in tables)
