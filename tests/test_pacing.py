"""序时进度: completion minus the elapsed share of the year, in 个百分点 (core.pacing)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.pacing import gap_words, half_words, pacing_gap

TARGET = 120.0  # 亿元 for the year: 10 a month keeps pace


@pytest.mark.parametrize("months", range(1, 7))
def test_higher_is_better_through_the_first_half(months):
    assert pacing_gap(10 * months, TARGET, months) == pytest.approx(0)  # on pace
    ahead = pacing_gap(10 * months + 6, TARGET, months)
    assert ahead == pytest.approx(5.0) and gap_words(ahead) == "超序时进度5.0个百分点"
    behind = pacing_gap(10 * months - 3, TARGET, months)
    assert behind == pytest.approx(-2.5) and gap_words(behind) == "差序时进度2.5个百分点"


@pytest.mark.parametrize("months", range(1, 7))
def test_lower_is_better_through_the_first_half(months):
    """A cap of 12 (万吨标煤, 起 accidents …): using less than the calendar is ahead."""
    cap = 12.0
    under = pacing_gap(months - 0.6, cap, months, higher_is_better=False)
    assert under == pytest.approx(5.0) and gap_words(under).startswith("超序时进度")
    over = pacing_gap(months + 0.3, cap, months, higher_is_better=False)
    assert over == pytest.approx(-2.5) and gap_words(over) == "差序时进度2.5个百分点"


@pytest.mark.parametrize("months", range(1, 7))
def test_a_negative_target_is_completed_by_a_value_of_its_sign(months):
    """A planned fall of 6 (亿元 of deficit cut, a decline to reach): -0.5 a month keeps pace."""
    assert pacing_gap(-0.5 * months, -6.0, months) == pytest.approx(0)
    assert pacing_gap(-0.5 * months - 0.3, -6.0, months) == pytest.approx(5.0)
    assert pacing_gap(0.5 * months, -6.0, months) == pytest.approx(-100 * months / 6)


@pytest.mark.parametrize("value,target,months", [
    (None, 100, 6), (50, None, 6), (50, 100, None), (50, 0, 6), (50, 0.0, 6), (50, 100, 0),
    (50, 100, 13), (math.nan, 100, 6), (50, math.inf, 6)])
def test_missing_or_meaningless_gives_none_never_zero(value, target, months):
    assert pacing_gap(value, target, months) is None


def test_the_mid_year_words():
    assert half_words(0.04, 6) == "实现“时间过半、任务过半”"
    assert half_words(-3.26, 6) == "未实现“时间过半、任务过半”，差序时进度3.3个百分点"
    assert half_words(1.0, 3) == "超序时进度1.0个百分点"
    assert gap_words(0.04) == gap_words(-0.04) == "与序时进度持平"


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
nonzero = finite.filter(lambda t: abs(t) > 1e-3)


@settings(max_examples=200, deadline=None)
@given(value=finite, target=nonzero, months=st.integers(1, 12), higher=st.booleans())
def test_the_gap_properties(value, target, months, higher):
    gap = pacing_gap(value, target, months, higher)
    assert gap is not None and math.isfinite(gap)
    # the turned sign of lower-is-better, exactly
    assert pacing_gap(value, target, months, not higher) == pytest.approx(-gap)
    # exactly on pace gives no gap; more done (in the target's direction) is further ahead
    on_pace = target * months / 12
    assert pacing_gap(on_pace, target, months) == pytest.approx(0, abs=1e-6)
    more = value + math.copysign(abs(target) * 0.1, target)
    assert pacing_gap(more, target, months, True) > pacing_gap(value, target, months, True)
    # a later month with the same value is never further ahead
    if months < 12:
        assert pacing_gap(value, target, months + 1, True) < pacing_gap(value, target, months,
                                                                         True)
    # the words agree with the sign
    words = gap_words(gap)
    assert words.startswith("超") if round(gap, 1) > 0 else (
        words.startswith("差") if round(gap, 1) < 0 else words == "与序时进度持平")


# -- in templates --------------------------------------------------------------------------------
@pytest.fixture
def paced(ledger):
    from core.periods import Period

    catalogue = ledger.catalogue
    catalogue.add("工业投资", unit="亿元", decimals=2, kind="amount")
    catalogue.add("综合能耗", unit="万吨标煤", decimals=1, kind="amount",
                  higher_is_better=False)
    catalogue.add("亏损企业亏损额", unit="亿元", decimals=1, kind="amount")
    year = Period(2027, 12)  # the annual targets, typed on the 全年 row
    ledger.metrics.set("工业投资", year, "target_committed", "120")
    ledger.metrics.set("综合能耗", year, "target_committed", "12")
    ledger.metrics.set("亏损企业亏损额", year, "target_committed", "-6")
    for months in range(1, 7):
        period = Period(2027, months)
        ledger.metrics.set("工业投资", period, "value", str(10 * months + 6))
        ledger.metrics.set("综合能耗", period, "value", str(months + 0.3))
        ledger.metrics.set("亏损企业亏损额", period, "value", str(-0.5 * months - 0.3))
    return ledger


@pytest.mark.parametrize("months", range(1, 7))
def test_pacing_forms_in_a_template_at_each_month(paced, months):
    from core.periods import Period
    from core.report.build import build

    template = ("标题\n投资【工业投资.序时进度】；能耗【综合能耗.序时进度】；"
                "减亏【亏损企业亏损额.时间过半】")
    document = build(paced, Period(2027, months), template)
    ahead = f"超序时进度{5.0:.1f}个百分点"
    half = "实现“时间过半、任务过半”" if months == 6 else ahead
    assert document.blocks[1].text == f"投资{ahead}；能耗差序时进度2.5个百分点；减亏{half}"
    marks = [run.mark for run in document.blocks[1].runs if run.mark is not None]
    assert [(m.indicator, round(m.value, 6), m.unit) for m in marks] == [
        ("工业投资", 5.0, "个百分点"), ("综合能耗", -2.5, "个百分点"),
        ("亏损企业亏损额", 5.0, "个百分点")]


def test_pacing_is_missing_without_a_target_and_refused_for_a_rate(ledger):
    from core.periods import Period
    from core.report.build import TemplateError, build

    ledger.catalogue.add("工业投资", unit="亿元", decimals=2, kind="amount")
    ledger.metrics.set("工业投资", Period(2027, 6), "value", "66")
    ledger.metrics.set("工业投资", Period(2027, 6), "target_committed", "120")  # not the year's
    document = build(ledger, Period(2027, 6), "标题\n【工业投资.序时进度】")
    assert document.blocks[1].text == "【未填：工业投资全年确保目标】"
    with pytest.raises(TemplateError, match="不是累计数"):
        build(ledger, Period(2027, 6), "标题\n【规上工业增加值增速.序时进度】")


def test_the_indicator_tab_colours_the_pacing_column(qtbot, paced):
    from PySide6.QtCore import Qt
    from test_ui_support import open_tab

    from core.periods import Period
    from ui.tabs.indicator_model import BAD, GOOD
    from ui.tabs.indicators import IndicatorsTab

    tab, _ops = open_tab(qtbot, IndicatorsTab, paced, Period(2027, 6))
    model = tab.model
    column = next(n for n, c in enumerate(model.columns) if c.key == "pacing")
    shown = {}
    for row in range(model.rowCount()):
        figure = model.figure_of(model.record(row))
        if figure is not None and figure.indicator.name in ("工业投资", "综合能耗",
                                                            "规上工业增加值增速"):
            index = model.index(row, column)
            shown[figure.indicator.name] = (model.data(index),
                                            model.data(index, Qt.ItemDataRole.ForegroundRole))
    assert shown == {"工业投资": ("超序时进度5.0个百分点", GOOD),
                     "综合能耗": ("差序时进度2.5个百分点", BAD),
                     "规上工业增加值增速": ("", None)}


def test_the_annual_target_is_the_full_year_rows_never_a_periods_own(paced):
    """A 1-6月 row's target is that period's (a half-year 序时目标): pacing it again would count
    the calendar twice, so only the 全年 row's target is paced against."""
    from core.periods import Period
    from core.report.build import build

    paced.metrics.set("工业投资", Period(2027, 6), "target_committed", "60")  # half-year
    template = "标题\n【工业投资.序时进度】"
    assert build(paced, Period(2027, 6), template).blocks[1].text == "超序时进度5.0个百分点"
    paced.metrics.set("工业投资", Period(2027, 12), "target_committed", "132")
    assert build(paced, Period(2027, 6), template).blocks[1].text == "与序时进度持平"
