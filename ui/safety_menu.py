"""The window's entries for keeping data safe, and the question asked when a ledger is in use.

文件 → 导入 Excel… / 导出 Excel… / 备份到… / 从备份恢复…, 帮助 → 导出诊断信息…; installed on the
main window by `install(window)`. Everything they do is in core (core.exchange, core.backup,
core.diagnostics); here are the file choosers, the dialogs and the refresh afterwards. The file
choosers are module functions so that tests can replace them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from core.errors import LockedError
from core.ledger import Ledger
from ui import messages
from ui.i18n import tr

if TYPE_CHECKING:
    from ui.main_window import MainWindow

XLSX_FILTER = "Excel 工作簿 (*.xlsx);;所有文件 (*)"


# -- what the file choosers ask (replaced in tests) -------------------------------------------
def ask_import_file(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, tr("导入 Excel"), str(Path.home()),
                                                tr(XLSX_FILTER))
    return Path(name) if name else None


def ask_export_file(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, tr("导出 Excel"), str(suggested),
                                                tr(XLSX_FILTER))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def ask_folder(parent: QWidget, title: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, tr(title), str(Path.home()))
    return Path(name) if name else None


def ask_zip_file(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, tr("导出诊断信息"), str(suggested),
                                                tr("压缩文件 (*.zip)"))
    return Path(name) if name else None


# -- a ledger someone else is writing -------------------------------------------------------------
def ask_read_only(parent: QWidget | None, error: LockedError) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, tr("台账正在使用中"), error.message,
                      QMessageBox.StandardButton.NoButton, parent)
    read_only = box.addButton(tr("以只读方式打开"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is read_only


def open_read_only_instead(parent: QWidget | None, path: Path, error: LockedError
                           ) -> Ledger | None:
    """After LockedError: offer read-only; the ledger so opened, or None if the clerk declined."""
    if not ask_read_only(parent, error):
        return None
    ledger = Ledger.open(path, readonly=True)
    ledger.readonly_reason = "另一处正在修改此台账"
    return ledger


# -- the menu entries -----------------------------------------------------------------------------
class ExportOptions(QDialog):
    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("导出 Excel"))
        self.year = QSpinBox(self)
        self.year.setRange(1900, 2200)
        self.year.setValue(year)
        self.all_periods = QCheckBox(tr("指标表列出该年每一期（不勾选则只列最近一期）"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("选择保存位置…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("年份"), self.year)
        form.addRow("", self.all_periods)
        form.addRow(buttons)


def ask_export_options(parent: QWidget, year: int) -> tuple[int, bool] | None:
    dialog = ExportOptions(year, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.year.value(), dialog.all_periods.isChecked()


class SafetyActions:
    """The menu entries of one main window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        file_menu = window.menus["文件"]
        anchor = next((a for a in file_menu.actions() if a.text() == tr("设置…")), None)
        self.actions: dict[str, QAction] = {}
        for text, slot in (("导入 Excel…", self.import_excel), ("导出 Excel…", self.export_excel),
                           ("备份到…", self.backup_to), ("从备份恢复…", self.restore),
                           ("检查重复名称…", self.lookalikes)):
            action = QAction(tr(text), window)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            file_menu.insertAction(anchor, action)  # None: at the end
            self.actions[text] = action
        file_menu.insertSeparator(anchor)
        diagnostics = QAction(tr("导出诊断信息…"), window)
        diagnostics.triggered.connect(lambda _checked=False: self.export_diagnostics())
        window.menus["帮助"].addAction(diagnostics)
        self.actions["导出诊断信息…"] = diagnostics

    def _ledger(self) -> Ledger | None:
        if self.window.ledger is None:
            return None
        self.window.commit_pending_edits()  # an open cell editor is part of what is saved
        return self.window.ledger

    def import_excel(self) -> None:
        from ui.dialogs.import_excel import ImportDialog, read_in_background

        ledger = self._ledger()
        path = ask_import_file(self.window) if ledger is not None else None
        if ledger is None or path is None:
            return
        workbook = read_in_background(self.window, path)  # off the window's thread
        if workbook is None:
            return
        dialog = ImportDialog(ledger, self.window.ops, workbook, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.imported is not None:
            result = dialog.imported
            self.window.show_message(
                f"已导入“{path.name}”：新增 {result.new} 条，修改 {result.changed} 条"
                "（可撤销；导入前已自动备份）")

    def export_excel(self) -> None:
        from core.exchange.excel_export import export_year

        ledger = self._ledger()
        if ledger is None:
            return
        options = ask_export_options(self.window, self.window.period_selector.period().year)
        if options is None:
            return
        year, all_periods = options
        district = str(ledger.setting("district", "") or "")
        path = ask_export_file(self.window, Path.home() / f"{district}{year}年工作台账.xlsx")
        if path is None:
            return
        result = messages.attempt(self.window, lambda: export_year(ledger, year, path,
                                                                   all_periods=all_periods))
        if result is not None:
            messages.inform(self.window, f"已导出 {year} 年数据（{result.edition}）到：\n"
                                         f"{result.path}")

    def backup_to(self) -> None:
        from core.backup import backup_into

        ledger = self._ledger()
        folder = ask_folder(self.window, "备份到文件夹") if ledger is not None else None
        if ledger is None or folder is None:
            return
        written = messages.attempt(self.window,
                                   lambda: backup_into(ledger.conn, ledger.path, folder))
        if written is not None:
            messages.inform(self.window, f"已备份到：\n{written}")

    def restore(self) -> None:
        from core.backup import describe_counts
        from ui.dialogs.backups import BackupDialog

        ledger = self._ledger()
        if ledger is None:
            return
        dialog = BackupDialog(ledger, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.restored is None:
            return
        self.window.set_ledger(ledger)  # reload every tab, start a new undo history
        result = dialog.restored
        messages.inform(self.window, f"已从备份恢复（{describe_counts(result.counts)}）。\n"
                                     f"恢复前的内容已备份到：\n{result.previous}")

    def lookalikes(self) -> None:
        from ui.dialogs.lookalikes import LookalikeDialog

        ledger = self._ledger()
        if ledger is None:
            return
        dialog = LookalikeDialog(ledger, self.window.ops, self.window)
        dialog.exec()
        if dialog.merged:
            self.window.show_message(f"已合并 {dialog.merged} 组看起来相同的名称（可撤销）")

    def export_diagnostics(self) -> None:
        import PySide6

        from core.diagnostics import write_diagnostics

        suggested = Path.home() / f"工作台账诊断信息-{date.today():%Y%m%d}.zip"
        path = ask_zip_file(self.window, suggested)
        if path is None:
            return
        extra = {"Qt": qVersion(), "PySide6": PySide6.__version__}
        written = messages.attempt(self.window, lambda: write_diagnostics(
            path, ledger=self.window.ledger, extra=extra))
        if written is None:
            return
        messages.inform(self.window, f"诊断信息已保存到：\n{written}\n\n"
                                     "其中只有日志和版本信息，不含台账中的数据。")


def install(window: MainWindow) -> SafetyActions:
    actions = SafetyActions(window)
    window.safety_actions = actions  # type: ignore[attr-defined]  # kept alive with the window
    return actions
