"""Every write goes through a Writer: it records what changed, audits it, and can be reverted.

A core write returns a `Change` (a label and the rows before/after). Reverting a Change writes
the inverse and returns it as a new Change, so redo is simply reverting the revert. The window's
undo stack is built on this; the apply/revert logic lives here, not in the view.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.errors import ConflictError, NotFoundError, PeriodLockedError

PERIOD_LOCKED = "WL_PERIOD_LOCKED"  # the marker of core.schema's lock triggers

Row = dict[str, Any]

# Columns the writer maintains itself.
TIMESTAMPS = ("created_at", "updated_at")


def now_text() -> str:
    """Now as rows and the audit store it: core.clock's moment (the wall clock unless a test
    fixes it), so that who-changed-what-when in a packet follows the same clock."""
    from core import clock

    return clock.stamp()


def new_id() -> str:
    import uuid  # not at start-up: it loads the platform module, and no row is added then

    return str(uuid.uuid4())


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (service accounts, odd Windows setups)
        return "未知用户"


@dataclass(frozen=True)
class RowChange:
    """One row before and after a write; `before` is None for an insert, `after` for a delete."""

    table: str
    row_id: str
    before: Row | None
    after: Row | None

    @property
    def action(self) -> str:
        if self.before is None:
            return "insert"
        return "delete" if self.after is None else "update"

    def changed_fields(self) -> list[str]:
        if self.before is None or self.after is None:
            return []
        before, after = self.before, self.after
        return [k for k in after if k not in TIMESTAMPS and before.get(k) != after[k]]


@dataclass(frozen=True)
class Change:
    """What one write did, in the clerk's words (`label`) and row by row (`rows`)."""

    label: str
    rows: tuple[RowChange, ...] = ()

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(r.table for r in self.rows)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def inserted_ids(self, table: str) -> list[str]:
        return [r.row_id for r in self.rows if r.table == table and r.action == "insert"]


