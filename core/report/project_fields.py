"""One named project's figures in a template (重点项目的单项数据):

    【项目：星河新材料产业园.总投资】     → 12.50亿元
    【项目：星河新材料产业园.本年投资】   → 3.20亿元   (完成投资 of the report's year)
    【项目：星河新材料产业园.累计投资】   → 8.70亿元   (every year up to the report's)
    【项目：星河新材料产业园.投资完成率】 → 69.6%      (累计投资 ÷ 总投资)
    【项目：星河新材料产业园.状态】       → 在建       (core.derived's one rule, for the period)
    【项目：星河新材料产业园.开工日期】   → 2026年3月5日

The option after 【项目：】 is a status (a list of names, core.report.language) or a project's
name followed by a form; a name may itself hold a dot. What the 项目台账 lacks prints as
【未填：…】, never as 0.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from core.derived import stage_columns, status_text
from core.kinds import GROWTH_DECIMALS, number_text, rounded
from core.numbers import format_number
from core.report.closing import date_words
from core.report.document import FigureMark, Run

if TYPE_CHECKING:
    from core.report.language import Context
    from core.report.template import FieldRef

LIST_NAME = "项目"
INVESTMENT_UNIT = "亿元"  # core.projects keeps 总投资 and 完成投资 in 亿元
FORMS: dict[str, str] = {
    "总投资": "项目总投资，如 12.50亿元",
    "本年投资": "报告年度的完成投资，如 3.20亿元",
    "累计投资": "截至报告年度各年完成投资之和",
    "投资完成率": "累计投资占总投资的百分比，如 69.6%",
    "状态": "报告期间的项目状态，如 在建、签约、新开工",
    "签约日期": "签约日期，如 2026年3月5日",
    "开工日期": "开工日期",
    "竣工日期": "竣工投产日期",
    "实施企业": "实施企业名称",
    "产业链": "所属产业链",
}
_DATES = {"签约日期": "signed_date", "开工日期": "start_date", "竣工日期": "completion_date"}
DESCRIPTION = ("单个项目：【项目：项目名称.写法】，如【项目：星河新材料产业园.累计投资】；写法有 "
               + "、".join(FORMS))


def handles(ref: FieldRef, statuses: tuple[str, ...]) -> bool:
    """【项目：名称.写法】 (not 【项目：签约】, a list of the projects of a status)."""
    return ref.has_option and ref.name == LIST_NAME and ref.option not in statuses


def inline(ref: FieldRef, context: Context) -> Run:
    project, form = _split(ref, context)
    name = project["name"]
    period = context.period

    def run(text: str, value: float | None = None, unit: str = "") -> Run:
        return Run(text, mark=FigureMark(name, None, period.label, form, value, unit,
                                         "entered"))

    def gap(what: str) -> Run:
        return context.missing_run(f"项目“{name}”{what}")

    if form in ("总投资", "投资完成率") and project["total_investment"] is None:
        return gap("总投资")
    if form == "总投资":
        return run(_money(project["total_investment"]), project["total_investment"],
                   INVESTMENT_UNIT)
    investments = context.ledger.projects.investments(project["id"])
    if form == "本年投资":
        amount = investments.get(period.year)
        if amount is None:
            return gap(f"{period.year}年完成投资")
        return run(_money(amount), amount, INVESTMENT_UNIT)
    if form in ("累计投资", "投资完成率"):
        years = [year for year in investments if year <= period.year]
        if not years:
            return gap("完成投资")
        total = sum(investments[year] for year in years)
        if form == "累计投资":
            return run(_money(total), total, INVESTMENT_UNIT)
        if project["total_investment"] == 0:
            return gap("总投资（为0，无法计算完成率）")
        share = rounded(total / project["total_investment"] * 100, GROWTH_DECIMALS)
        return run(f"{format_number(share, GROWTH_DECIMALS)}%", share, "%")
    if form == "状态":
        return run(_status(project, context) or "谋划")
    if form in _DATES:
        value = project[_DATES[form]]
        return run(date_words(date.fromisoformat(value))) if value else gap(form)
    text = project["enterprise"] if form == "实施企业" else project["industry_chain"]
    return run(text) if text else gap(form)


def _money(amount: float) -> str:
    return f"{number_text(amount, 2)}{INVESTMENT_UNIT}"


def _status(project: dict[str, Any], context: Context) -> str:
    period = context.period
    row = context.ledger.query(
        f"SELECT {stage_columns()} FROM projects WHERE id = :id",
        {"id": project["id"], "start": period.start, "end": period.end, "y": period.year,
         "threshold": context.ledger.yi_threshold})[0]
    return status_text(row)


def _split(ref: FieldRef, context: Context) -> tuple[dict[str, Any], str]:
    """The project (longest name that is one, as a name may hold a dot) and the form."""
    from core.report.language import FieldProblem

    option = ref.option
    from core.report.language import form_cuts

    cuts = form_cuts(option)
    if not cuts:
        raise FieldProblem(ref.problem(
            f"{ref.source}：请写【项目：状态】（如 签约、新开工）或【项目：项目名称.写法】，"
            f"写法有 {'、'.join(FORMS)}"))
    rows = context.ledger.memo(("project-fields",), lambda: context.ledger.query(
        "SELECT p.id, p.name, p.total_investment, p.signed_date, p.start_date,"
        " p.completion_date, p.industry_chain, coalesce(e.name, '') AS enterprise"
        " FROM projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id"))
    for cut in reversed(cuts):
        wanted = option[:cut].strip()
        found = [row for row in rows if row["name"].strip() == wanted]
        if found:
            break
    else:
        raise FieldProblem(ref.problem(
            f"{ref.source}：项目台账中没有名为“{option[:cuts[-1]].strip()}”的项目"))
    if len(found) > 1:
        raise FieldProblem(ref.problem(
            f"{ref.source}：项目台账中有 {len(found)} 个名为“{wanted}”的项目，请先改名区分"))
    form = option[cut + 1:].strip()
    if form not in FORMS:
        raise FieldProblem(ref.problem(
            f"{ref.source}：“{form}”不是项目的写法（可用：{'、'.join(FORMS)}）"))
    return found[0], form
