"""Shared fixtures: every test gets its own data folder and fresh ledgers in non-ASCII paths."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

# The suite draws every window offscreen unless told otherwise (QT_QPA_PLATFORM set by hand):
# without a screen Qt's default xcb plugin aborts the whole run ("Fatal Python error: Aborted"),
# and on a desktop real focus and window-manager timing would make keyboard tests depend on
# whatever else is on the screen. Set before pytest-qt creates the QApplication.
if not os.environ.get("QT_QPA_PLATFORM"):  # unset, or set to nothing
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

from core import clock  # noqa: E402
from core.demo import write_demo
from core.ledger import Ledger
from core.periods import Period


def running_under_wine() -> bool:
    """True for the Windows suite run by tools/wine/windows.py (Wine's ntdll says so)."""
    if sys.platform != "win32":
        return False
    import ctypes

    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """@pytest.mark.wine_gap("why"): expected to fail under Wine only, for the gap named; a
    pass there is reported (XPASS), and every other platform runs the test as usual."""
    if not running_under_wine():
        return
    for item in items:
        for mark in item.iter_markers("wine_gap"):
            item.add_marker(pytest.mark.xfail(reason=f"Wine gap: {mark.args[0]}", strict=False))


# The demo ledger the tests use: fixed, so that test expectations do not move with the calendar.
DEMO_PERIOD = Period(2026, 11)
# The day every test runs on, unless it fixes another (core.clock): no test reads the calendar.
TEST_TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[date]:
    with clock.fixed(TEST_TODAY):
        yield TEST_TODAY


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the per-user data folder (logs, backups, settings) at a temporary folder."""
    folder = tmp_path / "用户数据"
    monkeypatch.setenv("WORKLEDGER_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    folder = tmp_path / "张三" / "桌面"
    folder.mkdir(parents=True)
    return folder / "台账.db"


@pytest.fixture
def ledger(ledger_path: Path) -> Iterator[Ledger]:
    opened = Ledger.open(ledger_path)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo ledger, written once per test session; tests get copies of it."""
    folder = tmp_path_factory.mktemp("演示")
    path = folder / "演示台账.db"
    write_demo(path, period=DEMO_PERIOD).close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "张三" / "桌面" / "演示台账.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Ledger]:
    opened = Ledger.open(demo_path)
    yield opened
    opened.close()


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window said to the clerk (messages.inform / warn), instead of a dialog."""
    from ui import messages

    said: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _p, text, title="": said.append(text))
    monkeypatch.setattr(messages, "warn", lambda _p, text, title="": said.append(text))
    return said
