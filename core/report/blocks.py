"""Fields that stand alone on their line and produce whole blocks of the summary.

    【工作打算】 / 【工作打算：二】   next year's plan, section by section: （一）heading, then the
                                     narrative and 一是…；二是…；三是…。
    【图表：亿元项目推进情况】        a chart at print resolution, with its caption
    【数据说明】                      which derived figures were overridden, with both values
    【指标表】 / 【指标表：科技创新】 a table of indicators: 本期, 目标, 完成率, 上年同期, 同比

Headings, tables and charts come back unnumbered; the builder numbers them in document order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.errors import NotFoundError
from core.fields import chinese_numeral
from core.figures import bureau_name, override_notes
from core.kinds import kind_of
from core.metrics import Figure
from core.report import phrasing, plan_fields
from core.report.closing import date_words
from core.report.document import (
    LEVEL2,
    Block,
    Chart,
    Closing,
    FigureMark,
    Heading,
    Paragraph,
    Run,
    Table,
)
from core.report.language import Context, FieldProblem
from core.report.template import FieldRef

BLOCKS: dict[str, str] = {
    "工作打算": "下年工作计划：每部分一个（一）小标题，再写总体思路和“一是…二是…”；"
                "【工作打算：二】只写第二部分",
    "图表": "插入一张图表，如【图表：亿元项目推进情况】",
    "数据说明": "列出手工修正过的自动计算数据（填报数和计算数）；没有则不打印",
    "落款": "署名和成文日期（GB/T 9704）：正文下空一行，单位名称右空二字，下一行成文日期；"
            "日期为总结页的“截至”日期（默认当天）",
    "附件": "附件（另起一页，正文后自动加附件说明）：【附件：指标完成情况表】【附件：项目推进表】"
            "【附件：企业服务台账】",
    "指标表": "指标完成情况表：不写分组时列出有确保目标的指标；"
              "【指标表：科技创新】列出该组全部指标",
    **plan_fields.BLOCKS,
}
# Blocks whose name alone means nothing: 【图表：名称】.
NEEDS_OPTION = frozenset({"图表", "附件"})
TABLE_HEADER = ("指标", "本期", "确保目标", "完成情况", "上年同期", "同比")
_NONE = "—"


def block(ref: FieldRef, context: Context) -> list[Block]:
    builders: dict[str, Callable[[FieldRef, Context], list[Block]]] = {
        "工作打算": _plans, "图表": _chart, "数据说明": _data_note, "指标表": _indicator_table,
        "督办表": plan_fields.supervision_table, "落款": _closing,
        "附件": _attachment,
    }
    return builders[ref.name](ref, context)


# -- 工作打算 -------------------------------------------------------------------------------------
def _plans(ref: FieldRef, context: Context) -> list[Block]:
    year = context.period.year + 1
    sections = context.ledger.plans.outline(year)
    label = f"{year}年工作计划"
    if ref.option:
        number = int(ref.option) if ref.option.isdigit() else chinese_numeral(ref.option)
        if number is None or number < 1:
            raise FieldProblem(ref.problem(f"{ref.source}：请写部分的序号，如【工作打算：二】"))
        if number > len(sections):
            return [Paragraph((context.missing_run(f"{label}第{phrasing.chinese_number(number)}"
                                                   "部分"),))]
        sections = [sections[number - 1]]
    if not sections:
        return [Paragraph((context.missing_run(label),))]
    blocks: list[Block] = []
    for section in sections:
        blocks.append(Heading(LEVEL2, (Run(phrasing.strip_end(section["heading"])),)))
        clauses = [_item_clause(item, context) for item in section["items"]]
        narrative = phrasing.strip_end(section["narrative"])
        text = (f"{narrative}。" if narrative else "") + phrasing.enumerate_clauses(clauses)
        if text:
            blocks.append(Paragraph((Run(text),)))
    return blocks


def _item_clause(item: dict[str, Any], context: Context) -> str:
    """推进重点续建项目，加快建设进度，重点推进A、B和C；力争X达到7.0%."""
    parts = [phrasing.strip_end(item["title"]), phrasing.strip_end(item["text"])]
    projects = [project["name"] for project in item["projects"]]
    if projects:
        parts.append(f"重点推进{phrasing.join_names(projects)}")
    if item["target_value"] is not None and item["target_indicator_id"]:
        indicator = context.ledger.catalogue.get(item["target_indicator_id"])
        target = kind_of(indicator).with_unit(indicator, item["target_value"])
        parts.append(f"力争{indicator.name}达到{target}")
    return "，".join(part for part in parts if part)


# -- 图表 -----------------------------------------------------------------------------------------
def _chart(ref: FieldRef, context: Context) -> list[Block]:
    from core.charts import key_for_title

    try:
        key = key_for_title(ref.option)
    except NotFoundError as exc:
        raise FieldProblem(ref.problem(exc.message)) from exc
    return [chart_block(key, context)]


def chart_block(key: str, context: Context) -> Chart:
    from core.charts import CHARTS
    from core.charts.data import chart_data

    context.placed_charts.append(key)
    return Chart(CHARTS[key], context.render_chart(key),
                 chart_data(context.ledger, context.period, key))


# -- 数据说明 -------------------------------------------------------------------------------------
def _data_note(ref: FieldRef, context: Context) -> list[Block]:
    if ref.option:
        raise FieldProblem(ref.problem("【数据说明】后面不需要写内容"))
    entries = override_notes(context.ledger, context.period)
    if not entries:
        return []
    return [Paragraph((Run("数据说明：" + "；".join(entries) + "。"),))]


# -- 落款 ---------------------------------------------------------------------------------------
def _closing(ref: FieldRef, context: Context) -> list[Block]:
    if ref.option:
        raise FieldProblem(ref.problem("【落款】后面不需要写内容（成文日期即总结页的“截至”日期）"))
    name = bureau_name(context.ledger)
    return [Closing(Run(name) if name else context.missing_run("单位名称（设置）"),
                    Run(date_words(context.today)))]


# -- 附件 ---------------------------------------------------------------------------------------
def _attachment(ref: FieldRef, context: Context) -> list[Block]:
    """Noted, not printed here: the builder adds the 附件说明 and the pages (core.report.build)."""
    from core.report.attachments import ATTACHMENTS

    if ref.option not in ATTACHMENTS:
        raise FieldProblem(ref.problem(f"{ref.source}：附件应为 {'、'.join(ATTACHMENTS)} 之一"))
    context.attachments.append(ref.option)
    return []


# -- 指标表 ---------------------------------------------------------------------------------------
def _indicator_table(ref: FieldRef, context: Context) -> list[Block]:
    catalogue = context.ledger.catalogue
    if ref.option and ref.option not in catalogue.sections():
        raise FieldProblem(ref.problem(
            f"{ref.source}：指标分组应为 {'、'.join(catalogue.sections())} 之一"))
    group = ref.option.removesuffix("指标")  # 绩效指标 → 绩效指标完成情况, not 绩效指标指标…
    caption = f"{group}指标完成情况" if ref.option else "主要指标完成情况"
    return [*indicator_table(context, section=ref.option or None, every=bool(ref.option),
                             caption=caption)]


def indicator_table(context: Context, *, section: str | None, every: bool, caption: str
                    ) -> list[Table | Paragraph]:
    """The numeric indicators (of `section`, else all) as a table; `every`: also those without
    a 确保目标. Used by 【指标表】 and the 指标完成情况表 attachment."""
    figures = [
        context.figure(indicator) for indicator in context.ledger.catalogue.all()
        if indicator.kind not in ("list", "text")
        and (indicator.section == section if section else True)
    ]
    if not every:
        figures = [figure for figure in figures if figure.target_committed is not None]
    if not figures:
        return [Paragraph((context.missing_run(f"{caption or '指标完成情况'}表中的指标"),))]
    rows = tuple(_table_row(figure, context) for figure in figures)
    return [Table(caption, TABLE_HEADER, rows)]


def _table_row(figure: Figure, context: Context) -> tuple[Run, ...]:
    """One row of the 指标表: the same words as the 指标 tab (core.kinds), each cell marked with
    the figure it prints (for `report --out F.json`)."""
    indicator, kind = figure.indicator, figure.kind
    period = context.period.label

    def cell(form: str, text: str | None, value: float | None, unit: str = indicator.unit
             ) -> Run:
        mark = FigureMark(indicator.name, indicator.code, period, form, value, unit,
                          figure.source)
        return Run(_NONE if text is None else text, mark=mark if text is not None else None)

    def shown(form: str, value: float | None) -> Run:
        return cell(form, None if value is None else kind.with_unit(indicator, value), value)

    value = (shown("", figure.value) if figure.value is not None
             else context.missing_run(indicator.name, FigureMark(
                 indicator.name, indicator.code, period, "", None, indicator.unit, "missing")))
    completion, versus = figure.completion, figure.versus
    return (
        Run(indicator.name), value, shown("确保目标", figure.target_committed),
        cell("完成率", None if completion is None else completion.words,
             None if completion is None else completion.amount,
             "" if completion is None else completion.unit),
        shown("上年", figure.last_year),
        cell("同比", None if versus is None else versus.words,
             None if versus is None else versus.amount, "" if versus is None else versus.unit),
    )
