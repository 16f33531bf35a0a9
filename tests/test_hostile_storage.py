"""Issue 18: a hostile and unlucky world meets the ledger file — a full disk (#4), bit rot (#3),
a stale rollback journal (#7), copies killed half-way (#9), causes worded wrongly (#11).

Root-only cases (a full tmpfs) run when the suite runs as root and are skipped otherwise."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import BadFileError, LedgerError, PlaceError
from core.ledger import Ledger


def _mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True)
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("a full disk is simulated with a small tmpfs, which needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "U盘"
    _mount_tmpfs(folder, "3m")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    handle = os.open(folder / "占满.bin", os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 512, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(handle)


def test_a_full_disk_is_named_and_the_ledger_is_not_called_damaged(small_disk: Path) -> None:
    path = small_disk / "台账.db"
    with Ledger.open(path) as ledger:
        for number in range(20):
            ledger.projects.add(name=f"项目{number}", note="备注" * 50)
    ledger = Ledger.open(path)
    project = ledger.scalar("SELECT id FROM projects LIMIT 1")
    _fill(small_disk)
    with pytest.raises(LedgerError) as caught:
        for number in range(300):  # the WAL grows until the disk refuses
            ledger.projects.set_field(project, "note", "新内容" * 1000 + str(number))
    assert type(caught.value) is LedgerError  # a clerk's message, not 发生意外错误
    assert "磁盘空间不足" in caught.value.message and "disk" not in caught.value.message
    ledger.close()
    for readonly in (True, False):  # afterwards: opens, or says the disk is full
        try:
            Ledger.open(path, readonly=readonly).close()
        except BadFileError as exc:
            assert isinstance(exc, PlaceError) and "磁盘空间不足" in exc.message, exc.message
            assert "损坏" not in exc.message


def test_a_new_ledger_on_a_full_disk_leaves_nothing(small_disk: Path) -> None:
    _fill(small_disk)
    target = small_disk / "新台账.db"
    with pytest.raises(PlaceError, match="磁盘空间不足"):
        Ledger.open(target)
    assert sorted(p.name for p in small_disk.iterdir()) == ["占满.bin"]


# -- 3: bit rot that keeps size and modification time ------------------------------------------
def _rot(path: Path, table: str = "services") -> None:
    """Flip bytes inside one table's page, keeping the file's size and modification time."""
    conn = sqlite3.connect(path)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    stat = path.stat()
    data = bytearray(path.read_bytes())
    start = (page - 1) * size
    for offset in range(start + 8, start + 60):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _cli(*args: str) -> tuple[int, str, str]:
    import io
    from contextlib import redirect_stderr

    from core.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        status = main(list(args), out)
    return status, out.getvalue(), err.getvalue()


def test_bit_rot_is_caught_by_the_next_days_open(demo_path: Path) -> None:
    import json

    from core import storage
    from core.paths import data_dir

    Ledger.open(demo_path).close()  # closed cleanly: remembered as checked
    assert storage.recently_checked(demo_path)
    _rot(demo_path)
    checked = data_dir() / storage.CHECKED_FILE
    known = json.loads(checked.read_text(encoding="utf-8"))
    known = {key: [size, mtime, day - 1] for key, (size, mtime, day) in known.items()}
    checked.write_text(json.dumps(known), encoding="utf-8")  # as if checked yesterday
    with pytest.raises(BadFileError, match="已损坏"):
        Ledger.open(demo_path)


def test_bit_rot_met_the_same_day_is_named_and_then_refused(demo_path: Path, tmp_path: Path
                                                            ) -> None:
    from core.exchange.excel_export import export_year
    from tests.conftest import DEMO_PERIOD

    with Ledger.open(demo_path) as ledger:
        workbook = export_year(ledger, DEMO_PERIOD.year, tmp_path / "导出.xlsx").path
        ledger.projects.add(name="导出之后新增的项目")
    _rot(demo_path)
    status, _out, err = _cli("import", "--db", str(demo_path), str(workbook), "--apply")
    assert status == 1 and "已损坏" in err and "发生意外错误" not in err, err
    assert "备份写入" not in err  # the ledger is the cause, not the backup folder
    status, out, err = _cli("check", "--db", str(demo_path))
    assert status == 1 and "发生意外错误" not in err, (out, err)
    assert "未通过" in out or "已损坏" in err, (out, err)
    with pytest.raises(BadFileError, match="已损坏"):  # no longer skipped by the cache
        Ledger.open(demo_path)


def test_sqlite_causes_are_worded_in_chinese(tmp_path: Path) -> None:
    from core.storage import sqlite_cause

    for code, words in ((11, "已损坏"), (13, "磁盘空间不足"), (8, "只读"), (5, "其他程序")):
        error = sqlite3.DatabaseError("database disk image is malformed")
        error.sqlite_errorcode = code  # type: ignore[attr-defined]
        cause, _damaged = sqlite_cause(error, tmp_path / "台账.db")
        assert words in cause and cause.isascii() is False


def test_check_of_a_rotten_ledger_reports_instead_of_crashing(demo_path: Path) -> None:
    Ledger.open(demo_path).close()
    _rot(demo_path)
    status, out, err = _cli("check", "--db", str(demo_path))
    assert status == 1 and "完整性检查：未通过" in out and "发生意外错误" not in err, (out, err)


# -- 7: a stale hot rollback journal beside the ledger ------------------------------------------
_HALF_WRITE = r"""
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA cache_size = 1")  # pages spill into the file before the commit
conn.execute("BEGIN")
conn.execute("UPDATE services SET description = coalesce(description, '') || '半途写入的内容'")
os._exit(0)  # killed half-way: a hot journal is left beside the file
"""


def _half_written_by_another_tool(path: Path) -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", _HALF_WRITE, str(path)], check=True)
    assert path.with_name(path.name + "-journal").stat().st_size > 0


def test_a_hot_journal_is_recovered_not_called_damaged(demo_path: Path) -> None:
    with Ledger.open(demo_path, readonly=True) as ledger:
        before = ledger.query("SELECT id, description FROM services ORDER BY id")
    _half_written_by_another_tool(demo_path)
    with Ledger.open(demo_path) as ledger:  # as sqlite3 itself would: the write rolled back
        assert ledger.query("SELECT id, description FROM services ORDER BY id") == before
        assert ledger.integrity_problems() == []


def test_a_restore_leaves_no_journal_to_replay_into_the_restored_file(demo_path: Path,
                                                                      tmp_path: Path) -> None:
    from core.backup import backup_into, restore_file

    with Ledger.open(demo_path, readonly=True) as ledger:
        backup = backup_into(ledger.conn, ledger.path, tmp_path / "备份")
        expected = ledger.query("SELECT id, description FROM services ORDER BY id")
    _half_written_by_another_tool(demo_path)
    restore_file(demo_path, backup)
    assert not demo_path.with_name(demo_path.name + "-journal").exists()
    with Ledger.open(demo_path) as ledger:
        assert ledger.query("SELECT id, description FROM services ORDER BY id") == expected
        assert ledger.integrity_problems() == []


# -- 9: copies killed half-way leave ~….part files --------------------------------------------
_KILLED_COPY = r"""
import os, sys
from pathlib import Path
from core.files import write_atomically

