"""Keys go where the clerk typed them: a read-only cell keeps them out, Tab follows entry order.

Regression tests of the field findings: typing `55` on a read-only 上年同期 moved the cursor by
Qt's keyboard search and stored 5 in another row; `26.35 Tab 25.5 Tab 26.5 Enter` stored 确保目标
= 26.5 and lost 25.5, because Tab landed on the read-only 单位 column.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_ui_support import DEMO_PERIOD, column_of, editor_of, focus_cell, open_tab, type_text

from core.ledger import Ledger
from ui.tabs.indicators import IndicatorsTab


def _audit_count(ledger: Ledger) -> int:
    return int(ledger.scalar("SELECT count(*) FROM audit"))


def _row(tab: IndicatorsTab, test) -> int:
    model = tab.model
    return next(n for n in range(model.rowCount())
                if (f := model.figure_of(model.record(n))) is not None and test(f))


def test_typing_on_a_read_only_cell_writes_nothing_anywhere(qtbot, demo: Ledger) -> None:
    tab, _ops = open_tab(qtbot, IndicatorsTab, demo)
    view = tab.page.view
    row = _row(tab, lambda f: f.last_year_source == "record" and f.indicator.kind == "count")
    column = column_of(view, "last_year")
    assert not tab.model.flags(tab.model.index(row, column)) & Qt.ItemFlag.ItemIsEditable
    before = _audit_count(demo)
    focus_cell(qtbot, view, row, column)
    type_text(qtbot, view, "55")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert _audit_count(demo) == before  # nothing stored, in no row
    assert view.last_message.endswith("不能直接修改")
    # The cursor moved down with Enter only, never to a cell that starts with "5".
    assert view.currentIndex().column() == column
    assert view.currentIndex().row() == row + 1


def test_keyboard_search_is_off_in_every_table(qtbot, demo: Ledger) -> None:
    tab, _ops = open_tab(qtbot, IndicatorsTab, demo)
    view = tab.page.view
    focus_cell(qtbot, view, 1, column_of(view, "name"))
    start = view.currentIndex()
    view.keyboardSearch("规")
    assert view.currentIndex() == start


def test_tab_follows_the_editable_columns_and_nothing_typed_is_lost(qtbot, ledger: Ledger
                                                                     ) -> None:
    tab, _ops = open_tab(qtbot, IndicatorsTab, ledger)
    view = tab.page.view
    row = _row(tab, lambda f: f.indicator.code == "above_scale_va_growth")
    focus_cell(qtbot, view, row, column_of(view, "value"))
    for text, key in (("26.35", Qt.Key.Key_Tab), ("25.5", Qt.Key.Key_Tab),
                      ("26.5", Qt.Key.Key_Return)):
        target = editor_of(view) or view
        type_text(qtbot, target if target is not view else view, text[0])
        editor = editor_of(view)
        assert editor is not None, f"typing {text} opened no editor"
        type_text(qtbot, editor, text[1:])
        qtbot.keyClick(editor, key)
        qtbot.waitUntil(lambda e=editor: editor_of(view) is not e)
    figure = ledger.metrics.figure("above_scale_va_growth", DEMO_PERIOD)
    assert (figure.value, figure.target_committed, figure.target_stretch) == (26.35, 25.5, 26.5)


def test_shift_tab_goes_back_over_read_only_columns(qtbot, ledger: Ledger) -> None:
    tab, _ops = open_tab(qtbot, IndicatorsTab, ledger)
    view = tab.page.view
    row = _row(tab, lambda f: f.indicator.code == "above_scale_va_growth")
    focus_cell(qtbot, view, row, column_of(view, "target_committed"))
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.currentIndex().column() == column_of(view, "value")  # 单位 skipped
