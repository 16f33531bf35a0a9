"""Backups of a ledger and restoring from them.

Every copy goes through SQLite's backup API (a consistent snapshot even while the ledger is open
and being written), is checked with `PRAGMA integrity_check`, and appears under its final name
only when complete (temporary name, then os.replace).

Automatic copies live in core.paths.backups_dir_for(ledger), named
`<ledger stem>-<YYYYMMDD-HHMMSS>-<why>.db`: on the first writable open of each day, before every
migration, restore and import. The last 30 are kept, plus the newest of each of the last 12
months. Restoring replaces the ledger's content in one SQLite transaction (all or nothing),
after a copy of the current content was taken.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core import schema, storage
from core.changes import now_text, os_user
from core.errors import BadFileError, InputError, LedgerError
from core.files import prune_partials, reason, write_atomically
from core.lock import WriterLock
from core.paths import backups_dir_for

if TYPE_CHECKING:
    from core.ledger import Ledger

DAILY = "每日"
BEFORE_RESTORE = "恢复前"
BEFORE_IMPORT = "导入前"
ORIGINAL = "恢复前原文件"  # a ledger that could not be opened, kept as it was
MANUAL = "备份"
KEEP_LATEST = 30
KEEP_MONTHS = 12

# What a backup is summarised by in the restore list.
COUNTED_TABLES = {
    "enterprises": "企业", "projects": "项目", "services": "服务记录",
    "indicator_values": "指标数值", "plan_items": "计划条目",
}

_NAME = re.compile(r"-(?P<stamp>\d{8}-\d{6})-(?P<reason>[^-]+?)(?:-\d+)?\.db$")
log = logging.getLogger("workledger.backup")


# -- writing copies ------------------------------------------------------------------------------
CHECKS = ("integrity_check", "quick_check")


def backup_to(source: sqlite3.Connection, destination: Path, *,
              check: str = "integrity_check") -> Path:
    """Copy the database behind `source` to `destination`, verified, never half-written.

    The copy is written beside the destination under a temporary name, checked with
    `PRAGMA integrity_check` (or `check="quick_check"`: every page and b-tree of the copy,
    not whether each index matches its table — five times faster on a large ledger, for the
    copy a merge takes of a ledger checked when opened), and only then renamed into place.
    """
    if check not in CHECKS:
        raise ValueError(check)
    destination = Path(destination)
    source_path = _file_of(source)

    def source_damaged() -> SourceDamaged:
        storage.forget_checked(source_path)  # checked again at its next open
        return SourceDamaged(f"台账“{source_path.name}”已损坏（完整性检查未通过），未能备份；"
                             "请从备份恢复")

    def copy_and_check(partial: Path) -> None:
        target = sqlite3.connect(str(partial))
        try:
            # no syncing page by page: the copy is flushed to the disk once, whole, below
            target.execute("PRAGMA synchronous = OFF")
            try:
                source.backup(target)
            except sqlite3.DatabaseError as exc:
                if storage.sqlite_cause(exc, source_path)[1]:  # read from the ledger: its damage
                    raise source_damaged() from exc
                raise
            target.execute("PRAGMA journal_mode = DELETE")
            verdict = target.execute(f"PRAGMA {check}").fetchone()[0]
        finally:
            target.close()
        if verdict != "ok":  # a fresh copy holds what the ledger holds: the ledger is damaged
            raise source_damaged()
        with partial.open("rb+") as written:  # on the disk before it is renamed into place
            os.fsync(written.fileno())

    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(destination, copy_and_check)
    except (OSError, sqlite3.Error) as exc:
        raise LedgerError(
            f"无法把备份写入“{destination.parent}”（{_reason(exc, destination)}），"
            "请确认该位置可写、空间足够"
        ) from exc


class SourceDamaged(BadFileError):
    """The ledger being copied is damaged (not the place the copy goes)."""


def _file_of(conn: sqlite3.Connection) -> Path:
    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else Path("台账")


def _reason(exc: BaseException, path: Path) -> str:
    if isinstance(exc, OSError):
        return reason(exc)
    if isinstance(exc, sqlite3.Error):
        return storage.sqlite_cause(exc, path)[0]
    return str(exc)


def timestamp(when: datetime | None = None) -> str:
    return (when or datetime.now()).strftime("%Y%m%d-%H%M%S")


def backup_path(folder: Path, ledger: Path, reason: str, when: datetime | None = None) -> Path:
    """A new file name in `folder` for a copy of `ledger` taken now (never an existing one)."""
    base = f"{ledger.stem}-{timestamp(when)}-{reason}"
    candidate, number = folder / f"{base}.db", 2
    while candidate.exists():
        candidate, number = folder / f"{base}-{number}.db", number + 1
    return candidate


def automatic_backup(source: sqlite3.Connection, ledger: Path, reason: str, *,
                     check: str = "integrity_check") -> Path:
    """A verified copy in the ledger's backup folder; older copies are pruned afterwards."""
    folder = backups_dir_for(ledger)
    written = backup_to(source, backup_path(folder, ledger, reason), check=check)
    try:
        prune(folder, keep=written)
    except OSError as exc:  # a copy that cannot be deleted now is deleted next time
        log.warning("pruning backups in %s failed: %s", folder, exc)
    return written


