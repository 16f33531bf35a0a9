"""Units of measure and the 万/亿 scales between them."""

from __future__ import annotations

from decimal import Decimal

from core.errors import InputError

# unit → (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("money", Decimal(1)),
    "万元": ("money", Decimal(10) ** 4),
    "亿元": ("money", Decimal(10) ** 8),
    "个": ("pieces", Decimal(1)),
    "万个": ("pieces", Decimal(10) ** 4),
    "件": ("items", Decimal(1)),
    "万件": ("items", Decimal(10) ** 4),
}

MONEY_UNITS = ("元", "万元", "亿元")
AMOUNT_UNITS = tuple(_UNITS)

SCALE_WORDS: dict[str, Decimal] = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}


def dimension(unit: str) -> str | None:
    entry = _UNITS.get(unit)
    return entry[0] if entry else None


def factor(unit: str) -> Decimal:
    """Factor of `unit` to its dimension's base unit; 1 for units without one (家, %, 人次)."""
    entry = _UNITS.get(unit)
    return entry[1] if entry else Decimal(1)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert between units of one dimension (3500 万元 → 0.35 亿元)."""
    if from_unit == to_unit:
        return value
    if dimension(from_unit) is None or dimension(from_unit) != dimension(to_unit):
        raise InputError(f"单位“{from_unit}”不能换算为“{to_unit}”")
    return float(Decimal(repr(value)) * factor(from_unit) / factor(to_unit))


def sql_to_base(amount_column: str, unit_column: str) -> str:
    """SQL expression giving `amount_column` in its dimension's base unit (元, 个, 件)."""
    cases = " ".join(
        f"WHEN '{unit}' THEN {int(scale)}" for unit, (_dim, scale) in _UNITS.items()
    )
    return f"({amount_column} * CASE {unit_column} {cases} ELSE 1 END)"


def units_of_dimension(unit: str) -> tuple[str, ...]:
    dim = dimension(unit)
    return tuple(u for u, (d, _f) in _UNITS.items() if d == dim) if dim else (unit,)
