"""The window with a ledger on a (faked) network folder: working copy, check-in, publishing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from test_ui_support import focus_cell
from test_working_copy import INDICATOR, fake_share, note_of

from core import working_copy
from core.changes import os_user
from core.errors import PlaceError
from core.ledger import Ledger
from core.published_copy import publish
from tests.helpers import file_digest
from ui import opening, sharing
from ui.app import create_window
from ui.app_settings import AppSettings
from ui.main_window import MainWindow
from ui.tabs.projects import ProjectsTab


@pytest.fixture
def shared(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    share = fake_share(tmp_path / "共享盘" / "科工信局 𠮷", monkeypatch)
    target = share / "台账.db"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def window(qtbot: Any) -> MainWindow:
    shown = create_window(AppSettings())
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def answer(monkeypatch: pytest.MonkeyPatch, choice: str) -> list[Any]:
    asked: list[Any] = []

    def ask(_parent: Any, path: Path, existing: Any) -> str:
        asked.append((path, existing))
        return choice
    monkeypatch.setattr(sharing, "ask_shared", ask)
    return asked


def action(window: MainWindow, text: str) -> Any:
    return next(a for a in window.menus["文件"].actions() if a.text() == text)


def edit(ledger: Ledger, text: str) -> None:
    period = ledger.latest_period()
    assert period is not None
    ledger.metrics.set(INDICATOR, period, "note", text)


def test_open_shared_make_a_working_copy_and_check_it_in(
        qtbot: Any, window: MainWindow, shared: Path, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch, told: list[str]) -> None:
    asked = answer(monkeypatch, sharing.COPY)
    before = file_digest(shared)
    assert window.open_path(shared)
    assert asked == [(shared, None)]
    ledger = window.ledger
    assert ledger is not None and not ledger.readonly
    assert ledger.path.is_relative_to(data_dir / "工作副本")
    bar = window.sharing_actions.bar  # type: ignore[attr-defined]
    banner = window.sharing_actions.banner  # type: ignore[attr-defined]
    assert bar.isVisible() and str(shared) in banner.text() and "本机工作副本" in banner.text()
    assert "本机工作副本" in window.windowTitle()
    assert action(window, "交回共享文件夹").isEnabled()
    edit(ledger, "窗口中的修改")
    assert file_digest(shared) == before
    action(window, "交回共享文件夹").trigger()
    assert told and told[-1].startswith("已交回共享文件夹")
    assert note_of(shared) == "窗口中的修改"
    # reopening the shared ledger offers the copy, and continues with it
    asked = answer(monkeypatch, sharing.CONTINUE)
    local = ledger.path
    assert window.open_path(shared)
    assert asked[0][1] is not None and asked[0][1].local_path == local
    assert window.ledger is not None and window.ledger.path == local


def test_checkin_refused_in_the_window_when_the_share_changed(
        qtbot: Any, window: MainWindow, shared: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, told: list[str]) -> None:
    answer(monkeypatch, sharing.COPY)
    assert window.open_path(shared)
    assert window.ledger is not None
    edit(window.ledger, "我的修改")
    colleague = tmp_path / "李四.db"
    shutil.copyfile(shared, colleague)
    with Ledger.open(colleague) as theirs:
        edit(theirs, "李四的修改")
    shutil.copyfile(colleague, shared)
    changed = file_digest(shared)
    action(window, "交回共享文件夹").trigger()
    assert "已被修改" in told[-1] and "没有改动" in told[-1]
    assert file_digest(shared) == changed
    # a fresh copy: the old one is kept as it was, never deleted
    old = window.ledger.path
    asked = answer(monkeypatch, sharing.FRESH)
    assert window.open_path(shared)
    assert asked[0][1].local_path == old
    new = window.ledger.path
    assert new != old and new.name == "台账（2）.db" and new.parent == old.parent
    assert note_of(new) == "李四的修改" and note_of(old) == "我的修改"
    assert working_copy.existing_copy(shared).local_path == new


def test_open_shared_read_only(qtbot: Any, window: MainWindow, shared: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    answer(monkeypatch, sharing.READ_ONLY)
    assert window.open_path(shared)
    assert window.ledger is not None and window.ledger.readonly
    banner = window.sharing_actions.banner  # type: ignore[attr-defined]
    assert banner.text().startswith("只读：") and "网络" in banner.text()
    assert not action(window, "交回共享文件夹").isEnabled()


def test_cancel_opens_nothing(window: MainWindow, shared: Path, data_dir: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    answer(monkeypatch, sharing.CANCEL)
    assert not window.open_path(shared) and window.ledger is None
    assert not (data_dir / "工作副本").exists()


def test_the_command_line_db_on_a_share_asks_too(shared: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    answer(monkeypatch, sharing.COPY)
    ledger = opening.open_until_ok(None, shared)  # what `main.py --db \\server\share\…` runs
    assert ledger is not None and not ledger.readonly and ledger.path != shared
    assert working_copy.checkout_of(ledger.path) is not None
    ledger.close()


def test_the_question_names_the_share(qtbot: Any, shared: Path) -> None:
    box = sharing.shared_question(None, shared, None)
    qtbot.addWidget(box)
    texts = [b.text() for b in box.buttons()]
    assert sorted(texts) == sorted(["在本机建工作副本", "只读打开", "取消"])
    assert str(shared.parent) in box.text()


def test_a_published_copy_opens_read_only_with_its_banner(
        qtbot: Any, window: MainWindow, demo: Ledger, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, told: list[str]) -> None:
    share = fake_share(tmp_path / "共享" / "领导", monkeypatch)
    target = share / "台账（只读副本）.db"
    monkeypatch.setattr(sharing, "ask_publish_target", lambda _p, _s: target)
    window.set_ledger(demo)
    action(window, "发布只读副本…").trigger()
    assert told[-1].startswith("已发布只读副本") and target.is_file()
    asked = answer(monkeypatch, sharing.COPY)
    assert window.open_path(target)
    assert asked == []  # nothing to ask: a published copy only opens read-only
    ledger = window.ledger
    assert ledger is not None and ledger.readonly
    banner = window.sharing_actions.banner  # type: ignore[attr-defined]
    assert banner.text().startswith("只读副本，发布于 2026-11-28 ")
    assert banner.text().endswith("由 " + os_user() + "。不能修改。")
    window.tab_widget.setCurrentIndex(1)  # the tabs refuse edits
    projects = next(t for t in window.findChildren(ProjectsTab))
    qtbot.waitUntil(lambda: projects.model.rowCount() > 1)
    assert not projects.model.writable
    assert not projects.model.flags(projects.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    digest = file_digest(target)
    focus_cell(qtbot, projects.page.view, 0, 0)
    qtbot.keyClicks(projects.page.view, "x")
    assert file_digest(target) == digest
    with Ledger.open(demo.path) as source:  # published again while it is open here:
        if os.name != "nt":  # replaced (POSIX renames over an open file)
            assert publish(source.conn, source.path, target).replaced
        else:  # Windows renames over no open file: refused, saying who holds it, unchanged
            with pytest.raises(PlaceError, match="正被其他电脑或程序打开"):
                publish(source.conn, source.path, target)
            assert file_digest(target) == digest
