"""The clerk's own Word file as the template: fields split over runs, a repeating table row, a
header and a footer; untouched parts byte for byte; unknown fields reported, nothing written."""

from __future__ import annotations

import io
import zipfile
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from core.ledger import Ledger
from core.report.build import build
from core.report.document import Paragraph
from core.report.docx_template import WordTemplateError, fill
from tests.conftest import DEMO_PERIOD

SPLIT = ("全区共有规上工业企业【规上工", "业企业",
         "数】，规上工业增加值增速为【规上工业增加值增速】。")


def make_template(path: Path, *, extra: str = "") -> Path:
    """A .docx as a clerk would mark it, made by python-docx: the field 【规上工业企业数】 over
    three runs (the middle one bold, as WPS splits it), a table whose second row repeats per
    project, 【单位】 in the header and a plain footer."""
    from docx import Document
    from docx.shared import Pt

    word = Document()
    word.add_paragraph("【区名】科工信局【年份】年工作总结", style="Title")
    paragraph = word.add_paragraph()
    for index, text in enumerate(SPLIT):
        run = paragraph.add_run(text)
        run.bold = index == 1
        run.font.size = Pt(16)
    word.add_paragraph("本段没有字段，应原样保留。")
    if extra:
        word.add_paragraph(extra)
    table = word.add_table(rows=2, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "项目名称", "总投资（亿元）", "状态"),
                          strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("【项目.序号】", "【项目.名称】", "【项目.总投资】",
                                                "【项目.状态】"), strict=True):
        cell.text = text
    word.add_paragraph("落款：【单位】 【日期】")
    section = word.sections[0]
    section.header.paragraphs[0].text = "【单位】内部资料"
    section.footer.paragraphs[0].text = "第 页"
    word.save(str(path))
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def expected(ledger: Ledger, line: str) -> str:
    paragraph = build(ledger, DEMO_PERIOD, f"标题\n{line}").blocks[1]
    assert isinstance(paragraph, Paragraph)
    return paragraph.text


def test_a_marked_word_file_is_filled_keeping_everything_else(demo: Ledger, tmp_path: Path
                                                              ) -> None:
    from docx import Document
    from lxml import etree

    demo.set_setting("bureau", "星河区科工信局<&>")  # values are escaped, not markup
    template = make_template(tmp_path / "张三的模板.docx")
    out = tmp_path / "填好的总结.docx"
    filled = fill(demo, DEMO_PERIOD, template, out)
    before, after = parts(template), parts(out)
    for name in ("word/styles.xml", "word/theme/theme1.xml", "word/settings.xml",
                 "word/footer1.xml" if "word/footer1.xml" in before else ""):
        if name:
            assert after[name] == before[name], name
    old, new = Document(str(template)), Document(str(out))
    # the title and the paragraph with the split field read as the text template would
    assert new.paragraphs[0].text == expected(demo, "【区名】科工信局【年份】年工作总结")
    assert new.paragraphs[0].style.name == "Title"
    assert new.paragraphs[1].text == expected(demo, "".join(SPLIT))
    runs = new.paragraphs[1].runs
    assert [run.bold for run in runs] == [False, False]  # the middle run went into the first
    # the paragraph without fields is byte for byte the same XML
    assert etree.tostring(new.paragraphs[2]._p) == etree.tostring(old.paragraphs[2]._p)
    # one row per project, after the untouched header row
    projects = demo.projects.rows(DEMO_PERIOD)
    table, old_table = new.tables[0], old.tables[0]
    assert etree.tostring(table.rows[0]._tr) == etree.tostring(old_table.rows[0]._tr)
    assert [row.cells[1].text for row in table.rows[1:]] == [p["name"] for p in projects]
    assert [row.cells[0].text for row in table.rows[1:]] == [
        str(n) for n in range(1, len(projects) + 1)]
    assert table.rows[1].cells[2].text == f"{projects[0]['total_investment']:.2f}"
    assert table.style.name == "Table Grid"
    # header filled (escaped), footer untouched
    assert new.sections[0].header.paragraphs[0].text == "星河区科工信局<&>内部资料"
    header_xml = next(data for name, data in after.items() if name.startswith("word/header"))
    assert "星河区科工信局&lt;&amp;&gt;".encode() in header_xml
    assert new.sections[0].footer.paragraphs[0].text == "第 页"
    assert new.paragraphs[-1].text == "落款：星河区科工信局<&> 2026年11月28日"
    assert filled.missing == ()


