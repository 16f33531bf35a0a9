"""The one clock every date-dependent rule reads (plan status, 督办 lists, report dates).

`today()` is the calendar date the app works with. Tests (and a clerk checking how the plan
looked on a past day) fix it with `fixed(date)`; nothing else in core calls date.today().
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

_fixed: date | None = None


def today() -> date:
    return _fixed if _fixed is not None else date.today()


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
