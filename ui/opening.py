"""Choosing and opening ledger files, and what to do when a file cannot be opened.

Core refuses bad files with one Chinese sentence (BadFileError) and never changes them; here the
clerk reads that sentence and picks another file or a new one — the app never dies on a bad file.
The file dialogs are module functions so that tests can replace them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from core.errors import BadFileError, LockedError, PlaceError
from core.ledger import Ledger
from core.paths import data_dir
from ui import messages, safety_menu
from ui.i18n import tr

FILE_FILTER = "工作台账 (*.db);;所有文件 (*)"


def ask_open_path(parent: QWidget | None) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, tr("打开台账"), str(data_dir()),
                                                tr(FILE_FILTER))
    return Path(name) if name else None


def ask_new_path(parent: QWidget | None, title: str = "新建台账") -> Path | None:
    """A file name for a new ledger; an existing file is refused (never overwritten)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, tr(title), str(data_dir() / "新台账.db"), tr(FILE_FILTER),
        options=QFileDialog.Option.DontConfirmOverwrite)
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(".db")
    if path.exists():
        messages.warn(parent, f"“{path.name}”已存在。为免覆盖已有数据，请换一个文件名。")
        return None
    return path


def ask_after_bad_file(parent: QWidget | None, message: str) -> str:
    """After a refused file: 'open' another, 'new' ledger, or 'quit'."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("无法打开台账"), message,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(tr("文件没有被修改。请选择其他台账文件，或新建一个台账。"))
    open_button = box.addButton(tr("打开其他文件…"), QMessageBox.ButtonRole.AcceptRole)
    new_button = box.addButton(tr("新建台账…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(tr("退出"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return "open" if clicked is open_button else "new" if clicked is new_button else "quit"


def try_open(parent: QWidget | None, path: Path) -> Ledger | None:
    """Open `path`; a refused file is shown and None returned (nothing changed). A ledger on
    a network folder is opened as the clerk chooses (ui.sharing: a working copy or read-only)."""
    from ui import sharing

    shared = sharing.open_shared(parent, path)
    if shared is not sharing.NOT_SHARED:
        return shared if isinstance(shared, Ledger) else None
    try:
        return Ledger.open(path)
    except LockedError as exc:  # another window writes it: offer read-only
        return safety_menu.open_read_only_instead(parent, path, exc)
    except BadFileError as exc:
        messages.warn(parent, exc.message, tr("无法打开台账"))
        return None


def open_until_ok(parent: QWidget | None, path: Path | None) -> Ledger | None:
    """Open `path`, and after a refusal let the clerk choose again; None: the clerk quit."""
    while True:
        from ui import sharing

        shared = sharing.open_shared(parent, path) if path is not None else sharing.NOT_SHARED
        if path is None:
            message = tr("尚未选择台账文件。")
        elif shared is not sharing.NOT_SHARED:
            if isinstance(shared, Ledger):
                return shared
            message = tr("共享文件夹中的台账没有打开。")
        else:
            try:
                return Ledger.open(path)
            except LockedError as exc:  # another window writes it: offer read-only
                ledger = safety_menu.open_read_only_instead(parent, path, exc)
                if ledger is not None:
                    return ledger
                message = exc.message
            except BadFileError as exc:
                from ui.dialogs import backups  # rarely needed: loaded when it is

                # a full disk or a read-only folder: the file is fine, a restore would not help
                if not isinstance(exc, PlaceError) and backups.offer_restore(
                        parent, path, exc.message):
                    continue  # open the restored file
                message = exc.message
        choice = ask_after_bad_file(parent, message)
        if choice == "open":
            path = ask_open_path(parent)
        elif choice == "new":
            path = ask_new_path(parent)
        else:
            return None
