"""【指标.序时进度】 and 【指标.时间过半】: core.pacing's gap in words, for one figure.

Only figures that add up through the year are paced (the kind's `paced`, core.kinds); a rate or
share is compared with its target directly (.完成率). The rule itself is core.pacing.pacing_gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.pacing import gap_words, half_words, paced_gap
from core.report.document import FigureMark, Run

if TYPE_CHECKING:
    from core.metrics import Figure
    from core.report.language import Context
    from core.report.template import FieldRef

FORMS = {
    "序时进度": "与序时进度（已过月份/12）比较：超序时进度8.3个百分点、差序时进度2.0个百分点；"
                "按“全年”期间填写的确保目标；越低越好的指标反过来算",
    "时间过半": "1-6月及以后：实现“时间过半、任务过半”，或未实现并写差多少",
}


def pacing_run(ref: FieldRef, figure: Figure, form: str, context: Context) -> Run:
    from core.report.language import FieldProblem

    name = figure.indicator.name
    if not figure.kind.paced:
        raise FieldProblem(ref.problem(
            f"“{name}”不是累计数，不按序时进度比较（可写【{name}.完成率】）"))
    gap = paced_gap(context.ledger, figure)
    if gap is None:
        if figure.value is None:
            return context.missing_run(name)
        return context.missing_run(f"{name}全年确保目标")  # none typed, or 0: no share of it
    months = figure.period.months
    mark = FigureMark(name, figure.indicator.code, context.period.label, form, gap, "个百分点",
                      figure.source)
    return Run(gap_words(gap) if form == "序时进度" else half_words(gap, months), mark=mark)
