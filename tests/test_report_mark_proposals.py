"""Issue 17: last year's finished summary (.docx) made into a Word template — numbers that read
exactly as a ledger figure of that year prints are proposed as 【字段】 marks, the clerk picks,
the marked file keeps every style and fills back to the same text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cli import main
from core.errors import InputError
from core.ledger import Ledger
from core.periods import Period
from core.report.docx_template import fill
from core.report.mark_proposals import (
    Choice,
    _spans,
    candidates,
    parse_accept,
    propose,
    write_marked,
)
from tests.conftest import DEMO_PERIOD

NOTHING = "另有个体工商户12345户"  # a number no figure prints: stays as it is


def _printed(demo: Ledger) -> dict[str, str]:
    return {c.field: c.printed for c in candidates(demo, DEMO_PERIOD)}


def _ambiguous(demo: Ledger) -> tuple[str, list[str]]:
    """A text two figures of the demo print alike (a count equal to last year's, …)."""
    by_text: dict[str, list[str]] = {}
    for choice in candidates(demo, DEMO_PERIOD):
        by_text.setdefault(choice.printed, []).append(choice.field)
    text, fields = next((t, f) for t, f in by_text.items()
                        if len(f) == 2 and t[0].isdigit() and t[-1] in "个家")
    return text, sorted(fields, key=lambda f: ("." in f, f))


def last_years_summary(demo: Ledger, path: Path) -> tuple[Path, dict[str, str]]:
    """A finished summary as an office keeps it, made by python-docx: one number split over
    three runs (the middle one bold, as WPS splits it), one in a table over two runs, one in
    the header and one in the footer, an ambiguous number and one that matches nothing."""
    from docx import Document
    from docx.shared import Pt

    printed = _printed(demo)
    count = printed["【规上工业企业数】"]  # e.g. 66家
    money = printed["【亿元项目总投资】"]  # e.g. 165.94亿元
    people = printed["【到企业服务人次】"]
    same, _fields = _ambiguous(demo)
    word = Document()
    word.add_paragraph(f"星河区科工信局{DEMO_PERIOD.year}年工作总结", style="Title")
    paragraph = word.add_paragraph()
    pieces = ("全区共有规上工业企业" + count[:1], count[1:-1], count[-1:] + f"，{NOTHING}。")
    for index, text in enumerate(pieces):
        run = paragraph.add_run(text)
        run.bold = index == 1
        run.font.size = Pt(16)
    word.add_paragraph(f"在建项目达到{same}。")
    table = word.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "亿元项目总投资"
    cell = table.rows[1].cells[1].paragraphs[0]
    cell.add_run(money[:3]).italic = True
    cell.add_run(money[3:])
    section = word.sections[0]
    section.header.paragraphs[0].text = f"{DEMO_PERIOD.year}年工作总结（内部资料）"
    section.footer.paragraphs[0].text = f"到企业服务{people}"
    word.save(str(path))
    return path, printed


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def _all_text(path: Path) -> list[str]:
    from docx import Document

    word = Document(str(path))
    texts = [p.text for p in word.paragraphs]
    texts += [p.text for t in word.tables for row in t.rows for c in row.cells
              for p in c.paragraphs]
    section = word.sections[0]
    texts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return texts


def test_numbers_equal_to_ledger_figures_are_proposed_with_place_and_context(
    demo: Ledger, tmp_path: Path
) -> None:
    source, printed = last_years_summary(demo, tmp_path / "2025年工作总结.docx")
    proposals = propose(demo, DEMO_PERIOD, source)
    found = {p.found: p for p in proposals}
    count = found[printed["【规上工业企业数】"]]  # split over three runs, found whole
    assert count.where == "正文第2段" and count.choices[0].field == "【规上工业企业数】"
    assert f"〔{printed['【规上工业企业数】']}〕" in count.context and "全区共有" in count.context
    money = found[printed["【亿元项目总投资】"]]
    assert money.where == "表格1第2行第2列" and not money.ambiguous
    assert found[printed["【到企业服务人次】"]].where == "第1节页脚第1段"
    assert [p.where for p in proposals if p.found == str(DEMO_PERIOD.year)] == [
        "正文第1段", "第1节页眉第1段"]
    same, fields = _ambiguous(demo)
    assert [c.field for c in found[same].choices] == fields  # offered with both
    assert not any("12345" in p.found for p in proposals)  # matches nothing: not proposed


def test_the_marked_template_keeps_every_style_and_fills_back_to_the_same_text(
    demo: Ledger, tmp_path: Path
) -> None:
    source, printed = last_years_summary(demo, tmp_path / "去年总结.docx")
    before = _parts(source)
    proposals = propose(demo, DEMO_PERIOD, source)
    chosen = parse_accept("all", proposals)
    ambiguous = [p for p in proposals if p.ambiguous]
    assert ambiguous and all(p.number not in chosen for p in ambiguous)  # never without a pick
    out = tmp_path / "模板.docx"
    result = write_marked(demo, DEMO_PERIOD, source, out, chosen)
    assert result.marked == len(proposals) - len(ambiguous) and not result.skipped
    after = _parts(out)
    for name in ("word/styles.xml", "word/settings.xml", "word/numbering.xml"):
        if name in before:
            assert after[name] == before[name], name  # untouched parts byte for byte
    texts = _all_text(out)
    assert f"全区共有规上工业企业【规上工业企业数】，{NOTHING}。" in texts
    assert f"在建项目达到{_ambiguous(demo)[0]}。" in texts  # left for the clerk's pick
    assert "【亿元项目总投资】" in texts and "【年份】年工作总结（内部资料）" in texts
    assert "到企业服务【到企业服务人次】" in texts
    from docx import Document

    runs = Document(str(out)).paragraphs[1].runs
    assert [r.bold for r in runs] == [False, False]  # the mark took its first run's style
    assert all(r.font.size is not None and r.font.size.pt == 16 for r in runs)
    cell_runs = Document(str(out)).tables[0].rows[1].cells[1].paragraphs[0].runs
    assert cell_runs[0].italic and cell_runs[0].text == "【亿元项目总投资】"  # its first run
    filled = tmp_path / "再填.docx"
    fill(demo, DEMO_PERIOD, out, filled)
    assert _all_text(filled) == _all_text(source)  # the same year prints the same numbers


def test_an_ambiguous_number_is_marked_only_with_the_clerks_pick(
    demo: Ledger, tmp_path: Path
) -> None:
    source, _printed_texts = last_years_summary(demo, tmp_path / "去年总结.docx")
    proposals = propose(demo, DEMO_PERIOD, source)
    same, fields = _ambiguous(demo)
    number = next(p.number for p in proposals if p.found == same)
    with pytest.raises(InputError, match=f"{number}:1 为 .*{number}:2 为"):
        parse_accept(str(number), proposals)
    with pytest.raises(InputError, match="看不懂"):
        parse_accept("first", proposals)
    out = tmp_path / "模板.docx"
    write_marked(demo, DEMO_PERIOD, source, out, parse_accept(f"all,{number}:2", proposals))
    assert f"在建项目达到{fields[1]}。" in _all_text(out)
    with pytest.raises(InputError, match="不能覆盖"):
        write_marked(demo, DEMO_PERIOD, source, source, {1: 0})


def test_propose_marks_on_the_command_line(demo_path: Path, tmp_path: Path) -> None:
    with Ledger.open(demo_path) as demo:
        source, _printed_texts = last_years_summary(demo, tmp_path / "去年总结.docx")
    out = tmp_path / "模板.docx"
    args = ["report", "propose-marks", "--db", str(demo_path), "--year",
            str(DEMO_PERIOD.year), "--months", f"1-{DEMO_PERIOD.months}", str(source),
            "--out", str(out)]
    listing = io.StringIO()
    assert main(args, listing) == 0
    text = listing.getvalue()
    assert "[1] 正文第1段" in text and "须指定" in text and "未生成文件" in text
    assert not out.exists()  # a listing only, until the clerk accepts
    written = io.StringIO()
    assert main([*args, "--accept", "all"], written) == 0
    assert out.exists() and "已标记" in written.getvalue() and "未指定" in written.getvalue()


_DIGITS = st.text(alphabet="0123456789.,，", max_size=3)


@settings(max_examples=60, deadline=None)
@given(_DIGITS, _DIGITS, st.sampled_from(["12.5%", "66家", "3.14亿元"]))
def test_a_number_is_proposed_only_where_it_stands_whole(before: str, after: str,
                                                          printed: str) -> None:
    """Property: "12.5%" inside "112.5%" or "0.12.5%" is another number; 66家 after a digit
    too; after a "，" it stands whole."""
    text = f"全区{before}{printed}{after}，"
    spans = _spans(text, [Choice("【x】", printed)])
    whole = not before[-1:].isdigit() and not before.endswith((".", ",")) and not (
        printed[-1].isdigit() and after[:1].isdigit())
    if printed[-1].isdigit():
        whole = whole and not (after[:1] == "." and after[1:2].isdigit())
    assert bool(spans) == whole


def test_the_window_lists_the_proposals_as_a_checklist_and_saves_the_picks(
    qtbot, demo: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """总结 → 模板管理 → 从去年总结生成模板…"""
    from PySide6.QtCore import Qt

    from ui import summary_tab
    from ui.dialogs.mark_proposals import MarkProposalsDialog
    from ui.operations import Operations
    from ui.summary_tab import SummaryTab

    source, _printed_texts = last_years_summary(demo, tmp_path / "去年总结.docx")
    same, fields = _ambiguous(demo)
    out = tmp_path / "我的模板.docx"
    seen: dict[str, object] = {}

    def run(dialog: MarkProposalsDialog) -> int:
        rows: dict[str, int] = {}
        for number, proposal in enumerate(dialog.proposals):
            rows.setdefault(proposal.found, number)  # the first of each text
        row = rows[same]
        seen["ambiguous_ticked"] = dialog.table.item(row, 0).checkState()
        dialog.choice(row).setCurrentIndex(dialog.choice(row).findData(1))  # the 2nd field
        seen["after_pick"] = dialog.table.item(row, 0).checkState()
        first = rows[str(DEMO_PERIOD.year)]
        dialog.table.item(first, 0).setCheckState(Qt.CheckState.Unchecked)  # not the title
        monkeypatch.setattr(dialog, "save_as", lambda _suggested: out)
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(MarkProposalsDialog, "exec", run)
    monkeypatch.setattr(summary_tab, "ask_open_path", lambda *args: source)
    ops = Operations()
    ops.set_ledger(demo)
    tab = SummaryTab()
    qtbot.addWidget(tab)
    tab.set_period(Period(DEMO_PERIOD.year + 1, 3))  # this year's tab: last year's summary
    tab.set_ledger(demo, ops)
    assert tab.marks_from_last_year() == out
    assert seen == {"ambiguous_ticked": Qt.CheckState.Unchecked,
                    "after_pick": Qt.CheckState.Checked}
    texts = _all_text(out)
    assert f"在建项目达到{fields[1]}。" in texts
    assert f"星河区科工信局{DEMO_PERIOD.year}年工作总结" in texts  # unticked: left as it was
    assert "已标记" in tab.status.text()
