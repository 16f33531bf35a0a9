"""Ledgers on network folders are found and never written in place (faked mounts and paths)."""

from __future__ import annotations

import sys
from pathlib import Path, PureWindowsPath

import pytest

from core import network
from core.errors import PlaceError, ReadOnlyError
from core.ledger import Ledger
from tests.helpers import file_digest

LOCAL_MOUNTS = "/dev/sda1 / ext4 rw,relatime 0 0\ntmpfs /tmp tmpfs rw 0 0\n"
LINUX_ONLY = pytest.mark.skipif(
    sys.platform == "win32", reason="Linux's mount table: on Windows a network drive is found "
    "by its UNC path or GetDriveTypeW (tested below)")


@pytest.mark.parametrize("text, unc", [
    ("\\\\server\\share\\科工信局\\台账.db", True),
    ("//server/share/台账.db", True),
    ("\\\\?\\UNC\\server\\share\\台账.db", True),
    ("\\\\?\\C:\\Users\\张三\\台账.db", False),
    ("C:\\Users\\张三\\桌面\\台账.db", False),
    ("/home/张三/台账.db", False),
])
def test_unc_paths(text: str, unc: bool) -> None:
    assert network.is_unc(text) is unc
    assert bool(network.network_reason(Path(text))) is unc or not unc


@LINUX_ONLY
def test_mount_table_finds_the_longest_mount_point() -> None:
    table = LOCAL_MOUNTS + ("//nas/科工信局 /mnt/共享\\040盘 cifs rw 0 0\n"
                            "nas:/vol /mnt/共享 盘/本地 ext4 rw 0 0\n")
    assert network.mount_of(Path("/mnt/共享 盘/台账.db"), table) == ("/mnt/共享 盘", "cifs")
    assert network.mount_of(Path("/mnt/共享 盘x/台账.db"), table) == ("/", "ext4")
    assert network.mount_of(Path("/home/张三/台账.db"), table) == ("/", "ext4")


@LINUX_ONLY
@pytest.mark.parametrize("kind", ["nfs4", "cifs", "smb3", "fuse.sshfs"])
def test_a_ledger_on_a_network_mount_opens_read_only(
        demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    mounts = tmp_path / "mounts"
    share = demo_path.parent.resolve()
    mounts.write_text(LOCAL_MOUNTS + f"server:/share {str(share).replace(' ', chr(92) + '040')}"
                      f" {kind} rw 0 0\n", encoding="utf-8")
    monkeypatch.setattr(network, "MOUNTS", mounts)
    before = file_digest(demo_path)
    with Ledger.open(demo_path) as ledger:
        assert ledger.readonly and "网络" in ledger.readonly_reason
        with pytest.raises(ReadOnlyError, match="网络"):
            ledger.metrics.set("规上工业增加值增速", ledger.latest_period(), "note", "改")
    assert file_digest(demo_path) == before
    assert sorted(p.name for p in demo_path.parent.iterdir()) == [demo_path.name]  # no lock
    with pytest.raises(PlaceError, match="网络文件夹"):
        Ledger.open(demo_path.with_name("新台账.db"))
    assert not demo_path.with_name("新台账.db").exists()


def test_a_local_ledger_is_written_as_before(demo_path: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(LOCAL_MOUNTS + "server:/share /srv/别处 nfs4 rw 0 0\n", encoding="utf-8")
    monkeypatch.setattr(network, "MOUNTS", mounts)
    with Ledger.open(demo_path) as ledger:
        assert not ledger.readonly


def test_a_mapped_network_drive_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network.sys, "platform", "win32")
    monkeypatch.setattr(network.os.path, "abspath", lambda p: str(p))
    types = {"Z:\\": 4, "C:\\": 3}
    monkeypatch.setattr(network, "_drive_type", lambda root: types[root])
    assert "网络驱动器" in network.network_reason(PureWindowsPath("Z:\\台账\\台账.db"))  # type: ignore[arg-type]
    assert network.network_reason(PureWindowsPath("C:\\Users\\张三\\台账.db")) == ""  # type: ignore[arg-type]
