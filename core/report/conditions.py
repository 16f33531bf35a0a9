"""Wording printed only when a condition holds — written so a clerk can read it, never run:

    【如果：规上工业增加值增速.同比增长】增速同比提高【否则】增速同比回落【结束】
    【如果：规上工业企业数.完成率达到100】                ← alone on its line: a whole passage
    规上工业企业数完成全年目标。
    【否则】
    规上工业企业数尚未完成全年目标，差【规上工业企业数.完成率】。
    【结束】

A condition is a field (as it is written between 【】, without the brackets) and then either a
comparison with a number — > ＞ 大于 高于 超过, ≥ 不低于 不少于 达到, < 小于 低于, ≤ 不高于 不超过,
= 等于, ≠ 不等于 — or one of 增长 / 提高 / 为正 (above 0), 下降 / 回落 / 为负 (below 0), 持平 (0),
已填 / 未填 (whether the ledger has the figure). The number compared is the one the field prints
(its FigureMark: 5.9 for 同比增长5.9%, 1.5 for 提高1.5个百分点, 2 for 第二).

When the figure a condition needs is missing, the passage prints that 【未填：…】 instead of
either branch — the summary never guesses which wording was meant.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.numbers import fold_width
from core.report.document import Run

if TYPE_CHECKING:
    from core.report.language import Context
    from core.report.template import FieldRef, Problem

IF, ELSE, END = "如果", "否则", "结束"
IF_WORDS = (IF, "若")
END_WORDS = (END, "如果结束")
WORDS = (*IF_WORDS, ELSE, *END_WORDS)

Compare = Callable[[float, float], bool]
# Longest first: 不低于 before 低于, >= before >.
_COMPARISONS: tuple[tuple[str, Compare], ...] = tuple(sorted({
    ">=": operator.ge, "≥": operator.ge, "不低于": operator.ge, "不少于": operator.ge,
    "不小于": operator.ge, "达到": operator.ge,
    "<=": operator.le, "≤": operator.le, "不高于": operator.le, "不超过": operator.le,
    "不大于": operator.le, "不多于": operator.le,
    "!=": operator.ne, "≠": operator.ne, "不等于": operator.ne,
    "==": operator.eq, "=": operator.eq, "等于": operator.eq,
    ">": operator.gt, "大于": operator.gt, "高于": operator.gt, "超过": operator.gt,
    "多于": operator.gt,
    "<": operator.lt, "小于": operator.lt, "低于": operator.lt, "少于": operator.lt,
}.items(), key=lambda item: -len(item[0])))
_SIGNS: dict[str, Compare] = {
    "增长": operator.gt, "提高": operator.gt, "上升": operator.gt, "为正": operator.gt,
    "下降": operator.lt, "回落": operator.lt, "为负": operator.lt,
    "持平": operator.eq,
}
FILLED, NOT_FILLED = ("已填", "有数据"), ("未填", "没有数据")
_NUMBER = re.compile(r"\s*([+-]?\d+(?:\.\d+)?)\s*(.*)")
_NUMBER_UNITS = ("", "%", "个百分点", "位")
DESCRIPTION = ("条件：【如果：条件】文字【否则】文字【结束】，条件成立才印前一段，否则印后一段"
               "（可不写【否则】）；三者各自单独占一行时管住整段。条件如 "
               "规上工业增加值.同比增长、规上工业企业数.完成率达到100、研发投入强度>2.5、"
               "规上工业企业数已填")


@dataclass(frozen=True)
class Condition:
    field: str  # what stands between 【】 for the figure, e.g. 规上工业增加值.同比
    compare: Compare | None  # None: 已填 / 未填
    number: float = 0.0
    filled: bool = True  # for 已填 (True) / 未填 (False)
    sign: str = ""  # 增长 / 下降 …: only for a change or a rate (a number in % or 个百分点)


class ConditionError(ValueError):
    """A condition no clerk-readable rule means; the message says what is allowed."""


def parse_condition(text: str) -> Condition:
    text = fold_width(text).strip()
    for words, filled in ((FILLED, True), (NOT_FILLED, False)):
        for word in words:
            if text.endswith(word) and text[:-len(word)].strip():
                return Condition(text[:-len(word)].strip(), None, filled=filled)
    for word, compare in _SIGNS.items():
        if text.endswith(word) and text[:-len(word)].strip():
            return Condition(text[:-len(word)].strip(), compare, sign=word)
    for word, compare in _COMPARISONS:
        left, found, right = text.partition(word)
        if found and left.strip():
            match = _NUMBER.fullmatch(right)
            if not match or match.group(2).strip() not in _NUMBER_UNITS:
                raise ConditionError(
                    f"“{word}”后面应是一个数，如 100 或 2.5%，收到“{right.strip()}”")
            return Condition(left.strip(), compare, float(match.group(1)))
    raise ConditionError(
        f"看不懂条件“{text}”：应写成 字段+比较+数（如 研发投入强度>2.5、"
        "规上工业企业数.完成率达到100）或 字段+增长/下降/持平/已填/未填"
        "（如 规上工业增加值.同比增长）")


def evaluate(condition: Condition, ref: FieldRef, context: Context) -> bool | Run:
    """Whether the condition holds; the 【未填：…】 run when the figure it needs is missing.
    Raises FieldProblem for a field that means nothing or prints no number."""
    from core.report.language import FieldProblem, inline
    from core.report.template import field_ref

    figure_ref = field_ref(condition.field, ref.line, ref.column)  # as if it stood in 【】
    if figure_ref is None:  # pragma: no cover - parse_condition never leaves the field empty
        raise FieldProblem(ref.problem(f"{ref.source}：条件中缺少字段"))
    missing_before = list(context.missing)
    runs = inline(figure_ref, context)
    if len(runs) != 1:
        raise FieldProblem(ref.problem(f"{ref.source}：条件只能看一个数"))
    [run] = runs
    if condition.compare is None:  # 已填 / 未填: a missing figure is the answer, not a gap
        context.missing[:] = missing_before
        return (not run.missing) == condition.filled
    if run.missing:
        return run
    value = run.mark.value if run.mark is not None else None
    if value is None:
        raise FieldProblem(ref.problem(
            f"{ref.source}：【{condition.field}】印出的“{run.text}”不是一个数，不能比较"
            "（可比较数值、同比、完成率、排名等）"))
    if condition.sign and run.mark is not None and run.mark.unit not in ("%", "个百分点"):
        raise FieldProblem(ref.problem(
            f"{ref.source}：“{condition.sign}”只用于增速、同比、较上期这类变化，"
            f"【{condition.field}】请写成比较，如 {condition.field}>0"))
    return condition.compare(value, condition.number)


class Branches:
    """Which branch of the open 【如果：…】s prints. Each open one holds True (its condition
    holds), False, or None: not decided — its figure is missing (that 【未填】 is printed
    instead of both branches) or an enclosing branch is not printed (not even evaluated)."""

    def __init__(self, context: Context, problems: list[Problem]) -> None:
        self.context, self.problems = context, problems
        self.open: list[tuple[FieldRef, bool | None, bool]] = []  # (如果, holds, in 否则)

    @property
    def printing(self) -> bool:
        return all(holds is not None and holds != in_else for _, holds, in_else in self.open)

    def mark(self, ref: FieldRef) -> Run | None:
        """Take one 【如果：…】, 【否则】 or 【结束】; returns the 【未填】 run of a condition
        whose figure is missing."""
        if ref.name in IF_WORDS:
            return self._if(ref)
        if ref.has_option:
            self.problems.append(ref.problem(f"{ref.source}：【{ref.name}】后面不写条件"))
        elif ref.name == ELSE:
            if not self.open or self.open[-1][2]:
                self.problems.append(ref.problem("【否则】前面缺少【如果：…】" if not self.open
                                                 else "一个【如果：…】只能有一个【否则】"))
            else:
                start, holds, _ = self.open[-1]
                self.open[-1] = (start, holds, True)
        elif not self.open:
            self.problems.append(ref.problem(f"{ref.source}前面缺少【如果：…】"))
        else:
            self.open.pop()
        return None

    def _if(self, ref: FieldRef) -> Run | None:
        from core.report.language import FieldProblem

        if not ref.has_option or not ref.option:
            self.problems.append(ref.problem(
                f"{ref.source}：请写出条件，如【如果：规上工业增加值.同比增长】"))
            self.open.append((ref, None, False))
            return None
        if not self.printing:  # inside a branch that does not print: not even evaluated
            self.open.append((ref, None, False))
            return None
        try:
            holds = evaluate(parse_condition(ref.option), ref, self.context)
        except ConditionError as exc:
            self.problems.append(ref.problem(f"{ref.source}：{exc}"))
            holds = None
        except FieldProblem as exc:
            self.problems.append(exc.problem)
            holds = None
        if isinstance(holds, Run):  # the figure is missing: say so, print neither branch
            self.open.append((ref, None, False))
            return holds
        self.open.append((ref, holds, False))
        return None

    def close(self, where: str) -> None:
        for ref, _, _ in self.open:
            self.problems.append(ref.problem(f"{ref.source}到{where}还没有【结束】"))
        self.open.clear()
