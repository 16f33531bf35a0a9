"""Figures computed from the records, for any period, and their overrides."""

from __future__ import annotations

import pytest

from core import derived, registers
from core.default_catalogue import DEFAULT_INDICATORS
from core.ledger import Ledger
from core.periods import Period

Y = 2026
P = Period(Y, 11)


@pytest.fixture(autouse=True)
def complete_registers(ledger: Ledger) -> None:
    """These tests' registers hold every record: marked complete (core.registers), so that
    their figures are printed; test_figures_right covers registers that are not."""
    for register in ("enterprises", "projects"):
        for year in range(Y - 3, Y + 2):
            registers.set_complete(ledger, register, year, True)


def _projects(ledger: Ledger) -> None:
    ledger.enterprises.add(name="甲电气有限公司")
    ledger.projects.add_many([
        # 新开工 in 1-11: started 2026-03
        {"name": "甲一", "enterprise": "甲电气有限公司", "start_date": "2026-03-10",
         "total_investment": "3", "tech_renovation": "是"},
        # started in December: outside 1-11, inside the whole year
        {"name": "甲二", "start_date": "2026-12-05", "total_investment": "2"},
        # 续建: started 2025, still running
        {"name": "甲三", "start_date": "2025-06-01", "total_investment": "5"},
        # 竣工投产 in the period, started 2024
        {"name": "甲四", "start_date": "2024-05-01", "completion_date": "2026-09-30",
         "total_investment": "1.5"},
        # completed last year: in none of the groups
        {"name": "甲五", "start_date": "2023-01-01", "completion_date": "2025-12-31",
         "total_investment": "8"},
        # below the 1 亿元 threshold
        {"name": "甲六", "start_date": "2026-02-01", "total_investment": "0.6"},
        # signed only
        {"name": "甲七", "enterprise": "甲电气有限公司", "signed_date": "2026-07-01",
         "total_investment": "6.28"},
    ])
    ids = {name: project_id for project_id, name in ledger.projects.names()}
    ledger.projects.set_investments([
        (ids["甲一"], Y, "1.2"), (ids["甲三"], Y, "2"), (ids["甲四"], Y, "0.5"),
        (ids["甲六"], Y, "0.3"), (ids["甲五"], Y - 1, "4"),
    ])


def test_project_groups_and_totals(ledger: Ledger) -> None:
    _projects(ledger)
    value = lambda code, period=P: ledger.metrics.figure(code, period).value  # noqa: E731
    assert value("yi_new_started") == 1
    assert value("yi_new_started", Period(Y, 12)) == 2
    assert value("yi_under_construction") == 1
    assert value("yi_completed") == 1
    assert value("yi_total_investment") == pytest.approx(3 + 5 + 1.5)
    assert value("yi_invest_year") == pytest.approx(1.2 + 2 + 0.5)
    # 技改: 1.2 of all 4.0 invested this year (the small project counts as industrial investment)
    assert value("tech_reno_share") == pytest.approx(1.2 / 4.0 * 100)
    signed = ledger.metrics.figure("signed_projects", P)
    assert signed.items == ("甲电气有限公司投资6.28亿元的甲七",)
    # The table's totals line agrees with the derived figures.
    totals = ledger.projects.totals(P, status="新开工", yi_only=True)
    assert totals["count"] == value("yi_new_started")
    assert ledger.projects.count(P, status="本期相关", yi_only=True) == 3


def test_the_threshold_is_a_setting(ledger: Ledger) -> None:
    _projects(ledger)
    ledger.set_setting("yi_threshold", 0.5)
    assert ledger.metrics.figure("yi_new_started", P).value == 2  # 甲六 (0.6) now counts


def test_enterprise_flags_count_as_of_the_year(ledger: Ledger) -> None:
    ledger.enterprises.add_many([
        {"name": "一号有限公司", "above_scale": "2020", "hitech": "2026", "cloud": "2026"},
        {"name": "二号有限公司", "above_scale": "2026", "little_giant": "2026"},
        {"name": "三号有限公司", "above_scale": "2018-2025", "tech_sme": "2024"},
        {"name": "四号有限公司", "platform": "2025"},
    ])
    value = lambda code: ledger.metrics.figure(code, P).value  # noqa: E731
    assert value("above_scale_count") == 2
    assert value("above_scale_new") == 1
    assert value("hitech_count") == 1
    assert value("tech_sme_count") == 1
    assert value("little_giants_new") == 1
    assert value("cloud_new") == 1
    assert value("platform_new") == 0  # a real zero: the register is complete
    # Not marked complete: every figure the register gives is missing, not 0 nor an undercount.
    registers.set_complete(ledger, "enterprises", 2026, False)
    assert value("platform_new") is None and value("hitech_count") is None
    assert "未标记为“已录全”" in ledger.metrics.figure("platform_new", P).derived.basis
    assert ledger.metrics.figure("above_scale_count", Period(2025, 12)).value == 2


