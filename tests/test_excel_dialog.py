"""The window's Excel entries: the import dialog (mapping, dry run, import, undo) and export."""

from __future__ import annotations

from pathlib import Path

import pytest
from excel_files import write_xlsx
from helpers import dump
from PySide6.QtWidgets import QDialog
from test_ui_support import activate

from core.exchange.importers import NEW, REJECTED
from core.exchange.reading import read_workbook
from core.ledger import Ledger
from ui import messages, safety_menu
from ui.app import create_window
from ui.app_settings import AppSettings
from ui.dialogs.import_excel import ImportDialog
from ui.main_window import MainWindow
from ui.operations import Operations

CODE_OK = "91439901MA4L0QXB17"


def _dialog(qtbot, ledger: Ledger, path: Path) -> tuple[ImportDialog, Operations]:
    ops = Operations()
    ops.set_ledger(ledger)
    dialog = ImportDialog(ledger, ops, read_workbook(path))
    qtbot.addWidget(dialog)
    ops.setParent(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, ops


def test_the_dialog_shows_the_guess_the_dry_run_and_imports_as_one_undo_step(
    qtbot, ledger: Ledger, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "企业.xlsx", {"新企业": [
        ["序号", "单位名称", "统一社会信用代码", "联系人"],
        [1, "对话框导入的企业有限公司", CODE_OK, "张三"],
        [2, "另一家对话框导入的企业", None, "李四"],
    ]})
    before = dump(ledger.conn)
    dialog, ops = _dialog(qtbot, ledger, path)
    page = dialog.pages["新企业"]
    assert page.kind.currentText() == "企业名录"
    assert [page.column_choice(i).currentData() for i in range(4)] == ["", "name",
                                                                      "credit_code", ""]
    assert page.model.rowCount() == 2 and dialog.import_button.isEnabled()
    assert "新增 2 条" in dialog.summary.text() and "联系人" in dialog.notes.text()
    page.column_choice(3).setCurrentIndex(page.column_choice(3).findData("note"))  # the clerk
    qtbot.waitUntil(lambda: "联系人" not in dialog.notes.text())
    dialog.import_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.imported is not None
    assert sorted(ledger.query("SELECT name, note FROM enterprises"), key=repr) == [
        {"name": "另一家对话框导入的企业", "note": "李四"},
        {"name": "对话框导入的企业有限公司", "note": "张三"}]
    assert ops.stack.count() == 1
    ops.stack.undo()
    assert dump(ledger.conn) == before


def test_refused_rows_keep_the_import_button_off_and_say_why(qtbot, ledger: Ledger,
                                                             tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "两张表.xlsx", {
        "说明": [["本表由企业填报"]],
        "企业": [["企业名称", "统一社会信用代码"], ["好企业", None], ["坏代码企业", "123"]],
    })
    dialog, _ops = _dialog(qtbot, ledger, path)
    assert not dialog.import_button.isEnabled()
    assert dialog.tabs.currentWidget() is dialog.pages["企业"]  # shows where to fix
    page = dialog.pages["企业"]
    page.filter.setCurrentIndex(page.filter.findData(REJECTED))
    assert page.model.rowCount() == 1
    assert "18位" in page.model.index(0, 3).data()
    assert "未通过" in dialog.summary.text()
    assert dialog.pages["说明"].kind.currentData() == ""


def test_an_unrecognised_sheet_can_be_mapped_by_hand(qtbot, ledger: Ledger,
                                                     tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "自制.xlsx",
                      {"表1": [["甲", "乙"], ["手工指定列的企业", "备注一"]]})
    dialog, _ops = _dialog(qtbot, ledger, path)
    assert "没有找到可识别的列" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    page = dialog.pages["表1"]
    page.kind.setCurrentIndex(page.kind.findData("enterprises"))
    page.column_choice(0).setCurrentIndex(page.column_choice(0).findData("name"))
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    assert [r.action for r in page.model.results] == [NEW]
    page.column_choice(1).setCurrentIndex(page.column_choice(1).findData("name"))
    assert page.column_choice(0).currentData() == ""  # a field comes from one column only


# -- through the window's menu ----------------------------------------------------------------
@pytest.fixture
def window(qtbot, demo_path: Path, monkeypatch: pytest.MonkeyPatch):
    shown = create_window(AppSettings())
    qtbot.addWidget(shown)
    shown.set_ledger(Ledger.open(demo_path))
    shown.show()
    qtbot.waitExposed(shown)
    activate(qtbot, shown)
    told: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _parent, text, title="": told.append(text))
    shown.told = told  # type: ignore[attr-defined]
    yield shown
    shown.close()


