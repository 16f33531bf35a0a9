"""The template forms for a figure's further numbers (issue 13): its forecast, a single month or
quarter, its ranks in further scopes and its gap to a reference value.

    【名称.预计】 【名称.上半年.预计】 【名称.上半年.预计.同比】   the forecast read as the value
    【名称.当月】 【名称.上月】 【名称.5月】 【名称.二季度】 (.同比)  months alone (Metrics.single)
    【名称.排名.全省】 【名称.位次变化.全省】                     a rank in another scope
    【名称.比全市平均】 【名称.参照.全市平均】                     a reference value

The numbers and their wording come from core.metrics and core.kinds; here they are only found
and turned into runs. core.report.language calls `split_extras` while reading a field and `run`
for the forms below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core import units
from core.errors import LedgerError
from core.kinds import Rank, Verdict, all_words, kind_of, place_words, pull_words
from core.numbers import format_number
from core.periods import Period, single_span
from core.report import phrasing
from core.report.document import Run
from core.report.number_style import PLAIN, NumberStyle

if TYPE_CHECKING:
    from core.catalogue import Indicator
    from core.metrics import Figure
    from core.report.language import Context
    from core.report.template import FieldRef

FORECAST = "预计"
REFERENCE_PREFIX = "比"
FORMS = {
    "预计": "预计数（预测、上报数）当作本期数值，可再接其他写法：【名称.预计】 → 预计完成"
            "的数；【名称.上半年.预计.同比】 → 按上半年预计数的同比；实际数填入后，【名称】用"
            "实际数，预计数仍保留，仍可用 .预计 打印",
    "当月": "本期最后一个月的单月数（如打印1-5月时为5月当月）：填写的“当月数值”；没有时，"
            "计数和金额由1-5月减1-4月得出；可接 .同比（与上年同月比）。也可写 .本月",
    "上月": "上一个月的单月数（打印1-5月时为4月当月），规则同 .当月",
    "N月": "某一个月的单月数，如【名称.3月】；规则同 .当月",
    "二季度": "单季或下半年（二季度、三季度、四季度、下半年）：计数和金额由累计数相减得出，"
              "如二季度 = 1-6月 − 1-3月；增速、占比的单季数不推算，显示为未填",
    "排名.范围": "在指标目录所列的另一个排名范围中的排名，如【名称.排名.全省】 → 第十二；"
                 "【名称.排名】为第一个（默认）范围；【名称.位次变化.全省】为该范围的位次变化",
    "比全市平均": "与参照值（全市平均、全省平均、标杆值等，在“参照值”一栏填写）比较：增速、"
                  "占比为 高于/低于全市平均0.8个百分点，计数和金额为 高于/低于全市平均12.3%，"
                  "相等为 与全市平均持平；任一方未填时显示为未填",
    "参照.全市平均": "参照值本身，带单位，如 6.1%",
    "拉动.整体": "对另一指标增长的拉动：（本指标本期 − 上年同期）÷ 整体指标上年同期，如"
                 "【工业投资.拉动.固定资产投资】 → 拉动增长2.3个百分点（为负时 下拉…）",
}
# Fields with an option that word several figures at once: 【均：A、B、C】.
OPTIONS = {
    "均": "所列指标的同比是否都增长（或都下降）：【均：工业投资、技改投资】 → 均实现增长 / "
          "均有所下降；有增有降时为 增减不一；任一项缺数时显示为未填",
}
# Forms a single month or quarter can be printed in (it has no targets, ranks or references).
_SPAN_FORMS = ("", "数值", "同比", "增减", "上年")
_SCOPED = ("排名", "位次变化")
_WITH_ARGUMENT = (*_SCOPED, "参照", "拉动")


def is_span(word: str, context: Context) -> bool:
    """Whether `word` names months alone (当月, 上月, 5月, 二季度 …), not a cumulative period."""
    try:
        return single_span(word, context.period) is not None
    except LedgerError:
        return True  # 上月 printed for 1月: split_extras says why


@dataclass(frozen=True)
class Extras:
    """What a field asks beyond its period and form."""

    span: tuple[int, int, str] | None = None  # months first…last alone, and how they read
    forecast: bool = False
    argument: str = ""  # the scope of 排名/位次变化, the reference of 比…/参照


def split_extras(ref: FieldRef, indicator: Indicator, rest: list[str], context: Context,
                 has_period: bool) -> tuple[list[str], Extras, str | None]:
    """Takes the words of this module out of the parts after a field's name and period.

    Returns the remaining parts (one form at most), the extras, and a problem to report."""
    span = None
    if rest and not has_period:
        try:
            span = single_span(rest[0], context.period)
        except LedgerError as exc:
            return rest, Extras(), f"{ref.source}：{exc.message}"
        if span is not None:
            rest = rest[1:]
    forecast = bool(rest) and rest[0] == FORECAST
    if forecast:
        rest = rest[1:]
    argument = ""
    if len(rest) == 2 and rest[0] in _WITH_ARGUMENT:
        rest, argument = rest[:1], rest[1]
    elif rest and rest[0].startswith(REFERENCE_PREFIX) and len(rest[0]) > 1:
        rest, argument = [REFERENCE_PREFIX], rest[0][1:]
    if span is not None and forecast:
        return rest, Extras(), f"{ref.source}：单月、单季没有预计数，请写【{indicator.name}.预计】"
    if rest and rest[0] == "参照" and not argument:
        return rest, Extras(), (f"{ref.source}：请写明参照值的名称，"
                                f"如【{indicator.name}.参照.全市平均】")
    if rest and rest[0] == "拉动" and (not argument or context.indicator(argument) is None):
        return rest, Extras(), (f"{ref.source}：请写明拉动的是哪个指标（指标目录中的名称），"
                                f"如【{indicator.name}.拉动.固定资产投资】")
    if argument and rest[0] in _SCOPED and argument not in indicator.rank_scopes:
        scopes = "、".join(indicator.rank_scopes) or "（无）"
        return rest, Extras(), (f"{ref.source}：“{indicator.name}”的排名范围为 {scopes}，"
                                f"没有“{argument}”（可在指标目录中增加）")
    if span is not None and rest and rest[0] not in _SPAN_FORMS \
            and units.dimension(rest[0]) is None:
        return rest, Extras(), (f"{ref.source}：单月、单季的数只能写数值、.同比、.增减、.上年"
                                f"，如【{indicator.name}.{span[2]}.同比】")
    return rest, Extras(span, forecast, argument), None


def chosen(figure: Figure, extras: Extras, context: Context) -> Figure:
    """The figure a field speaks of: its forecast read as the value, or months alone."""
    metrics = context.ledger.metrics
    if extras.span is not None:
        first, last, label = extras.span
        return metrics.single(figure.indicator, context.period.year, first, last, label)
    if extras.forecast:
        return metrics.forecast(figure)
    return figure


def handles(form: str, extras: Extras) -> bool:
    return form in (REFERENCE_PREFIX, "参照", "拉动") or (
        form in _SCOPED and bool(extras.argument))


def run(ref: FieldRef, figure: Figure, form: str, extras: Extras, context: Context,
        run_of: Callable[..., Run], gap: Callable[[str], Run], style: NumberStyle = PLAIN
        ) -> Run:
    """排名.范围, 位次变化.范围, 比…, 参照.… of one figure (`run_of`/`gap` as in language), the
    number written in `style` (its decimals go to the kind's comparison, rounded once)."""
    from core.report.language import FieldProblem

    indicator, kind = figure.indicator, figure.kind
    name, argument = indicator.name, extras.argument
    decimals = style.decimals
    if form == "排名":
        rank = figure.rank_in(argument)
        if rank is None:
            return gap(f"{name}（{argument}排名）")
        place = f"第{rank}" if style.numerals == "arabic" else phrasing.ordinal(rank)
        return run_of(place, float(rank), "位")
    if form == "位次变化":
        period = figure.period
        if period.months == 1:
            return gap(f"{name}（1月没有上期）")
        earlier = Period(period.year, period.months - 1)
        before = context.ledger.metrics.figure(indicator, earlier).rank_in(argument)
        now = figure.rank_in(argument)
        words = place_words(now, before, earlier.months_label)
        if words is None or now is None or before is None:
            missing = earlier.months_label if now is not None else figure.period_label
            return gap(f"{name}（{missing}{argument}排名）")
        return run_of(words, float(before - now), "位")
    if form == "拉动":
        return _pull(ref, figure, extras, context, run_of, gap, decimals)
    if isinstance(kind, Rank):
        raise FieldProblem(ref.problem(
            f"“{name}”是排名，不与{argument or '参照值'}比较（可写【{name}.排名】）"))
    reference = figure.reference(argument)
    if form == "参照":
        if reference is None:
            return gap(f"{name}{argument}")
        shown = (kind.with_unit(indicator, reference) if decimals is None
                 else f"{format_number(reference, decimals)}{indicator.unit}")
        return run_of(shown, reference)
    verdict = kind.versus_reference(figure, argument, decimals)
    if verdict is None:
        if figure.value is None:
            return gap(name)
        if reference is None:
            return gap(f"{name}{argument}")
        return gap(f"{name}{argument}（为0，无法比较）")
    return run_of(verdict.words, verdict.amount, verdict.unit)



def _pull(ref: FieldRef, figure: Figure, extras: Extras, context: Context,
          run_of: Callable[..., Run], gap: Callable[[str], Run], decimals: int | None = None
          ) -> Run:
    """拉动: the part's change over last year as points of the whole's last-year value; the two
    must be counts or amounts in the same dimension of unit (converted to the whole's)."""
    from core.report.language import FieldProblem

    whole_indicator = context.indicator(extras.argument)
    assert whole_indicator is not None
    part = figure.indicator
    if not (figure.kind.paced and kind_of(whole_indicator).paced) or (
            units.dimension(part.unit) != units.dimension(whole_indicator.unit)):
        raise FieldProblem(ref.problem(
            f"{ref.source}：拉动只用于单位相同的计数或金额（如 亿元 与 万元）"))
    whole = context.ledger.metrics.figure(whole_indicator, figure.period)
    if figure.value is None:
        return gap(part.name)
    if figure.last_year is None:
        return gap(f"{part.name}上年同期")
    if whole.last_year is None:
        return gap(f"{whole_indicator.name}上年同期")

    def converted(value: float) -> float:
        if part.unit == whole_indicator.unit or not units.dimension(part.unit):
            return value
        return units.convert(value, part.unit, whole_indicator.unit)

    words = pull_words(converted(figure.value), converted(figure.last_year), whole.last_year,
                       1 if decimals is None else decimals)
    if words is None:
        return gap(f"{whole_indicator.name}上年同期（为0，无法计算拉动）")
    return run_of(words, None, "个百分点")


def all_run(ref: FieldRef, context: Context) -> Run:
    """【均：A、B、C】: whether every figure named grew (or fell) over last year."""
    from core.report.language import FieldProblem

    names = [n.strip() for n in re.split("[、，,；;]", ref.option) if n.strip()]
    if len(names) < 2:
        raise FieldProblem(ref.problem(f"{ref.source}：请列出至少两个指标，用“、”分开"))
    verdicts: list[Verdict | None] = []
    for name in names:
        indicator = context.indicator(name)
        if indicator is None:
            raise FieldProblem(ref.problem(f"{ref.source}：指标目录中没有“{name}”"))
        figure = context.figure(indicator)
        verdict = figure.versus
        if verdict is None:
            missing = indicator.name if figure.value is None else f"{indicator.name}上年同期"
            return context.missing_run(missing)
        verdicts.append(verdict)
    return Run(all_words(verdicts) or "增减不一")
