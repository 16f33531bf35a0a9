"""Issue 18's property: every free-text field of every table fed arbitrary Unicode (controls,
surrogates, zero-width, combining characters …) through entry, paste and import, then the
summary written as PDF, Word, HTML and text and the year exported to Excel: no writer fails,
and what was stored is what the clerk was told (refused: nothing changed and the field named;
accepted: the stored text is core.text's reading of it, shown as it is, exported and
re-imported unchanged)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.hostile_xlsx import write_raw_xlsx
from core.errors import LedgerError
from core.exchange.excel_export import export_year
from core.exchange.excel_import import apply_import, preview_file
from core.exchange.importers import CHANGED, REJECTED
from core.ledger import Ledger
from core.records import RecordTable
from core.report import writers
from core.report.build import build
from core.report.store import Templates
from core.text import clean_text
from tests.conftest import DEMO_PERIOD

SPECIAL = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff",
           "\ud800", "\udfff", "\u200b", "\u200d", "\ufeff", "\u0301", "\u0308", "\u2028",
           "\r\n", "\t", " ", "　", "𠮷", "e\u0301", "=", "+", "【", "】", "%", "\\"]
TEXT = st.lists(st.one_of(st.characters(), st.sampled_from(SPECIAL)), min_size=1,
                max_size=12).map("".join)


def _text_fields(ledger: Ledger) -> list[tuple[RecordTable, str]]:
    tables = [ledger.enterprises, ledger.enterprises.honours, ledger.projects, ledger.services,
              ledger.plans.sections, ledger.plans.items]
    columns = {table.table: {r[1] for r in ledger.conn.execute(
        f'PRAGMA table_info("{table.table}")')} for table in tables}
    return [(table, field.key) for table in tables for field in table.FIELDS
            if field.kind == "text" and field.key in columns[table.table]]






_DRAWN: dict[str, bytes] = {}


def _one_chart():  # type: ignore[no-untyped-def]
    """A chart renderer that draws the first chart once and hands it out for every one."""
    from core.charts import render_png

    drawn = _DRAWN

    def render(key: str) -> bytes:
        if "png" not in drawn:
            with Ledger.open(_one_chart.path, readonly=True) as ledger:  # type: ignore[attr-defined]
                drawn["png"] = render_png(ledger, DEMO_PERIOD, key)
        return drawn["png"]
    return render


@pytest.fixture(scope="module")
def base(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("自由文字")
    path = folder / "台账.db"
    shutil.copyfile(demo_template, path)
    _one_chart.path = demo_template  # type: ignore[attr-defined]
    return path


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(TEXT, min_size=4, max_size=4))
def test_free_text_anywhere_is_refused_or_stored_as_told_and_every_writer_holds_it(
        qapp, base: Path, tmp_path: Path, texts: list[str]) -> None:
    from ui.report_pdf import register_pdf_writer

    register_pdf_writer()
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="例", dir=tmp_path))
    path = work / "台账.db"
    shutil.copyfile(base, path)
    with Ledger.open(path) as ledger:
        fields = _text_fields(ledger)
        for number, (table, key) in enumerate(fields):  # entry: one cell at a time
            raw = texts[number % len(texts)]
            label = table.fields[key].label
            row_id = str(ledger.scalar(f'SELECT id FROM "{table.table}" LIMIT 1'))
            before = table.get(row_id)
            try:
                table.set_field(row_id, key, raw)
            except LedgerError as exc:
                assert table.get(row_id) == before, (label, raw)  # nothing changed
                if "字符" in exc.message:
                    assert f"「{label}」" in exc.message, exc.message
                continue
            stored = table.get(row_id)[key]
            told = clean_text(raw, field=label) or None  # an empty field may be stored NULL
            stored = stored or None
            # core.text's reading, or the field's own rule on top (a name's brackets → （）)
            assert stored == told or clean_text(stored, field=label) == stored, (label, raw)
            assert table.display(table.get(row_id), key) == (stored or "")  # shown as stored
            table.set_field(row_id, key, stored)  # typing what is shown changes nothing
            assert (table.get(row_id)[key] or None) == stored
        for table, key in fields[:3]:  # paste: several rows of one column at once
            ids = [r[0] for r in ledger.conn.execute(f'SELECT id FROM "{table.table}" LIMIT 4')]
            before_rows = [table.get(i) for i in ids]
            edits = [(row_id, key, texts[i % len(texts)]) for i, row_id in enumerate(ids)]
            try:
                table.set_fields(edits)
            except LedgerError:
                assert [table.get(i) for i in ids] == before_rows
            else:
                for row_id, _key, raw in edits:
                    stored = table.get(row_id)[key] or ""
                    assert stored == clean_text(raw, field=table.fields[key].label) or (
                        clean_text(stored, field="x") == stored)
        indicator = next(i for i in ledger.catalogue.all() if i.kind != "list")
        try:  # an indicator's note
            ledger.metrics.set(indicator, DEMO_PERIOD, "note", texts[0])
        except LedgerError as exc:
            assert indicator.name in exc.message
        rows = [(1, ("项目名称", "备注")), *((n + 2, (f"导入项目{n}{t}", t))
                                          for n, t in enumerate(texts))]
        source = write_raw_xlsx(work / "导入.xlsx", rows, title="项目")
        try:  # import: the same rule as typing
            plan = preview_file(ledger, source)
        except LedgerError:
            plan = None
        if plan is not None:
            for result in plan.results():
                if result.action == REJECTED:
                    assert "「" in result.detail, result.detail
            if plan.can_apply:
                apply_import(ledger, plan)
        document = build(ledger, DEMO_PERIOD, Templates(ledger).get("年度总结"),
                         render_chart=_one_chart())  # the charts hold no free text
        for suffix in writers.FORMATS:  # no writer fails
            written = writers.save(document, work / f"总结{suffix}")
            assert written.stat().st_size > 0
        exported = export_year(ledger, DEMO_PERIOD.year, work / "导出.xlsx").path
        again = preview_file(ledger, exported)  # what was stored reads back as stored
        changed = [(r.sheet, r.label, r.detail) for r in again.results() if r.action in (
            CHANGED, REJECTED)]
        assert changed == [], changed
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_clean_text_is_idempotent_and_leaves_nothing_a_writer_refuses(raw: str) -> None:
    from core.text import scrub

    try:
        cleaned = clean_text(raw, field="备注")
    except LedgerError as exc:
        assert "「备注」" in exc.message
        return
    assert clean_text(cleaned, field="备注") == cleaned
    assert scrub(cleaned) == cleaned
