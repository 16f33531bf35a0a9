"""What the fields of a template mean, worked out against the ledger for one period.

Inside 【】 a clerk writes one of:

- a general field: 【年份】 【期间】 【区名】 …                        (GENERAL)
- an indicator by its name (or a former name): 【规上工业企业数】 → 66家
- an indicator with a form after a dot: 【规上工业增加值增速.排名】 → 第二   (FORMS, or a unit)
- a list with an option after a colon: 【亿元项目：新开工】 → A、B和C     (LISTS)
- a number style after a colon: 【名称.同比：2位小数】 【名称：中文数字】 (core.report.number_style)
- a block, alone on its line: 【工作打算】 【图表：…】 【数据说明】 【指标表】 (core.report.blocks)

A figure the ledger lacks becomes a 【未填：名称】 run (never blank, never 0) and is noted in the
context's `missing` list. A field that means nothing raises FieldProblem at its place.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from core import clock, units
from core.catalogue import Indicator
from core.enterprises import HONOUR_CATEGORIES
from core.errors import LedgerError
from core.figures import REQUIRED_SETTINGS, bureau_name, rank_label
from core.kinds import (
    Rank,
    Rate,
    growth_words,
    place_words,
    rate_change_words,
    streak_words,
    versus_last_year_words,
)
from core.metrics import Figure
from core.numbers import format_number
from core.periods import Period, is_period_word, named_period
from core.report import number_forms, pacing_forms, phrasing, plan_fields, project_fields
from core.report.closing import date_words
from core.report.document import FigureMark, Run
from core.report.number_style import PLAIN, NumberStyle, StyleError, parse_style
from core.report.template import FieldRef, Problem

if TYPE_CHECKING:
    from core.ledger import Ledger

ChartRenderer = Callable[[str], bytes]  # chart key → PNG bytes

FORM_SEPARATORS = ".．。·"

GENERAL: dict[str, str] = {
    "年份": "报告年份，如 2026",
    "上年": "报告年份的上一年，如 2025",
    "下年": "报告年份的下一年，如 2027（工作打算用）",
    "期间": "报告期间，如 2026年1-11月；全年为 2026年",
    "月份": "月份范围，如 1-11月；全年为“全年”",
    "当月": "报告期的最后一个月，如 11月（写单月数时用：【当月】当月完成【名称.当月】）",
    "区名": "设置中的区名，如 星河区",
    "市名": "设置中的市名，如 江州市",
    "单位": "设置中的单位名称，如 星河区科工信局",
    "日期": "生成总结当天的日期，如 2026年11月28日",
}
_SETTING_OF = {"区名": "district", "单位": "bureau", "市名": "city"}

FORMS: dict[str, str] = {
    "": "本期数值和单位，如 66家、6.8%、167.02亿元；名单类指标为“甲、乙和丙”",
    "数值": "只有数值，不带单位，如 66",
    "确保目标": "确保目标，带单位（也可写 .目标）",
    "奋斗目标": "奋斗目标，带单位",
    "完成率": "完成确保目标的百分比，如 101.2%（本期没有目标时用全年确保目标）",
    "完成年任务": "对照全年确保目标：完成年任务的45.3%；增速、占比为高于/低于全年目标x个百分点",
    "较上期": "增速、占比与上期（打印1-8月时为1-7月）比较：增速较1-7月提高0.3个百分点、"
              "降幅较1-7月收窄0.5个百分点、由降转增；排名为 位次较1-7月提升2位",
    "连续增长": "增速（计数、金额为同比）逐期向前数：连续8个月保持正增长 / 连续3个月下降",
    "位次变化": "排名与上期比较：位次较1-7月提升2位 / 位次与1-7月持平",
    "奋斗目标完成率": "完成奋斗目标的百分比",
    "上年": "上年同期数值，带单位",
    "同比": "与上年同期比较：同比增长5.9%、同比下降2.7%；增速和比重为同比提高0.5个百分点",
    "增减": "同上，但不带“同比”二字；增速类指标读作 增长6.8% / 下降1.2%",
    "排名": "排名，如 第二",
    "排名范围": "排名所在范围，如 城区、全市",
    "个数": "名单类指标的个数，如 3",
    **pacing_forms.FORMS,
}
_FORM_ALIASES = {"目标": "确保目标"}
_NUMERIC_ONLY = set(FORMS) - {"", "个数"}

PROJECT_STATUSES = ("签约", "新开工", "在建", "竣工投产")
LISTS: dict[str, str] = {
    "亿元项目": "本期该状态的亿元项目名称，如【亿元项目：新开工】；"
                f"状态为 {'、'.join(PROJECT_STATUSES)}",
    "项目": "本期该状态的全部项目名称（不限亿元），如【项目：签约】；"
            "单个项目的数据写【项目：项目名称.总投资】，见下",
    "荣誉": f"本年该类别的企业荣誉，如【荣誉：质量奖】；类别为 {'、'.join(HONOUR_CATEGORIES)}",
}


class FieldProblem(Exception):
    """A field that cannot be printed; carries where it stands and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Context:
    """What one build of the summary knows: the ledger, the period, what is missing so far."""

    ledger: Ledger
    period: Period
    render_chart: ChartRenderer
    today: date = field(default_factory=clock.today)
    missing: list[str] = field(default_factory=list)
    placed_charts: list[str] = field(default_factory=list)  # keys of the charts printed so far
    attachments: list[str] = field(default_factory=list)  # the 【附件：…】 lines, in order
    _figures: dict[str, Figure] | None = None
    _indicators: dict[str, Indicator | None] = field(default_factory=dict)

    def missing_run(self, label: str, mark: FigureMark | None = None) -> Run:
        if label not in self.missing:
            self.missing.append(label)
        return Run(f"【未填：{label}】", missing=True, mark=mark)

    def figure(self, indicator: Indicator) -> Figure:
        if self._figures is None:  # every figure at once: one pass over the derivations
            self._figures = {f.indicator.id: f for f in self.ledger.metrics.figures(self.period)}
        found = self._figures.get(indicator.id)
        if found is None:  # a retired indicator a template still names
            found = self.ledger.metrics.figure(indicator, self.period)
            self._figures[indicator.id] = found
        return found

    def indicator(self, name: str) -> Indicator | None:
        """An indicator by its name or a former name (renamed indicators keep working); a
        retired one too, so that a template naming it (the bundled one, after the clerk retired
        a default indicator) still prints: its figures if it has any, else 【未填：…】."""
        if name not in self._indicators:
            found = self.ledger.catalogue.find(name)
            if found is None:
                wanted = name.strip()
                found = next((i for i in self.ledger.catalogue.all(include_retired=True)
                              if i.retired and (i.name == wanted or wanted in i.former_names)),
                             None)
            self._indicators[name] = found
        return self._indicators[name]


