"""Indicator values per period, and the `Figure`: one indicator in one period, fully worked out.

A figure's value is entered by the clerk, or derived from the records (core.derived); an entered
value on a derived indicator overrides it, and both stay visible. Last year's value comes from
last year's record of the same period when there is one, else from what the clerk typed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core import derived as derivations
from core import units
from core.catalogue import RANK_SCOPES, Indicator
from core.changes import Change
from core.derived import Derived
from core.errors import InputError, NeedsReason
from core.fields import BatchError, parse_bool
from core.kinds import (
    KINDS,
    NUMERIC_FIELDS,
    Kind,
    Verdict,
    decode_pairs,
    encode_pairs,
    kind_of,
    parse_other_ranks,
)
from core.periods import Period
from core.text import clean_text

if TYPE_CHECKING:
    from core.ledger import Ledger

# Per-value fields the clerk edits, with their Chinese names.
VALUE_FIELDS = {
    "value": "本期数值",
    "text_value": "文字内容",
    "target_committed": "确保目标",
    "target_stretch": "奋斗目标",
    "last_year_value": "上年同期",
    "rank": "排名",
    "rank_scope": "排名范围",
    "note": "备注",
    "follow_up": "需跟进",
    "estimate": "预计数",
    "reason": "超范围原因",
    "month_value": "当月数值",
    "forecast": "预计值",
    "official_growth": "公布增速",
    "other_ranks": "其他排名",
    "refs": "参照值",
}

SOURCE_LABELS = {
    "entered": "填报", "derived": "自动计算", "overridden": "手工修正", "missing": "未填",
}


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    period: Period
    row_id: str | None = None
    entered: float | None = None
    text: str = ""
    derived: Derived | None = None
    target_committed: float | None = None
    target_stretch: float | None = None
    last_year: float | None = None
    last_year_source: str = ""  # "record" (last year's own), "entered", "derived" or ""
    target_source: str = ""  # "period" (this period's own), "annual" (the year's 全年 row), ""
    annual_target: float | None = None  # the year's 确保目标 (全年 row): 完成年任务的x%
    rank: int | None = None
    rank_scope: str = ""
    note: str = ""
    follow_up: bool = False
    estimate: bool = False
    reason: str = ""
    history: tuple[tuple[int, float | None], ...] = field(default=())
    # More than one number per figure (issue 13): the single month N's value beside 1-N月, a
    # forecast kept beside the actual, the statistics bureau's growth rate, ranks in further
    # scopes and reference values (全市平均 …).
    month_value: float | None = None
    forecast: float | None = None
    official_growth: float | None = None
    other_ranks: tuple[tuple[str, int], ...] = field(default=())
    refs: tuple[tuple[str, float], ...] = field(default=())
    # "" for the figure itself; else what this figure is a view of: "预计" (the forecast read as
    # the value), "5月" (a single month), "二季度" (a single quarter) — see Metrics.forecast
    # and Metrics.single.
    view: str = ""

    # -- the value ----------------------------------------------------------------------------
    @property
    def kind(self) -> Kind:
        return kind_of(self.indicator)

    @property
    def value(self) -> float | None:
        """What the clerk entered; else what the records give (rounded as the figure is kept)."""
        if self.entered is not None:
            return self.entered
        return self.derived_value

    @property
    def derived_value(self) -> float | None:
        if self.derived is not None and self.derived.has_data and self.derived.value is not None:
            return self.kind.derived(self.indicator, self.derived.value)
        return None

    @property
    def items(self) -> tuple[str, ...]:
        return self.derived.items if self.derived is not None else ()

    @property
    def source(self) -> str:
        if self.indicator.kind == "list":
            return "derived" if self.items else "missing"
        if self.indicator.kind == "text":
            return "entered" if self.text else "missing"
        if self.entered is not None:
            return "overridden" if self.indicator.is_derived else "entered"
        if self.derived_value is not None:
            return "derived"
        return "missing"

    @property
    def missing(self) -> bool:
        return self.source == "missing"

    @property
    def overridden(self) -> bool:
        return self.source == "overridden"

    # -- comparisons (worded by the kind: core.kinds) -------------------------------------------
    @property
    def completion(self) -> Verdict | None:
        """完成确保目标: 101.2% for counts and amounts, 高于目标0.3个百分点 for rates."""
        return self.kind.completion(self, self.target_committed)

    @property
    def stretch_completion(self) -> Verdict | None:
        return self.kind.completion(self, self.target_stretch)

    @property
    def year_completion(self) -> Verdict | None:
        """完成年任务: against the year's 确保目标, whatever the period."""
        return self.kind.completion(self, self.annual_target)

    @property
    def versus(self) -> Verdict | None:
        """同比: 增长5.9% / 提高0.5个百分点 / 增加66家 / 持平 (None without both values)."""
        return self.kind.versus_last_year(self)

    @property
    def change(self) -> float | None:
        """Difference from last year, in the indicator's unit (个百分点 for rates and shares)."""
        if self.value is None or self.last_year is None:
            return None
        return self.value - self.last_year

    @property
    def growth(self) -> float | None:
        """同比增长 % for counts and amounts (None for rates, shares and ranks)."""
        if self.kind.percentage or self.indicator.kind == "rank":
            return None
        if self.growth_source == "official":
            return self.official_growth
        if self.value is None or self.last_year in (None, 0):
            return None
        assert self.last_year is not None
        return (self.value - self.last_year) / abs(self.last_year) * 100

    @property
    def computed_versus(self) -> Verdict | None:
        """同比 worked out from the two values, shown beside an official growth rate."""
        return self.kind.computed_versus(self)

    @property
    def growth_source(self) -> str:
        """Which 同比 is used: "official" (公布增速), "computed" or "" (none)."""
        if self.kind.official_versus(self) is not None:
            return "official"
        return "computed" if self.kind.computed_versus(self) is not None else ""

    def rank_in(self, scope: str | None = None) -> int | None:
        """The rank in `scope` (None: the default one, the 排名 column)."""
        if scope is None or scope == (self.rank_scope or None):
            return self.rank
        return dict(self.other_ranks).get(scope)

    def reference(self, name: str) -> float | None:
        return dict(self.refs).get(name)

    @property
    def period_label(self) -> str:
        """Which period the figure speaks of, for 【未填：…】: 1-6月, 5月, 二季度, 1-6月预计."""
        if self.view == "预计":
            return f"{self.period.months_label}预计"
        return self.view or self.period.months_label

    @property
    def improved(self) -> bool | None:
        """Whether the change from last year is good news (for colouring 同比)."""
        versus = self.versus
        return None if versus is None else versus.good


