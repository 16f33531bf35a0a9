"""Helpers shared by the tests."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


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
