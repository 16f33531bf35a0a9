"""The one clock every date-dependent rule reads (plan status, 督办 lists, report dates, the
times a packet is issued and returned, an edition is made).

`today()` is the calendar date the app works with, `now()` the moment (aware, local time) and
`stamp()` that moment as stored text. Tests (and a clerk checking how the plan looked on a past
day) fix it with `fixed(date)` — then `now()` is that day at the real time of day — or with
`fixed(datetime)`, a moment; nothing else in core calls date.today(), and packets and editions
take their times from here (so do a working copy's check-out and a published copy's
date), not from datetime.now().
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
        return datetime.combine(_fixed, real.timetz())
    return real


def stamp() -> str:
    """`now()` as the ledger stores times (ISO 8601 with milliseconds and UTC offset)."""
    return now().isoformat(timespec="milliseconds")


def shown(text: str) -> str:
    """A stored time as the clerk reads it: 2026-12-01T10:20:33.123+08:00 → 2026-12-01 10:20."""
    return text[:16].replace("T", " ")


def set_today(day: date | None) -> None:
    """Fix the clock at `day` (a date or a moment; None: follow the real calendar again)."""
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
