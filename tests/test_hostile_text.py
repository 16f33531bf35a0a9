"""Issue 18, finding 1: control characters, lone surrogates and zero-width characters in free
text. Decided per character (core.text): line breaks → "\\n", zero-width → dropped, the rest
refused at input with a message naming the field; existing ledgers cleaned by a migration;
every writer safe whatever reaches it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core import schema
from core.errors import InputError
from core.exchange.excel_export import export_year
from core.ledger import Ledger
from core.report import writers
from core.report.build import build
from core.report.document import Document, Paragraph, Run, Table
from core.report.store import Templates
from core.text import MAX_TEXT_CHARS, clean_text, scrub
from tests.conftest import DEMO_PERIOD


def test_word_line_break_in_a_pasted_project_name_is_stored_as_a_line_break(ledger: Ledger
                                                                              ) -> None:
    ledger.projects.add(name="年产10万吨项目\x0b（二期）")
    assert ledger.scalar("SELECT name FROM projects") == "年产10万吨项目\n（二期）"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\ufffe",
                                  "\uffff", "\ud800", "\udfff"])
def test_a_control_character_is_refused_naming_the_field(ledger: Ledger, char: str) -> None:
    with pytest.raises(InputError) as caught:
        ledger.projects.add(name=f"某某项目{char}二期")
    assert "「项目名称」" in caught.value.message and f"U+{ord(char):04X}" in caught.value.message
    assert ledger.scalar("SELECT count(*) FROM projects") == 0


def test_an_indicator_note_refuses_a_control_character(demo: Ledger) -> None:
    indicator = demo.catalogue.all()[0]
    with pytest.raises(InputError) as caught:
        demo.metrics.set(indicator, DEMO_PERIOD, "note", "备注\x07")
    assert indicator.name in caught.value.message and "U+0007" in caught.value.message


def test_zero_width_space_does_not_make_a_look_alike_enterprise(ledger: Ledger) -> None:
    ledger.enterprises.add(name="星河精密制造有限公司")
    with pytest.raises(Exception):  # noqa: B017 - the name is taken: refused as a duplicate
        ledger.enterprises.add(name="星河精密\u200b制造有限公司")
    assert ledger.scalar("SELECT count(*) FROM enterprises") == 1


def test_a_text_over_the_limit_is_refused_with_a_clear_message(ledger: Ledger) -> None:
    with pytest.raises(InputError) as caught:
        ledger.projects.add(name="项目", note="很长" * MAX_TEXT_CHARS)
    assert "「备注」过长" in caught.value.message


def test_every_writer_holds_text_with_control_characters(qapp, demo_path: Path,
                                                          tmp_path: Path) -> None:
    """Whatever reaches the document (a ledger from before the rule, a template): no writer
    fails, Word and Excel included."""
    from ui.report_pdf import register_pdf_writer

    register_pdf_writer()
    nasty = "甲\x00乙\x07丙\x0b丁\x1b戊\ufffe己\uffff庚\ud800辛"
    document = Document((Paragraph((Run(nasty),)),
                         Table(f"表{nasty}", (nasty, "b"), ((Run(nasty), Run("x")),))))
    for suffix in writers.FORMATS:
        written = writers.save(document, tmp_path / f"总结{suffix}")
        assert written.stat().st_size > 0
    conn = sqlite3.connect(demo_path)  # text stored before the rule existed
    conn.execute("UPDATE projects SET name = ? WHERE rowid = (SELECT min(rowid) FROM projects)",
                 (nasty.replace("\ud800", ""),))
    conn.commit()
    conn.close()
    with Ledger.open(demo_path) as ledger:  # the migration cleans it …
        assert not ledger.scalar("SELECT count(*) FROM projects WHERE name GLOB ?",
                                 ("*[\x00\x07\x1b]*",))
        document = build(ledger, DEMO_PERIOD, Templates(ledger).get("年度总结"))
        writers.save(document, tmp_path / "总结2.docx")
        export_year(ledger, DEMO_PERIOD.year, tmp_path / "导出.xlsx")


def test_the_migration_cleans_existing_text_and_keeps_names_apart(ledger_path: Path) -> None:
    cleaning = next(m.version for m in schema.MIGRATIONS if "控制字符" in m.description)
    Ledger.open(ledger_path).close()
    conn = sqlite3.connect(ledger_path)  # as a ledger of the version before the cleaning
    conn.execute(f"PRAGMA user_version = {cleaning - 1}")
    conn.execute("DELETE FROM schema_migrations WHERE version >= ?", (cleaning,))
    stamp = "2026-01-01T00:00:00"
    for eid, name in (("a", "甲公司"), ("b", "甲公司\x07"), ("c", "乙\x0b公司\uffff")):
        conn.execute("INSERT INTO enterprises (id, name, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?)", (eid, name, stamp, stamp))
    conn.commit()
    conn.close()
    with Ledger.open(ledger_path) as ledger:
        assert ledger.scalar("PRAGMA user_version") == schema.LATEST_VERSION
        names = dict(ledger.conn.execute("SELECT id, name FROM enterprises"))
    assert names == {"a": "甲公司", "b": "甲公司\ufffd", "c": "乙\n公司"}


def test_clean_text_and_scrub_agree() -> None:
    assert clean_text("  a\r\nb\u2028c\u200bd  ", field="x") == "a\nb\nc" + "d"
    assert scrub("a\x00b\ud800c\x0bd\r\u200b") == "abc\nd\r\u200b"


def test_a_template_has_a_size_and_chart_cap(ledger: Ledger) -> None:
    """Issue 18 #10: a 10 MB template took 37 s to build, 300 chart lines 326 s."""
    from core.report.store import MAX_BODY_CHARS, MAX_CHARTS

    templates = Templates(ledger)
    with pytest.raises(InputError, match="模板内容过长"):
        templates.save("年度总结", "正文" * MAX_BODY_CHARS)
    with pytest.raises(InputError, match="图表过多"):
        templates.create("很多图", "\n".join(["【图表：亿元项目推进情况】"] * (MAX_CHARTS + 1)))
    assert ledger.scalar("SELECT count(*) FROM templates") == 0