def backup_before_migration(source: sqlite3.Connection, ledger: Path, version: int) -> Path:
    return automatic_backup(source, ledger, f"升级前v{version}")


def daily_backup(ledger: Ledger) -> Path | None:
    """On the first writable open of a day, a copy of the ledger as it was opened.

    A failing backup never stops the clerk from working: it is logged and tried next time.
    """
    folder = backups_dir_for(ledger.path)
    today = date.today()
    prune_leftovers(ledger.path)
    try:
        if any(taken.date() == today for _path, taken, _reason in _named_backups(folder)):
            return None
        return automatic_backup(ledger.conn, ledger.path, DAILY)
    except SourceDamaged:  # never quiet: the ledger must not be worked on
        raise
    except (OSError, sqlite3.Error, LedgerError) as exc:
        log.warning("daily backup of %s failed: %s", ledger.path.name, exc)
        return None


def backup_into(source: sqlite3.Connection, ledger: Path, folder: Path) -> Path:
    """文件 → 备份到… and the `backup` command: a verified copy in a folder the clerk chose."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"“{folder}”不是文件夹，请选择一个文件夹存放备份")
    return backup_to(source, backup_path(folder, ledger, MANUAL))


# -- keeping -------------------------------------------------------------------------------------
def _named_backups(folder: Path) -> list[tuple[Path, datetime, str]]:
    """Our copies in `folder` (by their names), newest first."""
    found: list[tuple[Path, datetime, str]] = []
    if not folder.is_dir():
        return found
    for path in folder.glob("*.db"):
        match = _NAME.search(path.name)
        if match:
            try:
                # 20261128-093015 is ISO 8601's basic format with '-' for 'T' (strptime would
                # load _strptime and calendar at every start, for the daily backup's check)
                taken = datetime.fromisoformat(match.group("stamp").replace("-", "T"))
            except ValueError:
                continue
            found.append((path, taken, match.group("reason")))
    found.sort(key=lambda entry: (entry[1], entry[0].name), reverse=True)
    return found


def prune(folder: Path, *, keep: Path | None = None, now: datetime | None = None) -> list[Path]:
    """Delete copies beyond the last 30 and the newest of each of the last 12 months."""
    prune_partials(folder)
    backups = _named_backups(folder)
    kept = {path for path, _taken, _reason in backups[:KEEP_LATEST]}
    if keep is not None:
        kept.add(keep)
    now = now or datetime.now()
    months = {_month_index(now) - k for k in range(KEEP_MONTHS)}
    for path, taken, _reason in backups:  # newest first: the first seen of a month is kept
        month = _month_index(taken)
        if month in months:
            kept.add(path)
            months.discard(month)
    removed = []
    for path, _taken, _reason in backups:
        if path not in kept:
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
            removed.append(path)
    return removed


def prune_leftovers(ledger: Path) -> list[Path]:
    """What killed backups, restores and migrations left: temporary copies in the backup
    folder, a half-restored copy and temporary files beside the ledger."""
    removed = prune_partials(backups_dir_for(ledger))
    removed += prune_partials(ledger.parent, patterns=(
        f"~{ledger.name}.*.part", f"~{ledger.stem}.*.part", f"{ledger.name}.restoring"))
    return removed


def _month_index(when: datetime) -> int:
    return when.year * 12 + when.month - 1


# -- listing -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str  # 每日, 导入前 … ('' for a file not named by us)
    size: int
    counts: dict[str, int] | None  # COUNTED_TABLES → rows; None when unreadable
    problem: str = ""  # why it cannot be used, in Chinese

    @property
    def summary(self) -> str:
        return self.problem if self.counts is None else describe_counts(self.counts)


def list_backups(ledger: Path, folder: Path | None = None) -> list[BackupInfo]:
    """The copies of a ledger, newest first, each read read-only for its record counts."""
    folder = Path(folder) if folder is not None else backups_dir_for(Path(ledger))
    named = {path: (taken, reason) for path, taken, reason in _named_backups(folder)}
    found = []
    for path in folder.glob("*.db") if folder.is_dir() else ():
        try:
            stat = path.stat()
        except OSError:
            continue
        taken, reason = named.get(path, (datetime.fromtimestamp(stat.st_mtime), ""))
        counts, problem = _read_counts(path)
        info = BackupInfo(path, taken, reason, stat.st_size, counts, problem)
        found.append(((taken, stat.st_mtime_ns), info))  # copies of the same second: by mtime
    found.sort(key=lambda entry: entry[0], reverse=True)
    return [info for _key, info in found]


def _read_counts(path: Path) -> tuple[dict[str, int] | None, str]:
    try:
        conn = storage.connect_readonly(path)
    except sqlite3.Error:
        return None, "无法读取（文件已损坏或不是台账）"
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != schema.APPLICATION_ID or version < 1:
            return None, "不是工作台账文件"
        if version > schema.LATEST_VERSION:
            return None, "由更新版本的工作台账创建"
        return record_counts(conn), ""
    except sqlite3.Error:
        return None, "无法读取（文件已损坏）"
    finally:
        conn.close()


def record_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in COUNTED_TABLES}


def describe_counts(counts: dict[str, int]) -> str:
    return "，".join(f"{label} {counts[table]}" for table, label in COUNTED_TABLES.items())


# -- restoring -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RestoreResult:
    backup: Path  # restored from
    previous: Path | None  # where the content before the restore was kept
    counts: dict[str, int]  # records after the restore


def open_verified_backup(backup: Path) -> sqlite3.Connection:
    """A read-only connection to `backup` once it proved a healthy ledger of a known version."""
    backup = Path(backup)
    if not backup.exists():
        raise BadFileError(f"找不到备份文件“{backup.name}”")
    version = storage.inspect(backup)  # not ours, newer version, damaged → BadFileError
    if version < 1:
        raise BadFileError(f"“{backup.name}”是空的数据库，不是工作台账的备份")
    try:
        conn = storage.connect_readonly(backup)
    except sqlite3.DatabaseError as exc:
        raise storage.file_error(exc, backup, "无法读取备份") from exc
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"] or conn.execute("PRAGMA foreign_key_check").fetchone():
            raise BadFileError(f"备份“{backup.name}”已损坏（完整性检查未通过），不能用于恢复")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise storage.file_error(exc, backup, "无法读取备份") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def restore(ledger: Ledger, backup: Path) -> RestoreResult:
    """Replace the open ledger's content with that of `backup`, all or nothing.

    The backup is verified first and the current content copied to the backup folder; the copy
    into the ledger is one SQLite transaction, so a failure or a killed process leaves the
    ledger as it was. The window must drop its undo history and reload everything afterwards.
    """
    backup = Path(backup)
    ledger.require_writable()
    if backup.resolve() == ledger.path.resolve():
        raise InputError("不能用台账文件本身来恢复，请选择一份备份")
    source = open_verified_backup(backup)
    try:
        previous = automatic_backup(ledger.conn, ledger.path, BEFORE_RESTORE)
        try:
            source.backup(ledger.conn)
        except sqlite3.Error as exc:
            raise LedgerError(f"恢复失败，台账未作任何修改（{_reason(exc, ledger.path)}）"
                              ) from exc
    finally:
        source.close()
    for migration in schema.pending(ledger.conn.execute("PRAGMA user_version").fetchone()[0]):
        schema.run_migration(ledger.conn, migration)  # an older backup is brought up to date
    ledger.invalidate()  # every table was replaced: nothing cached may be kept
    _audit_restore(ledger, backup)
    return RestoreResult(backup, previous, record_counts(ledger.conn))


def _audit_restore(ledger: Ledger, backup: Path) -> None:
    # One row outside the Writer: a restore is not a row change that could be undone.
    with ledger.write("从备份恢复", audited=False):
        ledger.conn.execute(
            "INSERT INTO audit (at, user, label, action, tbl, row_id, field, old, new)"
            " VALUES (?, ?, '从备份恢复', 'update', '*', '*', '*', NULL, ?)",
            (now_text(), os_user(), backup.name),
        )


def restore_file(ledger: Path, backup: Path) -> RestoreResult:
    """Restore a ledger file that cannot be opened (damaged) or no longer exists.

    The unusable file (with its -wal) is copied to the backup folder as it was, then replaced
    by a verified copy of the backup; refused while someone has the ledger open for writing.
    """
    ledger, backup = Path(ledger), Path(backup)
    if backup.resolve() == ledger.resolve():
        raise InputError("不能用台账文件本身来恢复，请选择一份备份")
    lock = WriterLock.acquire(ledger)
    try:
        source = open_verified_backup(backup)
        try:
            restored = backup_to(source, ledger.with_name(ledger.name + ".restoring"))
            counts = record_counts(source)
        finally:
            source.close()
        try:
            previous = _keep_original(ledger)
            for suffix in storage.JOURNAL_SUFFIXES:  # the old file's WAL or rollback journal
                # must never meet the new one (SQLite would replay it into the restored file)
                ledger.with_name(ledger.name + suffix).unlink(missing_ok=True)
            os.replace(restored, ledger)
        except OSError as exc:
            restored.unlink(missing_ok=True)
            raise LedgerError(
                f"无法替换“{ledger.name}”（{_reason(exc, ledger)}）；如有其他窗口打开了它，请先关闭"
            ) from exc
    finally:
        if lock is not None:
            lock.release()
    return RestoreResult(backup, previous, counts)


def _keep_original(ledger: Path) -> Path | None:
    if not ledger.exists():
        return None
    target = backup_path(backups_dir_for(ledger), ledger, ORIGINAL)
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-journal", ""):  # the main file last: it names the copy complete
        part = ledger.with_name(ledger.name + suffix)
        if part.exists():
            shutil.copyfile(part, target.with_name(target.name + suffix))
    return target