@dataclass
class Writer:
    """Collects the row changes of one transaction and writes their audit rows."""

    conn: sqlite3.Connection
    label: str
    user: str = field(default_factory=os_user)
    rows: list[RowChange] = field(default_factory=list)
    audited: bool = True
    _columns: dict[str, list[str]] = field(default_factory=dict)
    _types: dict[str, dict[str, type]] = field(default_factory=dict)

    @property
    def change(self) -> Change:
        return Change(self.label, tuple(self.rows))

    # -- reading ----------------------------------------------------------------------------
    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            info = self.conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            if not info:
                raise NotFoundError(f"台账中没有数据表 {table}")
            self._columns[table] = [row[1] for row in info]
        return self._columns[table]

    def fetch(self, table: str, row_id: str) -> Row | None:
        cursor = self.conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,))
        values = cursor.fetchone()
        if values is None:
            return None
        return dict(zip([d[0] for d in cursor.description], values, strict=True))

    def require(self, table: str, row_id: str) -> Row:
        row = self.fetch(table, row_id)
        if row is None:
            raise NotFoundError("该记录已不存在（可能已被删除）")
        return row

    # -- writing ----------------------------------------------------------------------------
    def insert(self, table: str, values: Row) -> str:
        """Insert a row; `id`, `created_at`, `updated_at` are filled in unless given (revert)."""
        columns = self.columns(table)
        unknown = set(values) - set(columns)
        if unknown:
            raise ValueError(f"unknown columns for {table}: {sorted(unknown)}")
        record = dict(values)
        if "id" not in record:
            record["id"] = new_id()
        stamp = now_text()
        for column in TIMESTAMPS:
            if column in columns:
                record.setdefault(column, stamp)
        names = ", ".join(f'"{k}"' for k in record)
        marks = ", ".join("?" for _ in record)
        self._run(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', list(record.values()))
        after = self.require(table, record["id"])
        self._record(RowChange(table, record["id"], None, after))
        return str(record["id"])

    def insert_many(self, table: str, records: list[Row]) -> list[str]:
        """Insert many rows at once (an import): like `insert`, in bulk — one statement per
        shape of row, the stored rows read back in batches, their audit rows in one go."""
        columns = set(self.columns(table))
        stamp = now_text()
        prepared: list[Row] = []
        for values in records:
            unknown = set(values) - columns
            if unknown:
                raise ValueError(f"unknown columns for {table}: {sorted(unknown)}")
            record = dict(values)
            if "id" not in record:
                record["id"] = new_id()
            for column in TIMESTAMPS:
                if column in columns:
                    record.setdefault(column, stamp)
            prepared.append(record)
        shapes: dict[tuple[str, ...], list[Row]] = {}
        for record in prepared:
            shapes.setdefault(tuple(record), []).append(record)
        for keys, group in shapes.items():
            names = ", ".join(f'"{k}"' for k in keys)
            marks = ", ".join("?" for _ in keys)
            self._run_many(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                           [[record[k] for k in keys] for record in group])
        ids = [str(record["id"]) for record in prepared]
        # a row given whole, every value as SQLite keeps it, is the row stored (a packet's
        # rows); any other is read back (defaults, conversions)
        types = self._stored_types(table)
        whole = len(types) == len(columns)
        stored = {str(record["id"]): record for record in prepared
                  if whole and len(record) == len(columns) and all(
                      v is None or type(v) is types[k] for k, v in record.items())}
        stored.update(self._fetch_many(table, [i for i in ids if i not in stored]))
        self._record_many([RowChange(table, row_id, None, stored[row_id]) for row_id in ids])
        return ids

    def update(self, table: str, row_id: str, values: Row) -> bool:
        """Set fields of one row; returns False (and records nothing) when nothing changes."""
        before = self.require(table, row_id)
        unknown = set(values) - set(before)
        if unknown:
            raise ValueError(f"unknown columns for {table}: {sorted(unknown)}")
        changed = {k: v for k, v in values.items() if not _same(before[k], v)}
        if not changed or set(changed) <= set(TIMESTAMPS):
            return False
        if "updated_at" in before and "updated_at" not in values:
            changed["updated_at"] = now_text()
        assignments = ", ".join(f'"{k}" = ?' for k in changed)
        self._run(
            f'UPDATE "{table}" SET {assignments} WHERE id = ?', [*changed.values(), row_id]
        )
        after = self.require(table, row_id)
        self._record(RowChange(table, row_id, before, after))
        return True

    def update_many(self, table: str, edits: list[tuple[str, Row]]) -> int:
        """Like `update` for many rows at once (a packet merge): the rows read before and after
        in batches, one statement per set of changed fields; returns how many rows changed."""
        before = self._fetch_many(table, [row_id for row_id, _values in edits])
        shapes: dict[tuple[str, ...], list[list[Any]]] = {}
        changed_ids: list[str] = []
        stamp = now_text()
        for row_id, values in edits:
            row = before.get(row_id)
            if row is None:
                raise NotFoundError("该记录已不存在（可能已被删除）")
            unknown = set(values) - set(row)
            if unknown:
                raise ValueError(f"unknown columns for {table}: {sorted(unknown)}")
            changed = {k: v for k, v in values.items() if not _same(row[k], v)}
            if not changed or set(changed) <= set(TIMESTAMPS):
                continue
            if "updated_at" in row and "updated_at" not in values:
                changed["updated_at"] = stamp
            shapes.setdefault(tuple(changed), []).append([*changed.values(), row_id])
            changed_ids.append(row_id)
        after: dict[str, Row] = {}
        stored = self._stored_types(table)
        for keys, rows in shapes.items():
            assignments = ", ".join(f'"{k}" = ?' for k in keys)
            self._run_many(f'UPDATE "{table}" SET {assignments} WHERE id = ?', rows)
            for given in rows:  # the row as stored, when SQLite keeps every value as given
                if all(v is None or type(v) is stored.get(k) for k, v in zip(keys, given,
                                                                                strict=False)):
                    row_id = str(given[-1])
                    after[row_id] = {**before[row_id], **dict(zip(keys, given, strict=False))}
        after.update(self._fetch_many(table, [i for i in changed_ids if i not in after]))
        self._record_many([RowChange(table, row_id, before[row_id], after[row_id])
                           for row_id in changed_ids])
        return len(changed_ids)

    def _stored_types(self, table: str) -> dict[str, type]:
        """Column → the Python type SQLite stores a value of that type as, unchanged, for the
        columns declared TEXT, INTEGER or REAL (others may convert what they are given)."""
        if table not in self._types:
            kinds = {"TEXT": str, "INTEGER": int, "REAL": float}
            self._types[table] = {
                row[1]: kinds[str(row[2]).upper()] for row in self.conn.execute(
                    f'PRAGMA table_info("{table}")') if str(row[2]).upper() in kinds}
        return self._types[table]

    def _fetch_many(self, table: str, ids: list[str]) -> dict[str, Row]:
        found: dict[str, Row] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cursor = self.conn.execute(
                f'SELECT * FROM "{table}" WHERE id IN ({", ".join("?" for _ in chunk)})', chunk)
            names = [d[0] for d in cursor.description]
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                found[str(row["id"])] = row
        return found

    def delete(self, table: str, row_id: str) -> None:
        before = self.require(table, row_id)
        self._run(f'DELETE FROM "{table}" WHERE id = ?', [row_id])
        self._record(RowChange(table, row_id, before, None))

    def _run(self, sql: str, params: Iterable[Any]) -> None:
        self._run_many(sql, [list(params)], single=True)

    def _run_many(self, sql: str, rows: list[list[Any]], *, single: bool = False) -> None:
        try:
            if single:
                self.conn.execute(sql, rows[0])
            else:
                self.conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            text = str(exc)
            if PERIOD_LOCKED in text:  # the lock triggers (core.schema): one sentence for all
                from core.editions import locked_message

                raise PeriodLockedError(locked_message(self.conn)) from exc
            if "FOREIGN KEY" in text:
                raise ConflictError("该记录仍被其他记录引用，不能删除或修改") from exc
            if "UNIQUE" in text:
                raise ConflictError("已有相同的记录（名称或代码重复）") from exc
            if "CHECK" in text:
                raise ConflictError("数据不符合台账的规则，未保存") from exc
            raise

    def _record(self, row_change: RowChange) -> None:
        self._record_many([row_change])

    def _record_many(self, row_changes: list[RowChange]) -> None:
        self.rows.extend(row_changes)
        if not self.audited:
            return
        at = now_text()
        entries: list[tuple[Any, ...]] = []
        for change in row_changes:
            base = (at, self.user, self.label, change.action, change.table, change.row_id)
            if change.action == "update":
                assert change.before is not None and change.after is not None
                for name in change.changed_fields():
                    entries.append((*base, name, _dump(change.before[name]),
                                    _dump(change.after[name])))
            else:
                old = _dump(change.before) if change.before is not None else None
                new = _dump(change.after) if change.after is not None else None
                entries.append((*base, "*", old, new))
        self.conn.executemany(
            "INSERT INTO audit (at, user, label, action, tbl, row_id, field, old, new)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", entries)

    # -- reverting --------------------------------------------------------------------------
    def revert(self, change: Change) -> None:
        """Undo `change` row by row, newest first; refuse if a row was changed since."""
        for row_change in reversed(change.rows):
            current = self.fetch(row_change.table, row_change.row_id)
            if not _same_row(current, row_change.after):
                raise ConflictError(f"“{change.label}”之后该记录又被修改过，无法撤销")
            if row_change.before is None:
                self.delete(row_change.table, row_change.row_id)
            elif row_change.after is None:
                self.insert(row_change.table, row_change.before)
            else:
                self.update(row_change.table, row_change.row_id, row_change.before)


def _same(a: Any, b: Any) -> bool:
    return bool(a == b)


def _same_row(a: Row | None, b: Row | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # rows keep their column order


def _dump(value: Any) -> str:
    return _ENCODER.encode(value)
