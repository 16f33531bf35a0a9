"""The ledger: one SQLite file and the domain objects that read and write it.

    with Ledger.open(path) as ledger:
        change = ledger.projects.add(name="…", total_investment="3.5亿")
        ledger.revert(change)

Every write method of every domain object returns a `Change`; `revert(change)` undoes it and
returns the inverse, so the window's redo is `revert` of that.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from core import storage
from core.changes import Change, Writer
from core.errors import ConflictError, NeedsUpgradeError, ReadOnlyError
from core.lock import WriterLock
from core.periods import Period

T = TypeVar("T")

if TYPE_CHECKING:  # the domain modules import Ledger too; they are loaded on first use
    from core.catalogue import Catalogue
    from core.enterprises import Enterprises
    from core.evidence import Evidence
    from core.metrics import Metrics
    from core.plans import Plans
    from core.projects import Projects
    from core.services import Services


class Ledger:
    def __init__(self, path: Path, opened: storage.OpenedFile) -> None:
        self.path = path
        self.conn = opened.conn
        self.readonly = opened.readonly
        self.readonly_reason = opened.readonly_reason
        self.created = opened.created
        self.migrated_from = opened.migrated_from
        self._settings_cache: dict[str, Any] | None = None
        self._writer: Writer | None = None  # the write transaction under way, if any
        # Caches of what the ledger holds compare these: +1 after every write (generation), and
        # per table written (table_generation), so a cache of one table survives other writes.
        self.generation = 0
        self._epoch = 0  # +1 when anything may have changed (restore, bulk writes)
        self._table_generations: dict[str, int] = {}
        self._memo: dict[Hashable, Any] = {}  # see memo(); emptied by every write
        self._table_memo: dict[Hashable, tuple[tuple[tuple[int, int], ...], Any]] = {}
        self.writer_lock: WriterLock | None = None  # held while open for writing
        self._companion = False  # a worker's connection beside the window's (see companion)

    # -- opening and closing ------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True,
             old_ok: bool = False) -> Ledger:
        """Open or create a ledger. Raises BadFileError with a Chinese sentence on bad files.

        Opening for writing takes the ledger's writer lock: LockedError (who and since when)
        while another window or user has it open for writing; read-only always works. The first
        writable open of each day leaves a backup copy (core.backup.daily_backup).
        """
        from core.backup import backup_before_migration, daily_backup
        from core.network import network_reason

        target = Path(path)
        lock = None
        # on a network folder nothing is written beside the ledger either (storage opens it
        # read-only, with the reason)
        if not readonly and (create or target.exists()) and not network_reason(target):
            lock = WriterLock.acquire(target)
        try:
            opened = storage.open_file(
                target, readonly=readonly, create=create, old_ok=old_ok,
                before_migration=lambda conn, version: backup_before_migration(
                    conn, target, version),
            )
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        ledger = cls(target, opened)
        if opened.readonly:  # the file or its folder turned out read-only: no writer here
            if lock is not None:
                lock.release()
        else:
            ledger.writer_lock = lock
            if lock is not None and opened.created:
                try:  # the new file has an identity now: its hard links meet this lock
                    lock.cover_new_file(target)
                except BaseException:
                    ledger.close()
                    raise
            if not opened.created:
                try:
                    daily_backup(ledger)  # its copy is checked: damage of the ledger shows
                except BaseException:
                    ledger.close()
                    storage.forget_checked(target)
                    raise
        return ledger

    @classmethod
    def reader(cls, path: str | Path) -> Ledger:
        """One more read-only connection to a ledger this process already has open and checked
        (a worker thread may not share the window's): no checks again, no lock, sees what was
        committed."""
        target = Path(path)
        try:
            conn = storage.connect_readonly(target)
        except sqlite3.DatabaseError as exc:
            raise storage.file_error(exc, target, "无法读取") from exc
        return cls(target, storage.OpenedFile(conn, readonly=True, readonly_reason="后台读取"))

    @classmethod
    def companion(cls, path: str | Path) -> Ledger:
        """One more writable connection to a ledger this process already has open for writing
        (it holds the writer lock and has checked the file): for a long write off the window's
        thread (an import), which may not share the window's connection. Its transaction is all
        or nothing like any other; the window's connection sees it once committed (call
        `invalidate` there). Closing it leaves the WAL and the lock to the window's ledger."""
        target = Path(path)
        try:
            conn = storage.connect_writable(target)
        except sqlite3.DatabaseError as exc:
            raise storage.file_error(exc, target, "无法写入") from exc
        ledger = cls(target, storage.OpenedFile(conn, readonly=False))
        ledger._companion = True
        return ledger

    @classmethod
    def open_for_reading(cls, path: str | Path) -> Ledger:
        """Read-only (the window may have it open), after upgrading an older ledger once.

        Upgrading needs writing: a backup copy is taken first, and LockedError says so while
        another window holds the ledger.
        """
        try:
            return cls.open(path, readonly=True, create=False)
        except NeedsUpgradeError:
            cls.open(path, create=False).close()
            return cls.open(path, readonly=True, create=False)

    def close(self) -> None:
        if self.conn is not None:
            clean = False
            if not self.readonly and not self._companion:
                try:  # fold the WAL back so the file is complete on its own (USB sticks)
                    busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    clean = busy == 0
                except sqlite3.Error:
                    pass
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
            if clean:  # closed by us, whole: the next open need not check it again
                storage.remember_checked(self.path)
        if self.writer_lock is not None:
            self.writer_lock.release()
            self.writer_lock = None

    @property
    def closed(self) -> bool:
        return self.conn is None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the domain ---------------------------------------------------------------------------
    @cached_property
    def catalogue(self) -> Catalogue:
        from core.catalogue import Catalogue

        return Catalogue(self)

    @cached_property
    def metrics(self) -> Metrics:
        from core.metrics import Metrics

        return Metrics(self)

    @cached_property
    def enterprises(self) -> Enterprises:
        from core.enterprises import Enterprises

        return Enterprises(self)

    @cached_property
    def projects(self) -> Projects:
        from core.projects import Projects

        return Projects(self)

    @cached_property
    def services(self) -> Services:
        from core.services import Services

        return Services(self)

    @cached_property
    def evidence(self) -> Evidence:
        from core.evidence import Evidence

        return Evidence(self)

    @cached_property
    def plans(self) -> Plans:
        from core.plans import Plans

        return Plans(self)

    # -- reading ------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- writing ------------------------------------------------------------------------------
    def require_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError(f"台账以只读方式打开（{self.readonly_reason}），不能修改")

    @contextmanager
    def write(self, label: str, *, audited: bool = True) -> Iterator[Writer]:
        """One transaction: every row change in it is audited and returned as one Change.

        A write inside another one (see `batch`) joins the outer transaction under a savepoint:
        its rows become part of the outer Change, and an error undoes only its own part before
        it reaches the outer write (which then usually rolls back everything).
        """
        self.require_writable()
        if self._writer is not None:
            outer, mark = self._writer, len(self._writer.rows)
            self.conn.execute("SAVEPOINT nested_write")
            try:
                yield outer
            except BaseException:
                self.conn.execute("ROLLBACK TO nested_write")
                self.conn.execute("RELEASE nested_write")
                del outer.rows[mark:]
                raise
            self.conn.execute("RELEASE nested_write")
            return
        writer = Writer(self.conn, label, audited=audited)
        self._execute_write("BEGIN IMMEDIATE")
        self._writer = writer
        try:
            yield writer
            self._execute_write("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:  # SQLite may have rolled back itself (a full disk)
                self.conn.execute("ROLLBACK")
            failure = (storage.write_failure(exc, self.path)
                       if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError)
                       and not isinstance(exc, sqlite3.IntegrityError) else None)
            if failure is not None:
                raise failure from exc
            raise
        finally:
            self._writer = None
            self._changed(writer.change.tables)

    def _execute_write(self, statement: str) -> None:
        try:
            self.conn.execute(statement)
        except sqlite3.OperationalError as exc:
            failure = storage.write_failure(exc, self.path)
            if failure is not None:
                raise failure from exc
            raise

    def _changed(self, tables: Iterable[str] | None) -> None:
        self.generation += 1
        self._settings_cache = None
        self._memo.clear()
        if tables is None:
            self._epoch += 1
        else:
            for table in tables:
                self._table_generations[table] = self._table_generations.get(table, 0) + 1

    def invalidate(self) -> None:
        """Say that anything may have changed (written around Ledger.write: restore, demo)."""
        self._changed(None)

    def memo(self, key: Hashable, compute: Callable[[], T], *,
             tables: tuple[str, ...] | None = None) -> T:
        """A value worked out from the ledger, kept until the next write — or, when it reads
        only `tables`, until one of those is written (the facts derived figures are read from
        survive the edit of a figure)."""
        if tables is None:
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key]
        stamp = tuple(self.table_generation(table) for table in tables)
        kept = self._table_memo.get(key)
        if kept is None or kept[0] != stamp:
            kept = (stamp, compute())
            self._table_memo[key] = kept
        return kept[1]

    def table_generation(self, table: str) -> tuple[int, int]:
        return (self._epoch, self._table_generations.get(table, 0))

    def batch(self, label: str, writes: Sequence[Callable[[], object]]) -> Change:
        """Several core writes as one transaction and one Change (a paste that edits some rows
        and adds others): all or nothing, undone in one step."""
        with self.write(label) as writer:
            for write in writes:
                write()
        return writer.change

    def revert(self, change: Change) -> Change:
        """Undo `change`; returns the change that undoing made (revert it to redo)."""
        with self.write(f"撤销：{change.label}") as writer:
            writer.revert(change)
        return writer.change

    # -- settings -----------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        if self._settings_cache is None:
            self._settings_cache = {
                key: json.loads(value) if value is not None else None
                for key, value in self.conn.execute("SELECT id, value FROM settings")
            }
        return dict(self._settings_cache)

    def setting(self, key: str, default: Any = None) -> Any:
        value = self.settings().get(key)
        return default if value is None else value

    def set_setting(self, key: str, value: Any, *, label: str | None = None) -> Change:
        encoded = json.dumps(value, ensure_ascii=False)
        with self.write(label or f"修改设置 {key}") as writer:
            if writer.fetch("settings", key) is None:
                writer.insert("settings", {"id": key, "value": encoded})
            else:
                writer.update("settings", key, {"value": encoded})
        return writer.change

    @property
    def yi_threshold(self) -> float:
        """亿元项目: total investment (亿元) at or above this."""
        return float(self.setting("yi_threshold", 1.0))

    # -- periods ------------------------------------------------------------------------------
    def years(self) -> list[int]:
        """Years the ledger holds anything for, newest first."""
        rows = self.conn.execute(
            "SELECT year FROM indicator_values UNION SELECT CAST(substr(date, 1, 4) AS INTEGER)"
            " FROM services UNION SELECT year FROM project_investments"
            " UNION SELECT year - 1 FROM plan_sections ORDER BY 1 DESC"
        ).fetchall()
        return [int(r[0]) for r in rows if r[0] is not None]

    def latest_period(self) -> Period | None:
        """The newest period with entered indicator values (what the clerk is working on)."""
        row = self.conn.execute(
            "SELECT year, max(months) FROM indicator_values WHERE year ="
            " (SELECT max(year) FROM indicator_values)"
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return Period(int(row[0]), int(row[1]))

    def integrity_problems(self) -> list[str]:
        """Empty when SQLite's integrity and foreign-key checks pass."""
        try:
            problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check(20)")]
            problems = [] if problems == ["ok"] else problems
            for table, rowid, parent, _fk in self.conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"{table} 第 {rowid} 行引用的 {parent} 记录不存在")
        except sqlite3.DatabaseError as exc:  # too damaged to be read through
            cause, _damaged = storage.sqlite_cause(exc, self.path)
            problems = [cause]
        if problems:
            storage.forget_checked(self.path)
        return problems


def ensure(condition: bool, message: str) -> None:
    """Raise a ConflictError with `message` unless `condition` holds."""
    if not condition:
        raise ConflictError(message)
