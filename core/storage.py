"""Opening a ledger file safely.

Before anything is written, the file is looked at read-only: an empty file, a file that is not
SQLite, an SQLite file of another program, a damaged file or one from a newer version is refused
with one Chinese sentence and its bytes stay as they were. A file or folder we may not write is
opened for reading only. Only then is the file opened for writing, switched to WAL, and brought
up to date by the numbered migrations (after a backup copy of it was taken).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core import schema
from core.errors import BadFileError, LedgerError, NeedsUpgradeError, PlaceError
from core.files import reason, write_atomically
from core.network import network_reason

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
LOW_SPACE_BYTES = 8 * 1024 * 1024  # an I/O error with less free than this: the disk is full
JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")

# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF)
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    3, 5, 6, 8, 10, 11, 13, 14, 26)


def sqlite_cause(exc: sqlite3.Error, path: Path) -> tuple[str, bool]:
    """Why SQLite failed on the file at `path`, in the clerk's words (never SQLite's English),
    and whether the file itself is damaged (only then may a restore from a backup help)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary is None and "malformed" in str(exc):
        primary = _CORRUPT
    if primary == _FULL or (primary == _IOERR and low_space(path.parent)):
        return "磁盘空间不足，请删除不需要的文件腾出空间后重试", False
    if primary in (_CORRUPT, _NOTADB):
        return "文件已损坏", True
    if primary == _READONLY or (primary == _CANTOPEN and not os.access(path.parent, os.W_OK)):
        return "文件或其所在文件夹为只读", False
    if primary in (_PERM, _CANTOPEN):
        return "没有权限打开该文件，或路径无效", False
    if primary in (_BUSY, _LOCKED):
        return "文件正被其他程序使用，请稍后重试", False
    if primary == _IOERR:
        return "读写磁盘时出错（U 盘或网络盘可能已断开，或磁盘有故障）", False
    return f"数据库读写出错（错误代码 {code if code is not None else '未知'}）", False


_OF_THE_PLACE = {_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB}


