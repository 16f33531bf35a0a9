"""What each chart of the summary shows, worked out from the ledger as plain data.

Data preparation is kept apart from drawing (core/charts/draw.py): a `ChartData` holds the
categories, the series with their values and units, and every label already formatted, so it
can be checked in tests and reused without matplotlib. A value the ledger does not have is None
and is drawn as 未填, never as 0.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.catalogue import Indicator
from core.errors import NotFoundError
from core.kinds import growth_words, number_text, versus_last_year_words
from core.metrics import Figure
from core.numbers import format_number
from core.periods import Period
from core.services import KINDS as SERVICE_KINDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from core.ledger import Ledger

# key → the chart's Chinese title (the summary template names charts by these titles).
CHARTS: dict[str, str] = {
    "targets": "主要指标完成情况",
    "trend": "近三年趋势",
    "pipeline": "亿元项目推进情况",
    "services": "企业服务按月统计",
}

NO_DATA = "暂无数据"
MISSING = "未填"
# More indicators with targets than this make the bars unreadable on an A4 page width.
MAX_TARGET_INDICATORS = 8
# The trend chart: the bars (with 同比), where the official 同比 may be entered, and the line.
TREND_BARS = "above_scale_output"
TREND_BARS_GROWTH = "above_scale_output_growth"
TREND_LINE = "above_scale_va_growth"
TREND_YEARS = 3
PIPELINE_STAGES = ("签约", "新开工", "在建", "竣工投产")


@dataclass(frozen=True)
class Series:
    """One row of values across the categories, drawn as bars or as a line."""

    name: str  # the legend entry
    values: tuple[float | None, ...]  # one per category; None = not in the ledger
    unit: str
    kind: str = "bar"  # "bar" or "line"
    axis: str = "left"  # "right": a second y axis with its own unit
    labels: tuple[str, ...] = ()  # the data label of each value ("" = none)

    @property
    def has_data(self) -> bool:
        return any(value is not None for value in self.values)


@dataclass(frozen=True)
class ChartData:
    key: str
    title: str  # CHARTS[key]
    period_label: str  # what the figures cover: 2026年1-11月, 各年1-11月 …
    labels: tuple[str, ...]  # the categories along the x axis
    series: tuple[Series, ...]
    y_label: str  # with its unit: 项目数（个）
    y2_label: str = ""  # the right-hand axis, when a series uses it
    sublabels: tuple[str, ...] = ()  # a second line under each category (实际 6.9%)
    stacked: bool = False
    totals: tuple[str, ...] = ()  # stacked bars: the label above each stack
    reference: float | None = None  # a horizontal line across the chart (100 % of target)
    reference_label: str = ""
    note: str = ""  # a footnote on how the figures were counted
    empty_message: str = ""  # why there is nothing to show, when there is nothing

    @property
    def heading(self) -> str:
        return f"{self.title}（{self.period_label}）"

    @property
    def empty(self) -> bool:
        return not any(series.has_data for series in self.series)

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(series.unit for series in self.series))


def chart_data(ledger: Ledger, period: Period, key: str) -> ChartData:
    """The data of chart `key` (a key of CHARTS) for `period`."""
    builder = _BUILDERS.get(key)
    if builder is None:
        raise NotFoundError(f"没有“{key}”这种图表（可选：{'、'.join(CHARTS.values())}）")
    return builder(ledger, period)


def key_for_title(title: str) -> str:
    """The key of a chart named by its Chinese title (as a template names it)."""
    for key, known in CHARTS.items():
        if known == title.strip():
            return key
    raise NotFoundError(f"没有名为“{title}”的图表（可选：{'、'.join(CHARTS.values())}）")


# -- formatting -------------------------------------------------------------------------------
def _number(value: float, decimals: int) -> str:
    return format_number(value, decimals, thousands=True)


def _with_unit(figure: Figure) -> str:
    """The figure as the summary prints it (core.kinds), with thousands separators."""
    if figure.value is None:
        return MISSING
    shown = number_text(figure.value, figure.indicator.decimals, thousands=True)
    return f"{shown}{figure.indicator.unit}"


def _overridden_note(figures: list[Figure]) -> str:
    """Which figures of a chart are the clerk's own, not what the records give."""
    parts = [f"{f.indicator.name}采用填报数{f.kind.with_unit(f.indicator, f.value)}"
             f"（台账记录计算为{f.kind.with_unit(f.indicator, f.derived_value)}）"
             for f in figures
             if f.overridden and f.value is not None and f.derived_value is not None]
    return "注：" + "；".join(parts) + "。" if parts else ""


