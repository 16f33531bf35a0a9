"""Keyboard fuzz of the tables: random keys a clerk in a hurry presses, then the audit log.

Random sequences of printable keys (digits, 万, %, letters, Chinese), Tab / Shift+Tab, Enter,
arrows, Delete, Backspace, F2 and Esc are sent to real views. Afterwards:
- typed keys open an editor only on the cell they were typed on (a run of keys begun on a
  read-only cell opens none elsewhere);
- every audited write is to a cell the clerk edited (an editor was open there) or cleared
  (selected when Delete was pressed), or a new record the clerk typed on the draft row;
- nothing typed was lost silently: every refused cell and every key on a read-only cell was
  told to the clerk (a message at the cell / in the status bar).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from test_ui_support import DEMO_PERIOD, open_tab

from core.ledger import Ledger
from ui import messages
from ui.dialogs import reason as reason_dialog
from ui.table.model import DRAFT
from ui.tabs.indicator_model import FIELD_OF
from ui.tabs.indicators import IndicatorsTab
from ui.tabs.projects import ProjectsTab

K = Qt.Key
_MOVES = [K.Key_Tab, K.Key_Backtab, K.Key_Return, K.Key_Up, K.Key_Down, K.Key_Left,
          K.Key_Right, K.Key_Delete, K.Key_Backspace, K.Key_F2, K.Key_Escape]
_KEYS = st.lists(st.one_of(st.sampled_from(list("0123456789.-%")), st.sampled_from(
    ["万", "亿", "第", "a", "是", "５"]), st.sampled_from(_MOVES)), min_size=5, max_size=30)


class Watch:
    """What the clerk did to which cell, and what they were told."""

    def __init__(self, view: Any) -> None:
        self.view = view
        # Cells by (row key, column): a row may move when its record is edited (a project's name).
        self.edited: set[tuple[Any, int]] = set()  # cells an editor was opened on
        self.cleared: set[tuple[Any, int]] = set()  # cells selected when Delete was pressed
        self.drafts = 0  # new records committed from the draft row
        self.refused = 0
        self.told = 0
        self.typing_at: tuple[int, int] | None = None  # the cell a run of typed keys began on
        self.misplaced: list[tuple[tuple[int, int], tuple[int, int]]] = []
        original_edit = view.edit

        def edit(index: Any, *args: Any) -> bool:
            opened = original_edit(index, *args)
            if opened:
                cell = (index.row(), index.column())
                self.edited.add(self.key(index.row(), index.column()))
                if self.typing_at is not None and cell != self.typing_at:
                    self.misplaced.append((self.typing_at, cell))  # typed here, edited there
            return opened
        view.edit = edit
        original_say = view.say

        def say(text: str) -> None:
            self.told += 1
            original_say(text)
        view.say = say
        view.table_model().refused.connect(self._refused)

    def _refused(self, *_args: object) -> None:
        self.refused += 1

    def key(self, row: int, column: int) -> tuple[Any, int]:
        return (self.view.table_model().key_at(row), column)


def _send(qtbot: Any, watch: Watch, key: Any) -> None:
    view = watch.view
    focus = QApplication.focusWidget()
    target = focus if isinstance(focus, QLineEdit) and view.isAncestorOf(focus) else view
    if target is view:
        view.setFocus()
    if isinstance(key, str):
        if target is view and watch.typing_at is None:
            current = view.currentIndex()
            watch.typing_at = (current.row(), current.column())
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     key))
    else:
        watch.typing_at = None
        if key == K.Key_Delete and target is view:
            watch.cleared |= {watch.key(i.row(), i.column()) for i in view.selectedIndexes()}
            current = view.currentIndex()
            watch.cleared.add(watch.key(current.row(), current.column()))
        modifier = (Qt.KeyboardModifier.ShiftModifier if key == K.Key_Backtab
                    else Qt.KeyboardModifier.NoModifier)
        qtbot.keyClick(target, key, modifier)
    QApplication.processEvents()


def _quiet(monkeypatch: pytest.MonkeyPatch, told: list[str]) -> None:
    monkeypatch.setattr(reason_dialog, "ask_reason", lambda _p, q: told.append(q) or "核实无误")
    monkeypatch.setattr(messages, "warn", lambda _p, text, *_a: told.append(text))
    monkeypatch.setattr(messages, "show_problems", lambda _p, text, *_a: told.append(text))
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)


def _indicator_cells(ledger: Ledger, tab: IndicatorsTab, row: dict[str, Any]
                     ) -> set[tuple[Any, int]]:
    """The 指标 cells an audit row wrote: one field of an update, every field an insert set."""
    model = tab.model
    columns = {field: n for n, c in enumerate(model.columns) if (field := FIELD_OF[c.key])}
    columns["text_value"] = columns["value"]
    if row["action"] == "insert":
        values = json.loads(row["new"])
        fields = [f for f, v in values.items() if f in columns and v not in (None, "", 0)]
        return {(values["indicator_id"], columns[f]) for f in fields}
    value_row = ledger.query("SELECT indicator_id FROM indicator_values WHERE id = ?",
                             (row["row_id"],))[0]
    if row["field"] not in columns:  # a reason stored with the value typed
        return {(value_row["indicator_id"], columns["value"])}
    return {(value_row["indicator_id"], columns[row["field"]])}


def _start_cell(model: Any, start: int, on_read_only: bool) -> tuple[int, int]:
    """A cell to start typing on; often a read-only one in a column that has editable cells
    too (a derived 上年同期 among typed ones): where keys used to go astray."""
    cells = [(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())
             if model.record(r) is not None and "section" not in model.record(r)]
    editable = {(r, c) for r, c in cells
                if model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsEditable}
    mixed = {c for _r, c in editable}
    read_only = [(r, c) for r, c in cells if (r, c) not in editable and c in mixed]
    pool = read_only if on_read_only and read_only else cells
    return pool[start % len(pool)]


def _play(qtbot: Any, monkeypatch: pytest.MonkeyPatch, ledger: Ledger, tab_class: type,
          keys: list[Any], start: Any) -> tuple[Any, Watch, int]:
    """Open `tab_class` on `ledger`, put the cursor where `start(model)` says, press `keys`;
    returns the tab, what was watched and the audit id before the first key."""
    told: list[str] = []
    _quiet(monkeypatch, told)
    mark = int(ledger.scalar("SELECT coalesce(max(id), 0) FROM audit"))
    tab, _ops = open_tab(qtbot, tab_class, ledger, DEMO_PERIOD)
    view = tab.page.view
    watch = Watch(view)
    view.setFocus()
    view.setCurrentIndex(tab.model.index(*start(tab.model)))
    for key in keys:
        _send(qtbot, watch, key)
    if view.state() == view.State.EditingState:
        _send(qtbot, watch, K.Key_Escape)
    return tab, watch, mark


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(keys=_KEYS, start=st.integers(0, 10_000), on_read_only=st.booleans())
def test_keys_on_the_indicators_table_write_only_where_typed(qtbot, demo_path, monkeypatch,
                                                             keys, start, on_read_only) -> None:
    with Ledger.open(demo_path) as ledger:
        tab, watch, mark = _play(qtbot, monkeypatch, ledger, IndicatorsTab, keys,
                                 lambda model: _start_cell(model, start, on_read_only))
        written = ledger.query("SELECT * FROM audit WHERE id > ? AND tbl = 'indicator_values'"
                               " AND action IN ('update', 'insert')", (mark,))
        allowed = watch.edited | watch.cleared
        for row in written:
            assert _indicator_cells(ledger, tab, row) <= allowed, (row, keys)
        assert watch.misplaced == [], keys  # keys went to the cell they were typed on
        assert watch.told >= watch.refused  # every refusal was said
        tab.close()


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(keys=_KEYS, column=st.integers(0, 10))
def test_keys_on_the_projects_table_write_only_where_typed(qtbot, demo_path, monkeypatch,
                                                           keys, column) -> None:
    with Ledger.open(demo_path) as ledger:
        # a project, not the draft row
        tab, watch, mark = _play(qtbot, monkeypatch, ledger, ProjectsTab, keys,
                                 lambda _model: (1, column))
        model = tab.model
        keys_by_column = {c.key: n for n, c in enumerate(model.columns)}
        updates = ledger.query("SELECT * FROM audit WHERE id > ? AND action = 'update'",
                               (mark,))
        allowed = watch.edited | watch.cleared
        for row in updates:
            if row["tbl"] == "projects":
                key = "enterprise" if row["field"] == "enterprise_id" else row["field"]
                assert (row["row_id"], keys_by_column[key]) in allowed, (row, keys)
            elif row["tbl"] == "project_investments":
                assert any(c == keys_by_column["invest_year"] for _r, c in allowed), (row, keys)
        inserts = ledger.scalar("SELECT count(DISTINCT row_id) FROM audit WHERE id > ? AND"
                                " action = 'insert' AND tbl = 'projects'", (mark,))
        assert inserts == 0 or any(r == DRAFT for r, _c in watch.edited)  # typed on the draft
        assert watch.misplaced == [], keys
        assert watch.told >= watch.refused
        tab.close()
