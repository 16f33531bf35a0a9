"""Wording printed only when a condition holds: 【如果：…】…【否则】…【结束】."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.periods import Period
from core.report.build import build
from core.report.conditions import ConditionError, parse_condition
from core.report.document import Heading, Paragraph
from core.report.template import TemplateError
from tests.report_support import tiny_png

PERIOD = Period(2026, 6)


def _text(ledger, body: str) -> list[str]:
    document = build(ledger, PERIOD, f"标题\n{body}", render_chart=tiny_png)
    return [b.text for b in document.blocks if isinstance(b, Paragraph | Heading)][1:]


@pytest.fixture
def typed(ledger):
    metrics = ledger.metrics
    metrics.set("above_scale_va_growth", PERIOD, "value", "6.8")
    metrics.set("above_scale_va_growth", PERIOD, "last_year_value", "7.3")
    metrics.set("above_scale_va_growth", PERIOD, "rank", "2")
    metrics.set("above_scale_count", PERIOD, "value", "66")
    metrics.set("above_scale_count", PERIOD, "target_committed", "60")
    metrics.set("tech_contract_turnover", PERIOD, "value", "5000")
    metrics.set("tech_contract_turnover", PERIOD, "last_year_value", "4000")
    return ledger


GROWTH = ("增速【规上工业增加值增速】，【如果：规上工业增加值增速.同比提高】较上年提高"
          "【否则】较上年回落【结束】。")
SHARE = "高新技术产业增加值占GDP比重"  # not typed in these tests


def test_a_phrase_prints_the_branch_that_holds(typed) -> None:
    assert _text(typed, GROWTH) == ["增速6.8%，较上年回落。"]
    typed.metrics.set("above_scale_va_growth", PERIOD, "last_year_value", "6.1")
    assert _text(typed, GROWTH) == ["增速6.8%，较上年提高。"]


@pytest.mark.parametrize("condition, holds", [
    ("规上工业企业数>60", True), ("规上工业企业数＞66", False), ("规上工业企业数大于65", True),
    ("规上工业企业数>=66", True), ("规上工业企业数≥67", False), ("规上工业企业数不少于66", True),
    ("规上工业企业数<100", True), ("规上工业企业数低于66", False), ("规上工业企业数≤66", True),
    ("规上工业企业数不超过65", False), ("规上工业企业数=66", True), ("规上工业企业数≠66", False),
    ("规上工业企业数等于６６", True), ("规上工业企业数.完成率达到100", True),
    ("规上工业企业数.完成率达到110%", True), ("规上工业企业数.完成率>110%", False),
    ("技术合同交易额.同比增长", True), ("技术合同交易额.同比下降", False),
    ("技术合同交易额.同比>25", False), ("技术合同交易额.同比≥25%", True),
    ("规上工业增加值增速.同比回落", True), ("规上工业增加值增速为正", True),
    ("规上工业增加值增速.排名<=3", True), ("规上工业增加值增速.排名等于1", False),
    ("规上工业企业数已填", True), (f"{SHARE}已填", False), (f"{SHARE}未填", True),
])
def test_each_comparison_a_clerk_writes(typed, condition: str, holds: bool) -> None:
    body = f"【如果：{condition}】是【否则】否【结束】"
    assert _text(typed, body) == ["是" if holds else "否"]


def test_a_missing_figure_prints_what_is_missing_instead_of_guessing(typed) -> None:
    body = f"比重【如果：{SHARE}>2.5】高于全省【否则】低于全省【结束】。"
    document = build(typed, PERIOD, f"标题\n{body}", render_chart=tiny_png)
    [paragraph] = [b for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraph.text == f"比重【未填：{SHARE}】。"
    assert SHARE in document.missing


def test_asking_whether_a_figure_is_filled_notes_nothing_missing(typed) -> None:
    body = f"【如果：{SHARE}已填】比重为【{SHARE}】。【结束】其余略。"
    document = build(typed, PERIOD, f"标题\n{body}", render_chart=tiny_png)
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == ["其余略。"]
    assert document.missing == ()


def test_a_whole_passage_on_lines_of_its_own(typed) -> None:
    body = "\n".join([
        "【如果：规上工业企业数.完成率达到100】",
        "（一）超额完成",
        "规上工业企业数达到【规上工业企业数】，完成目标。",
        "【否则】",
        "规上工业企业数尚差目标。",
        "【结束】",
        "其后一段。",
    ])
    assert _text(typed, body) == ["（一）超额完成", "规上工业企业数达到66家，完成目标。",
                                  "其后一段。"]
    typed.metrics.set("above_scale_count", PERIOD, "target_committed", "70")
    assert _text(typed, body) == ["规上工业企业数尚差目标。", "其后一段。"]


def test_passages_nest_and_an_unprinted_branch_is_not_even_looked_at(typed) -> None:
    body = "\n".join([
        "【如果：规上工业企业数<10】",
        f"【如果：{SHARE}>1】",  # missing, but inside a branch that does not print
        "甲",
        "【结束】",
        "【否则】",
        "乙【如果：技术合同交易额.同比增长】增【结束】",
        "【结束】",
    ])
    document = build(typed, PERIOD, f"标题\n{body}", render_chart=tiny_png)
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == ["乙增"]
    assert document.missing == ()


@pytest.mark.parametrize("body, line, message", [
    ("【如果：规上工业企业数>1】没有结束", 2, "到行末还没有【结束】"),
    ("【如果：规上工业企业数>1】\n甲", 2, "到文末还没有【结束】"),
    ("甲【否则】乙", 2, "前面缺少【如果：…】"),
    ("甲【结束】", 2, "前面缺少【如果：…】"),
    ("【如果：规上工业企业数>1】甲【否则】乙【否则】丙【结束】", 2, "只能有一个【否则】"),
    ("【如果】甲【结束】", 2, "请写出条件"),
    ("【如果：规上工业企业数很多】甲【结束】", 2, "看不懂条件"),
    ("【如果：规上工业企业数>很多】甲【结束】", 2, "后面应是一个数"),
    ("【如果：没有的指标>1】甲【结束】", 2, "没有“没有的指标”"),
    ("【如果：规上工业企业数增长】甲【结束】", 2, "只用于增速、同比"),
    ("【如果：规上工业增加值增速.连续增长>1】甲【结束】", 2, "不是一个数"),
    ("\n\n【否则：x】", 4, "后面不写条件"),
])
def test_a_condition_that_means_nothing_is_reported_at_its_place(typed, body: str, line: int,
                                                                  message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        build(typed, PERIOD, f"标题\n{body}", render_chart=tiny_png)
    assert caught.value.problems[0].line == line
    assert any(message in p.message for p in caught.value.problems), caught.value.problems


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="规上企业数.同比增长下降><=≥≤不低于高于已填未填0123456789%１２ ",
               max_size=20))
def test_any_condition_text_is_read_or_refused_with_a_reason(text: str) -> None:
    try:
        condition = parse_condition(text)
    except ConditionError as exc:
        assert str(exc)
    else:
        assert condition.field.strip()  # always a field to look at, never an empty one
