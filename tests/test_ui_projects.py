"""项目 tab: typing, Enter/Tab, paste, delete and undo with real keys; the totals line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_ui_support import (
    column_of,
    editor_of,
    focus_cell,
    open_tab,
    press,
    set_clipboard,
    type_cell,
    type_text,
)

from core.ledger import Ledger
from ui import messages
from ui.tabs.projects import ProjectsTab

KEY_UNDO = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


@pytest.fixture
def tab(qtbot, demo: Ledger):
    opened, ops = open_tab(qtbot, ProjectsTab, demo)
    return opened


def name_at(tab: ProjectsTab, row: int) -> str:
    record = tab.model.record(row)
    assert record is not None
    return str(record["name"])


def stored(ledger: Ledger, name: str, column: str):
    return ledger.scalar(f"SELECT {column} FROM projects WHERE name = ?", (name,))


def test_typing_replaces_the_cell_enter_stores_and_moves_down(qtbot, tab, demo):
    view = tab.page.view
    column = column_of(view, "total_investment")
    name = name_at(tab, 1)
    type_cell(qtbot, view, 1, column, "12.5")
    assert stored(demo, name, "total_investment") == 12.5
    qtbot.waitUntil(lambda: view.currentIndex().row() == 2)
    assert view.currentIndex().column() == column
    assert tab.ops.stack.undoText() == f"修改项目“{name}”的总投资"


def test_tab_moves_right_and_full_width_digits_and_units_are_understood(qtbot, tab, demo):
    view = tab.page.view
    column = column_of(view, "total_investment")
    name = name_at(tab, 3)
    type_cell(qtbot, view, 3, column, "３５００万", end=Qt.Key.Key_Tab)
    assert stored(demo, name, "total_investment") == pytest.approx(0.35)
    qtbot.waitUntil(lambda: view.currentIndex().column() == column + 1)
    assert view.currentIndex().row() == 3


def test_a_bad_value_is_refused_at_the_cell_and_kept_for_correction(qtbot, tab, demo):
    view = tab.page.view
    column = column_of(view, "signed_date")
    name = name_at(tab, 4)
    before = stored(demo, name, "signed_date")
    type_cell(qtbot, view, 4, column, "明天")
    assert stored(demo, name, "signed_date") == before
    assert "日期" in view.last_message
    editor = editor_of(view)  # the editor is open again with what was typed
    assert editor is not None and editor.text() == "明天"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)


def test_f2_keeps_the_content(qtbot, tab, demo):
    view = tab.page.view
    column = column_of(view, "note")
    name = name_at(tab, 2)
    focus_cell(qtbot, view, 2, column)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = editor_of(view)
    assert editor is not None
    type_text(qtbot, editor, "（重点）")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(demo, name, "note") == "（重点）")


def test_the_draft_row_adds_a_project_and_undo_redo_remove_and_restore_it(qtbot, tab, demo):
    view = tab.page.view
    enterprise = demo.enterprises.names()[0]
    count = demo.scalar("SELECT count(*) FROM projects")
    type_cell(qtbot, view, 0, column_of(view, "name"), "星河新项目", end=Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # past 状态 (read-only)
    type_cell(qtbot, view, 0, column_of(view, "enterprise"), enterprise, end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, column_of(view, "total_investment"), "3.2")
    assert demo.scalar("SELECT count(*) FROM projects") == count + 1
    project = demo.query("SELECT * FROM projects WHERE name = '星河新项目'")[0]
    assert project["total_investment"] == 3.2
    assert demo.enterprises.name_of(project["enterprise_id"]) == enterprise
    assert tab.model.draft == {}
    press(qtbot, view, *KEY_UNDO)
    assert demo.scalar("SELECT count(*) FROM projects") == count
    press(qtbot, view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert demo.scalar("SELECT count(*) FROM projects") == count + 1


def test_paste_edits_a_block_in_one_undo_step(qtbot, tab, demo):
    view = tab.page.view
    left = column_of(view, "total_investment")
    names = [name_at(tab, row) for row in (1, 2)]
    ids = [demo.scalar("SELECT id FROM projects WHERE name = ?", (n,)) for n in names]
    before = ([stored(demo, n, "total_investment") for n in names],
              [demo.projects.investments(i).get(2026) for i in ids])
    focus_cell(qtbot, view, 1, left)
    set_clipboard("8.8\t1.1\n9.9\t2.2\n")  # 总投资, 本年完成投资 of two projects
    press(qtbot, view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [stored(demo, n, "total_investment") for n in names] == [8.8, 9.9]
    assert [demo.projects.investments(i)[2026] for i in ids] == [1.1, 2.2]
    assert tab.ops.stack.count() == 1
    press(qtbot, view, *KEY_UNDO)
    assert ([stored(demo, n, "total_investment") for n in names],
            [demo.projects.investments(i).get(2026) for i in ids]) == before


def test_a_paste_with_bad_cells_is_refused_whole_with_the_cells_listed(qtbot, tab, demo,
                                                                      monkeypatch):
    shown = []
    monkeypatch.setattr(messages, "show_problems", lambda _p, summary, lines: shown.append(lines))
    view = tab.page.view
    left = column_of(view, "signed_date")
    names = [name_at(tab, row) for row in (1, 2)]
    before = [stored(demo, n, "signed_date") for n in names]
    focus_cell(qtbot, view, 1, left)
    set_clipboard("2024-01-05\n不是日期\n")
    press(qtbot, view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [stored(demo, n, "signed_date") for n in names] == before
    assert len(shown) == 1 and shown[0][0].startswith("第2行第1列「签约日期」")


def test_paste_below_the_last_row_adds_projects(qtbot, tab, demo):
    view = tab.page.view
    model = tab.model
    last = model.rowCount() - 1
    count = demo.scalar("SELECT count(*) FROM projects")
    focus_cell(qtbot, view, last, column_of(view, "name"))
    current = name_at(tab, last)
    set_clipboard(f"{current}\n粘贴新增甲项目\n粘贴新增乙项目\n")
    press(qtbot, view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert demo.scalar("SELECT count(*) FROM projects") == count + 2
    press(qtbot, view, *KEY_UNDO)
    assert demo.scalar("SELECT count(*) FROM projects") == count


def test_delete_clears_the_selected_cells_in_one_step(qtbot, tab, demo):
    view = tab.page.view
    column = column_of(view, "industry_chain")
    names = [name_at(tab, row) for row in (1, 2, 3)]
    focus_cell(qtbot, view, 1, column)
    view.selectionModel().select(
        view.model().index(3, column), view.selectionModel().SelectionFlag.Select)
    view.selectionModel().select(
        view.model().index(2, column), view.selectionModel().SelectionFlag.Select)
    press(qtbot, view, Qt.Key.Key_Delete)
    assert [stored(demo, n, "industry_chain") for n in names] == ["", "", ""]
    press(qtbot, view, *KEY_UNDO)
    assert all(stored(demo, n, "industry_chain") for n in names)


def test_copy_puts_the_selection_on_the_clipboard_as_tab_separated_text(qtbot, tab):
    from PySide6.QtWidgets import QApplication

    view = tab.page.view
    column = column_of(view, "total_investment")
    focus_cell(qtbot, view, 1, column)
    view.selectionModel().select(view.model().index(1, column + 1),
                                 view.selectionModel().SelectionFlag.Select)
    press(qtbot, view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    record = tab.model.record(1)
    expected = (f"{tab.model.text(record, tab.model.columns[column])}\t"
                f"{tab.model.text(record, tab.model.columns[column + 1])}\n")
    assert QApplication.clipboard().text() == expected


def test_deleting_projects_is_confirmed_and_undoable(qtbot, tab, demo, monkeypatch):
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda _p, text: asked.append(text) or True)
    view = tab.page.view
    name = name_at(tab, 2)
    focus_cell(qtbot, view, 2, 0)
    tab.delete_selected()
    assert asked and name in asked[0]
    assert stored(demo, name, "id") is None
    tab.ops.stack.undo()
    assert stored(demo, name, "id") is not None


def test_the_totals_line_agrees_with_the_derived_figures(qtbot, tab, demo):
    tab.status_box.setCurrentIndex(tab.status_box.findData("本期相关"))
    tab.yi_box.setChecked(True)
    qtbot.waitUntil(lambda: tab.model.yi_only)
    period = tab.period
    totals = demo.projects.totals(period, **tab.model.filters())
    figures = {f.indicator.code: f.value for f in demo.metrics.figures(period)}
    assert totals["total_investment"] == pytest.approx(figures["yi_total_investment"])
    assert totals["invest_year"] == pytest.approx(figures["yi_invest_year"])
    statuses = [tab.model.record(r)["status"] for r in range(1, tab.model.rowCount())]
    assert statuses.count("新开工") == figures["yi_new_started"]
    assert statuses.count("在建") == figures["yi_under_construction"]
    assert statuses.count("竣工投产") == figures["yi_completed"]
    shown = tab.page.totals.text()
    assert f"共 {totals['count']} 个项目" in shown
    assert f"{figures['yi_total_investment']:.2f}" in shown


def test_a_text_filter_narrows_the_table(qtbot, tab, demo):
    name = name_at(tab, 1)
    tab.page.search.setText(name)
    qtbot.waitUntil(lambda: tab.model.total == demo.projects.count(tab.period, text=name))
    assert all(name in str(tab.model.record(r)["name"]) for r in range(1, tab.model.rowCount()))


def test_the_enterprise_cell_offers_the_register_and_sees_new_names(tab, demo):
    column = column_of(tab.page.view, "enterprise")
    assert tab.model.completions(column) == demo.enterprises.names()
    demo.enterprises.add(name="补全测试新企业有限公司")
    tab.model.reload()
    assert "补全测试新企业有限公司" in tab.model.completions(column)
    assert tab.model.completions(column_of(tab.page.view, "name")) == []
