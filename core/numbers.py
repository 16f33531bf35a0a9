"""The one number parser behind every numeric field, and the one number formatter.

The clerk types figures the way they type them in WPS: full-width digits (１２．５), thousands
separators, a trailing %, 万/亿 scales, the field's unit after the number. All of that is
understood; anything else is refused with a Chinese message naming the field. The parser never
rounds: what was typed is what is stored, only expressed in the field's unit.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core import units
from core.errors import InputError

MAX_ABS = Decimal(10) ** 15
MAX_DECIMALS = 6  # a stored number keeps at most this many decimals (the catalogue's maximum)

_NUMBER = re.compile(
    r"^(?P<sign>[+-])?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)?"
    r"(?:\.(?P<frac>\d*))?"
    r"(?P<scale>[万亿])?"
    r"(?P<unit>\D*)$",
    re.ASCII,  # digits are 0-9 only: "٣" or "²" is not read as a number
)
# Full-width forms (U+FF01–U+FF5E) → their ASCII twins, the ideographic space → a space, minus
# signs unified. Only these: NFKC would also read "10²" as 102, "①②" as 12 and "𝟓" as 5 —
# characters that look like something else must be refused, not reinterpreted.
_WIDTH = str.maketrans({**{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
                        "\u3000": " ", "−": "-", "﹣": "-"})


def fold_width(text: str) -> str:
    """Full-width → half-width, minus signs unified; nothing else is reinterpreted."""
    if text.isascii():  # ASCII needs nothing (an import reads tens of thousands of cells)
        return text
    return unicodedata.normalize("NFC", text).translate(_WIDTH)


def normalise(text: str) -> str:
    """Full-width → half-width, unify minus signs, drop every kind of space."""
    return "".join(fold_width(text).split())


def has_unit_words(text: str) -> bool:
    """Whether a typed number carries 万/亿 or a unit after it (5000万, 3.5亿元, 12家)."""
    match = _NUMBER.match(normalise(text))
    return bool(match and (match.group("scale") or match.group("unit")))


def unit_words(text: str) -> str:
    """The 万/亿 and unit typed after a number: '5000万' → '万', '0.5亿元' → '亿元'."""
    match = _NUMBER.match(normalise(text))
    return (match.group("scale") or "") + (match.group("unit") or "") if match else ""


def parse_decimal(
    text: str, *, field: str, unit: str = "", integer: bool = False
) -> Decimal | None:
    """Parse `text` typed into a field whose unit is `unit`; None for an empty field."""
    raw = text
    cleaned = normalise(text)
    if cleaned == "":
        return None
    match = _NUMBER.match(cleaned)
    if not match or (match.group("int") is None and not match.group("frac")):
        raise InputError(f"「{field}」应为数字，收到“{raw.strip()}”", field=field)
    digits = (match.group("int") or "0").replace(",", "")
    frac = match.group("frac") or ""
    try:
        number = Decimal(f"{digits}.{frac}" if frac else digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise InputError(f"「{field}」应为数字，收到“{raw.strip()}”", field=field) from exc
    if match.group("sign") == "-":
        number = -number
    number = _apply_unit(number, match.group("scale") or "", match.group("unit"), unit, field, raw)
    if abs(number) >= MAX_ABS:
        raise InputError(f"「{field}」数值过大，收到“{raw.strip()}”", field=field)
    if integer and number != number.to_integral_value():
        raise InputError(f"「{field}」应为整数，收到“{raw.strip()}”", field=field)
    return number


def parse_number(
    text: str | float | int | None, *, field: str, unit: str = "", integer: bool = False
) -> float | None:
    """Like parse_decimal, as a float; numbers already typed as numbers pass through unchanged."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise InputError(f"「{field}」应为数字，收到“{text}”", field=field)
    if isinstance(text, int | float):
        if not math.isfinite(text) or abs(text) >= MAX_ABS:
            raise InputError(f"「{field}」应为有限的数字，收到“{text}”", field=field)
        if integer and text != int(text):
            raise InputError(f"「{field}」应为整数，收到“{text}”", field=field)
        return float(text)
    number = parse_decimal(text, field=field, unit=unit, integer=integer)
    return None if number is None else float(number)


def _apply_unit(
    number: Decimal, scale: str, typed_unit: str, field_unit: str, field: str, raw: str
) -> Decimal:
    """Bring a number typed with an optional 万/亿 scale and unit into the field's unit."""
    wrong_unit = InputError(
        f"「{field}」的单位应为{field_unit or '纯数字'}，收到“{raw.strip()}”", field=field
    )
    if field_unit == "%":
        if scale or typed_unit not in ("", "%"):
            raise wrong_unit
        return number
    if typed_unit == "%":
        raise wrong_unit
    dimension = units.dimension(field_unit)
    if dimension is None:
        # 家, 个, 人次, 条 …: a scale is a plain multiplier, the unit must be the field's own.
        if typed_unit not in ("", field_unit):
            raise wrong_unit
        return number * units.SCALE_WORDS.get(scale, Decimal(1))
    base = units.units_of_dimension(field_unit)[0]  # 元, 个, 件
    if typed_unit == "":
        typed = scale + base if scale else field_unit
    else:
        typed = scale + typed_unit
    if units.dimension(typed) != dimension:
        raise wrong_unit
    return number * units.factor(typed) / units.factor(field_unit)


def format_number(value: float | None, decimals: int, *, thousands: bool = False) -> str:
    """Fixed decimals, no exponent, '-0.0' never shown; '' for None."""
    if value is None:
        return ""
    # 四舍五入 on the decimal digits as typed (2.675 → 2.68), not on the binary float.
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{decimals}f}" if thousands else f"{rounded:.{decimals}f}"
