"""More than one number per figure (issue 13): the single month, a forecast beside the actual,
the official growth rate, ranks in several scopes and reference values — read, stored, worded
by core.kinds, printed by the template forms, exported and imported. Missing stays missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from excel_files import write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.errors import InputError
from core.exchange.excel_export import export_year
from core.exchange.excel_import import preview_file
from core.exchange.importers import CHANGED, NEW, REJECTED, UNCHANGED
from core.kinds import (
    KINDS,
    growth_words,
    other_ranks_text,
    parse_other_ranks,
    reference_words,
    versus_last_year_words,
)
from core.ledger import Ledger
from core.periods import Period
from core.report.build import build
from core.report.document import Paragraph
from core.report.template import TemplateError

P5 = Period(2026, 5)
INVEST, RATE, COUNT = "工业投资", "工业增加值增速", "新增规上企业数"


@pytest.fixture
def bureau(ledger: Ledger) -> Ledger:
    catalogue = ledger.catalogue
    catalogue.add(INVEST, unit="亿元", decimals=2, kind="amount")
    catalogue.add(RATE, unit="%", decimals=1, kind="rate", rank_scopes="全市、全省")
    catalogue.add(COUNT, unit="家", kind="count")
    return ledger


def _text(ledger: Ledger, body: str, period: Period = P5) -> str:
    document = build(ledger, period, "标题\n" + body)
    return "".join(b.text for b in document.blocks if isinstance(b, Paragraph))


def _set(ledger: Ledger, name: str, period: Period, **fields: object) -> None:
    ledger.metrics.set_many([(name, period, key, raw) for key, raw in fields.items()])


# -- the official growth rate: one function decides ---------------------------------------------
def test_the_official_growth_rate_is_used_everywhere_and_the_computed_one_stays(
        bureau: Ledger, tmp_path: Path) -> None:
    _set(bureau, INVEST, P5, value="50", official_growth="12.3%")
    _set(bureau, INVEST, Period(2025, 5), value="45")
    figure = bureau.metrics.figure(INVEST, P5)
    assert figure.versus is not None and figure.versus.words == "增长12.3%"
    assert figure.computed_versus is not None and figure.computed_versus.words == "增长11.1%"
    assert figure.growth_source == "official" and figure.growth == 12.3
    assert _text(bureau, f"【{INVEST}.同比】|【{INVEST}.增减】") == "同比增长12.3%|增长12.3%"
    # Excel: 同比 is the official one, 计算同比 beside it
    sheet = load_workbook(export_year(bureau, 2026, tmp_path / "导出.xlsx").path)["指标"]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True)
               if r[0] == INVEST and r[headers.index("期间")] == "1-5月")
    assert row[headers.index("同比")] == "增长12.3%"
    assert row[headers.index("公布增速")] == 12.3
    assert row[headers.index("计算同比")] == "增长11.1%"
    # without it, the computed one again
    bureau.metrics.set(INVEST, P5, "official_growth", "")
    figure = bureau.metrics.figure(INVEST, P5)
    assert figure.growth_source == "computed" and figure.versus is not None
    assert figure.versus.words == "增长11.1%"


def test_an_official_growth_rate_prints_without_last_years_value(bureau: Ledger) -> None:
    _set(bureau, INVEST, P5, value="50", official_growth="-2.05")
    assert _text(bureau, f"【{INVEST}.同比】") == "同比下降2.05%"
    assert bureau.metrics.figure(INVEST, P5).computed_versus is None


@pytest.mark.parametrize("raw", ["-100", "-150%", "abc", "1e9", "6.1234567"])
def test_an_impossible_official_growth_rate_is_refused(bureau: Ledger, raw: str) -> None:
    with pytest.raises(InputError, match="公布增速"):
        bureau.metrics.set(INVEST, P5, "official_growth", raw)
    assert bureau.metrics.figure(INVEST, P5).official_growth is None


def test_a_rate_has_no_official_growth_rate(bureau: Ledger) -> None:
    with pytest.raises(InputError, match="没有“公布增速”"):
        bureau.metrics.set(RATE, P5, "official_growth", "6")


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=-99, max_value=500, places=2))
def test_the_official_growth_rate_is_worded_as_typed(growth: object) -> None:
    from core.catalogue import Indicator
    from core.metrics import Figure

    indicator = Indicator("x", None, "投资", (), "亿元", 2, "amount", "s", 1, True, None, None,
                          None, None, None, None, "", False)
    value = float(str(growth))
    figure = Figure(indicator, P5, entered=1.0, last_year=2.0, official_growth=value)
    verdict = KINDS["amount"].versus_last_year(figure)
    assert verdict is not None
    places = max(1, len(str(growth).rstrip("0").partition(".")[2]))
    assert verdict.words == growth_words(value, places)
    assert verdict.amount == pytest.approx(value)


# -- forecasts ----------------------------------------------------------------------------------
def test_a_forecast_is_printed_as_such_and_kept_when_the_actual_arrives(bureau: Ledger) -> None:
    h1 = Period(2026, 6)
    _set(bureau, INVEST, h1, forecast="62")
    _set(bureau, INVEST, Period(2025, 6), value="55")
    body = f"【{INVEST}.上半年】|【{INVEST}.上半年.预计】|【{INVEST}.上半年.预计.同比】"
    assert _text(bureau, body) == \
        f"【未填：{INVEST}（1-6月）】|62.00亿元|同比增长12.7%"
    _set(bureau, INVEST, h1, value="60.5")
    assert _text(bureau, body) == "60.50亿元|62.00亿元|同比增长12.7%"
    figure = bureau.metrics.figure(INVEST, h1)
    assert figure.value == 60.5 and figure.forecast == 62
    assert _text(bureau, f"【{INVEST}.预计】") == f"【未填：{INVEST}（1-5月预计）】"


# -- single months and quarters -----------------------------------------------------------------
def test_single_months_come_from_what_was_typed_or_the_cumulative_difference(
        bureau: Ledger) -> None:
    _set(bureau, INVEST, Period(2026, 3), value="28")
    _set(bureau, INVEST, Period(2026, 4), value="38.5")
    _set(bureau, INVEST, P5, value="50", month_value="11.8")
    _set(bureau, INVEST, Period(2025, 4), value="33")
    _set(bureau, INVEST, Period(2025, 5), value="43", month_value="10")
    body = (f"【{INVEST}.当月】|【{INVEST}.当月.同比】|【{INVEST}.上月】|【{INVEST}.4月.同比】|"
            f"【{INVEST}.本月.亿元】|【{INVEST}.3月】|【{INVEST}.二季度】")
    assert _text(bureau, body).split("|") == [
        "11.80亿元", "同比增长18.0%", "10.50亿元", f"【未填：{INVEST}上年同期（4月）】",
        "11.80亿元", f"【未填：{INVEST}（3月）】", f"【未填：{INVEST}（二季度）】"]


def test_a_rates_single_month_is_never_worked_out(bureau: Ledger) -> None:
    _set(bureau, RATE, Period(2026, 4), value="6.0")
    _set(bureau, RATE, P5, value="6.5")
    assert _text(bureau, f"【{RATE}.当月】") == f"【未填：{RATE}（5月）】"
    bureau.metrics.set(RATE, P5, "month_value", "7.2")
    assert _text(bureau, f"【{RATE}.当月】") == "7.2%"


def test_forms_that_make_no_sense_for_a_month_are_template_errors(bureau: Ledger) -> None:
    for body, words in ((f"【{INVEST}.当月.完成率】", "单月、单季"),
                        (f"【{INVEST}.当月.预计】", "没有预计数"),
                        (f"【{RATE}.排名.全国】", "没有“全国”"),
                        (f"【{INVEST}.拉动.不存在】", "拉动的是哪个指标")):
        with pytest.raises(TemplateError, match=words):
            _text(bureau, body)
    with pytest.raises(TemplateError, match="没有“上月”"):
        _text(bureau, f"【{INVEST}.上月】", Period(2026, 1))


# -- several ranks ------------------------------------------------------------------------------
def test_ranks_in_several_scopes_and_their_change(bureau: Ledger) -> None:
    _set(bureau, RATE, Period(2026, 4), value="6.0", rank="5", other_ranks="全省第十")
    _set(bureau, RATE, P5, value="6.5", rank="第3", other_ranks="全省 12")
    body = (f"【{RATE}.排名】|【{RATE}.排名.全市】|【{RATE}.排名.全省】|【{RATE}.排名范围】|"
            f"【{RATE}.位次变化】|【{RATE}.位次变化.全省】")
    assert _text(bureau, body).split("|") == [
        "第三", "第三", "第十二", "全市", "位次较1-4月提升2位", "位次较1-4月下降2位"]
    bureau.metrics.set(RATE, Period(2026, 4), "other_ranks", "")
    assert _text(bureau, f"【{RATE}.位次变化.全省】") == f"【未填：{RATE}（1-4月全省排名）】"


def test_other_ranks_name_only_the_catalogues_further_scopes(bureau: Ledger) -> None:
    indicator = bureau.catalogue.resolve(RATE)
    assert indicator.rank_scopes == ("全市", "全省")
    with pytest.raises(InputError, match="默认排名范围"):
        parse_other_ranks(indicator, "全市第3")
    with pytest.raises(InputError, match="没有“全国”"):
        parse_other_ranks(indicator, "全国第3")
    with pytest.raises(InputError, match="名称\\+数字"):
        parse_other_ranks(indicator, "第三")
    bureau.catalogue.update(indicator.id, rank_scope="全省")  # a new default comes first
    assert bureau.catalogue.resolve(RATE).rank_scopes == ("全省", "全市")
    bureau.catalogue.update(indicator.id, rank_scopes="全国，全市,全省")
    assert bureau.catalogue.resolve(RATE).rank_scopes == ("全国", "全市", "全省")
    assert bureau.catalogue.resolve(RATE).rank_scope == "全国"


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["全省", "全国"]), st.integers(1, 9999), max_size=2))
def test_other_ranks_read_back_what_they_show(ranks: dict[str, int]) -> None:
    from core.catalogue import Indicator

    indicator = Indicator("x", None, "增速", (), "%", 1, "rate", "s", 1, True, None, None, None,
                          None, None, "全市", "", False, rank_scopes_text="全市、全省、全国")
    assert parse_other_ranks(indicator, other_ranks_text(ranks)) == ranks


# -- reference values ---------------------------------------------------------------------------
def test_the_gap_to_a_reference_is_worded_by_the_kind(bureau: Ledger) -> None:
    _set(bureau, RATE, P5, value="6.8", refs="全市平均6.1、全省平均6.8")
    _set(bureau, INVEST, P5, value="50", refs="全市平均：5000万；全省平均60")
    assert _text(bureau, f"【{RATE}.比全市平均】|【{RATE}.比全省平均】|【{INVEST}.比全市平均】|"
                         f"【{INVEST}.比全省平均】|【{INVEST}.参照.全市平均】") == (
        "高于全市平均0.7个百分点|与全省平均持平|高于全市平均9900.0%|低于全省平均16.7%|0.50亿元")
    assert _text(bureau, f"【{RATE}.比标杆值】|【{COUNT}.比全市平均】") == (
        f"【未填：{RATE}标杆值】|【未填：{COUNT}】")


@settings(max_examples=80, deadline=None)
@given(st.decimals(min_value=-50, max_value=50, places=1),
       st.decimals(min_value=-50, max_value=50, places=1))
def test_a_rates_gap_to_a_reference_has_its_sign_and_size(value: object, reference: object
                                                          ) -> None:
    from core.catalogue import Indicator
    from core.metrics import Figure

    indicator = Indicator("x", None, "增速", (), "%", 1, "rate", "s", 1, True, None, None, None,
                          None, None, None, "", False)
    now, ref = float(str(value)), float(str(reference))
    figure = Figure(indicator, P5, entered=now, refs=(("全市平均", ref),))
    verdict = KINDS["rate"].versus_reference(figure, "全市平均")
    assert verdict is not None
    gap = round(now - ref, 1)
    if abs(gap) < 0.05:
        assert verdict.words == "与全市平均持平" and verdict.good is None
    else:
        assert verdict.words == f"{'高于' if gap > 0 else '低于'}全市平均{abs(gap):.1f}个百分点"
        assert verdict.good == (gap > 0)


@settings(max_examples=80, deadline=None)
@given(st.decimals(min_value=0, max_value=10_000, places=2),
       st.decimals(min_value=-10_000, max_value=10_000, places=2))
def test_an_amounts_gap_to_a_reference_is_a_percentage(value: object, reference: object) -> None:
    from core.catalogue import Indicator
    from core.metrics import Figure

    indicator = Indicator("x", None, "投资", (), "亿元", 2, "amount", "s", 1, False, None, None,
                          None, None, None, None, "", False)
    now, ref = float(str(value)), float(str(reference))
    figure = Figure(indicator, P5, entered=now, refs=(("全省平均", ref),))
    verdict = KINDS["amount"].versus_reference(figure, "全省平均")
    if ref == 0:
        assert verdict is None  # no % of nothing: printed as missing, never as 0
        return
    assert verdict is not None and verdict.unit == "%"
    assert verdict.words == reference_words(verdict.amount or 0.0, 1, "%", "全省平均")
    if verdict.amount:  # lower is better here: above the average is bad news
        assert verdict.good == (verdict.amount < 0)
        assert ("高于" in verdict.words) == (now > ref)


def test_references_read_back_what_they_show(bureau: Ledger) -> None:
    indicator = bureau.catalogue.resolve(INVEST)
    kind = KINDS["amount"]
    refs = kind.parse_references(indicator, "全市平均 48.25，全省平均：-1、标杆值=100")
    assert refs == {"全市平均": 48.25, "全省平均": -1.0, "标杆值": 100.0}
    assert kind.parse_references(indicator, kind.references_text(indicator, refs)) == refs
    with pytest.raises(InputError, match="写了两次"):
        kind.parse_references(indicator, "全市平均1、全市平均2")
    with pytest.raises(InputError, match="名称\\+数字"):
        kind.parse_references(indicator, "48.25")


# -- 拉动 and 均 in templates --------------------------------------------------------------------
def test_pull_and_all_are_template_forms(bureau: Ledger) -> None:
    bureau.catalogue.add("固定资产投资", unit="亿元", decimals=2, kind="amount")
    _set(bureau, INVEST, P5, value="50")
    _set(bureau, INVEST, Period(2025, 5), value="45")
    _set(bureau, "固定资产投资", P5, value="210")
    _set(bureau, "固定资产投资", Period(2025, 5), value="200")
    _set(bureau, COUNT, P5, value="12")
    assert _text(bureau, f"【{INVEST}.拉动.固定资产投资】|【均：{INVEST}、固定资产投资】|"
                         f"【均：{INVEST}、{COUNT}】") == (
        f"拉动增长2.5个百分点|均实现增长|【未填：{COUNT}上年同期】")
    _set(bureau, COUNT, Period(2025, 5), value="15")
    assert _text(bureau, f"【均：{INVEST}、{COUNT}】") == "增减不一"


# -- Excel: the new columns round-trip, and a clerk's sheet with them imports --------------------
def test_an_export_reimports_unchanged_and_a_sheet_with_the_new_columns_imports(
        bureau: Ledger, tmp_path: Path) -> None:
    _set(bureau, RATE, P5, value="6.5", rank="3", other_ranks="全省第12",
         refs="全市平均6.1", month_value="7.0", forecast="6.6")
    _set(bureau, INVEST, P5, value="50", official_growth="12.3")
    out = export_year(bureau, 2026, tmp_path / "导出.xlsx").path
    plan = preview_file(bureau, out)
    assert plan.count(CHANGED) == 0 and plan.count(NEW) == 0 and plan.count(REJECTED) == 0
    path = write_xlsx(tmp_path / "上报.xlsx", {"指标": [
        ["指标名称", "年份", "期间", "本期数值", "预测值", "统计局增速", "其他排名", "参照值"],
        [INVEST, 2026, "1-6月", None, "6200000万", None, None, "全市平均60"],
        [INVEST, 2026, "1-5月", 50, None, 12.5, None, None],
        [RATE, 2026, "1-5月", 6.5, None, None, "全国第3", None],
        [RATE, 2026, "1-5月", 6.5, None, 2, None, None],
    ]})
    plan = preview_file(bureau, path)
    results = {r.row: r for r in plan.results()}
    assert results[2].action == NEW and results[2].ops[0].values["forecast"] == 620
    assert results[3].action == CHANGED and "公布增速" in results[3].detail
    assert results[4].action == REJECTED and "全国" in results[4].detail
    assert results[5].action == REJECTED and "公布增速" in results[5].detail
    assert not plan.can_apply


def test_an_import_without_the_new_columns_leaves_them_alone(bureau: Ledger,
                                                             tmp_path: Path) -> None:
    _set(bureau, INVEST, P5, value="50", official_growth="12.3", forecast="49")
    path = write_xlsx(tmp_path / "值.xlsx", {"指标": [
        ["指标名称", "年份", "期间", "本期数值"], [INVEST, 2026, "1-5月", 50]]})
    plan = preview_file(bureau, path)
    assert [r.action for r in plan.results()] == [UNCHANGED]
    figure = bureau.metrics.figure(INVEST, P5)
    assert figure.official_growth == 12.3 and figure.forecast == 49


def test_versus_words_for_the_summary_are_the_same_function(bureau: Ledger) -> None:
    _set(bureau, INVEST, P5, value="50", official_growth="0")
    figure = bureau.metrics.figure(INVEST, P5)
    assert figure.versus is not None
    assert versus_last_year_words(figure.versus.words) == "与上年同期持平"
    assert _text(bureau, f"【{INVEST}.同比】") == "与上年同期持平"


# -- charts use the same 同比; an old file's rank scope becomes its default one ------------------
def test_the_trend_chart_prints_the_figures_own_official_growth(demo: Ledger) -> None:
    from conftest import DEMO_PERIOD

    from core.charts.data import chart_data

    demo.metrics.set("above_scale_output_growth", DEMO_PERIOD, "value", "-9.6")  # the old twin
    demo.metrics.set("above_scale_output", DEMO_PERIOD, "official_growth", "3.25")
    label = chart_data(demo, DEMO_PERIOD, "trend").series[0].labels[-1]
    assert label.endswith("同比增长3.25%")
    assert _text(demo, "【规上工业总产值.同比】", DEMO_PERIOD) == "同比增长3.25%"


def test_an_upgraded_version_4_file_keeps_its_rank_scopes(tmp_path: Path) -> None:
    old = Path(__file__).resolve().parent / "data" / "ledger-v4.db"
    copy = tmp_path / "张三" / "台账𠮷.db"
    copy.parent.mkdir()
    copy.write_bytes(old.read_bytes())
    with Ledger.open(copy) as ledger:
        ranked = [i for i in ledger.catalogue.all() if i.rank_scope]
        assert ranked and all(i.rank_scopes == (i.rank_scope,) for i in ranked)
        figure = ledger.metrics.figure("above_scale_va_growth", Period(2025, 12))
        assert figure.month_value is None and figure.forecast is None
        assert figure.official_growth is None and figure.other_ranks == () and figure.refs == ()


def test_a_number_style_and_a_condition_read_the_official_growth_rate(bureau: Ledger) -> None:
    _set(bureau, INVEST, P5, value="50", official_growth="8.6")
    _set(bureau, INVEST, Period(2025, 5), value="52")  # computed: a fall
    assert _text(bureau, f"【{INVEST}.同比：2位小数】") == "同比增长8.60%"
    assert _text(bureau, f"【如果：{INVEST}.同比增长】增【否则】降【结束】") == "增"
