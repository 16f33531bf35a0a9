"""A local working copy of a ledger on a network folder, and checking it back in.

SQLite's WAL and locks do not work over SMB/NFS (core.network), so a shared ledger is never
written in place. 建工作副本 (check-out) copies it to the local data folder through SQLite's
backup API and records what the shared file was then (SHA-256 of its bytes, size, mtime) in a
small file beside the copy (`台账.db.工作副本.json`); the clerk edits the copy as any local
ledger. 交回共享文件夹 (check-in) first compares the shared file with that record: if someone
changed it meanwhile it refuses, naming who and when if the file says, and changes nothing.
Otherwise a verified snapshot of the copy (backup API, `integrity_check`, hash) is written
beside the shared file under a temporary name, checked again there (hash and integrity), the
shared file's previous content is kept among the copy's local backups, and only then the
temporary file replaces the shared one (os.replace: the shared file is always whole, the old
or the new one). The record then names the new content.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core import clock
from core.errors import ConflictError, InputError, LedgerError, PlaceError
from core.files import reason, write_atomically

RECORD_SUFFIX = ".工作副本.json"  # beside the local copy
INDEX_FILE = "working-copies.json"  # in the data folder: shared file → its local copy
COPIES_FOLDER = "工作副本"
BEFORE_CHECKIN = "交回前共享版"
_CHUNK = 1024 * 1024


# -- the state of a file -------------------------------------------------------------------------
@dataclass(frozen=True)
class FileState:
    sha256: str
    size: int
    mtime_ns: int


def file_state(path: Path) -> FileState:
    """What a ledger file holds now: the hash of its bytes (and of a -wal beside it, which
    holds changes not yet written into it), its size and modification time."""
    digest = hashlib.sha256()
    stat = path.stat()
    for part in (path, path.with_name(path.name + "-wal")):
        if part is not path and not part.exists():
            continue
        with part.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return FileState(digest.hexdigest(), stat.st_size, stat.st_mtime_ns)


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(str(path)))


# -- the record beside a working copy ------------------------------------------------------------
@dataclass(frozen=True)
class Checkout:
    shared: str  # the shared file, as it was opened (\\server\share\台账.db)
    local: str
    sha256: str  # the shared file's content the copy started from (or last checked in)
    size: int
    mtime_ns: int
    checked_out_at: str
    checked_out_by: str
    checked_in_at: str = ""

    @property
    def shared_path(self) -> Path:
        return Path(self.shared)

    @property
    def local_path(self) -> Path:
        return Path(self.local)

    @property
    def state(self) -> FileState:
        return FileState(self.sha256, self.size, self.mtime_ns)

    def describe(self) -> str:
        """工作副本 of which shared file, since when (the window's banner, the CLI)."""
        text = (f"本机工作副本，共享文件：{self.shared}（{clock.shown(self.checked_out_at)} "
                f"由 {self.checked_out_by} 取出")
        if self.checked_in_at:
            text += f"，{clock.shown(self.checked_in_at)} 交回过"
        return text + "）"


def record_path(local: Path) -> Path:
    return local.with_name(local.name + RECORD_SUFFIX)


def checkout_of(local: Path) -> Checkout | None:
    """The check-out record of the working copy at `local`, or None for any other ledger."""
    try:
        data = json.loads(record_path(Path(local)).read_text(encoding="utf-8"))
        found = Checkout(**{key: data[key] for key in Checkout.__dataclass_fields__
                            if key in data})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return found if _key(found.local_path) == _key(Path(local)) else None


def _write_record(record: Checkout) -> None:
    text = json.dumps(asdict(record), ensure_ascii=False, indent=1)
    target = record_path(record.local_path)
    try:
        write_atomically(target, lambda partial: partial.write_text(text, encoding="utf-8"))
    except OSError as exc:
        raise LedgerError(f"无法写入工作副本记录“{target.name}”：{reason(exc)}") from exc


def _index_file() -> Path:
    from core.paths import data_dir

    return data_dir() / INDEX_FILE


def _index() -> dict[str, str]:
    try:
        data = json.loads(_index_file().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _remember(record: Checkout) -> None:
    known = _index()
    known[_key(record.shared_path)] = record.local
    text = json.dumps(known, ensure_ascii=False, indent=1)
    try:
        write_atomically(_index_file(), lambda partial: partial.write_text(text, encoding="utf-8"))
    except OSError:  # an index: the copy and its record are what count
        pass


def existing_copy(shared: Path) -> Checkout | None:
    """The working copy this PC already has of the shared file, if it is still there."""
    local = _index().get(_key(Path(shared)))
    if not local or not Path(local).is_file():
        return None
    record = checkout_of(Path(local))
    return record if record is not None and _key(record.shared_path) == _key(shared) else None


def default_copy_path(shared: Path) -> Path:
    """Where a new working copy of `shared` goes: the data folder, one folder per shared file;
    an older copy there is never replaced (it may hold edits not checked in): 台账（2）.db …"""
    from core.paths import data_dir

    digest = hashlib.sha256(_key(shared).encode("utf-8")).hexdigest()[:8]
    name = Path(shared.name or "台账.db")
    folder = data_dir() / COPIES_FOLDER / f"{name.stem}-{digest}"
    candidate, number = folder / name.name, 2
    while candidate.exists():
        candidate, number = folder / f"{name.stem}（{number}）{name.suffix}", number + 1
    return candidate


# -- reading the shared file ---------------------------------------------------------------
def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that writes nothing beside the file (not even -shm on a share)."""
    from core import storage

    return storage._connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def last_change(path: Path) -> tuple[str, str] | None:
    """(who, when) of the newest audited edit in the ledger file at `path`, if it says."""
    try:
        conn = _read_only(path)
        try:
            row = conn.execute("SELECT user, at FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return (str(row[0]), str(row[1])) if row else None


def _changed_message(shared: Path, record: Checkout, doing: str) -> str:
    who = last_change(shared)
    by = f"（最近的修改：{who[0]}，{clock.shown(who[1])}）" if who else ""
    if not who:
        try:
            from datetime import datetime

            mtime = datetime.fromtimestamp(shared.stat().st_mtime)
            by = f"（文件修改于 {mtime:%Y-%m-%d %H:%M}）"
        except OSError:
            pass
    return (f"共享文件夹中的“{shared.name}”在您 {clock.shown(record.checked_out_at)} 取出工作副本"
            f"之后已被修改{by}；为免覆盖别人的修改，{doing}，共享文件和本机工作副本都没有改动。"
            "请重新建一份工作副本，把您的修改补录进去后再交回；或把您的修改导出为报送包"
            "（文件 → 导出报送包），请管理共享台账的同事合并")


# -- writing files whole -------------------------------------------------------------------
def snapshot(source: sqlite3.Connection, folder: Path, name: str,
             adjust: Any = None) -> tuple[Path, FileState]:
    """A verified copy of the database behind `source` in a temporary file in `folder` (local):
    SQLite's backup API (consistent while the ledger is open and in WAL), then `adjust(conn)`
    if given, rollback journal mode (one self-contained file) and `integrity_check`."""
    from core.backup import backup_to

    folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f"~{Path(name).stem}.", suffix=".snapshot",
                                    dir=folder)
    os.close(handle)
    partial = Path(temp)
    partial.unlink()
    try:
        backup_to(source, partial)
        if adjust is not None:
            conn = sqlite3.connect(str(partial), isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                adjust(conn)
                conn.execute("COMMIT")
                conn.execute("PRAGMA journal_mode = DELETE")
                verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                conn.close()
            if verdict != "ok":
                raise LedgerError("副本未通过完整性检查，未写出")
        return partial, file_state(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def copy_bytes(source: Path, target: Path) -> None:
    """Copy a closed file's bytes and flush them to the disk (the network share)."""
    with source.open("rb") as reader, target.open("wb") as writer:
        shutil.copyfileobj(reader, writer, _CHUNK)
        writer.flush()
        os.fsync(writer.fileno())


def place(snapshot_file: Path, expected: FileState, target: Path, *,
          before_replace: Any = None) -> FileState:
    """Put a verified snapshot at `target` (on a share): a temporary file beside it, its hash
    and integrity checked there, `before_replace()` (last checks, keeping the old file), then
    os.replace. Whatever fails, `target` is as it was and no temporary file is left."""

    def write(partial: Path) -> None:
        copy_bytes(snapshot_file, partial)
        written = file_state(partial)
        if written.sha256 != expected.sha256:
            raise LedgerError(f"写到“{target.parent}”的文件与本机副本不一致（网络传输出错？）")
        conn = _read_only(partial)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
        if verdict != "ok":
            raise LedgerError(f"写到“{target.parent}”的文件未通过完整性检查（网络传输出错？）")
        if before_replace is not None:
            before_replace()

    try:
        write_atomically(target, write)
        return file_state(target)
    except PermissionError as exc:
        if target.exists():  # Windows: another PC (or window) has it open, reading it too
            raise PlaceError(f"无法替换“{target}”：它正被其他电脑或程序打开（只读查看也算）；"
                             "请对方关闭后重试，共享文件未作修改") from exc
        raise PlaceError(f"无法写入“{target}”：{reason(exc)}；共享文件未作修改") from exc
    except OSError as exc:
        raise PlaceError(f"无法写入“{target}”：{reason(exc)}；共享文件未作修改") from exc
    except sqlite3.Error as exc:
        raise PlaceError(f"无法写入“{target}”：网络文件读写出错；共享文件未作修改") from exc


# -- check-out ---------------------------------------------------------------------------------
def checkout(shared: Path, local: Path | None = None) -> Checkout:
    """建工作副本: copy the ledger at `shared` to `local` (default: the data folder) and record
    the shared file's state. An existing file at `local` is never overwritten."""
    from core import storage
    from core.backup import backup_to
    from core.changes import os_user
    from core.published_copy import published_reason

    shared = Path(shared)
    storage.inspect(shared)  # not a ledger, damaged, too new: refused with its sentence
    published = published_reason(shared)
    if published:
        raise InputError(f"“{shared.name}”是{published}，只供查看，不能建工作副本")
    target = Path(local) if local is not None else default_copy_path(shared)
    if _key(target) == _key(shared):
        raise InputError("工作副本不能与共享文件是同一个文件，请另选一个本机位置")
    if target.exists():
        raise InputError(f"“{target}”已存在；为免覆盖已有数据，请另选一个文件名")
    from core.network import network_reason

    if network_reason(target):
        raise InputError(f"工作副本应放在本机文件夹，“{target.parent}”是网络文件夹")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlaceError(f"无法创建文件夹“{target.parent}”：{reason(exc)}") from exc
    before = file_state(shared)
    source = _read_only(shared)
    try:
        backup_to(source, target)
    finally:
        source.close()
    if file_state(shared) != before:  # someone replaced it while it was copied
        target.unlink(missing_ok=True)
        raise ConflictError(f"复制时共享文件“{shared.name}”正被修改，未建工作副本；请稍后重试")
    record = Checkout(shared=os.path.abspath(str(shared)), local=os.path.abspath(str(target)),
                      sha256=before.sha256, size=before.size, mtime_ns=before.mtime_ns,
                      checked_out_at=clock.stamp(), checked_out_by=os_user())
    try:
        _write_record(record)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    _remember(record)
    return record


# -- check-in ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckinResult:
    shared: Path
    previous: Path  # the shared file's content before, kept among the copy's backups
    state: FileState
    unchanged: bool = False  # the copy held nothing new: nothing was written


def checkin_check(local: Path) -> tuple[Checkout, FileState]:
    """What check-in would do, without writing anything: the record, and the shared file's
    state now; raises when check-in would be refused."""
    record = checkout_of(local)
    if record is None:
        raise InputError(f"“{Path(local).name}”不是共享台账的工作副本（旁边没有"
                         f"“{record_path(Path(local)).name}”），无需交回")
    shared = record.shared_path
    try:
        now = file_state(shared)
    except OSError as exc:
        raise PlaceError(f"找不到共享文件“{record.shared}”（{reason(exc)}；网络是否已断开？），"
                         "未交回，本机工作副本没有改动") from exc
    if now.sha256 != record.sha256:
        raise ConflictError(_changed_message(shared, record, "未交回"))
    return record, now


def checkin(source: sqlite3.Connection, local: Path) -> CheckinResult:
    """交回共享文件夹: replace the shared file with the working copy's content (see the module
    docstring); refused with a reason, and nothing written, when the shared file changed."""
    from core.backup import backup_path, backup_to
    from core.paths import backups_dir_for

    local = Path(local)
    record, _now = checkin_check(local)
    shared = record.shared_path
    folder = local.parent
    made, state = snapshot(source, folder, local.name)
    previous_holder: list[Path] = []
    try:
        if state.sha256 == record.sha256:
            return CheckinResult(shared, Path(), state, unchanged=True)

        def before_replace() -> None:
            if file_state(shared).sha256 != record.sha256:  # changed while we copied
                raise ConflictError(_changed_message(shared, record, "未交回"))
            old = _read_only(shared)
            try:  # the shared content as it was, where 从备份恢复 of the copy lists it
                previous_holder.append(backup_to(old, backup_path(
                    backups_dir_for(local), local, BEFORE_CHECKIN, clock.now())))
            finally:
                old.close()

        written = place(made, state, shared, before_replace=before_replace)
    finally:
        made.unlink(missing_ok=True)
    updated = Checkout(**{**asdict(record), "sha256": written.sha256, "size": written.size,
                          "mtime_ns": written.mtime_ns, "checked_in_at": clock.stamp()})
    _write_record(updated)
    return CheckinResult(shared, previous_holder[0], written)