# -- inline fields ------------------------------------------------------------------------------
def inline(ref: FieldRef, context: Context) -> tuple[Run, ...]:
    """The runs a field prints inside a sentence; raises FieldProblem."""
    if plan_fields.handles(ref):  # the work plan: counts, lists, the 督办 date
        return (plan_fields.inline(ref, context),)
    if project_fields.handles(ref, PROJECT_STATUSES):  # 【项目：名称.总投资】
        return (project_fields.inline(ref, context),)
    if ref.has_option and ref.name in LISTS:
        return (_list(ref, context),)
    if ref.has_option and ref.name in number_forms.OPTIONS:  # 【均：A、B】
        return (number_forms.all_run(ref, context),)
    style = PLAIN
    if ref.has_option:  # 【名称.同比：2位小数】: the field without its option, in a style
        if ref.name in GENERAL or context.indicator(_before_form(ref.name)) is None:
            raise FieldProblem(ref.problem(
                f"不认识的字段{ref.source}（可用的名单有 {'、'.join(LISTS)}；"
                "指标后的“：”写数字写法，如【名称.同比：2位小数】）"))
        try:
            style = parse_style(ref.option)
        except StyleError as exc:
            raise FieldProblem(ref.problem(f"{ref.source}：{exc}")) from exc
        ref = dataclasses.replace(ref, option="", has_option=False)
    if ref.name in GENERAL:
        return (_general(ref.name, context),)
    indicator, period, form, extras = _split_form(ref, context)
    if period is None:
        figure = context.figure(indicator)
    elif period is Before.NONE:  # 上期 of 1月: there is none
        return (context.missing_run(f"{indicator.name}（上期）"),)
    else:
        figure = context.ledger.metrics.figure(indicator, period)
    figure = number_forms.chosen(figure, extras, context)
    return (indicator_run(ref, figure, form, context, style, extras),)


