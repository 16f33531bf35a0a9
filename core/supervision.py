"""督办: the status of a plan item (and of each of its milestones) on a given day.

One rule, used by the 工作计划 tab, the 督办通报, the summary's plan forms and the Excel export:

    已完成   done on or before its deadline (or done with no deadline, or checked off as 已完成
             at year end without a date)
    已完成（逾期） done, but after its deadline — `done_late`
    超期     not done, and the deadline, or an open milestone's due date, has passed
    临期     not done, and the deadline or an open milestone is due within N days (a ledger
             setting, `plan_warn_days`)
    推进中   not done, not late, and some progress is logged or a milestone is done
    未开始   nothing of the above yet

Only what happened on or before the day counts: the status "as of 6月30日" ignores progress
logged in July, so a 督办通报 for a past date says what it said then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

NOT_STARTED, ON_TRACK, DUE_SOON, OVERDUE, DONE = "未开始", "推进中", "临期", "超期", "已完成"
STATUSES = (OVERDUE, DUE_SOON, ON_TRACK, NOT_STARTED, DONE)  # the order a 督办通报 lists them
# Traffic-light marks: red for late, yellow for due soon, green for done or on track.
MARKS = {OVERDUE: "red", DUE_SOON: "yellow", ON_TRACK: "green", DONE: "green",
         NOT_STARTED: "grey"}


@dataclass(frozen=True)
class Status:
    label: str  # one of STATUSES
    done_late: bool = False
    days_left: int | None = None  # to the nearest open deadline (negative: overdue by)

    @property
    def done(self) -> bool:
        return self.label == DONE

    @property
    def mark(self) -> str:
        """red / yellow / green (grey: not started, nothing pressing); done late is done."""
        return MARKS[self.label]

    @property
    def text(self) -> str:
        """As printed: 已完成（逾期）, 超期12天, 临期（剩3天）, 推进中 …"""
        if self.done_late:
            return "已完成（逾期）"
        if self.label == OVERDUE and self.days_left is not None:
            return f"超期{-self.days_left}天"
        if self.label == DUE_SOON and self.days_left is not None:
            return f"临期（剩{self.days_left}天）" if self.days_left else "临期（今日到期）"
        return self.label


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def status_of(deadline: Any, done_on: Any, *, started: bool, on: date, warn_days: int,
              checked_done: bool = False) -> Status:
    """The status of one deadline-bound task (an item or a milestone) on day `on`.

    `done_on` after `on` does not count yet; `checked_done` is a 已完成 ticked without a date
    (plans checked off before dates were kept): done, never late, since nobody said when.
    """
    due, finished = _day(deadline), _day(done_on)
    if finished is not None and finished <= on:
        return Status(DONE, done_late=due is not None and finished > due)
    if finished is None and checked_done:
        return Status(DONE)
    if due is not None:
        left = (due - on).days
        if left < 0:
            return Status(OVERDUE, days_left=left)
        if left <= warn_days:
            return Status(DUE_SOON, days_left=left)
    return Status(ON_TRACK if started else NOT_STARTED,
                  days_left=None if due is None else (due - on).days)


def item_status(item: dict[str, Any], milestones: Iterable[dict[str, Any]],
                progress: Iterable[dict[str, Any]], *, on: date, warn_days: int) -> Status:
    """An item's status: its own deadline, made worse by any open milestone that is late or
    due soon (a missed 节点 makes the item 超期 before its final deadline)."""
    milestones = list(milestones)
    logged = any((_day(entry["date"]) or date.max) <= on for entry in progress)
    reached = any((_day(m["done_on"]) or date.max) <= on for m in milestones)
    own = status_of(item.get("deadline"), item.get("done_on"), started=logged or reached,
                    on=on, warn_days=warn_days,
                    checked_done=item.get("result_status") == DONE)
    if own.done:
        return own
    worst = own
    for milestone in milestones:
        step = milestone_status(milestone, on=on, warn_days=warn_days)
        if step.label == OVERDUE and worst.label != OVERDUE:
            worst = step
        elif step.label == DUE_SOON and worst.label in (ON_TRACK, NOT_STARTED):
            worst = step
    return worst


def milestone_status(milestone: dict[str, Any], *, on: date, warn_days: int,
                     started: bool = True) -> Status:
    """A 节点 is either reached (done, maybe late) or measured against its due date."""
    return status_of(milestone["due"], milestone.get("done_on"), started=started, on=on,
                     warn_days=warn_days)


def opening_line(statuses: Iterable[Status]) -> str:
    """What the window says on opening: “临期3项，超期1项” — empty when nothing is pressing."""
    counts = {DUE_SOON: 0, OVERDUE: 0}
    for status in statuses:
        if status.label in counts:
            counts[status.label] += 1
    return "，".join(f"{label}{count}项" for label, count in counts.items() if count)