def die(partial):
    partial.write_bytes(b"\0" * 4096)
    os._exit(9)  # killed in the middle of the copy

write_atomically(Path(sys.argv[1]), die)
"""


def _killed_copy(target: Path) -> None:
    import subprocess
    import sys

    from benchmarks.stress_kill import ROOT, child_env

    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", _KILLED_COPY, str(target)], cwd=ROOT, env=child_env(),
                   check=False)


def test_what_killed_copies_leave_is_pruned(ledger_path: Path) -> None:
    import time

    from core.backup import backup_path
    from core.paths import backups_dir_for

    Ledger.open(ledger_path).close()
    folder = backups_dir_for(ledger_path)
    for _ in range(3):  # killed backups, a killed restore
        _killed_copy(backup_path(folder, ledger_path, "每日"))
    _killed_copy(ledger_path.with_name(ledger_path.name + ".restoring"))
    leftovers = [*folder.glob("~*.part"), *ledger_path.parent.glob("~*.part")]
    assert len(leftovers) == 4
    an_hour_ago = time.time() - 2 * 3600
    for leftover in leftovers:
        os.utime(leftover, (an_hour_ago, an_hour_ago))
    _killed_copy(backup_path(folder, ledger_path, "备份"))  # one of now: may still be under way
    Ledger.open(ledger_path).close()
    remaining = [*folder.glob("~*.part"), *ledger_path.parent.glob("~*.part")]
    assert len(remaining) == 1 and remaining[0] not in leftovers


# -- 11: every cause named, in Chinese -----------------------------------------------------------
def test_an_empty_foreign_database_is_not_called_a_newer_version(tmp_path: Path) -> None:
    foreign = tmp_path / "别的程序.db"
    conn = sqlite3.connect(foreign)
    conn.execute("PRAGMA user_version = 99")  # numbered by its program, no tables yet
    conn.close()
    with pytest.raises(BadFileError) as caught:
        Ledger.open(foreign)
    assert "其他程序" in caught.value.message and "更新版本" not in caught.value.message


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(a writable folder, the same folder mounted read-only): a USB stick's write switch."""
    source, mounted = tmp_path / "源", tmp_path / "只读U盘"
    source.mkdir()
    mounted.mkdir()
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("root ignores file modes: a read-only folder is a read-only bind mount, "
                    "which needs root")
    for command in (["mount", "--bind", str(source), str(mounted)],
                    ["mount", "-o", "remount,ro,bind", str(mounted)]):
        if subprocess.run(command, capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", str(mounted)], check=False, capture_output=True)
            pytest.skip("cannot make a read-only bind mount here")
    try:
        yield source, mounted
    finally:
        subprocess.run(["umount", "-l", str(mounted)], check=False)


def test_a_read_only_folder_is_named_not_called_damaged(read_only_folder: tuple[Path, Path]
                                                        ) -> None:
    source, mounted = read_only_folder
    ledger = Ledger.open(source / "台账.db")
    ledger.projects.add(name="未写回的项目")
    shutil_copy = __import__("shutil").copyfile
    for suffix in ("", "-wal"):  # as a killed window left it, without its -shm
        shutil_copy(source / "台账.db", source / "副本.db") if not suffix else shutil_copy(
            source / f"台账.db{suffix}", source / f"副本.db{suffix}")
    ledger.close()
    with pytest.raises(BadFileError) as caught:
        Ledger.open(mounted / "副本.db")
    assert isinstance(caught.value, PlaceError) and "只读" in caught.value.message
    assert "损坏" not in caught.value.message and caught.value.message.isascii() is False
    with Ledger.open(mounted / "台账.db") as closed_cleanly:  # no WAL: opens read-only
        assert closed_cleanly.readonly and "只读" in closed_cleanly.readonly_reason


def test_no_english_warning_reaches_the_clis_stderr(demo_path: Path, tmp_path: Path) -> None:
    import sys

    from benchmarks.stress_kill import ROOT, child_env

    data = tmp_path / "数据"
    data.mkdir()
    (data / "backups").write_text("不是文件夹", encoding="utf-8")  # the daily backup fails
    env = {**child_env(), "WORKLEDGER_DATA_DIR": str(data)}
    done = subprocess.run([sys.executable, "main.py", "backup", "--db", str(demo_path), "--to",
                           str(tmp_path / "备份")], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", check=False)
    done = subprocess.run([sys.executable, "main.py", "restore", "--db", str(demo_path),
                           "--from", done.stdout.strip()], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", check=False)
    import re

    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr  # the one Chinese line, no log warning before it
    words = re.sub(r"“[^”]*”", "", lines[0])  # file names may be anything
    assert not re.search(r"[A-Za-z]{3,}", words), lines[0]


def test_the_dry_run_never_shows_an_internal_label(ledger: Ledger, tmp_path: Path) -> None:
    from core.exchange.excel_import import preview_file
    from tests.excel_files import write_xlsx

    path = write_xlsx(tmp_path / "公式.xlsx", {"企业名录": [
        ("企业名称", "行业"), ("=A5", "制造"), ("星河公司", "=B9")]})
    plan = preview_file(ledger, path)
    shown = " ".join([*(r.label + r.detail for r in plan.results()), *plan.notes])
    assert "FORMULA_WITHOUT_VALUE" not in shown and "公式" in shown, shown
