"""The window's side of "every figure right": settings the title needs, no false alarms."""

from __future__ import annotations

from test_ui_support import open_tab, type_cell, type_text

from core.figures import bureau_name
from core.ledger import Ledger
from ui import messages
from ui.app import create_window
from ui.app_settings import AppSettings
from ui.dialogs.settings import SettingsDialog
from ui.operations import Operations
from ui.tab_base import real_tab
from ui.tabs.services import ServicesTab


def test_settings_offer_the_city_and_the_bureau_follows_the_district(qtbot, ledger: Ledger
                                                                     ) -> None:
    ops = Operations()
    ops.set_ledger(ledger)
    dialog = SettingsDialog(AppSettings(), ledger, ops)
    qtbot.addWidget(dialog)
    assert "city" in dialog.texts  # the field guide offers 【市名】
    type_text(qtbot, dialog.texts["district"], "东湖区")
    assert dialog.texts["bureau"].text() == "东湖区科工信局"
    dialog.texts["city"].setText("江州市")
    dialog.save()
    assert ledger.setting("district") == "东湖区" and ledger.setting("city") == "江州市"
    assert bureau_name(ledger) == "东湖区科工信局"


def test_the_date_kept_for_the_next_record_raises_no_unsaved_warning(qtbot, demo_path,
                                                                    monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, text, *_a: asked.append(text) or True)
    window = create_window(AppSettings())
    qtbot.addWidget(window)
    window.set_ledger(Ledger.open(demo_path))
    window.show()
    window.tab_widget.setCurrentIndex(2)
    services = next(t for t in map(real_tab, window.tabs) if isinstance(t, ServicesTab))
    view = services.log.page.view
    qtbot.waitUntil(lambda: services.log.model.draft_rows == 1)
    type_cell(qtbot, view, 0, 0, "2026-11-28", end=qtbot_tab())
    type_cell(qtbot, view, 0, 2, "走访")  # Enter saves; the date stays for the next record
    assert services.log.model.draft == {0: "2026-11-28"}
    assert window.commit_pending_edits()
    window.close()
    assert asked == []


def test_typing_in_a_fresh_ledger_opens_no_refusal(qtbot, ledger: Ledger) -> None:
    tab, _ops = open_tab(qtbot, ServicesTab, ledger)
    assert tab.log.model.draft_typed is False


def qtbot_tab():
    from PySide6.QtCore import Qt

    return Qt.Key.Key_Tab


def test_the_register_complete_box_lets_zero_be_a_figure_and_undoes(qtbot, ledger: Ledger
                                                                   ) -> None:
    from core.periods import Period
    from ui.tabs.projects import ProjectsTab

    ledger.projects.add(name="小项目", total_investment="0.3", start_date="2025-03-01")
    tab, ops = open_tab(qtbot, ProjectsTab, ledger)
    period = Period(2026, 11)
    assert ledger.metrics.figure("yi_under_construction", period).missing
    assert tab.complete_box.text() == "2026年已录全" and not tab.complete_box.isChecked()
    tab.complete_box.click()
    assert ledger.metrics.figure("yi_under_construction", period).value == 0
    ops.stack.undo()
    assert ledger.metrics.figure("yi_under_construction", period).missing
    qtbot.waitUntil(lambda: not tab.complete_box.isChecked())