# -- 主要指标完成情况 ----------------------------------------------------------------------------
def _targets(ledger: Ledger, period: Period) -> ChartData:
    """Counts and amounts against their targets, as % of the target; rates and shares are
    measured by their gap to the target (个百分点), which a 100 % line cannot show."""
    targeted = [f for f in ledger.metrics.figures(period) if f.kind.numeric
                and (f.target_committed is not None or f.target_stretch is not None)]
    with_targets = [f for f in targeted if f.kind.completion_is_ratio]
    gaps = len(targeted) - len(with_targets)  # rates and shares: a gap, not a share of 100 %
    shown = with_targets[:MAX_TARGET_INDICATORS]
    verdicts = {"完成确保目标": [f.completion for f in shown],
                "完成奋斗目标": [f.stretch_completion for f in shown]}
    series = tuple(
        Series(name, tuple(None if v is None else v.amount for v in values), "%",
               labels=tuple("" if v is None else v.words for v in values))
        for name, values in verdicts.items()
        if any(v is not None for v in values)
    )
    left_out = len(with_targets) - len(shown)
    notes = [f"另有 {left_out} 项设有目标的指标未列入图中" if left_out else "",
             f"{gaps} 项增速、占比类指标按与目标相差的百分点计，见正文和指标表" if gaps else "",
             _overridden_note(shown)]
    return ChartData(
        key="targets", title=CHARTS["targets"], period_label=period.label,
        labels=tuple(f.indicator.name for f in shown), series=series,
        y_label="完成目标（%）", sublabels=tuple(f"实际 {_with_unit(f)}" for f in shown),
        reference=100.0, reference_label="目标线（100%）",
        note="；".join(n for n in notes if n),
        empty_message=(f"{period.label}设有目标的 {gaps} 项指标均为增速或占比，按与目标相差的"
                       "百分点计，见正文和指标表" if gaps else
                       f"{period.label}没有填报目标值的指标（在“指标”页填写确保目标、奋斗目标）"),
    )


# -- 近三年趋势 ---------------------------------------------------------------------------------
def _indicator(ledger: Ledger, code: str) -> Indicator | None:
    """An indicator of the default catalogue by its code, unless the clerk retired it."""
    try:
        indicator = ledger.catalogue.by_code(code)
    except NotFoundError:
        return None
    return None if indicator.retired else indicator


def _trend(ledger: Ledger, period: Period) -> ChartData:
    periods = [period.shifted(k) for k in range(1 - TREND_YEARS, 1)]
    series: list[Series] = []
    output, official_growth = _indicator(ledger, TREND_BARS), _indicator(ledger, TREND_BARS_GROWTH)
    if output is not None:
        figures = [ledger.metrics.figure(output, p) for p in periods]
        labels = []
        for figure in figures:
            # The official 同比 when there is one (the figure the summary prints: its own 公布增速
            # decided by Kind.versus_last_year, else the older twin 增速 indicator), else the
            # one computed from last year's value.
            verdict = figure.versus
            phrase = "" if verdict is None else versus_last_year_words(verdict.words)
            if official_growth is not None and figure.growth_source != "official":
                official = ledger.metrics.figure(official_growth, figure.period).value
                if official is not None:
                    phrase = versus_last_year_words(growth_words(official))
            number = "" if figure.value is None else number_text(
                figure.value, output.decimals, thousands=True)
            phrase = phrase if figure.value is not None else ""
            labels.append(f"{number}\n{phrase}" if phrase else number)
        series.append(Series(output.name, tuple(f.value for f in figures), output.unit,
                             labels=tuple(labels)))
    rate = _indicator(ledger, TREND_LINE)
    if rate is not None:
        figures = [ledger.metrics.figure(rate, p) for p in periods]
        series.append(Series(rate.name, tuple(f.value for f in figures), rate.unit, kind="line",
                             axis="right", labels=tuple(
                                 "" if f.value is None else _with_unit(f) for f in figures)))
    series = [s for s in series if s.has_data]
    if len(series) == 1 and series[0].kind == "line":  # no bars: the line takes the left axis
        series = [dataclasses.replace(series[0], axis="left")]
    y_label = f"{series[0].name}（{series[0].unit}）" if series else ""
    y2_label = f"增速（{series[1].unit}）" if len(series) > 1 else ""
    return ChartData(
        key="trend", title=CHARTS["trend"],
        period_label="全年" if period.annual else f"各年{period.months_label}",
        labels=tuple(f"{p.year}年" for p in periods), series=tuple(series),
        y_label=y_label, y2_label=y2_label,
        empty_message="近三年同期没有规上工业总产值和规上工业增加值增速的数值（在“指标”页填写）",
    )


