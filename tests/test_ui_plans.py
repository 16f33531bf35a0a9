"""工作计划 tab: next year's plan by default, sections and items typed, moved, linked, checked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_ui_support import (
    DEMO_PERIOD,
    activate,
    column_of,
    focus_cell,
    open_tab,
    press,
    set_clipboard,
    type_cell,
    type_text,
)

from core.ledger import Ledger
from ui import messages
from ui.dialogs import project_picker
from ui.tabs.plans import PlansTab

NEXT = DEMO_PERIOD.year + 1


@pytest.fixture
def tab(qtbot, demo: Ledger):
    opened, _ops = open_tab(qtbot, PlansTab, demo)
    return opened


def titles(ledger: Ledger, year: int, section: int = 0) -> list[str]:
    return [i["title"] for i in ledger.plans.outline(year)[section]["items"]]


def test_next_years_plan_is_shown_without_the_result_columns(tab, demo):
    assert tab.year == NEXT
    assert tab.sections.count() == len(demo.plans.outline(NEXT))
    keys = [c.key for c in tab.items.columns]
    assert "result_status" not in keys
    assert tab.narrative.toPlainText() == demo.plans.outline(NEXT)[0]["narrative"]


def test_for_this_years_plan_the_results_come_first(qtbot, tab, demo):
    tab.year_box.setValue(DEMO_PERIOD.year)
    qtbot.waitUntil(lambda: tab.items.checking)
    keys = [c.key for c in tab.items.columns]
    assert keys[:4] == ["title", "status", "result_status", "result_note"]
    view = tab.page.view
    type_cell(qtbot, view, 1, column_of(view, "result_status"), "未完成", end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 1, column_of(view, "result_note"), "用地手续延后")
    item = demo.plans.outline(DEMO_PERIOD.year)[0]["items"][0]
    assert (item["result_status"], item["result_note"]) == ("未完成", "用地手续延后")


def test_items_are_added_from_the_keyboard_and_moved(qtbot, tab, demo):
    view = tab.page.view
    before = titles(demo, NEXT)
    type_cell(qtbot, view, 0, column_of(view, "title"), "建设中试基地", end=Qt.Key.Key_Tab)
    type_cell(qtbot, view, 0, column_of(view, "text"), "建成一个中试基地")
    assert titles(demo, NEXT) == [*before, "建设中试基地"]
    qtbot.waitUntil(lambda: tab.items.rowCount() == len(before) + 2)
    focus_cell(qtbot, view, len(before) + 1, 0)
    tab.move_item(-1)
    assert titles(demo, NEXT)[-2:] == ["建设中试基地", before[-1]]
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert titles(demo, NEXT)[-1] == "建设中试基地"


def test_a_target_indicator_must_be_in_the_catalogue(qtbot, tab, demo):
    view = tab.page.view
    type_cell(qtbot, view, 1, column_of(view, "target_indicator"), "没有这个指标")
    assert "指标目录中没有" in view.last_message


def test_a_deadline_is_typed_the_way_plans_word_it(qtbot, tab, demo):
    view = tab.page.view
    column = column_of(view, "deadline")
    type_cell(qtbot, view, 1, column, f"{NEXT}年6月底前")
    assert demo.plans.outline(NEXT)[0]["items"][0]["deadline"] == f"{NEXT}-06-30"
    type_cell(qtbot, view, 1, column, f"{NEXT}年底")
    assert demo.plans.outline(NEXT)[0]["items"][0]["deadline"] == f"{NEXT}-12-31"
    type_cell(qtbot, view, 1, column, "长期坚持")
    assert "2027年6月底" in view.last_message
    assert demo.plans.outline(NEXT)[0]["items"][0]["deadline"] == f"{NEXT}-12-31"


def test_pasting_item_cells(qtbot, tab, demo):
    view = tab.page.view
    focus_cell(qtbot, view, 1, column_of(view, "owner"))
    set_clipboard("工业股\n科技股\n")
    press(qtbot, view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    owners = [i["owner"] for i in demo.plans.outline(NEXT)[0]["items"][:2]]
    assert owners == ["工业股", "科技股"]


def test_heading_and_narrative_are_saved(qtbot, tab, demo):
    activate(qtbot, tab.heading)
    tab.heading.selectAll()
    type_text(qtbot, tab.heading, "新的标题")
    qtbot.keyClick(tab.heading, Qt.Key.Key_Return)
    assert demo.plans.outline(NEXT)[0]["heading"] == "新的标题"
    activate(qtbot, tab.narrative)
    tab.narrative.selectAll()
    type_text(qtbot, tab.narrative, "全年思路")
    qtbot.waitUntil(lambda: demo.plans.outline(NEXT)[0]["narrative"] == "全年思路", timeout=4000)
    assert tab.narrative.toPlainText() == "全年思路"


def test_switching_sections_never_copies_one_narrative_into_another(qtbot, tab, demo):
    before = [s["narrative"] for s in demo.plans.outline(NEXT)]
    for row in (1, 2, 0):
        tab.sections.setCurrentRow(row)
        assert tab.narrative.toPlainText() == before[row]
    assert [s["narrative"] for s in demo.plans.outline(NEXT)] == before
    assert tab.ops.stack.count() == 0


def test_sections_are_added_moved_and_deleted(qtbot, tab, demo, monkeypatch):
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    count = len(demo.plans.outline(NEXT))
    tab.add_section()
    headings = [s["heading"] for s in demo.plans.outline(NEXT)]
    assert len(headings) == count + 1 and tab.sections.currentRow() == count
    tab.move_section(-1)
    assert [s["heading"] for s in demo.plans.outline(NEXT)][count - 1] == headings[-1]
    qtbot.waitUntil(lambda: tab.sections.count() == count + 1)
    tab.sections.setCurrentRow(0)
    tab.delete_section()
    assert len(demo.plans.outline(NEXT)) == count


def test_linked_projects_are_chosen_in_a_picker(qtbot, tab, demo, monkeypatch):
    projects = demo.projects.names()[:2]
    monkeypatch.setattr(project_picker, "pick_projects",
                        lambda *_a: [projects[1][0], projects[0][0]])
    focus_cell(qtbot, tab.page.view, 1, 0)
    tab.link_projects()
    item = demo.plans.outline(NEXT)[0]["items"][0]
    assert [p["name"] for p in item["projects"]] == [projects[1][1], projects[0][1]]
    qtbot.waitUntil(lambda: projects[1][1] in tab.items.text(
        tab.items.record(1), tab.items.columns[column_of(tab.page.view, "projects")]))


def test_an_empty_year_starts_from_last_years_plan(qtbot, tab, demo):
    tab.year_box.setValue(NEXT + 1)
    qtbot.waitUntil(tab.copy_button.isEnabled)
    tab.copy_button.click()
    copied = demo.plans.outline(NEXT + 1)
    assert [s["heading"] for s in copied] == [s["heading"] for s in demo.plans.outline(NEXT)]
    qtbot.waitUntil(lambda: tab.sections.count() == len(copied))
    assert not tab.copy_button.isEnabled()
