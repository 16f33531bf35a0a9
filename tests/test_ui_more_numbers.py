"""指标 tab: the further numbers of a figure (issue 13) typed as a clerk types them, and 同比
showing which growth rate is used."""

from __future__ import annotations

import pytest
from test_ui_indicators import figure, row_for
from test_ui_support import DEMO_PERIOD, column_of, open_tab, type_cell

from core.ledger import Ledger
from ui.tabs.indicators import IndicatorsTab

OUTPUT, GROWTH = "above_scale_output", "above_scale_va_growth"


@pytest.fixture
def tab(qtbot, demo: Ledger):
    opened, _ops = open_tab(qtbot, IndicatorsTab, demo)
    return opened


def _cell(tab: IndicatorsTab, code: str, key: str) -> str:
    model = tab.model
    return model.text(model.record(row_for(tab, code)), model.columns[column_of(tab.page.view,
                                                                               key)])


def test_typing_the_official_growth_rate_switches_the_change_column(qtbot, tab, demo):
    view = tab.page.view
    computed = _cell(tab, OUTPUT, "change")
    assert computed and "公布" not in computed and _cell(tab, OUTPUT, "computed_change") == ""
    type_cell(qtbot, view, row_for(tab, OUTPUT), column_of(view, "official_growth"), "9.65%")
    qtbot.waitUntil(lambda: figure(demo, OUTPUT).official_growth == 9.65)
    qtbot.waitUntil(lambda: _cell(tab, OUTPUT, "official_growth") == "9.65")
    assert _cell(tab, OUTPUT, "change") == "增长9.65%（公布）"
    assert _cell(tab, OUTPUT, "computed_change") == computed


def test_a_rate_has_no_official_growth_cell(tab):
    model = tab.model
    row = model.record(row_for(tab, GROWTH))
    assert row is not None
    assert not model.cell_editable(row, model.columns[column_of(tab.page.view,
                                                                "official_growth")])


def test_a_forecast_without_an_actual_is_shown_as_a_forecast(qtbot, tab, demo):
    view = tab.page.view
    demo.metrics.set(OUTPUT, DEMO_PERIOD, "value", None)
    tab.model.reload()
    type_cell(qtbot, view, row_for(tab, OUTPUT), column_of(view, "forecast"), "1234.5")
    qtbot.waitUntil(lambda: figure(demo, OUTPUT).forecast == 1234.5)
    qtbot.waitUntil(lambda: _cell(tab, OUTPUT, "value").startswith("（预计1234.5"))
    assert figure(demo, OUTPUT).value is None  # a forecast is never the actual


def test_ranks_and_references_are_typed_as_words(qtbot, tab, demo):
    view = tab.page.view
    demo.catalogue.update(demo.catalogue.resolve(GROWTH).id, rank_scopes="城区、全市、全省")
    tab.model.reload()
    type_cell(qtbot, view, row_for(tab, GROWTH), column_of(view, "other_ranks"), "全省第12、全市3")
    qtbot.waitUntil(lambda: dict(figure(demo, GROWTH).other_ranks) == {"全省": 12, "全市": 3})
    qtbot.waitUntil(lambda: _cell(tab, GROWTH, "other_ranks") == "全省第12、全市第3")
    type_cell(qtbot, view, row_for(tab, GROWTH), column_of(view, "refs"), "全市平均6.1")
    qtbot.waitUntil(lambda: dict(figure(demo, GROWTH).refs) == {"全市平均": 6.1})
    before = dict(figure(demo, GROWTH).refs)
    type_cell(qtbot, view, row_for(tab, GROWTH), column_of(view, "refs"), "全市平均")
    assert dict(figure(demo, GROWTH).refs) == before  # refused, unchanged
    assert "名称+数字" in view.last_message
