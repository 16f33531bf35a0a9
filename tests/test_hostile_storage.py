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