def form_cuts(name: str) -> list[int]:
    """Where a field may split into a name and its forms: every separator but a leading one
    (the name itself may hold a dot, so callers try the longest name first)."""
    return [n for n, char in enumerate(name) if char in FORM_SEPARATORS and n > 0]


def _before_form(name: str) -> str:
    """The indicator a field names, without its forms (a name may itself hold a dot)."""
    cuts = form_cuts(name)
    return name[:cuts[0]].strip() if cuts else name


class Before(enum.Enum):
    """The period 【名称.上期】 names when there is none before the printed one (1月)."""
    NONE = "上期 of 1月"


def _split_form(ref: FieldRef, context: Context
                ) -> tuple[Indicator, Period | Before | None, str, number_forms.Extras]:
    """【名称】, 【名称.形式】, 【名称.期间】 or 【名称.期间.形式】 → the indicator, the other
    period it names (None: the one printed), the form and the further numbers it asks for
    (number_forms: .预计, .当月, .排名.全省 …). A name may itself hold a dot."""
    whole = context.indicator(ref.name)
    if whole is not None:
        return whole, None, "", number_forms.Extras()
    name = ref.name
    cuts = form_cuts(name)
    indicator, rest = None, []
    for cut in reversed(cuts):  # the longest name that is an indicator (it may hold a dot)
        indicator = context.indicator(name[:cut].strip())
        if indicator is not None:
            rest = [part.strip() for part in re.split(f"[{re.escape(FORM_SEPARATORS)}]",
                                                       name[cut + 1:])]
            break
    if indicator is None:
        if not cuts:
            raise FieldProblem(ref.problem(
                f"不认识的字段{ref.source}：指标目录中没有“{name}”，也不是通用字段"))
        raise FieldProblem(ref.problem(f"指标目录中没有“{name[:cuts[0]].strip()}”（{ref.source}）"))
    period: Period | Before | None = None
    if rest and is_period_word(rest[0]) and not number_forms.is_span(rest[0], context):
        try:
            period = named_period(rest[0], context.period) or Before.NONE
        except LedgerError as exc:
            raise FieldProblem(ref.problem(f"{ref.source}：{exc.message}")) from exc
        rest = rest[1:]
    rest, extras, problem = number_forms.split_extras(ref, indicator, rest, context,
                                                      period is not None)
    if problem:
        raise FieldProblem(ref.problem(problem))
    if len(rest) > 1:
        raise FieldProblem(ref.problem(
            f"{ref.source}：期间之后只能再写一个写法，如【{indicator.name}.全年.确保目标】"))
    form = _FORM_ALIASES.get(rest[0], rest[0]) if rest else ""
    if form not in FORMS and units.dimension(form) is None \
            and not number_forms.handles(form, extras):
        raise FieldProblem(ref.problem(
            f"{ref.source}中的“{form}”不是可用的写法（可用：{'、'.join(f for f in FORMS if f)}，"
            "期间如 全年、上半年、1-6月、上期，或换算单位如 亿元、万元）"))
    return indicator, period, form, extras


def _general(name: str, context: Context) -> Run:
    period = context.period
    if name in _SETTING_OF:
        key = _SETTING_OF[name]
        value = (bureau_name(context.ledger) if key == "bureau"
                 else str(context.ledger.setting(key, "") or "").strip())
        label = f"{REQUIRED_SETTINGS.get(key, name)}（设置）"
        return Run(value) if value else context.missing_run(label)
    values = {
        "年份": str(period.year), "上年": str(period.year - 1), "下年": str(period.year + 1),
        "期间": period.label, "月份": period.months_label,
        "当月": f"{period.months}月",
        "日期": date_words(context.today),
    }
    return Run(values[name])


def indicator_run(ref: FieldRef, figure: Figure, form: str, context: Context,
                  style: NumberStyle = PLAIN, extras: number_forms.Extras | None = None
                  ) -> Run:
    """One indicator in one form, phrased by its kind (core.kinds) and written in `style`; a
    gap in the ledger gives a 【未填：…】 run naming exactly what is missing (the value, last
    year's, the target …)."""
    if style.decimals is not None and form in _NO_DECIMALS:
        raise FieldProblem(ref.problem(
            f"{ref.source}：“.{form}”不能指定小数位数（可用于数值、目标、同比、完成率、较上期）"))
    printed = _indicator_run(ref, figure, form, context, style, extras)
    if printed.missing or style == PLAIN:
        return printed
    return dataclasses.replace(printed, text=style.text(printed.text))