def test_an_unknown_field_is_reported_with_its_paragraph_and_nothing_is_written(
        demo: Ledger, tmp_path: Path) -> None:
    template = make_template(tmp_path / "模板.docx", extra="另有【不存在的指标】和【项目.名称】。")
    out = tmp_path / "总结.docx"
    with pytest.raises(WordTemplateError) as raised:
        fill(demo, DEMO_PERIOD, template, out)
    problems = raised.value.problems
    assert any(p.startswith("正文第4段：") and "不存在的指标" in p for p in problems), problems
    assert any(p.startswith("正文第4段：") and "只能写在正文表格的一行中" in p for p in problems)
    assert not out.exists()
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_file()) == ["模板.docx"]


def test_the_report_command_fills_a_word_template(demo_path: Path, tmp_path: Path) -> None:
    from core.cli import main

    template = make_template(tmp_path / "模板.docx")
    out = tmp_path / "总结.docx"
    printed = io.StringIO()
    with redirect_stdout(printed):
        code = main(["report", "--db", str(demo_path), "--year", "2026", "--months", "11",
                     "--template-docx", str(template), "--out", str(out)])
    assert code == 0 and out.exists(), printed.getvalue()
    assert "已按 Word 模板" in printed.getvalue()


def test_a_doc_file_or_a_broken_one_gets_a_clear_message(demo: Ledger, tmp_path: Path) -> None:
    from core.errors import InputError

    old = tmp_path / "旧.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="另存为 .docx"):
        fill(demo, DEMO_PERIOD, old, tmp_path / "总结.docx")
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="无法读取"):
        fill(demo, DEMO_PERIOD, broken, tmp_path / "总结.docx")



def test_a_condition_in_a_word_paragraph_keeps_the_branch_that_holds(demo: Ledger,
                                                                      tmp_path: Path) -> None:
    """【如果：…】…【否则】…【结束】 over several runs of one paragraph, as in a text template."""
    from docx import Document

    growth = demo.metrics.figure("tech_contract_turnover", DEMO_PERIOD).growth
    assert growth is not None and growth < 0  # the demo's declining figure
    template = tmp_path / "模板.docx"
    word = Document()
    word.add_paragraph("标题")
    paragraph = word.add_paragraph()
    for index, text in enumerate(("技术合同【如果：技术合同交易额.同比增长】保持", "增长",
                                  "【否则】有所回落，【技术合同交易额.同比】【结束】。")):
        paragraph.add_run(text).bold = index == 1
    word.add_paragraph("【如果：规上工业企业数>1】甲【否则】乙")  # no 【结束】
    word.save(str(template))
    with pytest.raises(WordTemplateError) as raised:
        fill(demo, DEMO_PERIOD, template, tmp_path / "坏.docx")
    assert any(p.startswith("正文第3段：") and "到段末还没有【结束】" in p
               for p in raised.value.problems), raised.value.problems
    word.paragraphs[2].text = "【如果：规上工业企业数>1】甲【否则】乙【结束】"
    word.save(str(template))
    out = tmp_path / "总结.docx"
    fill(demo, DEMO_PERIOD, template, out)
    filled = Document(str(out))
    line = expected(demo, "【技术合同交易额.同比】")
    assert filled.paragraphs[1].text == f"技术合同有所回落，{line}。"
    assert [run.text for run in filled.paragraphs[1].runs] == ["技术合同", "",
                                                               f"有所回落，{line}。"]
    assert filled.paragraphs[2].text == "甲"
