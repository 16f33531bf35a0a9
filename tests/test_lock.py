"""One writer per ledger: a second writer is told who has it and since when; readers always work."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import WINE_SYMLINK

from benchmarks.stress_kill import ROOT, child_env
from core.changes import os_user
from core.errors import LockedError, ReadOnlyError
from core.ledger import Ledger
from core.lock import LockInfo, lock_path

_HOLDER = r"""
import sys
from core.ledger import Ledger

ledger = Ledger.open(sys.argv[1])
print("open", flush=True)
sys.stdin.read()  # hold the ledger until the parent closes stdin (or kills us)
ledger.close()
"""


@pytest.fixture
def holder(ledger_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process (another copy of the app) with the ledger open for writing."""
    Ledger.open(ledger_path).close()
    child = subprocess.Popen([sys.executable, "-c", _HOLDER, str(ledger_path)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             encoding="utf-8", cwd=ROOT, env=child_env())
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "open"
    yield child
    if child.poll() is None:
        child.kill()
        child.wait()


def test_a_second_writer_in_another_process_is_refused_with_who_and_since(
    ledger_path: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(LockedError) as caught:
        Ledger.open(ledger_path)
    info = caught.value.holder
    assert isinstance(info, LockInfo)
    assert info.pid == holder.pid and info.user == os_user()
    assert info.host == socket.gethostname()
    message = caught.value.message
    assert "台账.db" in message and info.since_text in message
    assert "本机的另一个工作台账窗口" in message and "只读" in message


def test_read_only_works_while_another_process_writes(ledger_path: Path,
                                                      holder: subprocess.Popen[str]) -> None:
    with Ledger.open(ledger_path, readonly=True) as reader:
        assert reader.readonly
        assert reader.scalar("SELECT count(*) FROM indicators") > 0
        with pytest.raises(ReadOnlyError):
            reader.enterprises.add(name="只读时不能新增的企业")


def test_the_lock_of_a_killed_process_does_not_block(ledger_path: Path,
                                                     holder: subprocess.Popen[str]) -> None:
    holder.kill()
    holder.wait()
    assert lock_path(ledger_path).exists()  # left behind by the crash …
    with Ledger.open(ledger_path) as ledger:  # … and no obstacle
        ledger.enterprises.add(name="崩溃之后新增的企业")
        info = LockInfo.parse(lock_path(ledger_path).read_bytes())
        assert info is not None and info.pid == os.getpid()


def test_the_lock_is_released_when_the_holder_closes(ledger_path: Path,
                                                     holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0
    assert not lock_path(ledger_path).exists()
    Ledger.open(ledger_path).close()


def test_a_second_writer_in_the_same_process_is_refused(ledger: Ledger) -> None:
    with pytest.raises(LockedError):
        Ledger.open(ledger.path)
    with Ledger.open(ledger.path, readonly=True) as reader:
        assert reader.readonly
    ledger.close()
    assert not lock_path(ledger.path).exists()
    Ledger.open(ledger.path).close()


def test_a_lock_file_without_a_live_holder_is_taken_over(ledger_path: Path) -> None:
    Ledger.open(ledger_path).close()
    stale = {"user": "王五", "host": "OFFICE-PC", "pid": 999_999, "since": "2026-11-02T08:30:00"}
    lock_path(ledger_path).write_text(json.dumps(stale, ensure_ascii=False), encoding="utf-8")
    with Ledger.open(ledger_path):
        info = LockInfo.parse(lock_path(ledger_path).read_bytes())
        assert info is not None and info.pid == os.getpid() and info.user == os_user()


def test_the_message_names_a_colleague_and_the_time() -> None:
    info = LockInfo(user="王五", host="OFFICE-PC", pid=4242, since="2026-11-20T09:15:00")
    message = info.message("台账.db")
    assert "王五（电脑 OFFICE-PC）" in message and "2026-11-20 09:15" in message
    assert "只读" in message


def test_a_lock_held_without_readable_details_still_refuses(ledger_path: Path,
                                                           holder: subprocess.Popen[str]) -> None:
    lock_path(ledger_path).write_bytes(b"\x00garbage")  # e.g. caught half-written
    with pytest.raises(LockedError) as caught:
        Ledger.open(ledger_path)
    assert caught.value.holder is None
    assert "另一个工作台账窗口" in caught.value.message


def test_read_only_files_take_no_lock(demo_path: Path) -> None:
    with Ledger.open(demo_path, readonly=True) as reader:
        assert reader.writer_lock is None
        assert not lock_path(demo_path).exists()
    with Ledger.open(demo_path) as writer:
        assert writer.writer_lock is not None and writer.writer_lock.held


# -- issue 18 #6 and issue 14: holes in the one-writer lock -------------------------------------
def _break_lock_call(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    """Make the OS's lock call fail with `error` (msvcrt.locking on Windows, flock elsewhere)."""
    import core.lock as lock_module

    def failing(*_args: object) -> None:
        raise error

    if sys.platform == "win32":
        monkeypatch.setattr(lock_module.msvcrt, "locking", failing)
    else:
        monkeypatch.setattr(lock_module.fcntl, "flock", failing)


@pytest.mark.parametrize("error", [OSError(), OSError(None, "unknown"), OSError(9999, "odd")],
                         ids=["no-errno", "errno-None", "errno-9999"])
def test_a_lock_call_failing_with_an_unknown_error_is_locked_holder_unknown(
        ledger_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    Ledger.open(ledger_path).close()
    _break_lock_call(monkeypatch, error)
    with pytest.raises(LockedError) as caught:
        Ledger.open(ledger_path)
    assert caught.value.holder is None and "只读" in caught.value.message
    with Ledger.open(ledger_path, readonly=True) as ledger:  # the read-only offer works
        assert ledger.readonly


@pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")
def test_the_lock_file_can_be_locked_by_every_user_of_the_pc(ledger: Ledger) -> None:
    assert ledger.writer_lock is not None
    assert lock_path(ledger.path).stat().st_mode & 0o777 == 0o666


@WINE_SYMLINK
def test_a_symlink_or_another_spelling_of_the_path_meets_the_same_lock(ledger: Ledger,
                                                                       tmp_path: Path) -> None:
    other_spelling = ledger.path.parent / ".." / ledger.path.parent.name / ledger.path.name
    with pytest.raises(LockedError):
        Ledger.open(other_spelling)
    link = tmp_path / "快捷方式.db"
    try:
        link.symlink_to(ledger.path)
    except OSError as exc:  # Windows without the right to make symlinks
        pytest.skip(f"cannot make a symlink here: {exc}")
    with pytest.raises(LockedError):
        Ledger.open(link)


_AS_OTHER_USER = r"""
import sys
from core.errors import LockedError
from core.ledger import Ledger

try:
    ledger = Ledger.open(sys.argv[1])
except LockedError as exc:
    print("locked", exc.message)
else:
    print("opened", "readonly" if ledger.readonly else "writable")
    ledger.close()
"""


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder every user of the PC may write (a shared desktop, a share)."""
    import shutil
    import tempfile

    if sys.platform == "win32" or os.geteuid() != 0:
        pytest.skip("a second OS user is simulated by running a child as 'nobody', which "
                    "needs root")
    folder = Path(tempfile.mkdtemp(prefix="共享台账-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _open_as_nobody(ledger: Path) -> str:
    env = {**child_env(), "WORKLEDGER_DATA_DIR": str(ledger.parent / "nobody-data"),
           "HOME": str(ledger.parent)}
    done = subprocess.run([sys.executable, "-c", _AS_OTHER_USER, str(ledger)], user=65534,
                          group=65534, capture_output=True, text=True, encoding="utf-8",
                          cwd=ROOT, env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_second_os_user_cannot_write_while_the_first_holds_the_lock(shared_folder: Path
                                                                      ) -> None:
    path = shared_folder / "台账.db"
    Ledger.open(path).close()
    path.chmod(0o666)  # a ledger every user of the PC may write
    with Ledger.open(path):
        answer = _open_as_nobody(path)
    assert answer.startswith("locked"), answer


def test_an_unusable_lock_file_means_read_only_not_a_silent_second_writer(shared_folder: Path
                                                                          ) -> None:
    path = shared_folder / "台账.db"
    Ledger.open(path).close()
    path.chmod(0o666)
    lock_path(path).write_bytes(b"")
    lock_path(path).chmod(0o600)  # another user's lock file, left behind, unreadable to us
    answer = _open_as_nobody(path)
    assert answer.startswith("locked") and "无法确认" in answer, answer


def _hard_link(target: Path, link: Path) -> None:
    try:
        os.link(target, link)
    except OSError as exc:  # a file system without hard links (FAT32 USB stick)
        pytest.skip(f"cannot make a hard link here: {exc}")


def test_two_hard_links_to_one_ledger_meet_the_same_lock(holder: subprocess.Popen[str],
                                                         ledger_path: Path,
                                                         tmp_path: Path) -> None:
    """Issue 18 #6b: each name of the file had a lock file of its own, so a second window (or
    a colleague) opening the other name wrote at the same time."""
    other_folder = tmp_path / "李四" / "文档"
    other_folder.mkdir(parents=True)
    link = other_folder / "台账（硬链接）.db"
    _hard_link(ledger_path, link)
    with pytest.raises(LockedError) as raised:
        Ledger.open(link)
    assert "本机的另一个工作台账窗口" in raised.value.message
    with Ledger.open(link, readonly=True) as reader:  # reading still works
        assert reader.readonly
    holder.stdin.close()  # type: ignore[union-attr]
    holder.wait(timeout=60)
    with Ledger.open(link) as writer:  # once the holder is gone, the link opens
        assert writer.writer_lock is not None and writer.writer_lock.identity is not None
        identity = writer.writer_lock.identity.path
        with pytest.raises(LockedError):  # and the first name is locked in turn
            Ledger.open(ledger_path)
    assert not identity.exists()  # given up with the ledger


def test_the_file_identity_lock_needs_a_file_id(ledger: Ledger) -> None:
    """Windows gives the file index as st_ino (Python ≥ 3.5): non-zero, else no identity
    lock could be keyed — the Windows test run checks it there."""
    from core.lock import identity_lock_path

    assert os.stat(ledger.path).st_ino != 0
    found = identity_lock_path(ledger.path)
    assert found is not None and found.exists()
    assert ledger.writer_lock is not None and ledger.writer_lock.identity is not None
    assert ledger.writer_lock.identity.path == found


def test_portable_mode_keeps_the_identity_lock_on_the_stick(ledger_path: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """Portable mode writes nothing to the PC: the lock every hard link meets lives in the
    stick's data folder (both users run the stick's copy, so they meet there)."""
    from core import paths

    stick = tmp_path / "U盘" / "data"
    monkeypatch.setattr(paths, "is_portable", lambda: True)
    monkeypatch.setattr(paths, "data_dir", lambda: stick)
    Ledger.open(ledger_path).close()
    with Ledger.open(ledger_path) as ledger:
        assert ledger.writer_lock is not None and ledger.writer_lock.identity is not None
        assert ledger.writer_lock.identity.path.parent == stick / "locks"
        link = tmp_path / "另一个名字.db"
        _hard_link(ledger_path, link)
        with pytest.raises(LockedError):
            Ledger.open(link)
