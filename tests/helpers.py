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


# Wine 8.0: a symlink made under Wine is not followed by Path.resolve() (Windows resolves it
# with GetFinalPathNameByHandle), so opening a ledger through it finds another lock file. On a
# real Windows, making a symlink needs a right clerks rarely have; the test skips there then.
WINE_SYMLINK = pytest.mark.wine_gap("Path.resolve() does not follow a symlink made under Wine: "
                                    "the link's path names another lock file")

