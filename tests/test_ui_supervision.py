"""督办 in the window: marks in the 工作计划 tab, the opening line, the item dialog."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_ui_support import DEMO_PERIOD, column_of, focus_cell, open_tab
from test_ui_window import window  # noqa: F401 - the fixture

from core import clock
from core.ledger import Ledger
from ui import messages
from ui.dialogs.plan_item import PlanItemDialog
from ui.tabs.marks import MARK_COLOURS
from ui.tabs.plans import PlansTab

YEAR = DEMO_PERIOD.year  # the demo's own plan of this year is being 督办 (core.demo)


@pytest.fixture
def tab(qtbot, demo: Ledger):
    opened, _ops = open_tab(qtbot, PlansTab, demo)
    opened.year_box.setValue(YEAR)
    qtbot.waitUntil(lambda: opened.items.checking)
    return opened


def shown_statuses(tab: PlansTab) -> list[tuple[str, str, str | None]]:
    model, column = tab.items, column_of(tab.page.view, "status")
    rows = []
    for row in range(model.rowCount()):
        if model.is_draft(row):
            continue
        index = model.index(row, column)
        colour = model.data(index, Qt.ItemDataRole.BackgroundRole)
        mark = next((name for name, c in MARK_COLOURS.items() if colour == c), None)
        rows.append((model.data(model.index(row, 0)), model.data(index), mark))
    return rows


def test_each_item_shows_its_status_with_a_mark(tab, demo):
    expected = [(item["title"], status.text, status.mark)
                for item, status in demo.plans.tracked(YEAR)][:len(tab.outline[0]["items"])]
    assert shown_statuses(tab) == expected
    assert [mark for _t, _s, mark in expected] == ["green", "green", "red"]
    assert "超期28天" in [text for _t, text, _m in expected]
    assert "临期1项" in tab.page.totals.text() and "超期1项" in tab.page.totals.text()


def test_only_pressing_items_of_the_whole_year_are_listed(qtbot, tab):
    tab.pressing.setChecked(True)
    assert [(title, text) for title, text, _m in shown_statuses(tab)] == [
        ("深化产学研合作", "超期28天"), ("保持规模工业增加值平稳增长", "临期（剩7天）")]
    assert not tab.sections.isEnabled()
    assert tab.items.rowCount() == 2  # no 新条目 row: the list spans several sections


def test_the_opening_line_leads_to_the_list(qtbot, window):  # noqa: F811
    line = window.pressing_line
    qtbot.waitUntil(lambda: line.isVisible())
    assert line.text() == "工作计划：临期1项，超期1项"
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    plans = window.current_tab()
    assert isinstance(plans, PlansTab) or plans.real.__class__ is PlansTab
    real = plans if isinstance(plans, PlansTab) else plans.real
    assert real.year == clock.today().year and real.pressing.isChecked()
    assert real.items.count() == 2


def test_the_opening_line_is_gone_once_nothing_is_pressing(qtbot, window):  # noqa: F811
    line = window.pressing_line
    qtbot.waitUntil(lambda: line.isVisible())
    with clock.fixed(date(YEAR + 1, 1, 20)):  # next year's plan: nothing due yet
        line.refresh(window.ledger)
        qtbot.waitUntil(lambda: not line.isVisible())


def test_the_dialog_logs_progress_adds_a_milestone_and_opens_evidence(
        qtbot, tab, demo, tmp_path: Path, monkeypatch):
    overdue_row = next(r for r in range(tab.items.rowCount()) if not tab.items.is_draft(r)
                       and tab.items.record(r)["title"] == "深化产学研合作")
    focus_cell(qtbot, tab.page.view, overdue_row, 0)
    dialog = tab.supervise()
    assert isinstance(dialog, PlanItemDialog)
    assert "超期28天" in dialog.summary.text()
    dialog.step_what.setText("完成校企对接活动")
    dialog.step_due.setText(f"{YEAR}年12月底")
    dialog.add_milestone()
    assert dialog.milestones.rowCount() == 2
    dialog.progress_text.setText("组织12家企业与高校对接，签约3项")
    dialog.finishes.setChecked(True)
    dialog.log_progress()
    assert "已完成（逾期）" in dialog.summary.text()
    assert dialog.progress.item(0, 1).text() == "组织12家企业与高校对接，签约3项"
    scan = tmp_path / "对接活动照片.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 2000)
    dialog.attach([str(scan)])
    assert dialog.files.item(0, 0).text() == "对接活动照片.png"
    opened: list[Path] = []
    dialog.opener = lambda path: opened.append(path) or True
    dialog.files.setCurrentCell(0, 0)
    dialog.open_evidence()
    assert opened[0].read_bytes() == scan.read_bytes() and opened[0].name == scan.name
    for _ in range(4):  # each write was its own undo step
        tab.ops.stack.undo()
    item = demo.plans.item(dialog.item_id)
    assert (len(item["milestones"]), len(item["progress"]), item["evidence"],
            item["done_on"]) == (1, 2, [], None)
    dialog.close()


def test_a_refused_file_is_said_in_chinese_and_nothing_is_added(qtbot, tab, demo, tmp_path,
                                                                 monkeypatch):
    focus_cell(qtbot, tab.page.view, 1, 0)
    dialog = tab.supervise()
    said: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _parent, text, title="": said.append(text))
    exe = tmp_path / "安装包.exe"
    exe.write_bytes(b"MZ")
    dialog.attach([str(exe)])
    assert said and "不是可作佐证材料的文件类型" in said[0]
    assert dialog.files.rowCount() == 0 and tab.ops.stack.count() == 0
    dialog.close()


def test_this_years_unfinished_items_start_a_later_plan(qtbot, tab, demo):
    tab.year_box.setValue(YEAR + 2)  # 2028's plan from 2027's items not done by 2028-01-03
    qtbot.waitUntil(lambda: tab.sections.count() == 0)
    with clock.fixed(date(YEAR + 2, 1, 3)):
        tab.carry_over()
        expected = [i["title"] for i, s in demo.plans.tracked(YEAR + 1) if not s.done]
    qtbot.waitUntil(lambda: tab.sections.count() > 0)
    titles = [i["title"] for s in demo.plans.outline(YEAR + 2) for i in s["items"]]
    assert titles == expected and titles


def test_the_warning_days_are_set_in_the_settings_dialog(qtbot, window):  # noqa: F811
    from ui.dialogs.settings import SettingsDialog

    line = window.pressing_line
    qtbot.waitUntil(lambda: line.isVisible())
    dialog = SettingsDialog(window.settings, window.ledger, window.ops, window)
    qtbot.addWidget(dialog)
    assert dialog.warn_days.text() == "7"
    dialog.warn_days.setText("40天")  # 推进重点续建项目 (12月31日) is now due soon too
    dialog.save()
    assert window.ledger.plans.warn_days() == 40
    qtbot.waitUntil(lambda: line.text() == "工作计划：临期3项，超期1项")
    window.ops.stack.undo()
    assert window.ledger.plans.warn_days() == 7
    dialog = SettingsDialog(window.settings, window.ledger, window.ops, window)
    qtbot.addWidget(dialog)
    dialog.warn_days.setText("半个月")
    dialog.save()
    assert "临期天数" in dialog.problem.text() and window.ledger.plans.warn_days() == 7


def test_the_summary_tab_prints_the_supervision_bulletin_for_a_chosen_date(qtbot, demo):
    from PySide6.QtCore import QDate

    from core.report.document import Table
    from ui.summary_tab import SummaryTab

    summary, _ops = open_tab(qtbot, SummaryTab, demo)
    qtbot.waitUntil(lambda: summary.document is not None)
    summary.chooser.setCurrentText("督办通报")
    qtbot.waitUntil(lambda: summary.document is not None
                    and summary.document.title.endswith("督办通报"))
    assert summary.as_of_day() == clock.today()
    summary.as_of.setDate(QDate(YEAR, 9, 25))
    qtbot.waitUntil(lambda: "截至2026年9月25日" in "".join(
        getattr(b, "text", "") for b in summary.document.blocks))
    statuses = [row[5].text for b in summary.document.blocks if isinstance(b, Table)
                for row in b.rows]
    assert "超期28天" not in statuses and statuses.count("临期（剩5天）") == 3
