"""The one clock every date-dependent rule reads (plan status, 督办 lists, report dates).

`today()` is the calendar date the app works with. Tests (and a clerk checking how the plan
looked on a past day) fix it with `fixed(date)`; nothing else in core calls date.today().
`now()` is the moment on that day (a working copy's check-out, a published copy's date): the
real time of day, on the fixed day when the clock is fixed (at the time given by a datetime).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

_fixed: date | None = None


def today() -> date:
    if isinstance(_fixed, datetime):
        return _fixed.date()
    return _fixed if _fixed is not None else date.today()


def now() -> datetime:
    """The local time now (with its UTC offset), on the day `today()` gives."""
    real = datetime.now().astimezone()
    if isinstance(_fixed, datetime):
        return _fixed if _fixed.tzinfo is not None else _fixed.astimezone()
    if _fixed is not None:
        return real.replace(year=_fixed.year, month=_fixed.month, day=_fixed.day)
    return real


def set_today(day: date | None) -> None:
    """Fix the clock at `day` (None: follow the real calendar again)."""
    global _fixed
    _fixed = day


@contextmanager
def fixed(day: date) -> Iterator[None]:
    previous = _fixed
    set_today(day)
    try:
        yield
    finally:
        set_today(previous)
