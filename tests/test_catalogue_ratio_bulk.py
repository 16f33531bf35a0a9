"""占比 of two indicators defined in the catalogue, and the 指标目录's bulk steps."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.ledger import Ledger
from core.periods import Period

P = Period(2026, 6)


def _parts(ledger: Ledger) -> tuple[str, str, str]:
    catalogue = ledger.catalogue
    catalogue.add("研发经费", unit="亿元", decimals=2, kind="amount", section="科技")
    catalogue.add("地区生产总值", unit="亿元", decimals=1, kind="amount", section="科技")
    catalogue.add("研发经费投入强度", unit="%", decimals=2, kind="share", section="科技",
                  numerator="研发经费", denominator="地区生产总值")
    ids = tuple(catalogue.resolve(n).id for n in ("研发经费", "地区生产总值", "研发经费投入强度"))
    return ids  # type: ignore[return-value]


def test_ratio_is_computed_per_period_and_rounded_once(ledger: Ledger) -> None:
    _num, _den, ratio = _parts(ledger)
    metrics = ledger.metrics
    metrics.set("研发经费", P, "value", "12.34")
    metrics.set("地区生产总值", P, "value", "456.7")
    figure = metrics.figure(ratio, P)
    assert figure.source == "derived"
    assert figure.value == 2.70  # 12.34 / 456.7 = 2.7020 % → 2 decimals, rounded once
    assert "研发经费" in figure.derived.basis  # type: ignore[union-attr]
    # another period of its own parts
    metrics.set("研发经费", Period(2026, 3), "value", "5")
    metrics.set("地区生产总值", Period(2026, 3), "value", "200")
    assert metrics.figure(ratio, Period(2026, 3)).value == 2.5


def test_ratio_converts_units_of_one_dimension(ledger: Ledger) -> None:
    catalogue = ledger.catalogue
    catalogue.add("技改投资", unit="万元", decimals=0, kind="amount")
    catalogue.add("工业投资", unit="亿元", decimals=2, kind="amount")
    catalogue.add("技改投资占比", unit="%", decimals=1, kind="share",
                  numerator="技改投资", denominator="工业投资")
    ledger.metrics.set("技改投资", P, "value", "35000")
    ledger.metrics.set("工业投资", P, "value", "10")
    assert ledger.metrics.figure("技改投资占比", P).value == 35.0


@pytest.mark.parametrize("numerator, denominator", [(None, "200"), ("5", None), ("5", "0"),
                                                     (None, None)])
def test_ratio_is_missing_never_zero(ledger: Ledger, numerator: str | None,
                                     denominator: str | None) -> None:
    _parts(ledger)
    for name, raw in (("研发经费", numerator), ("地区生产总值", denominator)):
        if raw is not None:
            ledger.metrics.set(name, P, "value", raw)
    figure = ledger.metrics.figure("研发经费投入强度", P)
    assert figure.value is None and figure.missing
    assert figure.kind.text(figure.indicator, figure.value) == ""


def test_typed_value_of_a_ratio_wins(ledger: Ledger) -> None:
    _parts(ledger)
    ledger.metrics.set("研发经费", P, "value", "10")
    ledger.metrics.set("地区生产总值", P, "value", "400")
    ledger.metrics.set("研发经费投入强度", P, "value", "2.61")  # the statistics bureau's figure
    figure = ledger.metrics.figure("研发经费投入强度", P)
    assert figure.value == 2.61 and figure.source == "overridden"
    assert figure.derived_value == 2.5  # the computed one stays visible


def test_ratio_survives_renaming_its_parts(ledger: Ledger) -> None:
    num, _den, ratio = _parts(ledger)
    ledger.catalogue.rename(num, "R&D经费支出")
    ledger.metrics.set("R&D经费支出", P, "value", "10")
    ledger.metrics.set("地区生产总值", P, "value", "400")
    assert ledger.metrics.figure(ratio, P).value == 2.5


@pytest.mark.parametrize("change, words", [
    ({"numerator": "研发经费投入强度", "denominator": "地区生产总值"}, "循环"),
    ({"numerator": "研发经费", "denominator": "研发经费"}, "同一个"),
    ({"numerator": "研发经费", "denominator": ""}, "同时填写"),
    ({"numerator": "研发经费", "denominator": "不存在的指标"}, "不在指标目录"),
])
def test_bad_ratio_definitions_are_refused(ledger: Ledger, change: dict[str, str],
                                           words: str) -> None:
    _num, _den, ratio = _parts(ledger)
    before = ledger.catalogue.get(ratio)
    with pytest.raises(InputError, match=words):
        ledger.catalogue.update(ratio, **change)
    assert ledger.catalogue.get(ratio) == before


def test_a_derived_default_cannot_become_a_ratio(ledger: Ledger) -> None:
    with pytest.raises(InputError, match="自动计算"):
        ledger.catalogue.update(ledger.catalogue.by_code("hitech_count").id,
                                numerator="规上工业企业数", denominator="上云企业数")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # one ledger, reused
@given(st.integers(0, 10**7), st.integers(0, 10**7))
def test_ratio_matches_the_quotient_property(ledger: Ledger, top: int, bottom: int) -> None:
    if ledger.catalogue.find("研发经费") is None:
        _parts(ledger)
    ledger.metrics.set("研发经费", P, "value", str(top / 100))
    ledger.metrics.set("地区生产总值", P, "value", str(bottom / 10))
    value = ledger.metrics.figure("研发经费投入强度", P).value
    if bottom == 0:
        assert value is None
    else:
        from core.kinds import rounded

        assert value == rounded((top / 100) / (bottom / 10) * 100, 2)


# -- bulk retire / restore / reorder / group rename -------------------------------------------
def _names(ledger: Ledger, section: str) -> list[str]:
    return [i.name for i in ledger.catalogue.all(include_retired=True) if i.section == section]


def test_retire_many_is_one_undoable_step(ledger: Ledger) -> None:
    catalogue = ledger.catalogue
    chosen = [catalogue.by_code(c).id for c in ("cloud_new", "platform_new", "signed_projects")]
    change = catalogue.retire_many(chosen)
    assert all(catalogue.get(i).retired for i in chosen)
    ledger.revert(change)
    assert not any(catalogue.get(i).retired for i in chosen)


def test_restore_many_refuses_a_taken_name_and_changes_nothing(ledger: Ledger) -> None:
    catalogue = ledger.catalogue
    old = catalogue.by_code("cloud_new")
    catalogue.retire_many([old.id, catalogue.by_code("platform_new").id])
    catalogue.add("上云企业数", unit="家")
    with pytest.raises(InputError, match="上云企业数"):
        catalogue.restore_many([old.id, catalogue.by_code("platform_new").id])
    assert catalogue.by_code("platform_new").retired
    catalogue.restore_many([catalogue.by_code("platform_new").id])
    assert not catalogue.by_code("platform_new").retired


def test_move_up_and_down_within_the_group(ledger: Ledger) -> None:
    catalogue = ledger.catalogue
    before = _names(ledger, "科技创新")
    third, fourth = (catalogue.find(n).id for n in before[2:4])  # type: ignore[union-attr]
    change = catalogue.move([third, fourth], -1)
    after = _names(ledger, "科技创新")
    assert after[1:3] == before[2:4] and after[3] == before[1]
    ledger.revert(change)
    assert _names(ledger, "科技创新") == before
    catalogue.move([catalogue.find(before[-1]).id], 5)  # type: ignore[union-attr]
    assert _names(ledger, "科技创新") == before  # already last: stays


def test_reorder_by_drag(ledger: Ledger) -> None:
    before = _names(ledger, "科技创新")
    ids = [ledger.catalogue.find(n).id for n in reversed(before)]  # type: ignore[union-attr]
    ledger.catalogue.reorder("科技创新", ids)
    assert _names(ledger, "科技创新") == list(reversed(before))


def test_rename_group_for_all_its_indicators(ledger: Ledger) -> None:
    before = _names(ledger, "科技创新")
    change = ledger.catalogue.rename_section("科技创新", "创新驱动")
    assert _names(ledger, "创新驱动") == before and not _names(ledger, "科技创新")
    ledger.revert(change)
    assert _names(ledger, "科技创新") == before
    with pytest.raises(InputError):
        ledger.catalogue.rename_section("科技创新", "  ")