# Forms whose number is a count of months or places: decimals mean nothing there.
_NO_DECIMALS = {"连续增长", "位次变化", "排名", "排名范围", "个数", *pacing_forms.FORMS}


def _indicator_run(ref: FieldRef, figure: Figure, form: str, context: Context,
                   style: NumberStyle, extras: number_forms.Extras | None = None) -> Run:
    indicator = figure.indicator
    kind = figure.kind
    name, unit = indicator.name, indicator.unit
    decimals = style.decimals

    def with_unit(number: float) -> str:
        if decimals is None:
            return kind.with_unit(indicator, number)
        return f"{format_number(number, decimals)}{unit}"

    def mark(value: float | None, value_unit: str = unit, source: str = figure.source
             ) -> FigureMark:
        return FigureMark(name, indicator.code, figure.period.label, form, value, value_unit,
                          source)

    def run(text: str, value: float | None, value_unit: str = unit) -> Run:
        return Run(text, mark=mark(value, value_unit))

    def gap(label: str) -> Run:
        if figure.view or figure.period != context.period:  # 【名称.全年】: say which period
            label = f"{label}（{figure.period_label}）"
        return context.missing_run(label, mark(None, source="missing"))

    if not kind.numeric:
        if form not in ("", "个数") or (form == "个数" and indicator.kind == "text"):
            raise FieldProblem(ref.problem(
                f"“{name}”是名单或文字，只能写【{name}】或【{name}.个数】"))
        if indicator.kind == "text":
            return Run(figure.text, mark=mark(None)) if figure.text else gap(name)
        if not figure.items:
            return gap(name)
        if form == "个数":
            return run(str(len(figure.items)), float(len(figure.items)), "个")
        return Run(phrasing.join_names(figure.items), mark=mark(None))
    if form == "个数":
        raise FieldProblem(ref.problem(f"“{name}”不是名单，不能写“.个数”"))
    if form in pacing_forms.FORMS:
        return pacing_forms.pacing_run(ref, figure, form, context)
    if extras is not None and number_forms.handles(form, extras):
        return number_forms.run(ref, figure, form, extras, context, run, gap, style)

    value = figure.value
    if form in ("", "数值") or units.dimension(form):
        if value is None:
            return gap(name)
        if form == "数值":
            return run(kind.text(indicator, value) if decimals is None
                       else format_number(value, decimals), value)
        if form:
            if units.dimension(form) != units.dimension(unit):
                raise FieldProblem(ref.problem(f"“{name}”的单位是{unit or '无'}，不能换算为{form}"))
            shown = (phrasing.converted_decimals(indicator.decimals, unit, form)
                     if decimals is None else decimals)
            converted = units.convert(value, unit, form)
            return run(f"{format_number(converted, shown)}{form}", converted, form)
        return run(with_unit(value), value)
    if form in ("确保目标", "奋斗目标"):
        target = figure.target_committed if form == "确保目标" else figure.target_stretch
        if target is None:
            return gap(f"{name}{form}")
        return run(with_unit(target), target)
    if form in ("完成率", "奋斗目标完成率"):
        which = "确保目标" if form == "完成率" else "奋斗目标"
        target = figure.target_committed if form == "完成率" else figure.target_stretch
        verdict = (kind.completion(figure, target, decimals) if decimals is not None
                   else figure.completion if form == "完成率" else figure.stretch_completion)
        if verdict is None:
            if value is None:
                return gap(f"{name}（{form}需本期数值）")
            return gap(f"{name}{which}")
        return run(verdict.words, verdict.amount, verdict.unit)
    if form == "完成年任务":
        verdict = (figure.year_completion if decimals is None
                   else kind.completion(figure, figure.annual_target, decimals))
        if verdict is None:
            if value is None:
                return gap(f"{name}（{form}需本期数值）")
            return gap(f"{name}全年确保目标")
        words = f"完成年任务的{verdict.words}" if kind.completion_is_ratio else verdict.words
        return run(words, verdict.amount, verdict.unit)
    if form in ("较上期", "连续增长", "位次变化"):
        return _over_periods(ref, figure, form, context, run, gap, decimals)
    if form == "上年":
        if figure.last_year is None:
            return gap(f"{name}上年同期")
        return run(with_unit(figure.last_year), figure.last_year)
    if form in ("同比", "增减"):
        own = kind.own_growth(figure) if form == "增减" and isinstance(kind, Rate) else None
        if own is not None and value is not None:  # the figure is itself a growth rate
            if decimals is not None:
                own = growth_words(value, decimals)
            return run(own, value, "%")
        verdict = (figure.versus if decimals is None
                   else kind.versus_last_year(figure, decimals))
        if verdict is None:
            if value is None and figure.last_year is None:
                return gap(f"{name}（{form}需本期数值和上年同期）")
            if value is None:
                return gap(f"{name}（{form}需本期数值）")
            return gap(f"{name}上年同期")
        words = verdict.words
        return run(versus_last_year_words(words) if form == "同比" else words, verdict.amount,
                   verdict.unit)
    # 排名, 排名范围
    if form == "排名" and figure.rank is not None:
        place = (f"第{figure.rank}" if style.numerals == "arabic"
                 else phrasing.ordinal(figure.rank))
        return run(place, float(figure.rank), "位")
    if form == "排名范围" and figure.rank_scope:
        return Run(figure.rank_scope, mark=mark(None))
    return gap(rank_label(figure))