# -- 亿元项目推进情况 ---------------------------------------------------------------------------
# The 指标 of each stage, where the catalogue has one: the chart shows the figure (an override
# included), so it always says what the summary's text says.
PIPELINE_FIGURES = {"新开工": "yi_new_started", "在建": "yi_under_construction",
                    "竣工投产": "yi_completed"}


def _pipeline(ledger: Ledger, period: Period) -> ChartData:
    totals = [ledger.projects.totals(period, status=stage, yi_only=True)
              for stage in PIPELINE_STAGES]
    counts: list[float | None] = [float(t["count"]) for t in totals]
    by_stage: dict[str, Figure] = {}
    for number, stage in enumerate(PIPELINE_STAGES):
        indicator = _indicator(ledger, PIPELINE_FIGURES.get(stage, ""))
        if indicator is not None:
            by_stage[stage] = ledger.metrics.figure(indicator, period)
            counts[number] = by_stage[stage].value
    figures = list(by_stage.values())
    investment = tuple(float(t["total_investment"]) for t in totals)
    # No 亿元项目 at all in the period: nothing to chart (four zero bars would only mislead).
    has_any = any(t["count"] for t in totals) or any(f.value for f in figures)
    labels = tuple(
        MISSING if count is None else f"{count:.0f}" + (
            "*" if stage in by_stage and by_stage[stage].overridden else "")
        for count, stage in zip(counts, PIPELINE_STAGES, strict=True))
    series = (
        Series("项目数", tuple(counts) if has_any else (None,) * len(counts), "个",
               labels=labels),
        Series("总投资", investment if has_any else (None,) * len(counts), "亿元", axis="right",
               labels=tuple(_number(v, 2) for v in investment)),
    )
    threshold = format_number(ledger.yi_threshold, 2).rstrip("0").rstrip(".")
    overridden = _overridden_note(figures)
    return ChartData(
        key="pipeline", title=CHARTS["pipeline"], period_label=period.label,
        labels=PIPELINE_STAGES, series=series, y_label="项目数（个）", y2_label="总投资（亿元）",
        note=(f"注：总投资≥{threshold}亿元的项目；签约、新开工、竣工投产为本期内发生，"
              "在建为以前年度开工、期末尚未竣工的项目。"
              + (overridden.removeprefix("注：").replace("。", "") + "（标*者）。"
                 if overridden else "")),
        empty_message=f"{period.label}没有签约、开工、在建或竣工的亿元项目（在“项目”页登记）",
    )


# -- 企业服务按月统计 ---------------------------------------------------------------------------
def services_per_month(ledger: Ledger, period: Period) -> dict[str, list[int]]:
    """Service records per kind and month 1..N of the period (kinds in the register's order)."""
    counts: dict[str, list[int]] = {}
    for month, kind, number in ledger.conn.execute(
        "SELECT CAST(substr(date, 6, 2) AS INTEGER), kind, count(*) FROM services"
        " WHERE date BETWEEN ? AND ? GROUP BY 1, 2",
        (period.start, period.end),
    ):
        counts.setdefault(kind, [0] * period.months)[month - 1] = number
    order = {kind: index for index, kind in enumerate(SERVICE_KINDS)}
    return dict(sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)),
                                                          item[0])))


def _services(ledger: Ledger, period: Period) -> ChartData:
    per_kind = services_per_month(ledger, period)
    series = tuple(
        Series(kind, tuple(float(n) for n in months), "条",
               labels=tuple(str(n) if n else "" for n in months))
        for kind, months in per_kind.items()
    )
    totals = [sum(months[m] for months in per_kind.values()) for m in range(period.months)]
    return ChartData(
        key="services", title=CHARTS["services"], period_label=period.label,
        labels=tuple(f"{m}月" for m in range(1, period.months + 1)), series=series,
        y_label="服务记录（条）", stacked=True,
        totals=tuple(str(n) if n else "" for n in totals) if per_kind else (),
        empty_message=f"{period.label}没有企业服务记录（在“企业服务”页登记）",
    )


_BUILDERS: dict[str, Callable[[Ledger, Period], ChartData]] = {
    "targets": _targets,
    "trend": _trend,
    "pipeline": _pipeline,
    "services": _services,
}
