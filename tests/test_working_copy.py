"""Working copies of a ledger on a (faked) network folder, check-in, and published copies."""

from __future__ import annotations

import io
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import network, working_copy
from core.cli import main as cli_main
from core.errors import ConflictError, InputError, LedgerError, ReadOnlyError
from core.ledger import Ledger
from core.published_copy import publish, published_reason
from tests.helpers import dump, file_digest

LOCAL_MOUNTS = "/dev/sda1 / ext4 rw,relatime 0 0\ntmpfs /tmp tmpfs rw 0 0\n"
INDICATOR = "规上工业增加值增速"


def fake_share(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make `folder` look like an SMB mount (Linux's mount table) — and a UNC path on
    Windows, where the mount table is not read: every path under it is then 'on a share'."""
    folder.mkdir(parents=True, exist_ok=True)
    share = folder.resolve()
    mounts = folder.parent / "mounts"
    mounts.write_text(LOCAL_MOUNTS + f"//nas/科工信局 {str(share).replace(' ', chr(92) + '040')}"
                      " cifs rw 0 0\n", encoding="utf-8")
    monkeypatch.setattr(network, "MOUNTS", mounts)
    if sys.platform == "win32":
        real = network.is_unc
        monkeypatch.setattr(network, "is_unc", lambda text: real(text) or str(
            Path(text).resolve() if Path(text).is_absolute() else text).startswith(str(share)))
    return share


@pytest.fixture
def shared(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    share = fake_share(tmp_path / "共享盘 𠮷" / "科工信局", monkeypatch)
    target = share / "台账.db"
    shutil.copyfile(demo_template, target)
    return target


def edit(ledger: Ledger, text: str) -> None:
    period = ledger.latest_period()
    assert period is not None
    ledger.metrics.set(INDICATOR, period, "note", text)


def note_of(path: Path) -> str | None:
    with Ledger.open(path, readonly=True) as ledger:
        period = ledger.latest_period()
        assert period is not None
        return next(f.note for f in ledger.metrics.figures(period) if f.indicator.name == INDICATOR)


def test_the_shared_ledger_is_detected_and_read_only(shared: Path) -> None:
    assert network.network_reason(shared)
    with Ledger.open(shared) as ledger:
        assert ledger.readonly and "网络" in ledger.readonly_reason


def test_checkout_edit_checkin(shared: Path, tmp_path: Path) -> None:
    local = tmp_path / "张三" / "桌面" / "𠮷台账.db"
    record = working_copy.checkout(shared, local)
    assert local.is_file() and working_copy.checkout_of(local) == record
    assert record.sha256 == file_digest(shared) and record.size == shared.stat().st_size
    assert record.checked_out_at.startswith("2026-11-28")  # core.clock, not the wall clock
    assert working_copy.existing_copy(shared) == record
    before = file_digest(shared)
    with Ledger.open(local) as ledger:  # a local file: writable
        assert not ledger.readonly
        edit(ledger, "本机修改")
        assert file_digest(shared) == before  # never written in place
        result = working_copy.checkin(ledger.conn, ledger.path)
    assert not result.unchanged and result.previous.is_file()
    assert file_digest(result.previous) != file_digest(shared)
    assert note_of(shared) == "本机修改"
    assert note_of(result.previous) != "本机修改"  # the previous shared content, kept
    after = working_copy.checkout_of(local)
    assert after is not None and after.sha256 == file_digest(shared) and after.checked_in_at
    assert sorted(p.name for p in shared.parent.iterdir()) == ["台账.db"]  # no temp, no lock
    # the next check-in starts from the new content: editing again and checking in works
    with Ledger.open(local) as ledger:
        edit(ledger, "第二次修改")
        working_copy.checkin(ledger.conn, ledger.path)
    assert note_of(shared) == "第二次修改"


def test_default_place_is_the_data_folder(shared: Path, data_dir: Path) -> None:
    record = working_copy.checkout(shared)
    assert record.local_path.is_relative_to(data_dir / "工作副本")
    assert record.local_path.name == "台账.db"
    with pytest.raises(InputError, match="已存在"):
        working_copy.checkout(shared, record.local_path)


def test_checkin_refused_when_the_shared_file_changed(shared: Path, tmp_path: Path) -> None:
    local = tmp_path / "本机" / "台账.db"
    working_copy.checkout(shared, local)
    # a colleague checks in their own copy meanwhile
    other = tmp_path / "李四" / "台账.db"
    other.parent.mkdir()
    shutil.copyfile(shared, other)
    with Ledger.open(other) as theirs:
        edit(theirs, "李四的修改")
    replacement = tmp_path / "替换.db"
    with Ledger.open(other, readonly=True) as theirs:
        from core.backup import backup_to

        backup_to(theirs.conn, replacement)
    shutil.copyfile(replacement, shared)
    changed = file_digest(shared)
    with Ledger.open(local) as ledger:
        edit(ledger, "我的修改")
        record_before = working_copy.record_path(local).read_bytes()
        with pytest.raises(ConflictError) as refused:
            working_copy.checkin(ledger.conn, ledger.path)
    message = refused.value.message
    assert "已被修改" in message and "没有改动" in message and "重新建一份工作副本" in message
    assert "最近的修改：" in message  # who and when, from the shared file's audit
    assert file_digest(shared) == changed and note_of(shared) == "李四的修改"
    assert working_copy.record_path(local).read_bytes() == record_before
    assert sorted(p.name for p in shared.parent.iterdir()) == ["台账.db"]


def test_an_interrupted_checkin_leaves_the_shared_file_intact(
        shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "本机" / "台账.db"
    working_copy.checkout(shared, local)
    before, record = file_digest(shared), working_copy.record_path(local).read_bytes()
    real_copy = working_copy.copy_bytes

    def cut_off(source: Path, target: Path) -> None:
        real_copy(source, target)
        with target.open("r+b") as handle:  # half of it arrived, then the network went
            handle.truncate(target.stat().st_size // 2)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(working_copy, "copy_bytes", cut_off)
    with Ledger.open(local) as ledger:
        edit(ledger, "断网前的修改")
        with pytest.raises(LedgerError, match="共享文件未作修改"):
            working_copy.checkin(ledger.conn, ledger.path)
    assert file_digest(shared) == before
    assert sorted(p.name for p in shared.parent.iterdir()) == ["台账.db"]
    assert working_copy.record_path(local).read_bytes() == record
    monkeypatch.setattr(working_copy, "copy_bytes", real_copy)  # the network is back
    with Ledger.open(local) as ledger:
        working_copy.checkin(ledger.conn, ledger.path)
    assert note_of(shared) == "断网前的修改"


def test_a_garbled_transfer_is_caught_before_the_replace(
        shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "本机" / "台账.db"
    working_copy.checkout(shared, local)
    before = file_digest(shared)
    real_copy = working_copy.copy_bytes

    def garble(source: Path, target: Path) -> None:
        real_copy(source, target)
        with target.open("r+b") as handle:
            handle.seek(5000)
            handle.write(b"\xff" * 16)

    monkeypatch.setattr(working_copy, "copy_bytes", garble)
    with Ledger.open(local) as ledger:
        edit(ledger, "改")
        with pytest.raises(LedgerError, match="不一致"):
            working_copy.checkin(ledger.conn, ledger.path)
    assert file_digest(shared) == before


def test_checkin_of_a_plain_ledger_is_refused(demo_path: Path) -> None:
    with Ledger.open(demo_path) as ledger, pytest.raises(InputError, match="不是共享台账"):
        working_copy.checkin(ledger.conn, ledger.path)


def test_cli_checkout_and_checkin(shared: Path, tmp_path: Path) -> None:
    local = tmp_path / "张三" / "桌面" / "台账.db"
    out = io.StringIO()
    assert cli_main(["checkout", "--db", str(shared), "--out", str(local)], out) == 0
    assert "已建工作副本" in out.getvalue() and local.is_file()
    with Ledger.open(local) as ledger:
        edit(ledger, "命令行修改")
    before = file_digest(shared)
    out = io.StringIO()
    assert cli_main(["checkin", "--db", str(local)], out) == 0  # a dry run
    assert "加 --apply" in out.getvalue() and file_digest(shared) == before
    out = io.StringIO()
    assert cli_main(["checkin", "--db", str(local), "--apply"], out) == 0
    assert "已交回" in out.getvalue() and note_of(shared) == "命令行修改"


def test_cli_checkin_refused_says_why(shared: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    local = tmp_path / "本机" / "台账.db"
    working_copy.checkout(shared, local)
    with sqlite3.connect(str(shared)) as conn:  # an old WorkLedger wrote in place meanwhile
        conn.execute("UPDATE settings SET value = '\"别处\"' WHERE id = 'district'")
    conn.close()
    before = file_digest(shared)
    assert cli_main(["checkin", "--db", str(local), "--apply"], io.StringIO()) == 1
    assert "已被修改" in capsys.readouterr().err
    assert file_digest(shared) == before


# -- published copies -----------------------------------------------------------------------------
def test_publish_and_open_from_a_network_folder(demo: Ledger, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    share = fake_share(tmp_path / "共享" / "领导查看", monkeypatch)
    result = publish(demo.conn, demo.path, share)
    assert result.path == share / "演示台账（只读副本）.db" and not result.replaced
    assert published_reason(result.path).startswith("只读副本，发布于 2026-11-28 ")
    with Ledger.open(result.path) as copy:
        assert copy.readonly and copy.readonly_reason.startswith("只读副本，发布于")
        assert dump(copy.conn, skip=("audit", "settings")) == dump(
            demo.conn, skip=("audit", "settings"))
        with pytest.raises(ReadOnlyError, match="只读副本"):
            edit(copy, "领导改")
    before = file_digest(result.path)
    edit(demo, "再次发布")
    again = publish(demo.conn, demo.path, share)
    assert again.replaced and file_digest(again.path) != before
    assert note_of(again.path) == "再次发布"
    assert sorted(p.name for p in share.iterdir()) == ["演示台账（只读副本）.db"]
    with pytest.raises(InputError, match="只读副本"):  # not a copy to work on
        working_copy.checkout(again.path, tmp_path / "x.db")


def test_publish_never_overwrites_a_working_ledger(demo: Ledger, tmp_path: Path,
                                                   demo_template: Path) -> None:
    other = tmp_path / "别的台账.db"
    shutil.copyfile(demo_template, other)
    before = file_digest(other)
    with pytest.raises(InputError, match="不是只读副本"):
        publish(demo.conn, demo.path, other)
    assert file_digest(other) == before


def test_published_copy_refuses_import_and_packets(demo: Ledger, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    result = publish(demo.conn, demo.path, tmp_path / "发布" / "副本.db")
    before = file_digest(result.path)
    assert cli_main(["unit", "add", "--db", str(result.path), "工业科"],
                    io.StringIO()) == 1
    assert "只读副本" in capsys.readouterr().err
    assert file_digest(result.path) == before


def test_cli_publish(demo_path: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    folder = tmp_path / "共享" / "张三"
    folder.mkdir(parents=True)
    assert cli_main(["publish", "--db", str(demo_path), "--out", str(folder)], out) == 0
    assert "已发布只读副本" in out.getvalue()
    assert published_reason(folder / "演示台账（只读副本）.db")


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.floats(min_value=0.0, max_value=0.999), byte=st.integers(0, 255))
def test_any_change_of_the_shared_bytes_refuses_checkin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: float, byte: int) -> None:
    """Whatever byte of the shared file changed after check-out, check-in writes nothing."""
    import tempfile

    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        share = fake_share(Path(folder) / "共享 𠮷", monkeypatch)
        target = share / "台账.db"
        Ledger.open(Path(folder) / "原.db").close()
        shutil.copyfile(Path(folder) / "原.db", target)
        local = Path(folder) / "张三" / "台账.db"
        working_copy.checkout(target, local)
        data = bytearray(target.read_bytes())
        offset = int(where * len(data))
        if data[offset] == byte:
            byte = (byte + 1) % 256
        data[offset] = byte
        target.write_bytes(bytes(data))
        with Ledger.open(local) as ledger:
            with pytest.raises(ConflictError):
                working_copy.checkin(ledger.conn, ledger.path)
        assert target.read_bytes() == bytes(data)
        assert sorted(p.name for p in share.iterdir()) == ["台账.db"]
