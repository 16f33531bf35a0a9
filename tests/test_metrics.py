"""Indicator values: bounds, reasons, last year, completion and 同比, batch edits, history."""

from __future__ import annotations

import pytest
from helpers import dump

from core.errors import InputError, NeedsReason
from core.fields import BatchError
from core.ledger import Ledger
from core.periods import Period

P = Period(2026, 11)


def test_hard_bounds_refuse_and_soft_bounds_ask_for_a_reason(ledger: Ledger) -> None:
    with pytest.raises(InputError, match="「高新技术产业增加值占GDP比重」不能大于 100.00%"):
        ledger.metrics.set("hitech_va_share", P, "value", "120")
    with pytest.raises(NeedsReason, match="超出常见范围"):
        ledger.metrics.set("above_scale_va_growth", P, "value", "45")
    assert ledger.metrics.figure("above_scale_va_growth", P).missing
    ledger.metrics.set("above_scale_va_growth", P, "value", "45", reason="龙头企业新线投产")
    figure = ledger.metrics.figure("above_scale_va_growth", P)
    assert figure.value == 45 and figure.reason == "龙头企业新线投产"
    # Targets only meet the hard bounds.
    ledger.metrics.set("above_scale_va_growth", P, "target_committed", "40")


def test_wrong_input_names_the_field(ledger: Ledger) -> None:
    with pytest.raises(InputError, match="「规上工业增加值增速」应为数字，收到“约3成”"):
        ledger.metrics.set("above_scale_va_growth", P, "value", "约3成")
    with pytest.raises(InputError, match="「规上工业增加值增速确保目标」应为数字"):
        ledger.metrics.set("above_scale_va_growth", P, "target_committed", "七")
    with pytest.raises(InputError, match="应为整数"):
        ledger.metrics.set("contest_entries", P, "value", "12.5")
    with pytest.raises(InputError, match="自动列出"):
        ledger.metrics.set("signed_projects", P, "value", "3")


def test_last_year_comes_from_last_years_record_else_from_what_was_typed(ledger: Ledger) -> None:
    ledger.metrics.set("above_scale_output", P, "value", "563.4")
    ledger.metrics.set("above_scale_output", P, "last_year_value", "520")
    figure = ledger.metrics.figure("above_scale_output", P)
    assert (figure.last_year, figure.last_year_source) == (520, "entered")
    ledger.metrics.set("above_scale_output", P.previous_year(), "value", "527.9")
    figure = ledger.metrics.figure("above_scale_output", P)
    assert (figure.last_year, figure.last_year_source) == (527.9, "record")
    assert figure.growth == pytest.approx((563.4 - 527.9) / 527.9 * 100)
    assert figure.improved is True


def test_rates_compare_in_percentage_points(ledger: Ledger) -> None:
    ledger.metrics.set_many([
        ("above_scale_va_growth", P, "value", "6.8"),
        ("above_scale_va_growth", P.previous_year(), "value", "7.4"),
        ("above_scale_va_growth", P, "target_committed", "6.5"),
        ("above_scale_va_growth", P, "target_stretch", "7.5"),
    ])
    figure = ledger.metrics.figure("above_scale_va_growth", P)
    assert figure.growth is None  # no "growth of a growth rate"
    assert figure.change == pytest.approx(-0.6)
    assert figure.improved is False
    # a rate against its target is a gap in 个百分点, never a ratio of rates (6.8 / 6.5)
    assert figure.completion is not None and figure.completion.words == "高于目标0.3个百分点"
    assert figure.stretch_completion is not None
    assert figure.stretch_completion.words == "低于目标0.7个百分点"
    assert figure.versus is not None and figure.versus.words == "回落0.6个百分点"


def test_ranks_are_read_as_clerks_write_them(ledger: Ledger) -> None:
    for typed, expected in (("2", 2), ("第3", 3), ("第三", 3), ("第十二名", 12), ("第1位", 1)):
        ledger.metrics.set("above_scale_va_growth", P, "rank", typed)
        assert ledger.metrics.figure("above_scale_va_growth", P).rank == expected
    with pytest.raises(InputError, match="排名"):
        ledger.metrics.set("above_scale_va_growth", P, "rank", "靠前")
    assert ledger.metrics.figure("above_scale_va_growth", P).rank_scope == "城区"


def test_a_batch_with_any_bad_value_writes_nothing(ledger: Ledger) -> None:
    before = dump(ledger.conn)
    with pytest.raises(BatchError) as caught:
        ledger.metrics.set_many([
            ("above_scale_va_growth", P, "value", "6.8"),
            ("hitech_va_share", P, "value", "abc"),
            ("resumption_rate", P, "value", "101"),
        ])
    assert [index for index, _message in caught.value.problems] == [1, 2]
    assert dump(ledger.conn) == before


def test_text_indicators_hold_text(ledger: Ledger) -> None:
    ledger.catalogue.add("工作亮点", kind="text", section="工业经济")
    ledger.metrics.set("工作亮点", P, "text_value", "率先实现复工复产")
    figure = ledger.metrics.figure("工作亮点", P)
    assert figure.text == "率先实现复工复产" and figure.source == "entered"


def test_history_of_three_years(ledger: Ledger) -> None:
    for year, value in ((2023, "5.9"), (2024, "7.4"), (2026, "6.8")):
        ledger.metrics.set("above_scale_va_growth", Period(year, 11), "value", value)
    figure = ledger.metrics.figures(P, history_years=3)[1]
    assert figure.indicator.code == "above_scale_va_growth"
    assert figure.history == ((2023, 5.9), (2024, 7.4), (2025, None))
    assert [v for _p, v in ledger.metrics.history("above_scale_va_growth", P)] == [
        5.9, 7.4, None, 6.8]


def test_renamed_indicators_keep_their_old_name_for_templates(ledger: Ledger) -> None:
    indicator = ledger.catalogue.by_code("tech_contract_turnover")
    ledger.catalogue.rename(indicator.id, "技术合同登记额")
    assert ledger.catalogue.find("技术合同交易额").id == indicator.id  # type: ignore[union-attr]
    assert ledger.catalogue.find("技术合同登记额").id == indicator.id  # type: ignore[union-attr]
    with pytest.raises(InputError, match="已有名为"):
        ledger.catalogue.add("规上工业企业数")


def test_an_indicator_with_data_is_retired_not_deleted(ledger: Ledger) -> None:
    own = ledger.catalogue.add("营商环境得分", unit="分").inserted_ids("indicators")[0]
    ledger.metrics.set(own, P, "value", "88")
    change = ledger.catalogue.retire(own)
    assert change.rows[0].action == "update"
    assert ledger.catalogue.get(own).retired
    assert own not in {i.id for i in ledger.catalogue.all()}
    assert own in {i.id for i in ledger.catalogue.all(include_retired=True)}
