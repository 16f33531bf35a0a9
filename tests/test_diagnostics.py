"""帮助 → 导出诊断信息: logs and versions in a zip, the ledger's shape, none of its data."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from core import diagnostics, schema
from core.cli import main
from core.diagnostics import DETAILS_NAME, SUMMARY_NAME, write_diagnostics
from core.errors import LedgerError
from core.ledger import Ledger
from core.logs import LOG_NAME
from core.paths import log_dir


def _contents(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def _log(line: str) -> None:
    """A line in this test's log folder (logging itself is set up once per process)."""
    with (log_dir() / LOG_NAME).open("a", encoding="utf-8") as log:
        log.write(line + "\n")


def test_the_zip_has_versions_and_the_ledgers_shape_but_no_data(demo: Ledger,
                                                                 tmp_path: Path) -> None:
    _log("2026-11-20 09:15:00 WARNING workledger: a line for the log")
    written = write_diagnostics(tmp_path / "诊断", ledger=demo, extra={"Qt": "6.x"})
    assert written.suffix == ".zip"
    files = _contents(written)
    assert {SUMMARY_NAME, DETAILS_NAME, "logs/workledger.log"} <= set(files)
    details = json.loads(files[DETAILS_NAME])
    assert details["app"]["version"] and details["python"]["version"] and details["sqlite"]
    assert "openpyxl" in details["packages"] and details["extra"] == {"Qt": "6.x"}
    shape = details["ledger"]
    assert shape["user_version"] == schema.LATEST_VERSION and shape["quick_check"] == ["ok"]
    for table in ("enterprises", "projects", "services", "indicator_values"):
        assert shape["rows"][table] == demo.scalar(f"SELECT count(*) FROM {table}")
    everything = "\n".join(files.values())
    assert "a line for the log" in everything and "Qt：6.x" in files[SUMMARY_NAME]
    secrets = [r["name"] for r in demo.query("SELECT name FROM enterprises")]
    secrets += [r["name"] for r in demo.query("SELECT name FROM projects")]
    secrets += [r["description"] for r in demo.query("SELECT description FROM services")]
    secrets += [str(demo.setting("district")), demo.path.name, demo.path.parent.name]
    assert not [secret for secret in secrets if secret and secret in everything]


def test_logs_lose_the_users_name_and_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    home = tmp_path / "Users" / "张三"
    monkeypatch.setattr(diagnostics, "os_user", lambda: "张三")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    _log(f"2026-11-20 09:15:00 ERROR workledger: cannot open {home / '桌面' / '台账.db'} for 张三")
    files = _contents(write_diagnostics(tmp_path / "诊断.zip"))
    assert "张三" not in "\n".join(files.values())
    assert "<HOME>" in files["logs/workledger.log"]


def test_a_damaged_ledger_is_described_not_fatal(demo_path: Path, tmp_path: Path) -> None:
    data = bytearray(demo_path.read_bytes())
    data[4096 * 3: 4096 * 4] = b"\xff" * 4096
    demo_path.write_bytes(bytes(data))
    out = io.StringIO()
    assert main(["diagnose", "--out", str(tmp_path / "诊断.zip"), "--db", str(demo_path)],
                out=out) == 0
    shape = json.loads(_contents(tmp_path / "诊断.zip")[DETAILS_NAME])["ledger"]
    assert "problem" in shape or shape["quick_check"] != ["ok"]
    assert "不含台账数据" in out.getvalue()


def test_an_unwritable_place_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "文件"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(LedgerError, match="无法写入"):
        write_diagnostics(blocker / "诊断.zip")
    assert not list(tmp_path.glob("**/*.part"))


def test_the_help_menu_exports_them_with_the_qt_version(qtbot, demo_path: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import qVersion

    from ui import messages, safety_menu
    from ui.app import create_window
    from ui.app_settings import AppSettings

    window = create_window(AppSettings())
    qtbot.addWidget(window)
    window.set_ledger(Ledger.open(demo_path))
    target = tmp_path / "诊断信息.zip"
    monkeypatch.setattr(safety_menu, "ask_zip_file", lambda _w, suggested: target)
    told: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _p, text, title="": told.append(text))
    next(a for a in window.menus["帮助"].actions() if a.text() == "导出诊断信息…").trigger()
    assert f"Qt：{qVersion()}" in _contents(target)[SUMMARY_NAME]
    assert "不含台账中的数据" in told[-1]
    window.close()
