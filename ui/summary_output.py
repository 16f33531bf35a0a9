"""The 总结 tab's print and export: the summary at print quality after the clerk saw what the
ledger lacks, the printer and its preview, PDF / Word / HTML / text files, and where the file
dialogs start (the folder last saved to, else 桌面 / 文档) with 打开文件 / 打开所在文件夹 after.

SummaryOutput is a part of ui.summary_tab.SummaryTab (its ledger, period, template, status line
and buttons), kept apart so that neither module grows past what one reads at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from core.errors import LedgerError
from core.report import writers
from core.report.build import build, what_is_missing
from core.report.document import Document
from core.report.template import TemplateError
from ui import messages
from ui.app_settings import AppSettings
from ui.font_check import check_fonts
from ui.i18n import tr
from ui.report_pdf import SummaryLayout, render

EXPORT_FOLDER_KEY = "summary/export_folder"
FILE_FILTERS = {".pdf": "PDF 文件 (*.pdf)", ".docx": "Word 文档 (*.docx)",
                ".html": "网页文件 (*.html)", ".txt": "纯文本 (*.txt)"}


# -- the dialogs (module functions, so tests can answer them) ---------------------------------
def ask_go_on(parent: QWidget, missing: list[str], action: str) -> bool:
    """List what the ledger lacks; True to go on anyway, False to go and fill it in."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("工作台账"),
                      f"总结中还有 {len(missing)} 项数据未填写，将显示为【未填：…】：",
                      QMessageBox.StandardButton.NoButton, parent)
    shown = missing[:12] + ([f"……另有 {len(missing) - 12} 项"] if len(missing) > 12 else [])
    box.setInformativeText("\n".join(shown))
    go_on = box.addButton(f"仍然{action}", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("去填写", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is go_on


def ask_save_path(parent: QWidget, title: str, suggested: Path, filters: str) -> Path | None:
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    return Path(chosen) if chosen else None


class SummaryOutput:
    """Print and export of SummaryTab (see there for the attributes these use)."""

    ledger: Any
    period: Any
    _export_dir: Path | None
    last_export: Path | None

    def print_ready(self, action: str) -> Document | None:
        """The summary at print quality, after the clerk saw what is missing; None to stop."""
        if self.ledger is None or self.period is None:
            return None
        self.save_now()
        try:
            document = build(self.ledger, self.period, self.current_template(),
                             today=self.as_of_day())
        except TemplateError as error:
            self._show_problems(error)
            messages.warn(self, f"模板有错误，请先改正：{error.message}")
            self.editor.go_to(error.problems[0].line, error.problems[0].column)
            return None
        missing = what_is_missing(self.ledger, self.period, document)
        if missing and not ask_go_on(self, missing, action):
            self.fill_requested.emit(missing)
            return None
        return document

    def export(self, suffix: str) -> Path | None:
        document = self.print_ready("导出")
        if document is None:
            return None
        suggested = self._folder() / f"{_file_name(document.title or '工作总结')}{suffix}"
        path = ask_save_path(self, tr("导出总结"), suggested, FILE_FILTERS[suffix])
        if path is None:
            return None
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        try:
            writers.save(document, path)
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return None
        self._exported(path)
        # The PDF is printed in the faces Qt found here; a .docx names 仿宋 etc. and takes its
        # faces on the PC that opens it (Windows' 仿宋 holds GBK), so only the PDF is checked.
        fonts = check_fonts(document).message if suffix == ".pdf" else ""
        self._say(f"已导出：{path}" + (f"；{fonts}" if fonts else ""))
        return path

    def print_summary(self) -> None:
        document = self.print_ready("打印")
        if document is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            render(SummaryLayout(document), printer)

    def print_preview(self) -> None:
        document = self.print_ready("打印")
        if document is None:
            return
        layout = SummaryLayout(document)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(tr("打印预览"))
        dialog.paintRequested.connect(lambda device: render(layout, device))
        dialog.resize(900, 1000)
        dialog.exec()

    def _folder(self) -> Path:
        """Where the file dialogs start: the folder last saved to (remembered between runs),
        else the desktop, else 文档 — never the hidden data folder the ledger may live in."""
        if self._export_dir is None:
            remembered = AppSettings().store.value(EXPORT_FOLDER_KEY, "")
            self._export_dir = Path(str(remembered)) if remembered else None
        if self._export_dir is not None and self._export_dir.is_dir():
            return self._export_dir
        for location in (QStandardPaths.StandardLocation.DesktopLocation,
                         QStandardPaths.StandardLocation.DocumentsLocation):
            folder = QStandardPaths.writableLocation(location)
            if folder and Path(folder).is_dir():
                return Path(folder)
        return Path.home()

    def _remember_folder(self, folder: Path) -> None:
        self._export_dir = folder
        settings = AppSettings()
        settings.store.setValue(EXPORT_FOLDER_KEY, str(folder))
        settings.sync()

    def _exported(self, path: Path) -> None:
        self._remember_folder(path.parent)
        self.last_export = path
        for button in (self.open_file_button, self.open_folder_button):
            button.setToolTip(str(path))
            button.show()

    def _open_exported(self, *, folder: bool) -> bool:
        if self.last_export is None:
            return False
        target = self.last_export.parent if folder else self.last_export
        if not target.exists():
            messages.warn(self, f"“{target}”已不存在（可能已被移动或删除）")
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))


def _file_name(text: str) -> str:
    """A title usable as a Windows file name."""
    return re.sub(r'[\\/:*?"<>|\s]+', "", text) or "工作总结"
