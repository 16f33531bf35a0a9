"""占比 defined in the catalogue: one indicator as the ratio of two others, per period.

The definition is the indicator's `derivation`, ``ratio.<numerator id>/<denominator id>``, so it
survives renames of either part and needs no column of its own. The quotient is worked out
here and rounded once, by the indicator's kind (core.kinds, through Figure.derived_value), like
every computed figure. It is missing — never 0 — when either part is missing or the
denominator is 0; a value the clerk typed for the ratio indicator wins (Figure.value).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import units
from core.derived import Derived
from core.errors import InputError, LedgerError

if TYPE_CHECKING:
    from core.catalogue import Indicator
    from core.ledger import Ledger
    from core.periods import Period

PREFIX = "ratio."


def ratio_key(numerator_id: str, denominator_id: str) -> str:
    return f"{PREFIX}{numerator_id}/{denominator_id}"


def parts(derivation: str | None) -> tuple[str, str] | None:
    """(numerator id, denominator id) of a ratio derivation; None for any other."""
    if not derivation or not derivation.startswith(PREFIX):
        return None
    numerator, _, denominator = derivation.removeprefix(PREFIX).partition("/")
    return (numerator, denominator) if numerator and denominator else None


def compute(ledger: Ledger, derivation: str, period: Period) -> Derived:
    found = parts(derivation)
    catalogue = ledger.catalogue
    if found is None:
        return Derived(None, basis=f"未知的计算方式 {derivation}", has_data=False)
    try:
        numerator, denominator = (catalogue.get(found[0]), catalogue.get(found[1]))
    except LedgerError:
        return Derived(None, basis="占比的分子或分母指标已不在指标目录中", has_data=False)
    owner = next((i for i in catalogue.all(include_retired=True) if i.derivation == derivation),
                 None)
    percent = owner is None or owner.unit == "%"
    basis = f"由“{numerator.name}”÷“{denominator.name}”计算"
    top = ledger.metrics.figure(numerator, period).value
    bottom = ledger.metrics.figure(denominator, period).value
    if top is None or bottom is None or bottom == 0:
        return Derived(None, "%" if percent else "", basis=basis, has_data=False)
    if numerator.unit != denominator.unit and units.dimension(numerator.unit) and (
            units.dimension(numerator.unit) == units.dimension(denominator.unit)):
        bottom = units.convert(bottom, denominator.unit, numerator.unit)
    quotient = top / bottom
    if percent:
        return Derived(quotient * 100, "%", basis=basis)
    return Derived(quotient, owner.unit if owner is not None else "", basis=basis)


def check(ledger: Ledger, indicator_id: str | None, numerator: Indicator,
          denominator: Indicator) -> None:
    """Refuse a ratio of an indicator with itself, of non-numbers, or one that goes round."""
    for part, what in ((numerator, "分子"), (denominator, "分母")):
        if not part.is_numeric:
            raise InputError(f"占比的{what}“{part.name}”不是数值指标")
        if indicator_id is not None and _reaches(ledger, part, indicator_id):
            raise InputError(f"占比的{what}“{part.name}”又由本指标计算，不能循环计算")
    if numerator.id == denominator.id:
        raise InputError("占比的分子和分母不能是同一个指标")


def _reaches(ledger: Ledger, start: Indicator, target_id: str, depth: int = 0) -> bool:
    if start.id == target_id:
        return True
    found = parts(start.derivation)
    if found is None or depth > 20:
        return depth > 20
    for part_id in found:
        try:
            part = ledger.catalogue.get(part_id)
        except LedgerError:
            continue
        if _reaches(ledger, part, target_id, depth + 1):
            return True
    return False

