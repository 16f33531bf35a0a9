"""Dialogs: the indicator catalogue, investment per year, and the window's smaller duties."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from test_ui_support import DEMO_PERIOD, column_of, focus_cell, open_tab, press, type_cell

from core.ledger import Ledger
from ui import messages
from ui.app_settings import AppSettings
from ui.dialogs.catalogue import CatalogueDialog
from ui.dialogs.investments import InvestmentsDialog
from ui.operations import Operations
from ui.tabs.projects import ProjectsTab
from ui.tabs.services import ServicesTab


def operations(ledger: Ledger) -> Operations:
    ops = Operations()
    ops.set_ledger(ledger)
    return ops


def test_the_catalogue_adds_renames_retires_and_restores(qtbot, demo):
    ops = operations(demo)
    dialog = CatalogueDialog(demo, ops)
    qtbot.addWidget(dialog)
    dialog.start_new()
    dialog.name.setText("工业技改投资")
    dialog.unit.setCurrentText("亿元")
    dialog.decimals.setValue(2)
    dialog.kind.setCurrentIndex(dialog.kind.findData("amount"))
    dialog.bounds["hard_min"].setText("0")
    dialog.save()
    added = demo.catalogue.find("工业技改投资")
    assert added is not None and (added.unit, added.decimals, added.hard_min) == ("亿元", 2, 0)
    dialog.name.setText("工业技术改造投资")
    dialog.save()
    renamed = demo.catalogue.get(added.id)
    assert renamed.name == "工业技术改造投资" and "工业技改投资" in renamed.former_names
    dialog.retire()
    assert demo.catalogue.find("工业技术改造投资") is None
    assert ops.stack.count() == 3
    ops.stack.undo()  # retiring is undone like any edit
    assert demo.catalogue.find("工业技术改造投资") is not None


def test_the_catalogue_shows_core_refusals_in_the_dialog(qtbot, demo):
    dialog = CatalogueDialog(demo, operations(demo),
                             demo.catalogue.by_code("above_scale_output").id)
    qtbot.addWidget(dialog)
    dialog.bounds["hard_min"].setText("10")
    dialog.bounds["hard_max"].setText("5")
    dialog.save()
    assert "下限大于上限" in dialog.problem.text()
    assert demo.catalogue.by_code("above_scale_output").hard_max is None


def test_investment_per_year_is_one_undo_step(qtbot, demo):
    ops = operations(demo)
    project = demo.projects.rows(DEMO_PERIOD, status="在建", limit=1)[0]
    dialog = InvestmentsDialog(demo, ops, project, DEMO_PERIOD)
    qtbot.addWidget(dialog)
    first = dialog.years[0]
    assert first <= int(project["start_date"][:4]) and dialog.years[-1] == DEMO_PERIOD.year
    dialog.table.item(0, 1).setText("1.5")
    dialog.table.item(len(dialog.years) - 1, 1).setText("")
    dialog.save()
    assert demo.projects.investments(project["id"]).get(first) == 1.5
    assert DEMO_PERIOD.year not in demo.projects.investments(project["id"])
    assert ops.stack.count() == 1
    dialog = InvestmentsDialog(demo, ops, project, DEMO_PERIOD)
    qtbot.addWidget(dialog)
    dialog.table.item(0, 1).setText("-3")
    dialog.save()
    assert "不能小于" in dialog.problem.text()


def test_a_failed_undo_is_said_and_the_history_dropped(qtbot, demo, monkeypatch):
    from ui.main_window import MainWindow

    warned = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, _t="": warned.append(text))
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.set_ledger(demo)
    project = demo.projects.rows(DEMO_PERIOD, limit=1)[0]
    window.ops.apply(lambda: demo.projects.set_field(project["id"], "note", "甲"))
    demo.projects.set_field(project["id"], "note", "乙")  # changed behind the undo stack
    window.ops.stack.undo()
    assert warned and "无法撤销" in warned[0]
    qtbot.waitUntil(lambda: window.ops.stack.count() == 0)


def test_backspace_empties_the_cell_and_starts_editing(qtbot, demo):
    tab, _ops = open_tab(qtbot, ProjectsTab, demo)
    view = tab.page.view
    column = column_of(view, "industry_chain")
    name = tab.model.record(1)["name"]
    focus_cell(qtbot, view, 1, column)
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    editor = view.focusWidget()
    assert editor.text() == ""
    qtbot.keyClicks(editor, "IT")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: demo.scalar(
        "SELECT industry_chain FROM projects WHERE name = ?", (name,)) == "IT")


def test_the_register_filters_by_flag_for_the_period_year(qtbot, demo):
    tab, _ops = open_tab(qtbot, ServicesTab, demo)
    tab.pages.setCurrentWidget(tab.register)
    register = tab.register
    register.flag_box.setCurrentIndex(register.flag_box.findData("hitech"))
    qtbot.waitUntil(lambda: register.model.flag == "hitech")
    assert register.model.total == demo.enterprises.count(flag="hitech", year=DEMO_PERIOD.year)
    assert register.model.total == demo.metrics.figure("hitech_count", DEMO_PERIOD).value


def test_recent_files_are_remembered_most_recent_first(tmp_path):
    settings = AppSettings()
    first, second = tmp_path / "甲.db", tmp_path / "乙.db"
    settings.opened(first)
    settings.opened(second)
    settings.opened(first)
    assert settings.recent_files() == [first.resolve(), second.resolve()]
    settings.forget(second)
    assert settings.recent_files() == [first.resolve()]


def test_an_exception_in_a_qt_override_reaches_the_hook_instead_of_crashing(qtbot, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, exc, tb: seen.append(exc))

    class Broken(QWidget):
        @messages.guarded()
        def showEvent(self, event):  # noqa: N802
            super().showEvent(event)
            int("不是数字")  # raised inside C code: the case PySide6 6.12 cannot survive

    widget = Broken()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: bool(seen))
    assert isinstance(seen[0], ValueError)


def test_ctrl_y_redoes_in_a_tab(qtbot, demo):
    tab, ops = open_tab(qtbot, ProjectsTab, demo)
    view = tab.page.view
    column = column_of(view, "note")
    name = tab.model.record(1)["name"]
    type_cell(qtbot, view, 1, column, "待开工")
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert demo.scalar("SELECT note FROM projects WHERE name = ?", (name,)) == "待开工"
