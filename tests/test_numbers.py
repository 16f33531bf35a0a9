"""The one number parser: forgiving on input, strict on what it stores, never rounding."""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from core.errors import InputError
from core.numbers import format_number, parse_decimal, parse_number

FULL_WIDTH = str.maketrans("0123456789.,%-+", "０１２３４５６７８９．，％－＋")


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("12.5", "%", 12.5),
        ("１２．５", "%", 12.5),
        ("12.5%", "%", 12.5),
        ("１２．５％", "%", 12.5),
        (" 12.5 ", "%", 12.5),
        ("\u300012.5\u3000", "%", 12.5),  # ideographic spaces
        ("-3.2", "%", -3.2),
        ("−3.2", "%", -3.2),  # U+2212 minus sign from Word
        ("－３.２", "%", -3.2),
        ("+4", "%", 4.0),
        ("1,234", "家", 1234.0),
        ("1，234", "家", 1234.0),  # full-width comma
        ("12,345,678.9", "万元", 12345678.9),
        ("35家", "家", 35.0),
        ("1.2万", "人次", 12000.0),
        ("3.5亿", "万元", 35000.0),
        ("3.5亿元", "万元", 35000.0),
        ("3500万", "亿元", 0.35),
        ("3500万元", "亿元", 0.35),
        ("1200元", "万元", 0.12),
        ("0.35亿元", "亿元", 0.35),
        ("50万", "万个", 50.0),
        ("120000个", "万个", 12.0),
        (".5", "", 0.5),
        ("5.", "", 5.0),
        ("0", "家", 0.0),
    ],
)
def test_understands_what_clerks_type(text: str, unit: str, expected: float) -> None:
    assert parse_number(text, field="指标", unit=unit) == expected


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_empty_means_no_value(text: str) -> None:
    assert parse_number(text, field="指标") is None


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("约3成", "%", "「规上工业增加值增速」应为数字，收到“约3成”"),
        ("abc", "", "应为数字"),
        ("1e5", "", "应为数字"),
        ("nan", "", "应为数字"),
        ("inf", "", "应为数字"),
        ("12,34", "家", "应为数字"),  # misplaced thousands separator: never guessed
        ("1.2.3", "", "应为数字"),
        ("12%", "家", "的单位应为家"),
        ("3亿", "%", "的单位应为%"),
        ("3万人", "家", "的单位应为家"),
        ("3亿个", "万元", "的单位应为万元"),
        ("--3", "", "应为数字"),
        ("%", "%", "应为数字"),
        ("万", "万元", "应为数字"),
    ],
)
def test_refuses_anything_else_naming_the_field(text: str, unit: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_number(text, field="规上工业增加值增速", unit=unit)
    assert message in caught.value.message
    assert "规上工业增加值增速" in caught.value.message


def test_counts_must_be_whole() -> None:
    with pytest.raises(InputError, match="应为整数"):
        parse_number("3.5", field="规上工业企业数", unit="家", integer=True)
    assert parse_number("3.0", field="规上工业企业数", unit="家", integer=True) == 3.0
    assert parse_number("1.2万", field="人次", unit="人次", integer=True) == 12000.0


def test_numbers_already_numbers_pass_through() -> None:
    assert parse_number(7, field="x") == 7.0
    assert parse_number(2.5, field="x") == 2.5
    with pytest.raises(InputError):
        parse_number(float("nan"), field="x")
    with pytest.raises(InputError):
        parse_number(True, field="x")  # type: ignore[arg-type]


def test_far_too_large_is_refused() -> None:
    with pytest.raises(InputError, match="数值过大"):
        parse_number("9" * 20, field="x")


def test_format_rounds_half_up_on_the_typed_digits() -> None:
    assert format_number(2.675, 2) == "2.68"  # the float is 2.67499…; the clerk typed 2.675
    assert format_number(0.125, 2) == "0.13"
    assert format_number(-0.04, 1) == "0.0"  # never "-0.0"
    assert format_number(12345.6, 1, thousands=True) == "12,345.6"
    assert format_number(None, 2) == ""


# -- properties ------------------------------------------------------------------------------
_any_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Z")), max_size=30
)
_units = st.sampled_from(["", "%", "家", "人次", "元", "万元", "亿元", "个", "万个"])


@given(text=_any_text, unit=_units, integer=st.booleans())
@example(text="１２．５％", unit="%", integer=False)
@example(text="9" * 40, unit="", integer=False)
def test_never_crashes_only_refuses(text: str, unit: str, integer: bool) -> None:
    try:
        result = parse_number(text, field="指标", unit=unit, integer=integer)
    except InputError as exc:
        assert "指标" in exc.message
        return
    assert result is None or math.isfinite(result)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_a_typed_number_is_stored_exactly(value: float) -> None:
    text = repr(value)
    assume("e" not in text)
    assert parse_number(text, field="x") == value


@given(st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False,
                   allow_infinity=False))
def test_full_width_and_separators_change_nothing(value: Decimal) -> None:
    plain = f"{value:f}"
    grouped = f"{value:,f}"
    full_width = plain.translate(FULL_WIDTH)
    expected = parse_decimal(plain, field="x")
    assert expected == value
    assert parse_decimal(grouped, field="x") == value
    assert parse_decimal(full_width, field="x") == value
    assert unicodedata.normalize("NFKC", full_width) == plain


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False,
                   allow_infinity=False))
def test_scales_convert_exactly(value: Decimal) -> None:
    text = f"{value:f}"
    assert parse_decimal(f"{text}亿", field="x", unit="万元") == value * 10_000
    assert parse_decimal(f"{text}万元", field="x", unit="亿元") == value / 10_000
    assert parse_decimal(f"{text}万", field="x", unit="人次") == value * 10_000