def _action(window: MainWindow, text: str):
    menus = (window.menus["文件"], window.menus["帮助"])
    return next(a for menu in menus for a in menu.actions() if a.text() == text)


def test_the_menus_hold_the_entries(window: MainWindow) -> None:
    texts = [a.text() for a in window.menus["文件"].actions()]
    for entry in ("导入 Excel…", "导出 Excel…", "备份到…", "从备份恢复…"):
        assert texts.index(entry) < texts.index("设置…")
    assert "导出诊断信息…" in [a.text() for a in window.menus["帮助"].actions()]


def test_export_from_the_menu(window: MainWindow, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "菜单导出.xlsx"
    monkeypatch.setattr(safety_menu, "ask_export_options", lambda _w, year: (year, True))
    monkeypatch.setattr(safety_menu, "ask_export_file", lambda _w, suggested: target)
    _action(window, "导出 Excel…").trigger()
    assert target.exists() and str(target) in window.told[-1]  # type: ignore[attr-defined]


def test_import_from_the_menu_is_one_undo_step(window: MainWindow, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "菜单导入.xlsx", {"企业": [["企业名称"], ["菜单导入的企业"]]})
    monkeypatch.setattr(safety_menu, "ask_import_file", lambda _w: path)

    def run(dialog: ImportDialog) -> int:
        dialog.apply()
        return dialog.result()

    monkeypatch.setattr(ImportDialog, "exec", run)
    ledger = window.ledger
    assert ledger is not None
    before = dump(ledger.conn)
    _action(window, "导入 Excel…").trigger()
    assert ledger.enterprises.id_for_name("菜单导入的企业")
    assert "新增 1 条" in window.statusBar().currentMessage()
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert dump(ledger.conn) == before


def test_a_file_that_is_not_a_workbook_is_refused_in_one_sentence(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "旧表.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    warned: list[str] = []
    monkeypatch.setattr(safety_menu, "ask_import_file", lambda _w: path)
    monkeypatch.setattr(messages, "warn", lambda _p, text, title="": warned.append(text))
    _action(window, "导入 Excel…").trigger()
    assert len(warned) == 1 and "另存为" in warned[0]


def test_long_import_work_runs_off_the_window_thread_with_progress_and_cancel(qtbot) -> None:
    """Issue 18 #10: the dry run of a big file took minutes on the window's thread."""
    import threading
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from ui.dialogs.import_excel import run_in_background

    seen: dict[str, object] = {}
    ticks: list[int] = []
    labels: list[str] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start(20)

    def work(progress) -> str:  # type: ignore[no-untyped-def]
        seen["thread"] = threading.current_thread()
        for done in range(1_000_000):
            progress("正在检查每一行", done, 1_000_000)
            time.sleep(0.001)
        return "finished"

    def press_cancel() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible():
                labels.append(widget.labelText())
                widget.cancel()
                return
        QTimer.singleShot(100, press_cancel)

    QTimer.singleShot(600, press_cancel)
    started = time.perf_counter()
    assert run_in_background(None, "正在检查表格", work) is None  # cancelled: nothing
    ticker.stop()
    assert seen["thread"] is not threading.main_thread()
    assert time.perf_counter() - started < 10
    assert len(ticks) > 5  # the window's thread kept running its events
    assert labels and "正在检查每一行" in labels[0] and "/ 1,000,000 行" in labels[0]


# -- the apply off the window's thread (issue 18 #10) ----------------------------------------
def _slow_apply(monkeypatch: pytest.MonkeyPatch, seen: dict[str, object]) -> None:
    """Write in chunks of 20 rows, 30 ms each: a big import as the clerk's PC meets it."""
    import threading
    import time

    from core.exchange import excel_import

    real = excel_import._write_ops

    def slow(writer, ops):  # type: ignore[no-untyped-def]
        seen["thread"] = threading.current_thread()
        time.sleep(0.03)
        real(writer, ops)

    monkeypatch.setattr(excel_import, "PROGRESS_EVERY", 20)
    monkeypatch.setattr(excel_import, "_write_ops", slow)


def _many_enterprises(tmp_path: Path, count: int) -> Path:
    return write_xlsx(tmp_path / "大表.xlsx", {"企业": [["企业名称", "备注"]] + [
        [f"批量导入企业{n:05d}有限公司", f"第{n}家"] for n in range(count)]})


def _press_cancel_when(text: str, labels: list[str]) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    for widget in QApplication.topLevelWidgets():
        if (isinstance(widget, QProgressDialog) and widget.isVisible()
                and text in widget.labelText()):
            labels.append(widget.labelText())
            widget.cancel()
            return
    QTimer.singleShot(50, lambda: _press_cancel_when(text, labels))


def test_the_apply_runs_off_the_window_thread_and_cancel_leaves_the_ledger_as_it_was(
    qtbot, ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from PySide6.QtCore import QTimer

    path = _many_enterprises(tmp_path, 2000)
    dialog, ops = _dialog(qtbot, ledger, path)
    assert "新增 2000 条" in dialog.summary.text() and dialog.import_button.isEnabled()
    before = dump(ledger.conn)
    seen: dict[str, object] = {}
    _slow_apply(monkeypatch, seen)
    ticks: list[int] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start(20)
    labels: list[str] = []
    QTimer.singleShot(700, lambda: _press_cancel_when("正在写入台账", labels))
    dialog.import_button.click()
    ticker.stop()
    assert seen["thread"] is not threading.main_thread()
    assert labels and "/ 2,000 行" in labels[0]  # progress in rows
    assert len(ticks) > 10  # the window kept running its events meanwhile
    assert dump(ledger.conn) == before  # all or nothing: cancelled before the commit
    assert ops.stack.count() == 0 and dialog.imported is None
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert "已取消" in dialog.summary.text() and dialog.import_button.isEnabled()
    monkeypatch.undo()
    dialog.import_button.click()  # asked again, it imports all of it
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ledger.scalar("SELECT count(*) FROM enterprises") == 2000
    assert ops.stack.count() == 1
    ops.stack.undo()
    assert dump(ledger.conn) == before


def test_closing_the_window_during_an_apply_is_refused_and_the_import_completes(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer

    path = _many_enterprises(tmp_path, 600)
    monkeypatch.setattr(safety_menu, "ask_import_file", lambda _w: path)
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, title="": warned.append(text))
    seen: dict[str, object] = {}
    closed: list[bool] = []

    def run(dialog: ImportDialog) -> int:
        _slow_apply(monkeypatch, seen)
        QTimer.singleShot(300, lambda: closed.append(window.close()))
        dialog.apply()
        return dialog.result()

    monkeypatch.setattr(ImportDialog, "exec", run)
    ledger = window.ledger
    assert ledger is not None
    _action(window, "导入 Excel…").trigger()
    assert closed == [False] and window.isVisible() and window.ledger is ledger
    assert warned and "正在导入" in warned[0] and "完成" in warned[0]
    assert ledger.scalar("SELECT count(*) FROM enterprises WHERE name LIKE '批量导入企业%'") == 600
    assert "新增 600 条" in window.statusBar().currentMessage()


def test_an_apply_on_a_read_only_ledger_writes_nothing(qtbot, ledger_path: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    Ledger.open(ledger_path).close()
    path = _many_enterprises(tmp_path, 3)
    with Ledger.open(ledger_path, readonly=True) as reader:
        dialog, _ops = _dialog(qtbot, reader, path)
        assert not dialog.import_button.isEnabled() and dialog.plan is not None
        warned: list[str] = []
        monkeypatch.setattr(messages, "warn", lambda _p, text, title="": warned.append(text))
        dialog.apply()  # asked anyway (a shortcut, a script): refused before any connection
        assert warned and "只读" in warned[0]
    with Ledger.open(ledger_path, readonly=True) as after:
        assert after.scalar("SELECT count(*) FROM enterprises") == 0
