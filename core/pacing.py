"""序时进度 (pacing): is a figure ahead of or behind the calendar?

The elapsed share of the year is months / 12 (1-6月 → 50%). A figure with an annual target has
completed value / target of it. The gap, in 个百分点, is completion minus elapsed share; for an
indicator where lower is better (energy use, accidents, a spending cap) using less of the cap
than the calendar has used is ahead, so the sign turns. One pure function; the templates' forms
(超/差序时进度x个百分点, 时间过半、任务过半) and the 指标 tab's colour are words around it.

A missing value, a missing or zero target, or months outside 1–12 give None (never 0): the gap
cannot be worked out. A negative target (a planned fall, a deficit to cut) is completed by a
value of the same sign: -2 of -5 is 40%.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from core.kinds import rounded

if TYPE_CHECKING:
    from core.ledger import Ledger
    from core.metrics import Figure

POINTS_DECIMALS = 1  # as the bulletins print it: 超序时进度8.3个百分点


def pacing_gap(value: float | None, target: float | None, months: int | None,
               higher_is_better: bool = True) -> float | None:
    """Completion minus the elapsed share of the year, in percentage points (None: unknown)."""
    if value is None or target is None or months is None:
        return None
    if not 1 <= months <= 12 or target == 0:
        return None
    if not (math.isfinite(value) and math.isfinite(target)):
        return None
    completion = value / target * 100
    elapsed = months / 12 * 100
    gap = completion - elapsed
    return gap if higher_is_better else -gap




def annual_target(ledger: Ledger, figure: Figure) -> float | None:
    """The year's 确保目标: the one typed on the year's 全年 row. A 1-N月 row's target is that
    period's own (the demo's and many bureaus' 序时目标), so pacing it again would count the
    calendar twice; without a 全年 target the gap is unknown, never guessed."""
    year = figure.period.year
    annual = ledger.memo(("annual-targets", year), lambda: dict(ledger.conn.execute(
        "SELECT indicator_id, target_committed FROM indicator_values"
        " WHERE year = ? AND months = 12 AND target_committed IS NOT NULL", (year,))),
        tables=("indicator_values",))
    found = annual.get(figure.indicator.id)
    return None if found is None else float(found)


def paced_gap(ledger: Ledger, figure: Figure) -> float | None:
    """A figure's gap against the year's 确保目标 and the calendar; None when not paced or
    something is missing."""
    if not figure.kind.paced:  # the kind's rule (core.kinds): what adds up through the year
        return None
    return pacing_gap(figure.value, annual_target(ledger, figure), figure.period.months,
                      figure.indicator.higher_is_better)


def gap_words(gap: float) -> str:
    """超序时进度8.3个百分点 / 差序时进度2.0个百分点 / 与序时进度持平."""
    shown = rounded(abs(gap), POINTS_DECIMALS)
    if shown == 0:
        return "与序时进度持平"
    return f"{'超' if gap > 0 else '差'}序时进度{shown:.{POINTS_DECIMALS}f}个百分点"


def half_words(gap: float, months: int) -> str:
    """At mid-year (1-6月): 实现“时间过半、任务过半” — or how far it falls short."""
    if months < 6:
        return gap_words(gap)
    if rounded(gap, POINTS_DECIMALS) >= 0:
        return "实现“时间过半、任务过半”"
    return f"未实现“时间过半、任务过半”，{gap_words(gap)}"