def test_service_sums_convert_units(ledger: Ledger) -> None:
    ledger.enterprises.add(name="乙科技有限公司")
    ledger.services.add_many([
        {"date": "2026-01-05", "kind": "走访", "person_times": "8", "problems": "2"},
        {"date": "2026-02-05", "kind": "走访", "person_times": "4"},
        {"date": "2026-12-05", "kind": "走访", "person_times": "100"},  # after the period
        {"date": "2026-03-01", "kind": "解决问题", "problems": "3", "status": "跟进中"},
        {"date": "2026-03-02", "kind": "融资贷款", "amount": "3000", "amount_unit": "万元"},
        {"date": "2026-03-03", "kind": "融资贷款", "amount": "0.5", "amount_unit": "亿元"},
        {"date": "2026-04-01", "kind": "研发奖补", "amount": "50", "enterprise": "乙科技有限公司"},
        {"date": "2026-04-02", "kind": "研发奖补", "amount": "30", "enterprise": "乙科技有限公司"},
        {"date": "2026-04-03", "kind": "政策资金", "amount": "1200000", "amount_unit": "元"},
        {"date": "2026-05-01", "kind": "物资", "amount": "150000", "amount_unit": "个"},
    ])
    value = lambda code: ledger.metrics.figure(code, P).value  # noqa: E731
    assert value("service_visits") == 12
    assert value("problems_solved") == 2  # the 3 problems still 跟进中 are not solved yet
    assert value("bank_loans") == pytest.approx(0.8)  # 亿元
    assert value("rd_subsidy_enterprises") == 1
    assert value("rd_subsidy_amount") == pytest.approx(80)  # 万元
    assert value("policy_funds") == pytest.approx(80 + 120)
    assert value("materials_raised") == pytest.approx(15)  # 万个
    # No record of the kind in the period: missing, never a silent 0.
    fee = ledger.metrics.figure("fee_relief", P)
    assert fee.value is None and fee.missing and fee.source == "missing"


def test_nothing_in_the_records_means_missing(ledger: Ledger) -> None:
    for register in ("enterprises", "projects"):  # not known to be complete
        registers.set_complete(ledger, register, Y, False)
    for figure in ledger.metrics.figures(P):
        if figure.indicator.is_derived:
            assert figure.missing, figure.indicator.name


def test_an_override_wins_and_both_stay_visible(ledger: Ledger) -> None:
    ledger.enterprises.add(name="一号有限公司", above_scale="2020")
    ledger.metrics.set("above_scale_count", P, "value", "57")
    figure = ledger.metrics.figure("above_scale_count", P)
    assert figure.value == 57 and figure.derived_value == 1
    assert figure.source == "overridden" and figure.overridden
    ledger.metrics.clear_override("above_scale_count", P)
    figure = ledger.metrics.figure("above_scale_count", P)
    assert figure.value == 1 and figure.source == "derived"


def test_growth_is_derived_from_last_years_value(ledger: Ledger) -> None:
    ledger.metrics.set("above_scale_output", P, "value", "563.4")
    assert ledger.metrics.figure("above_scale_output_growth", P).missing
    ledger.metrics.set("above_scale_output", P.previous_year(), "value", "527.9")
    growth = ledger.metrics.figure("above_scale_output_growth", P)
    # computed once, rounded as the indicator keeps it
    assert growth.value == round((563.4 - 527.9) / 527.9 * 100, growth.indicator.decimals)
    assert growth.source == "derived"


def test_plan_figures_come_from_next_years_plan(ledger: Ledger) -> None:
    section = ledger.plans.add_section(Y + 1, "做强产业项目").inserted_ids("plan_sections")[0]
    ledger.plans.add_item(section, "保持增速", target_indicator="规上工业增加值增速",
                          target_value="7.5%")
    ledger.plans.add_section(Y + 1, "优化企业服务")
    assert ledger.metrics.figure("next_va_growth_target", P).value == 7.5
    assert ledger.metrics.figure("next_plan_sections", P).items == ("做强产业项目", "优化企业服务")
    assert ledger.metrics.figure("next_plan_projects", P).missing


def test_every_default_derivation_is_known() -> None:
    for definition in DEFAULT_INDICATORS:
        if definition.derivation:
            assert derived.is_known(definition.derivation), definition.code


def test_figures_follow_every_write_though_they_are_kept_between_reads(ledger: Ledger) -> None:
    """Derived figures are cached per table read; a write to that table must show at once,
    and a write elsewhere must not hand back stale values of what it changed."""
    ledger.services.add(date="2026-01-05", kind="走访", person_times="8")
    assert ledger.metrics.figure("service_visits", P).value == 8
    ledger.metrics.set("above_scale_va_growth", P, "value", "6.8")  # another table
    assert ledger.metrics.figure("service_visits", P).value == 8
    assert ledger.metrics.figure("above_scale_va_growth", P).value == 6.8
    change = ledger.services.add(date="2026-02-05", kind="走访", person_times="4")
    assert ledger.metrics.figure("service_visits", P).value == 12
    ledger.revert(change)
    assert ledger.metrics.figure("service_visits", P).value == 8
    ledger.enterprises.add(name="丙有限公司", above_scale="2020")
    assert ledger.metrics.figure("above_scale_count", P).value == 1