def _over_periods(ref: FieldRef, figure: Figure, form: str, context: Context,
                  run: Callable[..., Run], gap: Callable[[str], Run],
                  decimals: int | None = None) -> Run:
    """Forms that look back over earlier cumulative periods of the year (月报 wording)."""
    indicator, kind = figure.indicator, figure.kind
    period = figure.period
    earlier = Period(period.year, period.months - 1) if period.months > 1 else None
    name = indicator.name
    if form == "连续增长":
        def growth_of(months: int) -> float | None:
            other = context.ledger.metrics.figure(indicator, Period(period.year, months))
            if kind.percentage:
                return other.value
            versus = other.versus
            return None if versus is None or versus.unit != "%" else versus.amount
        words = streak_words([growth_of(m) for m in range(period.months, 0, -1)])
        return run(words, None, "") if words else gap(f"{name}（{form}需本期增速）")
    if earlier is None:
        return gap(f"{name}（1月没有上期）")
    before = context.ledger.metrics.figure(indicator, earlier)
    since = earlier.months_label
    if form == "位次变化":
        words = place_words(figure.rank, before.rank, since)
        if words is None:
            return gap(f"{name}（{since}排名）" if figure.rank is not None else rank_label(figure))
        return run(words, None if figure.rank is None or before.rank is None
                   else float(before.rank - figure.rank), "位")
    # 较上期
    if isinstance(kind, Rank):
        words = place_words(None if figure.value is None else int(figure.value),
                            None if before.value is None else int(before.value), since)
    elif kind.percentage:
        words = (None if figure.value is None or before.value is None else rate_change_words(
            figure.value, before.value, max(indicator.decimals, 1) if decimals is None
            else decimals, since))
    else:
        raise FieldProblem(ref.problem(
            f"“{name}”是累计的计数或金额，与上期比较没有意义，请用【{name}.同比】"))
    if words is None:
        return gap(f"{name}（{since}）" if figure.value is not None else name)
    return run(words, None, "个百分点")


# -- lists --------------------------------------------------------------------------------------
def _list(ref: FieldRef, context: Context) -> Run:
    ledger, period = context.ledger, context.period
    if ref.name in ("亿元项目", "项目"):
        if ref.option not in PROJECT_STATUSES:
            raise FieldProblem(ref.problem(
                f"{ref.source}：项目状态应为 {'、'.join(PROJECT_STATUSES)} 之一"))
        yi_only = ref.name == "亿元项目"
        rows = ledger.projects.rows(period, status=ref.option, yi_only=yi_only)
        names = [row["name"] for row in rows]
        label = f"{period.label}{ref.option}的{ref.name}"
    else:  # 荣誉
        if ref.option not in HONOUR_CATEGORIES:
            raise FieldProblem(ref.problem(
                f"{ref.source}：荣誉类别应为 {'、'.join(HONOUR_CATEGORIES)} 之一"))
        rows = [row for row in ledger.enterprises.honours.rows(year=period.year)
                if row["category"] == ref.option]
        names = [f"{row['enterprise']}（{row['name']}）" if row["enterprise"] else row["name"]
                 for row in rows]
        label = f"{period.year}年{ref.option}荣誉"
    return Run(phrasing.join_names(names)) if names else context.missing_run(label)
