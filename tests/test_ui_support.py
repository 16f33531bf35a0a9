"""Helpers for the window's tests: open a tab on a ledger, type into cells with real keys.

(Named test_ui_* to sit with the window's tests; it holds no tests itself.)
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from core.ledger import Ledger
from core.periods import Period
from ui.operations import Operations
from ui.tab_base import LedgerTab
from ui.table.view import LedgerTableView

DEMO_PERIOD = Period(2026, 11)  # as tests/conftest.py


def open_tab(qtbot: QtBot, tab_class: type[LedgerTab], ledger: Ledger,
             period: Period = DEMO_PERIOD) -> tuple[Any, Operations]:
    """A tab on `ledger`, shown, refreshed after writes the way the main window does it."""
    ops = Operations()
    ops.set_ledger(ledger)
    tab = tab_class()
    qtbot.addWidget(tab)
    ops.setParent(tab)
    tab.set_period(period)
    tab.set_ledger(ledger, ops)
    ops.changed.connect(tab.refresh, Qt.ConnectionType.QueuedConnection)
    for action, keys in ((ops.stack.createUndoAction(tab), "Ctrl+Z"),  # as the 编辑 menu does
                         (ops.stack.createRedoAction(tab), "Ctrl+Y")):
        action.setShortcut(QKeySequence(keys))
        tab.addAction(action)
    tab.resize(1300, 700)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    return tab, ops


def editor_of(view: QAbstractItemView) -> QLineEdit | None:
    editors = [w for w in view.viewport().findChildren(QLineEdit) if w.isVisible()]
    return editors[0] if editors else None


def focus_cell(qtbot: QtBot, view: LedgerTableView, row: int, column: int) -> None:
    activate(qtbot, view)
    view.setCurrentIndex(view.model().index(row, column))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Key presses carrying `text`; characters QTest cannot map to a key (汉字, ３) go as
    key events with that text, the way a keyboard or input method delivers them."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     char))


def type_cell(qtbot: QtBot, view: LedgerTableView, row: int, column: int, text: str,
              end: Qt.Key = Qt.Key.Key_Return) -> None:
    """Select a cell, type `text` as the clerk does (the first key on the table), press `end`."""
    focus_cell(qtbot, view, row, column)
    type_text(qtbot, view, text[0])
    editor = editor_of(view)
    assert editor is not None, "typing did not open an editor"
    type_text(qtbot, editor, text[1:])
    qtbot.keyClick(editor, end)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState
                    or editor_of(view) is not editor)


def column_of(view: LedgerTableView, key: str) -> int:
    return next(n for n, c in enumerate(view.table_model().columns) if c.key == key)


def row_of(view: LedgerTableView, key: str, value: Any) -> int:
    model = view.table_model()
    return next(n for n in range(model.rowCount())
                if (r := model.record(n)) is not None and r.get(key) == value)


def set_clipboard(text: str) -> None:
    QApplication.clipboard().setText(text)


def activate(qtbot: QtBot, widget: QWidget) -> None:
    """Give `widget`'s window the focus back (the offscreen platform drops the activation
    when a completer popup closes; window shortcuts such as Ctrl+Z need it)."""
    window = widget.window()
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    widget.setFocus()


def press(qtbot: QtBot, view: LedgerTableView, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    activate(qtbot, view)
    qtbot.keyClick(view, key, modifier)
