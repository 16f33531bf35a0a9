"""Helpers shared by the tests."""

from __future__ import annotations

import hashlib
import locale
import sqlite3
from pathlib import Path

import pytest

# What a child Python writes into a pipe: UTF-8 in UTF-8 mode, else the locale's code page (GBK
# on a Chinese Windows). Inherited through the environment, so the parent's answer is the child's.
CHILD_ENCODING = locale.getpreferredencoding(False)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(conn: sqlite3.Connection, *, skip: tuple[str, ...] = ("audit",)) -> dict[str, list[tuple]]:
    """Every row of every table (but `skip`), sorted: compare two states of a ledger."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {
        table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
        for table in tables if table not in skip
    }


# Wine 8.0: msvcrt.locking on a region another handle holds fails with errno 0 instead of
# EACCES/EDEADLOCK, and core/lock.py re-raises an unrecognised errno as an unexpected OSError.
# On Windows (and an SMB redirector could do the same) that must read "locked, holder unknown":
# the fix belongs to core/lock.py and makes these pass under Wine too (then XPASS).
WINE_LOCK_ERRNO = pytest.mark.wine_gap("msvcrt.locking fails with errno 0 (core/lock.py's "
                                       "unknown-errno case)")

