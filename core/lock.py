"""One writer per ledger: an OS lock on a small file beside it (台账.db → 台账.db.lock).

The OS lock is what counts: the OS drops it when the owning process ends, also when it is killed
or the PC loses power, so a lock left behind by a crash never blocks the clerk. The file's
content only says who holds the lock (JSON: user, host, pid, since) for the message the second
opener reads. Opening read-only takes no lock and always works.

Two hard links to one ledger are two paths of one file: besides the lock file beside the path,
the writer takes a second lock keyed by the file's identity (st_dev/st_ino on POSIX; on Windows
the volume serial and file index os.stat gives) in a folder every user of the PC may write
(/tmp; %ProgramData%/WorkLedger/locks; in portable mode the stick's data folder), so every
name of the file meets the same lock.

POSIX uses flock() on the whole file. Windows locks are mandatory, so a byte far past the JSON is
locked there and the JSON stays readable. Where the file system cannot lock at all (some network
shares), the ledger opens without the lock and the log says so: SQLite's own locking still keeps
the file consistent.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from core.changes import os_user
from core.errors import LockedError

LOCK_SUFFIX = ".lock"
_WINDOWS_LOCK_OFFSET = 1 << 30
_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}
log = logging.getLogger("workledger.lock")

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(ledger: Path) -> Path:
    """The lock file of a ledger however its path is spelled: through a symlink, with `..`,
    in other letter case on Windows — one ledger, one lock file."""
    ledger = Path(ledger)
    try:
        real = ledger.resolve() if ledger.exists() else ledger.parent.resolve() / ledger.name
    except (OSError, RuntimeError):  # a symlink loop, an unreachable share: as given
        real = ledger.absolute()
    return real.with_name(real.name + LOCK_SUFFIX)


def identity_lock_path(ledger: Path) -> Path | None:
    """The lock file keyed by the ledger file's identity (the same for all its hard links), or
    None when the file does not exist yet or the file system gives no identity."""
    try:
        found = os.stat(ledger)
    except OSError:
        return None
    if not found.st_ino:  # a file system without file ids: the path's lock alone
        return None
    return _shared_lock_folder() / f"workledger-{found.st_dev:x}-{found.st_ino:x}{LOCK_SUFFIX}"


def _shared_lock_folder() -> Path:
    from core import paths

    if paths.is_portable():  # nothing is written to the PC: the stick's data folder
        return paths.data_dir() / "locks"
    if sys.platform == "win32":
        import tempfile

        base = os.environ.get("ProgramData") or os.environ.get("ALLUSERSPROFILE")
        return Path(base) / "WorkLedger" / "locks" if base else Path(tempfile.gettempdir())
    return Path("/tmp")  # every user's, whatever TMPDIR a user has set


@dataclass(frozen=True)
class LockInfo:
    """Who holds a ledger open for writing."""

    user: str
    host: str
    pid: int
    since: str  # ISO time

    @classmethod
    def of_this_process(cls) -> LockInfo:
        return cls(os_user(), socket.gethostname(), os.getpid(),
                   datetime.now().isoformat(timespec="seconds"))

    @classmethod
    def parse(cls, data: bytes) -> LockInfo | None:
        try:
            fields = json.loads(data.decode("utf-8"))
            return cls(str(fields["user"]), str(fields["host"]), int(fields["pid"]),
                       str(fields["since"]))
        except (ValueError, KeyError, TypeError):  # half-written or foreign content
            return None

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode("utf-8")

    @property
    def since_text(self) -> str:
        try:
            return datetime.fromisoformat(self.since).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.since

    def message(self, ledger_name: str) -> str:
        """The Chinese sentence the second opener reads."""
        me = LockInfo.of_this_process()
        if (self.user, self.host) == (me.user, me.host):
            who = "本机的另一个工作台账窗口"
        else:
            who = f"{self.user}（电脑 {self.host}）"
        return (f"“{ledger_name}”已由{who}自 {self.since_text} 起打开修改。同一台账同时只能在一处"
                "修改，可以以只读方式打开查看，或等对方关闭后再试")


def unknown_holder_message(ledger_name: str) -> str:
    return (f"“{ledger_name}”正由另一个工作台账窗口打开修改。同一台账同时只能在一处修改，"
            "可以以只读方式打开查看，或等对方关闭后再试")


def _read_info(path: Path) -> LockInfo | None:
    try:
        return LockInfo.parse(path.read_bytes()[:4096])
    except OSError:
        return None


class WriterLock:
    """The held lock of one ledger; `release()` when the ledger is closed."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd
        self.identity: WriterLock | None = None  # the lock by file identity (hard links)

    @classmethod
    def acquire(cls, ledger: Path) -> WriterLock | None:
        """Take the ledger's writer lock; raises LockedError while someone else holds it.

        Returns None when no lock can be taken here (read-only folder, a file system without
        locks): the caller then goes on as before; a read-only folder opens read-only anyway.
        """
        ledger = Path(ledger)
        lock = cls._take(ledger, lock_path(ledger))
        try:  # then the one every hard link of the file meets
            identity = cls.by_identity(ledger)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        if lock is None:
            return identity
        lock.identity = identity
        return lock

    @classmethod
    def by_identity(cls, ledger: Path) -> WriterLock | None:
        """The lock keyed by the file's identity alone (None: no file yet, no file id)."""
        path = identity_lock_path(ledger)
        return cls._take(ledger, path) if path is not None else None

    def cover_new_file(self, ledger: Path) -> None:
        """Once a ledger made under this lock exists: take its identity lock as well."""
        if self.identity is None:
            self.identity = WriterLock.by_identity(ledger)

    @classmethod
    def _take(cls, ledger: Path, path: Path) -> WriterLock | None:
        for _attempt in range(5):  # the holder may delete the file between our open and lock
            fd = _open_lock_file(ledger, path)
            if fd is None:
                return None
            try:
                locked = _try_lock(fd)
            except OSError as exc:
                if exc.errno in _UNSUPPORTED:
                    os.close(fd)
                    log.warning("file system cannot lock %s (%s): opened without lock",
                                path.name, exc)
                    return None
                # any other failure (an unknown or unset error number, as Windows' locking
                # may give): someone else may hold it — "locked, holder unknown"
                log.info("lock of %s failed (%r): taken as held by someone", ledger.name, exc)
                locked = False
            if not locked:
                os.close(fd)
                holder = _read_info(path)
                message = holder.message(ledger.name) if holder else unknown_holder_message(
                    ledger.name)
                raise LockedError(message, holder)
            if _same_file(fd, path):
                lock = cls(path, fd)
                lock._write_info()
                return lock
            _unlock(fd)
            os.close(fd)
        return None

    def _write_info(self) -> None:
        assert self._fd is not None
        try:
            os.ftruncate(self._fd, 0)
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, LockInfo.of_this_process().to_bytes())
        except OSError as exc:  # the lock holds without its description
            log.warning("cannot write lock info %s: %s", self.path, exc)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the lock up and remove its file (kept if another opener has it open)."""
        fd, self._fd = self._fd, None
        identity, self.identity = self.identity, None
        if fd is not None:
            if sys.platform == "win32":  # an open file cannot be deleted there: close first
                _unlock(fd)
                os.close(fd)
                _remove(self.path)
            else:  # delete while still holding it; a waiting opener sees the file is gone
                _remove(self.path)
                _unlock(fd)
                os.close(fd)
        if identity is not None:
            identity.release()


def _open_lock_file(ledger: Path, path: Path) -> int | None:
    """The lock file, opened (made when missing, shareable by every user of the PC: a colleague
    on a shared PC must be able to lock it too); None where no lock file can be made at all
    (a read-only folder: the ledger opens read-only there anyway). A lock file we cannot open
    means we cannot make sure that nobody else writes: LockedError, holder unknown."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except PermissionError:
        if not path.exists():
            log.info("no writer lock for %s: cannot create %s", ledger.name, path.name)
            return None
        try:  # another user's lock file: locking needs only reading (the details stay theirs)
            return os.open(path, os.O_RDONLY)
        except OSError as exc:
            log.info("unusable lock file %s: %s", path, exc)
            raise LockedError(unusable_message(ledger.name)) from exc
    except OSError as exc:
        log.info("no writer lock for %s: %s", ledger.name, exc)
        return None
    if sys.platform != "win32":
        try:
            if os.fstat(fd).st_uid == os.geteuid():
                os.fchmod(fd, 0o666)  # the umask made it 0644: others could not lock it
        except OSError as exc:  # pragma: no cover - a file system without modes
            log.info("cannot share lock file %s: %s", path, exc)
    return fd


def unusable_message(ledger_name: str) -> str:
    return (f"无法确认“{ledger_name}”此刻没有其他人在修改（锁文件“{ledger_name}{LOCK_SUFFIX}”"
            "无法使用，可能属于本机的其他用户）。可以以只读方式打开查看；要修改，请对方关闭"
            "工作台账，或请管理员删除该锁文件")


def _same_file(fd: int, path: Path) -> bool:
    """Whether `path` still names the file we locked (not deleted by its last holder)."""
    if sys.platform == "win32":
        return True  # a file open elsewhere cannot be deleted on Windows
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # in use by a waiting opener, or a read-only folder: harmless
        pass
