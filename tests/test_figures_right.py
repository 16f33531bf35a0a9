"""Every figure right: regression tests of the field findings of "Every figure right, everywhere".

Each test names its finding. The window's key findings (1, 2) are in test_ui_keys_go_where_typed;
the whole-ledger properties (every figure reads the same in every writer) in
test_figures_everywhere.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ui_support import DEMO_PERIOD

from core import registers
from core.derived import STAGES
from core.errors import InputError
from core.kinds import growth_words, number_text, points_words, versus_last_year_words
from core.ledger import Ledger
from core.periods import Period
from core.report.build import build
from core.report.document import Paragraph

P = Period(2026, 11)


def _text(ledger: Ledger, body: str, period: Period = P) -> str:
    document = build(ledger, period, "标题\n" + body)
    return "".join(b.text for b in document.blocks if isinstance(b, Paragraph))


# -- the words of a comparison: one rule (finding 7) -----------------------------------------------
@pytest.mark.parametrize(("percent", "words"), [
    (5.888, "增长5.9%"), (-2.73, "下降2.7%"), (0.04, "持平"), (-0.04, "持平"), (0, "持平"),
])
def test_growth_is_worded_by_its_sign(percent: float, words: str) -> None:
    assert growth_words(percent) == words


@pytest.mark.parametrize(("difference", "decimals", "words"), [
    (1.49, 2, "提高1.49个百分点"), (-0.6, 1, "回落0.6个百分点"), (0.004, 2, "持平"),
])
def test_differences_of_rates_are_in_percentage_points(difference: float, decimals: int,
                                                        words: str) -> None:
    assert points_words(difference, decimals) == words


def test_versus_last_year() -> None:
    assert versus_last_year_words("增长5.9%") == "同比增长5.9%"
    assert versus_last_year_words("持平") == "与上年同期持平"


def test_a_zero_decimal_share_reads_the_same_in_the_tab_and_the_summary(ledger: Ledger) -> None:
    """Finding 7: 10.0 vs 9.6 read 提高0.4个百分点 in the tab and 持平 in the summary."""
    share = ledger.catalogue.by_code("resumption_rate")
    ledger.catalogue.update(share.id, decimals=0)
    ledger.metrics.set_many([(share, P, "value", "10"), (share, P, "last_year_value", "9.6")])
    figure = ledger.metrics.figure(share, P)
    from ui.tabs.indicator_model import change_text

    assert change_text(figure) == "提高0.4个百分点"
    assert _text(ledger, f"【{share.name}.同比】") == "同比提高0.4个百分点"


def test_a_count_whose_last_year_was_typed_as_zero_is_compared(ledger: Ledger) -> None:
    """Finding 7: a 上年同期 typed as 0 read 增加66 in the tab, 【未填：…上年同期】 in the
    summary."""
    ledger.metrics.set_many([("contest_entries", P, "value", "66"),
                             ("contest_entries", P, "last_year_value", "0")])
    figure = ledger.metrics.figure("contest_entries", P)
    assert figure.versus is not None and figure.versus.words == "增加66家"
    assert _text(ledger, "【双创大赛报名企业数.同比】") == "同比增加66家"


# -- completion of a rate is a gap (finding 8) ---------------------------------------------------
def test_a_growth_rate_against_its_target_is_a_gap_not_a_ratio(ledger: Ledger) -> None:
    ledger.metrics.set_many([("above_scale_va_growth", P, "value", "9.0"),
                             ("above_scale_va_growth", P, "target_committed", "6.0")])
    text = _text(ledger, "【规上工业增加值增速.完成率】")
    assert text == "高于目标3.0个百分点"
    assert "150" not in text
    ledger.metrics.set("above_scale_va_growth", P, "value", "5.5")
    assert _text(ledger, "【规上工业增加值增速.完成率】") == "低于目标0.5个百分点"


def test_an_amount_against_its_target_is_a_share_of_it(ledger: Ledger) -> None:
    ledger.metrics.set_many([("above_scale_output", P, "value", "506"),
                             ("above_scale_output", P, "target_committed", "500")])
    assert _text(ledger, "【规上工业总产值.完成率】") == "101.2%"


# -- a typed value is never replaced by a computed one (finding 4) ---------------------------------
def test_a_typed_last_year_stays_when_the_register_gets_a_firm(ledger: Ledger) -> None:
    ledger.metrics.set("above_scale_count", P, "last_year_value", "55")
    ledger.enterprises.add(name="一号有限公司", above_scale="2020")
    figure = ledger.metrics.figure("above_scale_count", P)
    assert figure.last_year == 55 and figure.last_year_source == "entered"


def test_a_register_of_two_firms_prints_no_zeros(ledger: Ledger) -> None:
    ledger.enterprises.add_many([{"name": "一号有限公司", "above_scale": "2020"},
                                 {"name": "二号有限公司"}])
    ledger.projects.add(name="小项目", total_investment="0.3", start_date="2025-03-01")
    text = _text(ledger, "新增小巨人企业【新增小巨人企业数】，"
                         "科技型中小企业达到【科技型中小企业数】，在建亿元项目【在建亿元项目数】。")
    for zero in ("0家", "0个"):
        assert zero not in text
    assert "【未填：新增小巨人企业数】" in text and "【未填：在建亿元项目数】" in text
    # The clerk says the registers are complete for the year: now the zeros are figures.
    registers.set_complete(ledger, "enterprises", 2026, True)
    registers.set_complete(ledger, "projects", 2026, True)
    text = _text(ledger, "【新增小巨人企业数】【在建亿元项目数】")
    assert text == "0家0个"


def test_the_basis_says_why_a_computed_figure_is_missing(ledger: Ledger) -> None:
    ledger.enterprises.add(name="一号有限公司")
    figure = ledger.metrics.figure("tech_sme_count", P)
    assert figure.missing and figure.derived is not None
    assert "企业名录" in figure.derived.basis and "已录全" in figure.derived.basis


# -- units typed into a record's amount (finding 3) ------------------------------------------------
@pytest.mark.parametrize(("typed", "unit", "stored"), [
    ("5000万", "", (5000.0, "万元")), ("0.5亿", "", (5000.0, "万元")),
    ("0.5亿元", "", (5000.0, "万元")), ("3000", "", (3000.0, "万元")),
    ("2亿", "元", (200_000_000.0, "元")), ("5000万元", "亿元", (0.5, "亿元")),
])
def test_wan_and_yi_in_a_service_amount_convert_to_the_records_unit(
        ledger: Ledger, typed: str, unit: str, stored: tuple[float, str]) -> None:
    ledger.services.add(date="2026-03-01", kind="融资贷款", amount=typed, amount_unit=unit)
    row = ledger.query("SELECT amount, amount_unit FROM services")[0]
    assert (row["amount"], row["amount_unit"]) == stored


def test_a_loan_of_5000_wan_is_half_a_yi_in_the_figure(ledger: Ledger) -> None:
    ledger.services.add(date="2026-03-01", kind="融资贷款", amount="5000万")
    assert ledger.metrics.figure("bank_loans", P).value == 0.5  # 亿元, not 5,000


def test_an_amount_in_the_wrong_unit_is_refused(ledger: Ledger) -> None:
    with pytest.raises(InputError, match="金额/数量"):
        ledger.services.add(date="2026-03-01", kind="物资", amount="3万元")
    assert ledger.scalar("SELECT count(*) FROM services") == 0


# -- a new project and its investment: one write in core (finding 10) ------------------------------
def test_a_new_project_with_its_investment_is_one_transaction_and_one_undo(ledger: Ledger
                                                                          ) -> None:
    change = ledger.projects.add(name="新项目", total_investment="3",
                                 invest_year="1.2", invest_year_of="2026")
    assert ledger.projects.investments(change.inserted_ids("projects")[0]) == {2026: 1.2}
    ledger.revert(change)
    assert ledger.scalar("SELECT count(*) FROM projects") == 0
    assert ledger.scalar("SELECT count(*) FROM project_investments") == 0


def test_a_bad_investment_keeps_the_new_project_out_too(ledger: Ledger) -> None:
    with pytest.raises(InputError, match="本年完成投资"):
        ledger.projects.add(name="新项目", invest_year="很多", invest_year_of="2026")
    assert ledger.scalar("SELECT count(*) FROM projects") == 0


# -- displayed = stored (finding 11) ---------------------------------------------------------------
def test_a_value_with_more_decimals_than_the_indicator_shows_what_is_stored(ledger: Ledger
                                                                           ) -> None:
    indicator = ledger.catalogue.by_code("fee_relief")  # 万元, 0 decimals … or whatever it keeps
    ledger.catalogue.update(indicator.id, decimals=0)
    ledger.metrics.set(indicator, P, "value", "12.5")
    figure = ledger.metrics.figure(indicator, P)
    assert figure.value == 12.5
    assert indicator.format(figure.value) == "12.5"
    assert _text(ledger, f"【{indicator.name}】") == f"12.5{indicator.unit}"


@given(st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False,
                   allow_infinity=False), st.integers(min_value=0, max_value=6))
def test_shown_numbers_never_hide_stored_digits(value, decimals: int) -> None:
    text = number_text(float(value), decimals)
    assert float(text) == pytest.approx(float(value), abs=1e-9)
    assert len(text.partition(".")[2]) >= decimals


def test_more_than_six_decimals_are_refused_at_input(ledger: Ledger) -> None:
    with pytest.raises(InputError, match="6 位小数"):
        ledger.metrics.set("above_scale_output", P, "value", "1.1234567")


# -- one project-status rule (finding 6) ---------------------------------------------------------
_DAYS = st.one_of(st.none(), st.dates(min_value=date(2024, 1, 1),
                                      max_value=date(2027, 12, 31)))


@st.composite
def _project(draw: st.DrawFn) -> dict[str, str]:
    days = sorted(d for d in (draw(_DAYS), draw(_DAYS), draw(_DAYS)) if d is not None)
    days += [None] * (3 - len(days))
    signed, started, completed = (days if draw(st.booleans()) else [None, *days[:2]])
    if completed and not started:
        completed = None
    row = {"name": f"项目{draw(st.integers(0, 10**9))}",
           "total_investment": str(draw(st.sampled_from([0.4, 1, 3.5])))}
    for key, day in (("signed_date", signed), ("start_date", started),
                     ("completion_date", completed)):
        if day:
            row[key] = day.isoformat()
    return row


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(projects=st.lists(_project(), min_size=1, max_size=8, unique_by=lambda r: r["name"]),
       months=st.integers(1, 12), year=st.sampled_from([2025, 2026]))
def test_the_status_column_the_filter_and_the_figures_agree(tmp_path_factory, projects,
                                                            months: int, year: int) -> None:
    path = tmp_path_factory.mktemp("状态") / "台账.db"
    with Ledger.open(path) as ledger:
        ledger.projects.add_many(projects)
        registers.set_complete(ledger, "projects", year, True)
        period = Period(year, months)
        shown = {row["name"]: row["status"].split("、") for row in ledger.projects.rows(period)}
        assert all(status and status != [""] for status in shown.values())
        for stage in STAGES:
            found = {row["name"] for row in ledger.projects.rows(period, status=stage)}
            assert found == {name for name, stages in shown.items() if stage in stages}, stage
        yi = {row["name"] for row in ledger.projects.rows(period, yi_only=True)}
        for code, stage in (("yi_new_started", "新开工"), ("yi_under_construction", "在建"),
                            ("yi_completed", "竣工投产")):
            expected = sum(1 for name in yi if stage in shown[name])
            assert ledger.metrics.figure(code, period).value == expected


def test_demo_status_filter_finds_what_the_column_shows(demo: Ledger) -> None:
    """Finding 6: the status column showed 竣工投产 for 9 demo projects, the filter found 5."""
    rows = demo.projects.rows(DEMO_PERIOD)
    for stage in STAGES:
        column = sum(1 for row in rows if stage in row["status"].split("、"))
        assert demo.projects.count(DEMO_PERIOD, status=stage) == column


def test_no_second_status_rule_is_left_in_python() -> None:
    import core.projects

    assert not hasattr(core.projects, "status_of")



# -- a single month is not a cumulative period (finding 9) ---------------------------------------
@pytest.mark.parametrize("months", ["5月", "5", 5, "五月"])
def test_an_import_row_of_a_single_month_is_asked_not_read_as_cumulative(
        ledger: Ledger, tmp_path: Path, months: object) -> None:
    from excel_files import write_xlsx

    from core.exchange.excel_import import preview_file
    from core.exchange.importers import REJECTED

    ledger.metrics.set("above_scale_output", Period(2026, 5), "value", "230")
    path = write_xlsx(tmp_path / "统计月报.xlsx", {"指标": [
        ["指标", "年份", "期间", "本期数值"], ["规上工业总产值", 2026, months, 48.5]]})
    plan = preview_file(ledger, path)
    [rejected] = plan.results(REJECTED)
    assert "累计" in rejected.detail and not plan.can_apply
    assert ledger.metrics.figure("above_scale_output", Period(2026, 5)).value == 230


def test_an_import_row_of_a_cumulative_period_is_read(ledger: Ledger, tmp_path: Path) -> None:
    from excel_files import write_xlsx

    from core.exchange.excel_import import apply_import, preview_file

    path = write_xlsx(tmp_path / "统计月报.xlsx", {"指标": [
        ["指标", "年份", "期间", "本期数值"], ["规上工业总产值", 2026, "1-5月", 230]]})
    apply_import(ledger, preview_file(ledger, path))
    assert ledger.metrics.figure("above_scale_output", Period(2026, 5)).value == 230


def test_a_plan_target_shows_as_its_indicator_keeps_it(ledger: Ledger) -> None:
    """Finding 11: the plan table showed 目标值 “8.00个”."""
    section = ledger.plans.add_section(2027, "推进项目建设").inserted_ids("plan_sections")[0]
    ledger.plans.add_item(section, "新开工亿元项目", target_indicator="新开工亿元项目数",
                          target_value="8")
    row = ledger.query("SELECT * FROM plan_items")[0]
    assert ledger.plans.items.display(row, "target_value") == "8"


def test_excel_cells_carry_no_float_noise(demo: Ledger, tmp_path: Path) -> None:
    """Finding 11: Excel cells carried -0.6000000000000005."""
    from openpyxl import load_workbook

    from core.exchange.excel_export import export_year

    out = export_year(demo, 2026, tmp_path / "导出.xlsx").path
    for sheet in load_workbook(out, read_only=True):
        for row in sheet.iter_rows(values_only=True):
            for cell in row:
                if isinstance(cell, float):
                    assert len(repr(cell).partition(".")[2].rstrip("0")) <= 6, (sheet.title, cell)


# -- the chart reads the figure (finding 5) -------------------------------------------------------
def test_the_pipeline_chart_shows_an_overridden_count_and_says_so(demo: Ledger) -> None:
    from core.charts.data import chart_data

    derived = demo.metrics.figure("yi_new_started", DEMO_PERIOD).value
    assert derived is not None
    demo.metrics.set("yi_new_started", DEMO_PERIOD, "value", str(int(derived) + 3))
    data = chart_data(demo, DEMO_PERIOD, "pipeline")
    counts = dict(zip(data.labels, data.series[0].values, strict=True))
    assert counts["新开工"] == derived + 3
    assert "新开工亿元项目数采用填报数" in data.note and "标*" in data.note
    text = _text(demo, "新开工亿元项目【新开工亿元项目数】。", DEMO_PERIOD)
    assert text == f"新开工亿元项目{int(derived) + 3}个。"


# -- 数据说明 is for the clerk, not the body (finding 12) ----------------------------------------
def test_the_default_summary_prints_no_data_note(demo: Ledger) -> None:
    from core.figures import override_notes
    from core.report.store import DEFAULT_NAME, Templates

    demo.metrics.set("above_scale_count", DEMO_PERIOD, "value", "58")
    assert override_notes(demo, DEMO_PERIOD)  # the clerk still sees it
    document = build(demo, DEMO_PERIOD, Templates(demo).get(DEFAULT_NAME),
                     render_chart=lambda _key: b"")
    body = "".join(getattr(b, "text", "") for b in document.blocks)
    assert "数据说明" not in body and "台账记录计算为" not in body


# -- smaller ones (finding 13) ---------------------------------------------------------------------
def test_a_missing_versus_names_what_is_missing(ledger: Ledger) -> None:
    assert _text(ledger, "【规上工业总产值.同比】") == \
        "【未填：规上工业总产值（同比需本期数值和上年同期）】"
    ledger.metrics.set("above_scale_output", P, "value", "500")
    assert _text(ledger, "【规上工业总产值.同比】") == "【未填：规上工业总产值上年同期】"
    assert _text(ledger, "【规上工业总产值】").startswith("500")


def test_check_counts_what_the_summary_lists(demo: Ledger) -> None:
    from core.cli import summary_gaps
    from core.report.build import what_is_missing
    from core.report.store import DEFAULT_NAME, Templates

    demo.metrics.set("above_scale_va_growth", DEMO_PERIOD.previous_year(), "value", None)
    demo.metrics.set("tech_contract_turnover", DEMO_PERIOD, "value", None)
    document = build(demo, DEMO_PERIOD, Templates(demo).get(DEFAULT_NAME),
                     render_chart=lambda _key: b"")
    assert summary_gaps(demo, DEMO_PERIOD) == what_is_missing(demo, DEMO_PERIOD, document)
    assert len(summary_gaps(demo, DEMO_PERIOD)) >= 2


def test_the_trend_chart_with_one_year_has_readable_ticks(ledger: Ledger) -> None:
    from core.charts.data import chart_data
    from core.charts.draw import draw

    ledger.metrics.set_many([("above_scale_output", P, "value", "563.4"),
                             ("above_scale_va_growth", P, "value", "6.8")])
    figure = draw(chart_data(ledger, P, "trend"))
    figure.canvas.draw()
    for axes in figure.axes:
        labels = [t.get_text() for t in axes.get_yticklabels()]
        assert labels and all(len(label) <= 6 for label in labels), labels
        assert len(set(labels)) == len(labels)


def test_the_district_names_the_bureau_in_the_title(ledger: Ledger) -> None:
    assert _text(ledger, "【单位】") == "【未填：单位名称（设置）】"
    ledger.set_setting("district", "东湖区")
    assert build(ledger, P, "【单位】【年份】年工作总结").title == "东湖区科工信局2026年工作总结"
    ledger.set_setting("bureau", "东湖区科学技术局")
    assert build(ledger, P, "【单位】").title == "东湖区科学技术局"


def test_one_loan_record_prints_no_zero_problems_solved(ledger: Ledger) -> None:
    """Found trying the app as a new clerk: one 融资贷款 record made 解决问题 read 0条."""
    ledger.services.add(date="2026-03-01", kind="融资贷款", amount="5000万")
    assert _text(ledger, "【解决企业问题数】") == "【未填：解决企业问题数】"
    assert ledger.metrics.figure("bank_loans", P).value == 0.5
    registers.set_complete(ledger, "services", 2026, True)
    assert _text(ledger, "【解决企业问题数】") == "0条"


# -- periods and annual targets in templates ("Any bureau, any period", first steps) ----------
def test_a_template_names_other_cumulative_periods(ledger: Ledger) -> None:
    output = "above_scale_output"
    for months, value in ((6, "300"), (7, "350"), (12, "620")):
        ledger.metrics.set(output, Period(2026, months), "value", value)
    ledger.metrics.set(output, Period(2026, 12), "target_committed", "600")
    period = Period(2026, 8)
    ledger.metrics.set(output, period, "value", "400")
    text = _text(ledger, "【规上工业总产值】|【规上工业总产值.上期】|【规上工业总产值.1-6月】|"
                         "【规上工业总产值.上半年】|【规上工业总产值.全年】|【规上工业总产值.全年.确保目标】|"
                         "【规上工业总产值.一季度】", period)
    assert text.split("|") == ["400.0亿元", "350.0亿元", "300.0亿元", "300.0亿元", "620.0亿元",
                               "600.0亿元", "【未填：规上工业总产值（1-3月）】"]
    # A single quarter is 1-6月 less 1-3月 (issue 13): missing while 1-3月 is.
    assert _text(ledger, "【规上工业总产值.二季度】", period) == \
        "【未填：规上工业总产值（二季度）】"
    # 1月 has no 上期: missing, never 1月's own figure nor that of any other period.
    ledger.metrics.set(output, Period(2026, 1), "value", "50")
    assert _text(ledger, "【规上工业总产值.上期】", Period(2026, 1)) == \
        "【未填：规上工业总产值（上期）】"


def test_an_annual_target_applies_to_every_period_without_its_own(ledger: Ledger) -> None:
    output = "above_scale_output"
    ledger.metrics.set(output, Period(2026, 12), "target_committed", "600")
    ledger.metrics.set(output, Period(2026, 5), "value", "270")
    figure = ledger.metrics.figure(output, Period(2026, 5))
    assert figure.target_committed == 600 and figure.target_source == "annual"
    assert _text(ledger, "【规上工业总产值.完成年任务】", Period(2026, 5)) == "完成年任务的45.0%"
    ledger.metrics.set(output, Period(2026, 5), "target_committed", "250")  # its own target
    figure = ledger.metrics.figure(output, Period(2026, 5))
    assert figure.target_committed == 250 and figure.target_source == "period"
    assert _text(ledger, "【规上工业总产值.完成率】|【规上工业总产值.完成年任务】",
                 Period(2026, 5)) == "108.0%|完成年任务的45.0%"


def test_the_default_summary_still_prints_after_default_indicators_are_retired(
        demo: Ledger) -> None:
    """“Any bureau”: a bureau retires the defaults it does not keep; `report` without
    --template must not fail because the bundled template names them."""
    from core.report.store import DEFAULT_NAME, Templates

    for code in ("contest_entries", "little_giants_new", "maker_spaces_new"):
        demo.catalogue.retire(demo.catalogue.by_code(code).id)
    document = build(demo, DEMO_PERIOD, Templates(demo).get(DEFAULT_NAME),
                     render_chart=lambda _key: b"")
    assert document.title