class Metrics:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # -- reading ------------------------------------------------------------------------------
    def _rows(self, period: Period) -> dict[str, dict[str, Any]]:
        rows = self.ledger.query(
            "SELECT * FROM indicator_values WHERE year = ? AND months = ?",
            (period.year, period.months),
        )
        return {r["indicator_id"]: r for r in rows}

    def _derive(self, indicator: Indicator, period: Period) -> Derived | None:
        if indicator.derivation is None:
            return None
        result = derivations.compute(self.ledger, indicator.derivation, period)
        if result.value is not None and result.unit and result.unit != indicator.unit:
            if units.dimension(result.unit) and units.dimension(result.unit) == units.dimension(
                indicator.unit
            ):
                result = dataclasses.replace(
                    result, value=units.convert(result.value, result.unit, indicator.unit),
                    unit=indicator.unit)
        return result

    def figures(self, period: Period, *, indicators: list[Indicator] | None = None,
                history_years: int = 0) -> list[Figure]:
        """Every active indicator (or the given ones) worked out for `period`.

        Figures are kept until the next write to the ledger (Ledger.memo): a summary asks for
        them many times."""
        if indicators is not None:
            return self._compute(period, indicators, history_years)
        return list(self.ledger.memo(("figures", period, history_years), lambda: self._compute(
            period, self.ledger.catalogue.all(), history_years)))

    def figure(self, ref: str | Indicator, period: Period, *, history_years: int = 0) -> Figure:
        indicator = self.ledger.catalogue.resolve(ref)
        return self.ledger.memo(("figure", indicator.id, period, history_years),
                                lambda: self._compute(period, [indicator], history_years)[0])

    def _compute(self, period: Period, chosen: list[Indicator], history_years: int
                 ) -> list[Figure]:
        current = self._rows(period)
        previous = self._rows(period.previous_year())
        # Annual targets are set once, on the 全年 row, and apply to every period of the year
        # that has none of its own (完成年任务的x%).
        annual = self._rows(Period(period.year, 12)) if not period.annual else {}
        history: dict[str, list[tuple[int, float | None]]] = {}
        if history_years:
            years = [period.year - k for k in range(history_years, 0, -1)]
            marks = ", ".join("?" for _ in years)
            for row in self.ledger.query(
                f"SELECT indicator_id, year, value FROM indicator_values WHERE months = ?"
                f" AND year IN ({marks})", (period.months, *years)
            ):
                history.setdefault(row["indicator_id"], []).append((row["year"], row["value"]))
        return [
            self._figure(ind, period, current.get(ind.id), previous.get(ind.id),
                         history.get(ind.id, []), history_years, annual.get(ind.id))
            for ind in chosen
        ]

    def _figure(self, indicator: Indicator, period: Period, row: dict[str, Any] | None,
                last_row: dict[str, Any] | None, history: list[tuple[int, float | None]],
                history_years: int, annual_row: dict[str, Any] | None = None) -> Figure:
        derived = self._derive(indicator, period)
        row = row or {}
        # Last year: last year's own record (typed then), else what the clerk typed here, and
        # only then what last year's records give: a typed value is never replaced by a computed
        # one (core.kinds, issue of the typed 上年同期 55 that became 0).
        last_year, last_source = None, ""
        if last_row and last_row.get("value") is not None:
            last_year, last_source = last_row["value"], "record"
        elif row.get("last_year_value") is not None:
            last_year, last_source = row["last_year_value"], "entered"
        elif indicator.derivation is not None and indicator.kind != "list":
            previous = self._derive(indicator, period.previous_year())
            if previous is not None and previous.has_data and previous.value is not None:
                last_year = kind_of(indicator).derived(indicator, previous.value)
                last_source = "derived"
        targets = {key: row.get(key) for key in ("target_committed", "target_stretch")}
        targets_from = "period" if any(v is not None for v in targets.values()) else ""
        if not targets_from and annual_row and any(
                annual_row.get(key) is not None for key in targets):
            targets = {key: annual_row.get(key) for key in targets}
            targets_from = "annual"
        if history_years:
            known = dict(history)
            span = [(period.year - k, known.get(period.year - k))
                    for k in range(history_years, 0, -1)]
        else:
            span = []
        return Figure(
            indicator=indicator, period=period, row_id=row.get("id"),
            entered=row.get("value"), text=row.get("text_value") or "", derived=derived,
            target_committed=targets["target_committed"],
            target_stretch=targets["target_stretch"],
            target_source=targets_from,
            annual_target=(row if period.annual else (annual_row or {})).get("target_committed"),
            last_year=last_year, last_year_source=last_source,
            rank=row.get("rank"),
            rank_scope=row.get("rank_scope") or indicator.rank_scope or "",
            note=row.get("note") or "", follow_up=bool(row.get("follow_up")),
            estimate=bool(row.get("estimate")), reason=row.get("reason") or "",
            history=tuple(span),
            month_value=row.get("month_value"), forecast=row.get("forecast"),
            official_growth=row.get("official_growth"),
            other_ranks=tuple((str(k), int(v)) for k, v in
                              decode_pairs(row.get("other_ranks")).items()),
            refs=tuple((str(k), float(v)) for k, v in decode_pairs(row.get("refs")).items()),
        )

    # -- views: a forecast, a single month or quarter, read as a figure ---------------------------
    def forecast(self, figure: Figure) -> Figure:
        """The forecast read as the figure's value (【名称.预计】, 【名称.上半年.预计.同比】): the
        actual, when it arrives, is the figure's value; the forecast stays, printable here."""
        return dataclasses.replace(figure, entered=figure.forecast, derived=None,
                                   official_growth=None, view="预计")

    def single(self, ref: str | Indicator, year: int, first: int, last: int,
               label: str) -> Figure:
        """Months first…last of `year` alone (5月, 二季度, 下半年) as a figure, with the same span
        of last year as its 上年同期: see span_value."""
        indicator = self.ledger.catalogue.resolve(ref)
        value = self.span_value(indicator, year, first, last)
        last_year = self.span_value(indicator, year - 1, first, last) if year > 1900 else None
        return Figure(indicator=indicator, period=Period(year, last), entered=value,
                      last_year=last_year, last_year_source="record" if last_year is not None
                      else "", rank_scope=indicator.rank_scope or "", view=label)

    def span_value(self, indicator: Indicator, year: int, first: int, last: int
                   ) -> float | None:
        """The value of months first…last alone. A single month: the 当月数值 typed for it;
        from 1月 on: the cumulative figure itself; else, for figures that add up through the
        year (counts, amounts), the cumulative 1-last月 less 1-(first−1)月, when both are in
        the ledger. A rate's single month or quarter is never worked out: None (missing)."""
        kind = kind_of(indicator)
        if first == last:
            row = self._rows(Period(year, last)).get(indicator.id) or {}
            if row.get("month_value") is not None:
                return float(row["month_value"])
        if first == 1:
            return self.figure(indicator, Period(year, last)).value
        if not kind.paced:
            return None
        later = self.figure(indicator, Period(year, last)).value
        earlier = self.figure(indicator, Period(year, first - 1)).value
        return None if later is None or earlier is None else kind.difference(
            indicator, later, earlier)

    def history(self, ref: str | Indicator, period: Period, years: int = 3
                ) -> list[tuple[Period, float | None]]:
        """The indicator's value in the same period of the last `years` years and this one."""
        indicator = self.ledger.catalogue.resolve(ref)
        return [
            (p, self.figure(indicator, p).value)
            for p in (period.shifted(-k) for k in range(years, -1, -1))
        ]

    # -- writing ------------------------------------------------------------------------------
    def parse_field(self, indicator: Indicator, field_name: str, raw: Any,
                    reason: str = "") -> Any:
        """What the clerk typed into one field → the stored value; raises InputError/NeedsReason."""
        if field_name not in VALUE_FIELDS:
            raise InputError(f"指标没有“{field_name}”这一栏")
        kind = kind_of(indicator)
        if field_name in NUMERIC_FIELDS:
            what = "" if field_name == "value" else VALUE_FIELDS[field_name]
            if not kind.numeric or not kind.editable(field_name):
                kind.parse(indicator, raw, what=what)  # says why in the kind's words
                raise InputError(f"「{indicator.name}」没有“{VALUE_FIELDS[field_name]}”")
            value = kind.parse(indicator, raw, what=what)
            # Soft bounds are about the actual value; targets, last year, a single month and a
            # forecast only meet hard ones.
            indicator.check_bounds(value, reason=reason, what=what, soft=field_name == "value")
            return value
        if field_name == "rank":
            rank = KINDS["rank"].parse(indicator, raw, what="排名")
            return None if rank is None else int(rank)
        if field_name in ("official_growth", "refs", "other_ranks") and (
                raw is None or not str(raw).strip()):
            return None if field_name == "official_growth" else ""  # cleared
        if field_name in ("official_growth", "refs", "other_ranks") and (
                not kind.numeric or not kind.editable(field_name)):
            raise InputError(f"「{indicator.name}」没有“{VALUE_FIELDS[field_name]}”")
        if field_name == "official_growth":
            return kind.parse_growth(indicator, raw)
        if field_name == "refs":
            return encode_pairs(kind.parse_references(indicator, raw))
        if field_name == "other_ranks":
            return encode_pairs(parse_other_ranks(indicator, raw))
        if field_name in ("follow_up", "estimate"):
            return int(parse_bool(raw, field=f"{indicator.name}{VALUE_FIELDS[field_name]}"))
        text = clean_text(raw, field=f"{indicator.name}{VALUE_FIELDS[field_name]}")
        if field_name == "rank_scope" and text and len(text) > 20:
            raise InputError(f"「{indicator.name}」的排名范围过长（如：{'、'.join(RANK_SCOPES)}）")
        return text or (None if field_name == "text_value" else "")

    def set(self, ref: str | Indicator, period: Period, field_name: str, raw: Any, *,
            reason: str = "") -> Change:
        """Set one field of one indicator in one period (the 指标 tab's cell edit)."""
        indicator = self.ledger.catalogue.resolve(ref)
        what = VALUE_FIELDS.get(field_name, field_name)
        return self.set_many([(indicator, period, field_name, raw)], reason=reason,
                             label=f"修改“{indicator.name}”的{what}")

    def set_many(self, edits: list[tuple[str | Indicator, Period, str, Any]], *,
                 reason: str = "", label: str | None = None) -> Change:
        """Several field edits in one transaction, all or nothing.

        Every edit is checked first; if any is refused a BatchError lists them all (indexed by
        position in `edits`) and nothing is written. Values outside soft bounds need `reason`.
        """
        parsed: list[tuple[Indicator, Period, str, Any]] = []
        problems: list[tuple[Any, str]] = []
        needs_reason: list[tuple[Any, str]] = []
        for index, (ref, period, field_name, raw) in enumerate(edits):
            try:
                indicator = self.ledger.catalogue.resolve(ref)
                parsed.append((indicator, period, field_name,
                               self.parse_field(indicator, field_name, raw, reason)))
            except NeedsReason as exc:
                needs_reason.append((index, exc.message))
            except InputError as exc:
                problems.append((index, exc.message))
        if problems:
            if len(edits) == 1:
                raise InputError(problems[0][1])
            raise BatchError(problems)
        if needs_reason:
            raise NeedsReason(needs_reason[0][1] if len(needs_reason) == 1 else
                              f"有 {len(needs_reason)} 个数值超出常见范围，请注明原因后保存")
        if label is None:
            label = f"修改 {len(parsed)} 个指标数值"
        with self.ledger.write(label) as writer:
            for indicator, period, field_name, value in parsed:
                row = self._row_id(indicator, period)
                values: dict[str, Any] = {field_name: value}
                if field_name == "value" and reason.strip():
                    values["reason"] = reason.strip()
                if row is None:
                    writer.insert("indicator_values", {
                        "indicator_id": indicator.id, "year": period.year,
                        "months": period.months, **values,
                    })
                else:
                    writer.update("indicator_values", row, values)
        return writer.change

    def clear_override(self, ref: str | Indicator, period: Period) -> Change:
        """Back to the value computed from the records."""
        indicator = self.ledger.catalogue.resolve(ref)
        return self.set_many([(indicator, period, "value", None)],
                             label=f"“{indicator.name}”恢复为自动计算值")

    def _row_id(self, indicator: Indicator, period: Period) -> str | None:
        return self.ledger.scalar(
            "SELECT id FROM indicator_values WHERE indicator_id = ? AND year = ? AND months = ?",
            (indicator.id, period.year, period.months),
        )
