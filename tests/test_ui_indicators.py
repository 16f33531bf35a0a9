"""指标 tab: entering values with real keys, overrides, reasons, bounds, paste, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_ui_support import (
    DEMO_PERIOD,
    column_of,
    focus_cell,
    open_tab,
    press,
    set_clipboard,
    type_cell,
)

from core.ledger import Ledger
from ui import messages
from ui.dialogs import reason as reason_dialog
from ui.tabs.indicators import IndicatorsTab


@pytest.fixture
def tab(qtbot, demo: Ledger):
    opened, _ops = open_tab(qtbot, IndicatorsTab, demo)
    return opened


def row_for(tab: IndicatorsTab, code: str) -> int:
    model = tab.model
    return next(n for n in range(model.rowCount())
                if (f := model.figure_of(model.record(n))) and f.indicator.code == code)


def figure(ledger: Ledger, code: str):
    return ledger.metrics.figure(code, DEMO_PERIOD)


def test_sections_are_header_rows_and_every_indicator_is_listed(tab, demo):
    model = tab.model
    sections = [model.record(r)["section"] for r in model.section_rows()]
    assert sections == list(dict.fromkeys(i.section for i in demo.catalogue.all()))
    assert not model.flags(model.index(model.section_rows()[0], 1)) & Qt.ItemFlag.ItemIsEditable
    assert model.rowCount() == len(demo.catalogue.all()) + len(sections)
    assert tab.page.view.rowSpan(model.section_rows()[1], 0) == 1
    assert tab.page.view.columnSpan(model.section_rows()[1], 0) == model.columnCount()


def test_typing_a_value_stores_it_and_ctrl_z_undoes_it(qtbot, tab, demo):
    view = tab.page.view
    before = figure(demo, "above_scale_output").value
    type_cell(qtbot, view, row_for(tab, "above_scale_output"), column_of(view, "value"), "530.5")
    assert figure(demo, "above_scale_output").value == 530.5
    qtbot.waitUntil(lambda: tab.model.text(tab.model.record(row_for(tab, "above_scale_output")),
                                           tab.model.columns[1]) == "530.5")
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert figure(demo, "above_scale_output").value == before
    press(qtbot, view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert figure(demo, "above_scale_output").value == 530.5


def test_a_derived_value_can_be_overridden_visibly_and_restored(qtbot, tab, demo):
    view = tab.page.view
    row, value = row_for(tab, "yi_new_started"), column_of(view, "value")
    derived = figure(demo, "yi_new_started").derived_value
    type_cell(qtbot, view, row, value, str(int(derived) + 2))
    assert figure(demo, "yi_new_started").overridden
    qtbot.waitUntil(lambda: tab.model.figure_of(tab.model.record(row)).overridden)
    index = tab.model.index(row, value)
    assert "自动计算值" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(Qt.ItemDataRole.ForegroundRole).name() == "#1a56db"
    assert tab.model.index(row, column_of(view, "source")).data() == "手工修正"
    focus_cell(qtbot, view, row, value)
    qtbot.waitUntil(tab.restore_button.isEnabled)
    tab.restore_button.click()
    after = figure(demo, "yi_new_started")
    assert not after.overridden and after.value == derived


def test_pressing_f2_and_enter_on_a_computed_value_does_not_override_it(qtbot, tab, demo):
    view = tab.page.view
    row = row_for(tab, "yi_completed")
    focus_cell(qtbot, view, row, column_of(view, "value"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.currentIndex().row() == row + 1)
    assert figure(demo, "yi_completed").source == "derived"
    assert tab.ops.stack.count() == 0


def test_a_value_outside_the_usual_range_asks_for_the_reason(qtbot, tab, demo, monkeypatch):
    asked = []
    monkeypatch.setattr(reason_dialog, "ask_reason",
                        lambda _parent, question: asked.append(question) or "口径调整")
    view = tab.page.view
    type_cell(qtbot, view, row_for(tab, "above_scale_va_growth"), column_of(view, "value"), "38")
    qtbot.waitUntil(lambda: figure(demo, "above_scale_va_growth").value == 38)
    assert "超出常见范围" in asked[0]
    assert figure(demo, "above_scale_va_growth").reason == "口径调整"


def test_cancelling_the_reason_stores_nothing(qtbot, tab, demo, monkeypatch):
    asked = []
    monkeypatch.setattr(reason_dialog, "ask_reason", lambda *_a: asked.append(1) and None)
    view = tab.page.view
    before = figure(demo, "above_scale_va_growth").value
    type_cell(qtbot, view, row_for(tab, "above_scale_va_growth"), column_of(view, "value"), "38")
    qtbot.waitUntil(lambda: bool(asked))
    assert figure(demo, "above_scale_va_growth").value == before
    assert "未保存" in view.last_message


def test_a_hard_bound_is_refused_at_the_cell(qtbot, tab, demo):
    view = tab.page.view
    before = figure(demo, "hitech_va_share").value
    type_cell(qtbot, view, row_for(tab, "hitech_va_share"), column_of(view, "value"), "150")
    assert figure(demo, "hitech_va_share").value == before
    assert "不能大于" in view.last_message


def test_pasting_values_and_targets_is_one_undo_step(qtbot, tab, demo):
    view = tab.page.view
    first = row_for(tab, "above_scale_va_growth")
    assert row_for(tab, "above_scale_new") == first + 1
    focus_cell(qtbot, view, first, column_of(view, "value"))
    before = [figure(demo, c) for c in ("above_scale_va_growth", "above_scale_new")]
    set_clipboard("7.2\t%\t7.0\t8.0\n9\t家\t8\t10\n")  # values, units (as shown), targets
    press(qtbot, view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    growth, new = figure(demo, "above_scale_va_growth"), figure(demo, "above_scale_new")
    assert (growth.value, growth.target_committed, growth.target_stretch) == (7.2, 7.0, 8.0)
    assert (new.value, new.target_committed, new.target_stretch) == (9, 8, 10)
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    after = [figure(demo, c) for c in ("above_scale_va_growth", "above_scale_new")]
    assert [(f.value, f.target_committed) for f in after] == [
        (f.value, f.target_committed) for f in before]


def test_a_paste_with_an_invalid_cell_changes_nothing(qtbot, tab, demo, monkeypatch):
    shown = []
    monkeypatch.setattr(messages, "show_problems", lambda _p, _s, lines: shown.append(lines))
    view = tab.page.view
    first = row_for(tab, "above_scale_va_growth")
    focus_cell(qtbot, view, first, column_of(view, "value"))
    before = figure(demo, "above_scale_va_growth").value
    set_clipboard("7.2\n九家\n")
    press(qtbot, view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert figure(demo, "above_scale_va_growth").value == before
    assert shown[0][0].startswith("第2行第1列「本期数值」")


def test_follow_up_toggles_with_the_space_bar(qtbot, tab, demo):
    view = tab.page.view
    row = row_for(tab, "tech_contract_turnover")
    focus_cell(qtbot, view, row, column_of(view, "follow_up"))
    press(qtbot, view, Qt.Key.Key_Space)
    assert figure(demo, "tech_contract_turnover").follow_up


def test_last_year_is_read_only_from_a_record_and_typed_when_there_is_none(qtbot, ledger):
    tab, _ops = open_tab(qtbot, IndicatorsTab, ledger)
    view = tab.page.view
    row, last = row_for(tab, "above_scale_output"), column_of(view, "last_year")
    type_cell(qtbot, view, row, last, "480")
    result = ledger.metrics.figure("above_scale_output", DEMO_PERIOD)
    assert (result.last_year, result.last_year_source) == (480, "entered")
    ledger.metrics.set("above_scale_output", DEMO_PERIOD.previous_year(), "value", "470")
    tab.refresh(frozenset({"indicator_values"}))
    qtbot.waitUntil(lambda: tab.model.figure_of(tab.model.record(row)).last_year == 470)
    assert not tab.model.flags(tab.model.index(row, last)) & Qt.ItemFlag.ItemIsEditable


def test_the_detail_panel_shows_three_years_and_the_basis(qtbot, tab, demo):
    view = tab.page.view
    focus_cell(qtbot, view, row_for(tab, "above_scale_output"), 0)
    text = tab.detail.toPlainText()
    for year in (2023, 2024, 2025, 2026):
        assert f"{year}年1-11月" in text
    focus_cell(qtbot, view, row_for(tab, "yi_new_started"), 0)
    assert "由项目台账计算" in tab.detail.toPlainText()
