"""The wording bureaus use for changes over periods (core.kinds), with property tests, and the
template forms that print them (月报: 较上期, 连续N个月, 位次变化)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.kinds import (
    all_words,
    place_words,
    pull_words,
    rate_change_words,
    streak_words,
)
from core.ledger import Ledger
from core.periods import Period
from core.report.build import build
from core.report.document import Paragraph

_rates = st.decimals(min_value=-50, max_value=50, places=1, allow_nan=False,
                     allow_infinity=False).map(float)


@pytest.mark.parametrize(("now", "before", "words"), [
    (6.8, 6.5, "增速较1-7月提高0.3个百分点"), (6.2, 6.5, "增速较1-7月回落0.3个百分点"),
    (-2.0, -2.5, "降幅较1-7月收窄0.5个百分点"), (-3.0, -2.5, "降幅较1-7月扩大0.5个百分点"),
    (1.2, -0.5, "较1-7月提高1.7个百分点，由降转增"),
    (-0.4, 0.6, "较1-7月回落1.0个百分点，由增转降"),
    (6.5, 6.5, "与1-7月持平"),
])
def test_rate_changes_read_as_bulletins_word_them(now: float, before: float, words: str) -> None:
    assert rate_change_words(now, before, 1, "1-7月") == words


@given(_rates, _rates)
def test_rate_change_words_follow_the_difference(now: float, before: float) -> None:
    words = rate_change_words(now, before, 1, "上期")
    difference = round(now - before, 1)
    if difference == 0:
        assert words == "与上期持平"
    elif now < 0 and before < 0:
        assert ("收窄" in words) == (difference > 0) and "降幅" in words
    else:
        assert ("提高" in words) == (difference > 0)
        assert ("由降转增" in words) == (before < 0 < now)
        assert ("由增转降" in words) == (before > 0 > now)


@given(st.lists(st.one_of(st.none(), _rates), min_size=1, max_size=12))
def test_a_streak_counts_the_periods_of_the_same_sign(rates: list[float | None]) -> None:
    words = streak_words(rates)
    if rates[0] is None:
        assert words is None
        return
    assert words is not None
    if rates[0] > 0:
        n = next((i for i, r in enumerate(rates) if r is None or r <= 0), len(rates))
        assert words == (f"连续{n}个月保持正增长" if n > 1 else "实现正增长")
    elif rates[0] < 0:
        assert "下降" in words
    else:
        assert words == "与上年同期持平"


@given(st.integers(1, 30), st.integers(1, 30))
def test_a_place_moves_up_when_its_number_falls(now: int, before: int) -> None:
    words = place_words(now, before, "1-7月")
    assert words is not None
    if now < before:
        assert words == f"位次较1-7月提升{before - now}位"
    elif now > before:
        assert words == f"位次较1-7月下降{now - before}位"
    else:
        assert words == "位次与1-7月持平"


def test_pull_and_all() -> None:
    assert pull_words(120, 100, 1000) == "拉动增长2.0个百分点"
    assert pull_words(90, 100, 1000) == "下拉增长1.0个百分点"
    assert pull_words(1, 1, 0) is None
    from core.kinds import Verdict

    up = Verdict("增长1.0%", 1.0, "%")
    down = Verdict("下降1.0%", -1.0, "%")
    assert all_words([up, up]) == "均实现增长" and all_words([down, down]) == "均有所下降"
    assert all_words([up, down]) is None and all_words([up, None]) is None


def test_a_monthly_bulletin_prints_from_data_only(ledger: Ledger) -> None:
    """A 经济运行 bulletin for 1-8月: the current growth, 较上期, 连续N个月, 位次变化."""
    growth = "above_scale_va_growth"
    for months, rate, rank in ((5, "5.1", "4"), (6, "5.8", "3"), (7, "6.2", "3"),
                               (8, "6.5", "2")):
        ledger.metrics.set_many([(growth, Period(2026, months), "value", rate),
                                 (growth, Period(2026, months), "rank", rank)])
    ledger.metrics.set(growth, Period(2026, 4), "value", "-0.3")
    body = ("标题\n1-8月，规上工业增加值增长【规上工业增加值增速】，【规上工业增加值增速.较上期】，"
            "【规上工业增加值增速.连续增长】，【规上工业增加值增速.位次变化】。")
    document = build(ledger, Period(2026, 8), body, render_chart=lambda _key: b"")
    [paragraph] = [b for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraph.text == ("1-8月，规上工业增加值增长6.5%，增速较1-7月提高0.3个百分点，"
                              "连续4个月保持正增长，位次较1-7月提升1位。")


def test_a_cumulative_amount_has_no_change_over_the_last_period(ledger: Ledger) -> None:
    from core.report.template import TemplateError

    with pytest.raises(TemplateError, match="同比"):
        build(ledger, Period(2026, 8), "标题\n【规上工业总产值.较上期】")
