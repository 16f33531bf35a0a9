"""The work plan in templates: counts, lists and the 督办 table, as of the report's day.

    【计划事项数】 【计划完成数】 【计划推进中数】 …   年初部署8项、已完成4项、推进中4项
    【计划事项：已完成】 / 【计划事项：未完成】         甲、乙和丙
    【督办日期】                                     2026年11月28日 (the day statuses are for)
    【督办表】                                       (a block) the 督办通报's table, grouped

Every status is core.supervision's (through Plans.status) on the context's day — core.clock's
today, or the date the clerk chose for the 督办通报.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.report import phrasing
from core.report.document import LEVEL2, Block, FigureMark, Heading, Paragraph, Run, Table
from core.supervision import DONE, DUE_SOON, NOT_STARTED, ON_TRACK, OVERDUE, STATUSES, Status

if TYPE_CHECKING:
    from core.report.language import Context
    from core.report.template import FieldRef

COUNTS: dict[str, tuple[str, str]] = {  # field → (Plans.result_counts key, description)
    "计划事项数": ("部署", "本年工作计划的事项总数（年初部署），如 8项"),
    "计划完成数": ("已完成", "截至督办日期已完成的事项数（含逾期完成）"),
    "计划推进中数": ("推进中", "已有进展、尚未完成的事项数（含临期、超期）"),
    "计划未开始数": ("未开始", "尚无进展的事项数"),
    "计划未完成数": ("未完成", "尚未完成的事项数（推进中 + 未开始）"),
    "计划逾期完成数": ("逾期完成", "超过完成时限才完成的事项数"),
    "计划临期数": (DUE_SOON, "临期（离完成时限或节点不足设定天数）的事项数"),
    "计划超期数": (OVERDUE, "超过完成时限或节点仍未完成的事项数"),
}
GENERAL: dict[str, str] = {
    **{name: text for name, (_key, text) in COUNTS.items()},
    "督办日期": "督办通报截至的日期（默认生成当天），如 2026年11月28日",
}
LISTS: dict[str, str] = {
    "计划事项": "本年计划中已完成或未完成的事项名称，如【计划事项：已完成】【计划事项：未完成】",
}
BLOCKS: dict[str, str] = {
    "督办表": "督办通报的表格：事项、牵头科室、完成时限、最新进展、状态，按超期、临期、推进中、"
              "未开始、已完成分组，组内按牵头科室和完成时限排列",
}
SUPERVISION_HEADER = ("序号", "事项", "牵头科室（配合科室）", "完成时限", "最新进展", "状态")
GROUP_TITLES = {OVERDUE: "超期未完成事项", DUE_SOON: "临期事项", ON_TRACK: "正常推进事项",
                NOT_STARTED: "尚未启动事项", DONE: "已完成事项"}
LIST_OPTIONS = ("已完成", "未完成")


def handles(ref: FieldRef) -> bool:
    if ref.has_option:
        return ref.name in LISTS
    return ref.name in GENERAL


def _tracked(context: Context) -> list[tuple[dict[str, Any], Status]]:
    year, day = context.period.year, context.today
    return context.ledger.memo(("plan-tracked", year, day),
                               lambda: context.ledger.plans.tracked(year, day))


def day_text(context: Context) -> str:
    day = context.today
    return f"{day.year}年{day.month}月{day.day}日"


def inline(ref: FieldRef, context: Context) -> Run:
    from core.report.language import FieldProblem

    tracked = _tracked(context)
    if ref.name == "督办日期":
        return Run(day_text(context))
    if not tracked:
        return context.missing_run(f"{context.period.year}年工作计划")
    if ref.name == "计划事项":
        if ref.option not in LIST_OPTIONS:
            raise FieldProblem(ref.problem(
                f"{ref.source}：应写【计划事项：已完成】或【计划事项：未完成】"))
        done = ref.option == "已完成"
        names = [item["title"] for item, status in tracked if status.done == done]
        return Run(phrasing.join_names(names)) if names else Run("无")
    key = COUNTS[ref.name][0]
    if key in (DUE_SOON, OVERDUE):
        count = sum(status.label == key for _item, status in tracked)
    else:
        counts = context.ledger.plans.result_counts(context.period.year, context.today)
        count = counts[key]
    # Counted from the plan's records on the day: a derived figure (for report --out F.json).
    mark = FigureMark(ref.name, None, f"{context.period.year}年计划（截至{day_text(context)}）",
                      "", float(count), "项", "derived")
    return Run(f"{count}项", mark=mark)


def supervision_table(ref: FieldRef, context: Context) -> list[Block]:
    from core.report.language import FieldProblem

    if ref.option:
        raise FieldProblem(ref.problem("【督办表】后面不需要写内容；截至日期在生成时选择"))
    tracked = _tracked(context)
    if not tracked:
        return [Paragraph((context.missing_run(f"{context.period.year}年工作计划"),))]
    blocks: list[Block] = []
    for label in STATUSES:
        group = [(item, status) for item, status in tracked if status.label == label]
        if not group:
            continue
        group.sort(key=lambda pair: (pair[0]["owner"] or "\uffff",
                                     pair[0]["deadline"] or "9999", pair[0]["position"]))
        blocks.append(Heading(LEVEL2, (Run(f"{GROUP_TITLES[label]}（{len(group)}项）"),)))
        rows = tuple(_row(number, item, status, context)
                     for number, (item, status) in enumerate(group, start=1))
        blocks.append(Table(f"{GROUP_TITLES[label]}一览", SUPERVISION_HEADER, rows))
    return blocks


def _row(number: int, item: dict[str, Any], status: Status, context: Context
         ) -> tuple[Run, ...]:
    offices = item["owner"] + (f"（{item['co_offices']}）" if item["co_offices"] else "")
    logged = [entry for entry in item["progress"] if entry["date"] <= context.today.isoformat()]
    if logged:
        last = logged[-1]
        month, day = int(last["date"][5:7]), int(last["date"][8:10])
        progress = f"{month}月{day}日：{phrasing.strip_end(last['text'])}"
    else:
        progress = "暂无进展记录"
    deadline = item["deadline"]
    return (Run(str(number)), Run(item["title"]),
            Run(offices) if offices else context.missing_run(f"“{item['title']}”的牵头科室"),
            Run(_date_text(deadline, context.period.year)) if deadline
            else context.missing_run(f"“{item['title']}”的完成时限"),
            Run(progress), Run(status.text))


def _date_text(iso: str, year: int) -> str:
    """10月31日 within the plan's year, 2027年3月31日 beyond it."""
    month_day = f"{int(iso[5:7])}月{int(iso[8:10])}日"
    return month_day if int(iso[:4]) == year else f"{int(iso[:4])}年{month_day}"
