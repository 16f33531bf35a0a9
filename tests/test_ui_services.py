"""企业服务 tab: keyboard entry of the service log, filters and totals, the register, honours."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_ui_support import (
    DEMO_PERIOD,
    column_of,
    editor_of,
    focus_cell,
    open_tab,
    press,
    set_clipboard,
    type_cell,
)

from core.ledger import Ledger
from ui import messages
from ui.tabs.services import ServicesTab

UNDO = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


@pytest.fixture
def tab(qtbot, demo: Ledger):
    opened, _ops = open_tab(qtbot, ServicesTab, demo)
    return opened


def services_on(ledger: Ledger, day: str) -> list[dict]:
    return ledger.query("SELECT * FROM services WHERE date = ? ORDER BY created_at", (day,))


def test_records_are_typed_row_after_row_without_the_mouse(qtbot, tab, demo):
    view = tab.log.page.view
    firm = demo.enterprises.names()[3]
    # First record: every cell typed, Tab between cells, Enter saves.
    type_cell(qtbot, view, 0, 0, "2026-11-28", end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, 1, firm, end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, 2, "走访", end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, 3, "6", end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, 4, "2")
    assert len(services_on(demo, "2026-11-28")) == 1
    qtbot.waitUntil(lambda: view.currentIndex().row() == 0 and view.currentIndex().column() == 0)
    # The date is kept for the next record; only the kind is needed.
    assert tab.log.model.draft == {0: "2026-11-28"}
    type_cell(qtbot, view, 0, 2, "解决问题", end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, 4, "3")
    rows = services_on(demo, "2026-11-28")
    assert [(r["kind"], r["person_times"], r["problems"]) for r in rows] == [
        ("走访", 6, 2), ("解决问题", 0, 3)]
    assert demo.enterprises.name_of(rows[0]["enterprise_id"]) == firm
    press(qtbot, view, *UNDO)
    assert len(services_on(demo, "2026-11-28")) == 1


def test_a_draft_without_its_kind_is_not_saved_and_says_why(qtbot, tab, demo):
    view = tab.log.page.view
    count = demo.services.count()
    type_cell(qtbot, view, 0, 0, "2026-11-28")
    assert demo.services.count() == count
    assert "类型" in view.last_message


def test_an_unknown_enterprise_is_refused_at_the_cell(qtbot, tab):
    view = tab.log.page.view
    type_cell(qtbot, view, 0, 1, "不存在的公司")
    assert "企业名录中没有" in view.last_message
    assert 1 not in tab.log.model.draft


def test_pasting_rows_on_the_draft_row_adds_them_in_one_step(qtbot, tab, demo):
    view = tab.log.page.view
    firm = demo.enterprises.names()[0]
    count = demo.services.count()
    focus_cell(qtbot, view, 0, 0)
    set_clipboard(f"2026-11-29\t{firm}\t融资贷款\t\t\t500\t万元\t流动资金贷款\n"
                  f"2026-11-30\t{firm}\t走访\t4\t1\t\t\t走访了解生产\n")
    press(qtbot, view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert demo.services.count() == count + 2
    loan = services_on(demo, "2026-11-29")[0]
    assert (loan["amount"], loan["amount_unit"]) == (500, "万元")
    press(qtbot, view, *UNDO)
    assert demo.services.count() == count


def test_an_editor_committing_after_the_ledger_closed_touches_nothing(qtbot, tab, demo):
    """Rows pasted on the draft row, then an enterprise typed into the draft row's editor; the
    ledger is closed before the editor lets go (the editor commits on losing the focus, and
    under Windows that focus-out arrived after the ledger was closed). The late commit must
    not reach the closed ledger (it did: set_draft → enterprises.id_for_name)."""
    view = tab.log.page.view
    firm = demo.enterprises.names()[0]
    focus_cell(qtbot, view, 0, 0)
    set_clipboard(f"2026-11-29\t{firm}\t融资贷款\t\t\t500\t万元\t流动资金贷款\n")
    press(qtbot, view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    focus_cell(qtbot, view, 0, 1)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = editor_of(view)
    assert editor is not None
    editor.setText(firm)
    demo.close()
    editor.clearFocus()  # the editor commits now, to a model whose ledger is closed
    assert tab.log.model.draft == {}


def test_filters_and_the_totals_line_agree_with_the_derived_figures(qtbot, tab, demo):
    log = tab.log
    log.kind_box.setCurrentIndex(log.kind_box.findData("走访"))
    qtbot.waitUntil(lambda: log.model.filters.get("kind") == "走访")
    totals = demo.services.totals(**log.model.filters)
    visits = demo.metrics.figure("service_visits", DEMO_PERIOD).value
    assert totals["person_times"] == visits
    assert f"服务 {int(visits)} 人次" in log.page.totals.text()
    kinds = {log.model.record(r)["kind"] for r in range(1, log.model.rowCount())}
    assert kinds == {"走访"}


def test_the_enterprise_filter_takes_a_name(qtbot, tab, demo):
    log = tab.log
    firm_id = demo.query("SELECT enterprise_id FROM services WHERE date >= '2026-01-01'"
                         " LIMIT 1")[0]["enterprise_id"]
    log.enterprise.setText(demo.enterprises.name_of(firm_id))
    log.enterprise.editingFinished.emit()
    qtbot.waitUntil(lambda: log.model.filters.get("enterprise_id") == firm_id)
    assert log.model.total == demo.services.count(**log.model.filters) > 0
    log.enterprise.setText("没有这家")
    log.enterprise.editingFinished.emit()
    assert "企业名录中没有" in log.page.totals.text()


def test_a_custom_date_range(qtbot, tab, demo):
    log = tab.log
    log.range_box.setCurrentIndex(log.range_box.findData("custom"))
    assert log.start.isVisible()
    assert log.model.filters["start"] == DEMO_PERIOD.start
    log.range_box.setCurrentIndex(log.range_box.findData("all"))
    qtbot.waitUntil(lambda: log.model.total == demo.services.count())


def test_the_register_checks_credit_codes_and_stores_flag_years(qtbot, tab, demo):
    tab.pages.setCurrentWidget(tab.register)
    page = tab.register.page
    view = page.view
    qtbot.waitUntil(lambda: tab.register.model.rowCount() > 1)
    name = tab.register.model.record(1)["name"]
    type_cell(qtbot, view, 1, column_of(view, "credit_code"), "91439901ABCDEFGH12")
    assert "信用代码" in view.last_message
    qtbot.keyClick(editor_of(view), Qt.Key.Key_Escape)  # the refused text stays until dropped
    type_cell(qtbot, view, 1, column_of(view, "above_scale"), "2019-2023")
    row = demo.query("SELECT * FROM enterprises WHERE name = ?", (name,))[0]
    assert (row["above_scale_since"], row["above_scale_until"]) == (2019, 2023)


def test_honours_of_the_selected_enterprise(qtbot, tab, demo, monkeypatch):
    tab.pages.setCurrentWidget(tab.register)
    register = tab.register
    qtbot.waitUntil(lambda: register.model.rowCount() > 1)
    focus_cell(qtbot, register.page.view, 1, 0)
    enterprise_id = register.model.record(1)["id"]
    qtbot.waitUntil(lambda: register.honours.enterprise_id == enterprise_id)
    view = register.honours_page.view
    before = len(demo.enterprises.honours.rows(enterprise_id=enterprise_id))
    type_cell(qtbot, view, 0, 0, "市级专精特新企业", end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, 1, "表彰", end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, 2, "市级", end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, 3, "2026")
    honours = demo.enterprises.honours.rows(enterprise_id=enterprise_id)
    assert len(honours) == before + 1
    assert "市级专精特新企业" in [h["name"] for h in honours]
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    qtbot.waitUntil(lambda: register.honours.total == before + 1)
    row = next(r for r in range(1, register.honours.rowCount())
               if register.honours.record(r)["name"] == "市级专精特新企业")
    focus_cell(qtbot, view, row, 0)
    register.delete_honours()
    assert len(demo.enterprises.honours.rows(enterprise_id=enterprise_id)) == before
