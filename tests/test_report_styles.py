"""A field's number in the style the clerk asks for: decimals, 不补零, 中文数字, 第2."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.periods import Period
from core.report import phrasing
from core.report.build import build
from core.report.document import Paragraph
from core.report.number_style import StyleError, parse_style
from core.report.template import TemplateError
from tests.report_support import tiny_png

PERIOD = Period(2026, 6)
LAST = Period(2025, 6)


def _line(ledger, field: str) -> str:
    document = build(ledger, PERIOD, f"标题\n{field}", render_chart=tiny_png)
    [paragraph] = [b for b in document.blocks if isinstance(b, Paragraph)]
    return paragraph.text


@pytest.fixture
def typed(ledger):
    """Figures as a clerk typed them: 12 (a rate kept with 1 decimal), 66 firms, a rank."""
    metrics = ledger.metrics
    metrics.set("above_scale_va_growth", PERIOD, "value", "12")
    metrics.set("above_scale_va_growth", PERIOD, "last_year_value", "10.48")
    metrics.set("above_scale_va_growth", PERIOD, "target_committed", "8")
    metrics.set("above_scale_va_growth", PERIOD, "rank", "2")
    metrics.set("above_scale_count", PERIOD, "value", "66")
    metrics.set("above_scale_count", PERIOD, "last_year_value", "63")
    metrics.set("above_scale_count", PERIOD, "target_committed", "70")
    metrics.set("tech_contract_turnover", PERIOD, "value", "12345.6")
    metrics.set("tech_contract_turnover", PERIOD, "last_year_value", "10000")
    return ledger


@pytest.mark.parametrize("field, printed", [
    ("【规上工业增加值增速】", "12.0%"),  # the kind's decimals
    ("【规上工业增加值增速：不补零】", "12%"),  # 12%, not 12.0%, when the clerk typed 12
    ("【规上工业增加值增速：2位小数】", "12.00%"),
    ("【规上工业增加值增速.同比】", "同比提高1.52个百分点"),  # the decimals of 10.48
    ("【规上工业增加值增速.同比：1位小数】", "同比提高1.5个百分点"),
    ("【规上工业增加值增速.完成率：整数】", "高于目标4个百分点"),
    ("【规上工业增加值增速.排名】", "第二"),
    ("【规上工业增加值增速.排名：阿拉伯数字】", "第2"),
    ("【规上工业企业数】", "66家"),
    ("【规上工业企业数：中文数字】", "六十六家"),
    ("【规上工业企业数.同比：中文数字】", "同比增长4.8%"),  # a growth rate keeps its digits
    ("【规上工业企业数.目标：中文数字】", "七十家"),
    ("【规上工业企业数.完成率：2位小数】", "94.29%"),
    ("【技术合同交易额】", "12345.60万元"),
    ("【技术合同交易额：1位小数、不补零】", "12345.6万元"),
    ("【技术合同交易额：整数】", "12346万元"),
    ("【技术合同交易额.亿元：2位小数】", "1.23亿元"),
    ("【技术合同交易额.同比：3位小数】", "同比增长23.456%"),
    ("【技术合同交易额.上年：整数】", "10000万元"),
])
def test_a_field_prints_in_the_style_asked_for(typed, field: str, printed: str) -> None:
    assert _line(typed, field) == printed


def test_full_width_and_chinese_digits_in_an_option(typed) -> None:
    assert _line(typed, "【规上工业增加值增速.同比：２位小数】") == "同比提高1.52个百分点"
    assert _line(typed, "【规上工业增加值增速.同比：两位小数】") == "同比提高1.52个百分点"
    assert _line(typed, "【规上工业增加值增速：保留2位小数，不补零】") == "12%"


def test_a_styled_field_the_ledger_lacks_still_says_what_is_missing(typed) -> None:
    assert _line(typed, "【技术合同交易额.目标：整数】") == "【未填：技术合同交易额确保目标】"


@pytest.mark.parametrize("field, message", [
    ("【规上工业企业数：3位数】", "不是数字写法"),
    ("【规上工业企业数：9位小数】", "最多保留4位"),
    ("【规上工业企业数：中文数字、阿拉伯数字】", "只能选一种"),
    ("【规上工业增加值增速.排名：2位小数】", "不能指定小数位数"),
    ("【年份：中文数字】", "不认识的字段"),
    ("【没有这个指标：2位小数】", "不认识的字段"),
])
def test_an_option_no_style_means_is_reported_at_its_place(typed, field: str, message: str
                                                             ) -> None:
    with pytest.raises(TemplateError) as caught:
        build(typed, PERIOD, f"标题\n前面的字{field}", render_chart=tiny_png)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, 5)
    assert message in problem.message


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_numerals_read_back_to_the_number(n: int) -> None:
    words = phrasing.chinese_numeral(n)
    assert _read_chinese(words) == n
    assert "零零" not in words and not (words.endswith("零") and n)
    assert not words.startswith("一十")


def _read_chinese(words: str) -> int:
    """An independent reading of Chinese numerals (for the property above)."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    small = {"十": 10, "百": 100, "千": 1000}
    big = {"万": 10**4, "亿": 10**8}
    total = section = number = 0
    for char in words:
        if char in digits:
            number = digits[char]
        elif char in small:
            section += (number or 1) * small[char]
            number = 0
        else:
            scale = big[char]
            section += number
            if scale == 10**4 and total % 10**8 == 0 and total:
                total += section * scale  # 亿 already counted: this is …亿…万
            else:
                total = (total + section) * scale
            section = number = 0
    return total + section + number


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["2位小数", "整数", "不补零", "中文数字", "阿拉伯数字",
                                  "一位小数", "x"]), max_size=4))
def test_every_option_is_read_or_refused_with_a_reason(words: list[str]) -> None:
    option = "、".join(words)
    try:
        style = parse_style(option)
    except StyleError as exc:
        assert str(exc)
        assert "x" in words or {"中文数字", "阿拉伯数字"} <= set(words)
    else:
        assert "x" not in words
        if style.decimals is not None:
            assert any("小数" in w or w == "整数" for w in words)
