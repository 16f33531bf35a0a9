"""Ledgers on network folders in the window: working copies, check-in, published copies.

Opening a ledger on a network path (文件 → 打开…, 最近打开,
`main.py --db \\\\server\\share\\台账.db`) asks first: 在本机建工作副本 / 只读打开 (and
继续使用本机工作副本 when this PC has one). A banner
above the tabs says what is open: a working copy of which shared file, or a read-only ledger and
why (a published copy: 「只读副本，发布于 … 由 …」). 文件 → 交回共享文件夹 and 文件 → 发布只读副本…
run core.working_copy and core.published_copy. The questions are module functions so that tests
can answer them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from core.errors import LedgerError
from core.ledger import Ledger
from ui import messages
from ui.i18n import tr

if TYPE_CHECKING:
    from core.working_copy import Checkout
    from ui.main_window import MainWindow

NOT_SHARED = object()  # open_shared: not a shared ledger, open it as usual
COPY, CONTINUE, FRESH, READ_ONLY, CANCEL = "copy", "continue", "fresh", "readonly", "cancel"
WORKING_STYLE = "background: #e8f1fb; color: #123a6b; padding: 5px 10px;"
READ_ONLY_STYLE = "background: #fff4d6; color: #5c4300; padding: 5px 10px;"


# -- the question asked when a shared ledger is opened (replaced in tests) --------------------
def ask_shared(parent: QWidget | None, path: Path, existing: Checkout | None) -> str:
    box = shared_question(parent, path, existing)
    box.exec()
    return str(box.clickedButton().property("choice") or CANCEL) if box.clickedButton() else CANCEL


def shared_question(parent: QWidget | None, path: Path, existing: Checkout | None
                    ) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Question, tr("共享文件夹中的台账"),
                      f"“{path.name}”在网络共享文件夹中：\n{path.parent}\n\n"
                      "多台电脑同时写入会损坏台账，因此不能直接在共享文件夹中修改。",
                      QMessageBox.StandardButton.NoButton, parent)
    if existing is not None:
        from core import clock

        box.setInformativeText(
            f"本机已有它的工作副本（{clock.shown(existing.checked_out_at)} 取出"
            + (f"，{clock.shown(existing.checked_in_at)} 交回过" if existing.checked_in_at else "")
            + "）。可以继续使用这份副本，改完后用“文件 → 交回共享文件夹”交回。")
        buttons = [(CONTINUE, "继续使用本机工作副本", QMessageBox.ButtonRole.AcceptRole),
                   (FRESH, "重新建工作副本", QMessageBox.ButtonRole.ActionRole)]
    else:
        box.setInformativeText("可以在本机建一份工作副本来修改，改完后用“文件 → 交回共享文件夹”"
                               "交回；或只读打开，只查看不修改。")
        buttons = [(COPY, "在本机建工作副本", QMessageBox.ButtonRole.AcceptRole)]
    buttons += [(READ_ONLY, "只读打开", QMessageBox.ButtonRole.ActionRole),
                (CANCEL, "取消", QMessageBox.ButtonRole.RejectRole)]
    for choice, text, role in buttons:
        button = box.addButton(tr(text), role)
        button.setProperty("choice", choice)
        if choice in (COPY, CONTINUE):
            box.setDefaultButton(button)
    return box


def is_shared(path: Path) -> bool:
    """A ledger on a network path that is not a published copy (that one only opens read-only)."""
    from core.network import network_reason
    from core.published_copy import published_reason

    return path.is_file() and bool(network_reason(path)) and not published_reason(path)


def open_shared(parent: QWidget | None, path: Path) -> object:
    """Ask and open a shared ledger: its working copy (made now, or this PC's), or the shared
    file read-only; None when the clerk cancelled or it failed (shown); NOT_SHARED for any
    other path."""
    from core import working_copy
    from ui import opening

    if not is_shared(path):
        return NOT_SHARED
    existing = working_copy.existing_copy(path)
    choice = ask_shared(parent, path, existing)
    if choice == READ_ONLY:
        try:
            return Ledger.open(path, readonly=True)
        except LedgerError as exc:
            messages.warn(parent, exc.message, tr("无法打开台账"))
            return None
    if choice == CONTINUE and existing is not None:
        shown = getattr(parent, "ledger", None)  # the window has the copy open already
        if isinstance(shown, Ledger) and working_copy._key(shown.path) == working_copy._key(
                existing.local_path):
            return shown
        return opening.try_open(parent, existing.local_path)
    if choice not in (COPY, FRESH):
        return None

    def take() -> Path:  # a fresh copy goes beside the older one, which is kept as it is
        return working_copy.checkout(path).local_path

    local = messages.attempt(parent, take)
    return None if local is None else opening.try_open(parent, local)


# -- the banner and the menu entries -------------------------------------------------------
def banner_text(ledger: Ledger) -> tuple[str, str]:
    """What the banner above the tabs says about `ledger`, and its style ('' when nothing)."""
    from core.working_copy import checkout_of

    if not ledger.readonly:
        record = checkout_of(ledger.path)
        if record is None:
            return _packet_banner(ledger), WORKING_STYLE
        return (f"{record.describe()}。改完后请用“文件 → 交回共享文件夹”交回，"
                "其他人才能看到您的修改。", WORKING_STYLE)
    reason = ledger.readonly_reason
    return (f"{reason if reason.startswith('只读') else '只读：' + reason}。不能修改。",
            READ_ONLY_STYLE)


def _packet_banner(ledger: Ledger) -> str:
    """A fill-in packet says what it is: a unit opening it should not take it for a ledger."""
    from core.packets import packet_info

    info = packet_info(ledger)
    if info is None:
        return ""
    due = f"，请于 {info.due} 前交回" if info.due else ""
    return (f"这是{info.bureau or '下发单位'}下发给“{info.unit}”的{info.period.label}填报包，只含"
            f"本单位要填的内容{due}。填好后请用“文件 → 导出报送包…”导出报送包交回。")


def ask_publish_target(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, tr("发布只读副本"), str(suggested),
                                                tr("工作台账 (*.db)"))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".db" else path.with_name(path.name + ".db")


class SharingActions:
    """The banner, 交回共享文件夹 and 发布只读副本… of one main window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.banner = QLabel(window)
        self.banner.setObjectName("sharing_banner")
        # one line as wide as the window (a wrapped label in a tool bar is laid out narrow and
        # tall); the whole text is also its tool tip in a window too narrow for it
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.banner.setMinimumWidth(1)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QToolBar(tr("台账位置"), window)
        self.bar.setObjectName("sharing_bar")
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        self.bar.toggleViewAction().setVisible(False)
        self.bar.addWidget(self.banner)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.setVisible(False)

        file_menu = window.menus["文件"]
        anchor = next((a for a in file_menu.actions() if a.text() == tr("设置…")), None)
        self.checkin_action = QAction(tr("交回共享文件夹"), window)
        self.checkin_action.triggered.connect(lambda _checked=False: self.checkin())
        self.publish_action = QAction(tr("发布只读副本…"), window)
        self.publish_action.triggered.connect(lambda _checked=False: self.publish())
        for action in (self.checkin_action, self.publish_action):
            file_menu.insertAction(anchor, action)
        file_menu.insertSeparator(anchor)
        window.ledger_shown.connect(self.show_ledger)
        self.checkin_action.setEnabled(False)

    def show_ledger(self, ledger: Ledger) -> None:
        from core.working_copy import checkout_of

        text, style = banner_text(ledger)
        self.banner.setText(text)
        self.banner.setToolTip(text)
        self.banner.setStyleSheet(style)
        self.bar.setVisible(bool(text))
        working = not ledger.readonly and checkout_of(ledger.path) is not None
        self.checkin_action.setEnabled(working)
        if working:
            self.window.setWindowTitle(f"{self.window.windowTitle()}（{tr('本机工作副本')}）")

    def checkin(self) -> None:
        from core.working_copy import checkin

        ledger = self.window.ledger
        if ledger is None:
            return
        if not self.window.commit_pending_edits() and not messages.confirm(
                self.window, "新增行中还有未填完、未能保存的内容，交回的台账中不会有它。"
                "仍然交回吗？"):
            return
        result = messages.attempt(self.window, lambda: checkin(ledger.conn, ledger.path))
        if result is None:
            return
        self.show_ledger(ledger)
        if result.unchanged:
            messages.inform(self.window, f"工作副本与共享文件内容相同，无需交回：\n{result.shared}")
            return
        messages.inform(self.window, f"已交回共享文件夹：\n{result.shared}\n\n"
                                     f"交回前的共享文件已备份到：\n{result.previous}")

    def publish(self) -> None:
        from core.published_copy import SUFFIX, describe, publish

        ledger = self.window.ledger
        if ledger is None:
            return
        self.window.commit_pending_edits()
        suggested = Path.home() / f"{ledger.path.stem}{SUFFIX}.db"
        target = ask_publish_target(self.window, suggested)
        if target is None:
            return
        result = messages.attempt(self.window, lambda: publish(ledger.conn, ledger.path, target))
        if result is not None:
            messages.inform(self.window, describe(result) + "\n\n打开它的人只能查看，不能修改。")


def install(window: MainWindow) -> SharingActions:
    actions = SharingActions(window)
    window.sharing_actions = actions  # type: ignore[attr-defined]  # kept alive with the window
    return actions