def write_failure(exc: sqlite3.Error, path: Path) -> LedgerError | None:
    """The clerk's message for an edit SQLite could not save (a full disk, a pulled-out USB
    stick …); None for an error of the program itself (logged as unexpected)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int) or code & 0xFF not in _OF_THE_PLACE:
        return None
    cause, _damaged = sqlite_cause(exc, path)
    return LedgerError(f"未能保存到“{_display(path)}”：{cause}。台账未作修改")


def low_space(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False


def file_error(exc: sqlite3.Error, path: Path, doing: str) -> BadFileError:
    """The BadFileError for `exc` met while `doing` (“无法打开”) the file at `path`:
    PlaceError unless the file itself is damaged."""
    cause, damaged = sqlite_cause(exc, path)
    if damaged:
        return BadFileError(f"“{_display(path)}”已损坏，{doing}；请从备份恢复")
    return PlaceError(f"{doing}“{_display(path)}”：{cause}")


@dataclass
class OpenedFile:
    conn: sqlite3.Connection
    readonly: bool
    readonly_reason: str = ""
    created: bool = False
    migrated_from: int | None = None


def _display(path: Path) -> str:
    return path.name or str(path)


def _connect(target: str, *, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target, uri=uri, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, even to a WAL file in a read-only folder."""
    uri = path.resolve().as_uri()
    try:
        conn = _connect(f"{uri}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        # A WAL file whose -shm cannot be created (read-only folder): read it as immutable.
        conn = _connect(f"{uri}?mode=ro&immutable=1", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn


def connect_writable(path: Path) -> sqlite3.Connection:
    conn = _connect(str(path), uri=False)
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        conn.close()
        raise PlaceError(f"无法以安全模式（WAL）打开“{_display(path)}”，该文件所在位置可能不支持")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _writable_reason(path: Path) -> str:
    """Why we may not write this file, or '' when we may."""
    if not os.access(path, os.W_OK):
        return "文件为只读"
    if not os.access(path.parent, os.W_OK):
        return "文件所在文件夹为只读"
    return ""


def _probe(path: Path) -> sqlite3.Connection:
    """A connection for looking at an unknown file that leaves nothing behind.

    Without a -wal file beside it there is nothing but the file itself to read, so it is read
    as immutable (SQLite then creates no -wal/-shm files next to a stranger's file). With one,
    the WAL must be read too, through a normal read-only connection.
    """
    uri = path.resolve().as_uri()
    if path.with_name(path.name + "-wal").exists():
        return _connect(f"{uri}?mode=ro", uri=True)
    return _connect(f"{uri}?mode=ro&immutable=1", uri=True)


def _settle_journal(path: Path) -> None:
    """A rollback journal left beside the file (another SQLite tool killed half-way) holds the
    pages as they were before its unfinished write: SQLite's own recovery puts them back. Read
    as immutable, the file would look damaged; left there, the journal would later be replayed
    into whatever file then has this name (a restored backup)."""
    journal = path.with_name(path.name + "-journal")
    try:
        if not journal.exists() or journal.stat().st_size == 0:
            return
    except OSError:
        return
    if _writable_reason(path):
        raise PlaceError(f"“{_display(path)}”有一次未完成的写入需要恢复（旁边的"
                         f"“{journal.name}”文件），但{_writable_reason(path)}；"
                         "请把这两个文件一起复制到可写的位置后再打开")
    try:
        conn = _connect(str(path), uri=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls it back
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise file_error(exc, path, "无法恢复未完成的写入，无法打开") from exc


def inspect(path: Path) -> int:
    """Refuse anything that is not a healthy ledger of a version we know; never writes.

    Returns the file's schema version.
    """
    name = _display(path)
    if path.is_dir():
        raise BadFileError(f"“{name}”是文件夹，不是台账文件")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except PermissionError as exc:
        raise BadFileError(f"没有权限读取“{name}”") from exc
    except OSError as exc:
        raise BadFileError(f"无法读取“{name}”：{reason(exc)}") from exc
    if size == 0:
        raise BadFileError(f"“{name}”是空文件（0 字节），不是工作台账文件")
    if header != SQLITE_MAGIC:
        raise BadFileError(f"“{name}”不是工作台账文件（也不是 SQLite 数据库）")
    _settle_journal(path)
    conn: sqlite3.Connection | None = None
    try:
        conn = _probe(path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and not os.access(path.parent, os.W_OK) and not sqlite_cause(
                exc, path)[1]:
            raise PlaceError(
                f"“{name}”有尚未写回的修改（“{wal.name}”文件），但所在文件夹为只读，无法读取；"
                "请把这几个文件一起复制到可写的位置后再打开") from exc
        raise file_error(exc, path, "无法打开") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        # an empty SQLite file (no tables, no versions) may become a ledger; one that another
        # program numbered (user_version) is theirs, whatever its number
        if app_id != schema.APPLICATION_ID and not (app_id == 0 and tables == 0 and version == 0):
            raise BadFileError(f"“{name}”是其他程序的 SQLite 数据库，不是工作台账文件")
        if version > schema.LATEST_VERSION:
            raise BadFileError(
                f"“{name}”由更新版本的工作台账创建（数据版本 {version}，本软件支持到"
                f" {schema.LATEST_VERSION}），请先升级软件"
            )
        if not recently_checked(path):
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise BadFileError(f"“{name}”已损坏（完整性检查未通过），请从备份恢复")
            remember_checked(path)
    except sqlite3.DatabaseError as exc:
        raise file_error(exc, path, "无法读取") from exc
    finally:
        conn.close()
    return int(version)


# -- files known to be healthy ------------------------------------------------------------------
# The quick check reads the whole file (~0.1 s for ten years of data). A file we closed cleanly
# (or checked) and that has not changed since — same size, same modification time, no WAL — is
# not checked again on the same day; anything else is. So damage that changes neither (bit rot)
# is found at the latest by the first open of the next day; damage SQLite meets while reading
# (`damaged`) forgets the file, so the next open checks it and refuses it.
CHECKED_FILE = "checked-ledgers.json"
_CHECKED_KEPT = 50


def _fingerprint(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            return None  # uncheckpointed changes: check
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, date.today().toordinal()]


def _checked() -> dict[str, list[int]]:
    from core.paths import data_dir

    try:
        data = json.loads((data_dir() / CHECKED_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def recently_checked(path: Path) -> bool:
    fingerprint = _fingerprint(path)
    return fingerprint is not None and _checked().get(str(path.resolve())) == fingerprint


def forget_checked(path: Path) -> None:
    """The file must be checked at its next open (damage was met while working with it)."""

    known = _checked()
    if known.pop(str(path.resolve()), None) is not None:
        _write_checked(known)


def _write_checked(known: dict[str, list[int]]) -> None:
    """Keep the cache (a cache: failures are ignored)."""
    from core.paths import data_dir

    try:
        text = json.dumps(known, ensure_ascii=False)
        write_atomically(data_dir() / CHECKED_FILE,
                         lambda partial: partial.write_text(text, encoding="utf-8"))
    except OSError:
        pass


def damaged(exc: BaseException, path: Path) -> BadFileError | None:
    """For an SQLite error met while working with an open ledger: the clerk's message if it
    says the file is damaged (and the file is then checked at its next open), else None."""
    if not isinstance(exc, sqlite3.DatabaseError) or not sqlite_cause(exc, path)[1]:
        return None
    forget_checked(path)
    return BadFileError(f"“{_display(path)}”已损坏（读取时发现数据错误），请从备份恢复")


def remember_checked(path: Path) -> None:
    """Record that `path` is healthy as it is now (a cache: failures are ignored)."""

    fingerprint = _fingerprint(path)
    if fingerprint is None:
        return
    known = _checked()
    known.pop(str(path.resolve()), None)
    known[str(path.resolve())] = fingerprint
    _write_checked(dict(list(known.items())[-_CHECKED_KEPT:]))


def open_file(
    path: Path,
    *,
    readonly: bool = False,
    create: bool = True,
    before_migration: Callable[[sqlite3.Connection, int], object] | None = None,
    old_ok: bool = False,
) -> OpenedFile:
    """Open (or create) the ledger file at `path`; see the module docstring.

    `old_ok` lets a read-only open through on a ledger of an older data version (for copying
    it as it is); otherwise such a file must be upgraded, which needs writing.
    """
    path = Path(path)
    if not path.exists():
        if not create or readonly:
            raise BadFileError(f"找不到台账文件“{_display(path)}”")
        return _create(path)
    version = inspect(path)
    from core.published_copy import published_reason

    network = network_reason(path)
    reason = (published_reason(path) or network
              or ("按只读方式打开" if readonly else _writable_reason(path)))
    if reason:
        if schema.pending(version) and not old_ok:
            raise NeedsUpgradeError(
                f"“{_display(path)}”需要升级数据格式，但{reason}，无法升级；请先复制到可写的位置"
            )
        try:
            # on a network folder not even SQLite's -shm file is made there: read as it is
            conn = (_connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
                    if network else connect_readonly(path))
            return OpenedFile(conn, readonly=True, readonly_reason=reason)
        except sqlite3.DatabaseError as exc:
            raise file_error(exc, path, "无法读取") from exc
    if before_migration is not None and version > 0 and schema.pending(version):
        source = connect_readonly(path)
        try:
            before_migration(source, version)
        finally:
            source.close()
    try:
        conn = connect_writable(path)
    except sqlite3.DatabaseError as exc:
        raise file_error(exc, path, "无法写入") from exc
    pending = schema.pending(version)
    try:
        for migration in pending:
            schema.run_migration(conn, migration)
    except BaseException:
        conn.close()
        raise
    return OpenedFile(conn, readonly=False, migrated_from=version if version and pending else None)


def _create(path: Path) -> OpenedFile:
    """A new ledger, whole or not at all: whatever fails (a full disk …), nothing is left."""
    name = _display(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlaceError(f"无法创建文件夹“{path.parent}”：{reason(exc)}") from exc
    if not os.access(path.parent, os.W_OK):
        raise PlaceError(f"文件夹“{path.parent}”为只读，无法新建台账“{name}”")
    if network_reason(path):
        raise PlaceError(f"不能在网络文件夹中新建台账“{name}”（多台电脑同时写入会损坏文件）；"
                         "请在本机文件夹中新建")
    conn = None
    try:
        conn = connect_writable(path)
        for migration in schema.MIGRATIONS:
            schema.run_migration(conn, migration)
    except BaseException as exc:
        if conn is not None:
            conn.close()
        for leftover in (path, *(path.with_name(path.name + s) for s in JOURNAL_SUFFIXES)):
            leftover.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise file_error(exc, path, "无法新建台账") from exc
        raise
    return OpenedFile(conn, readonly=False, created=True)
