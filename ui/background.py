"""What long work runs off the window's thread right now (an import's reading, dry run, apply).

The main window asks before it closes: such work holds its own connection to the ledger and is
never cut off half-way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_RUNNING: list[str] = []


def background_work() -> str | None:
    """What is under way ('正在导入'), or None."""
    return _RUNNING[-1] if _RUNNING else None


@contextmanager
def running(what: str) -> Iterator[None]:
    _RUNNING.append(what)
    try:
        yield
    finally:
        _RUNNING.remove(what)
