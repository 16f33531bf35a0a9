"""The first start: no ledger yet — a new empty one, the demo ledger, or an existing file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from core.demo import DISTRICT, write_demo
from core.paths import data_dir, default_ledger_path
from ui import opening
from ui.i18n import tr

DEMO_NAME = "演示台账.db"


def demo_path() -> Path:
    """The demo ledger in the data folder, written on first use (never over an existing file)."""
    path = data_dir() / DEMO_NAME
    if not path.exists():
        write_demo(path).close()
    return path


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("欢迎使用工作台账"))
        self.choice: Path | None = None
        intro = QLabel(tr(
            "<h3>欢迎使用工作台账</h3>"
            "<p>台账是一个文件，保存全年的指标、项目、企业服务记录和工作计划；"
            "每次修改都会立即保存，并且可以撤销。</p><p>请选择如何开始：</p>"), self)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for text, detail, slot in (
            ("新建空台账", f"在 {default_ledger_path()} 新建，从头填写", self.new_empty),
            ("打开演示台账", f"虚构的“{DISTRICT}”三年数据，先熟悉各项功能（不影响正式台账）",
             self.open_demo),
            ("打开已有台账…", "选择同事拷来的或以前保存的台账文件", self.open_existing),
        ):
            button = QPushButton(f"{tr(text)}\n{tr(detail)}", self)
            button.setMinimumHeight(self.fontMetrics().height() * 3 + 8)
            button.setStyleSheet("text-align: left; padding: 6px 12px;")
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addStretch(1)
        self.setMinimumWidth(560)

    def new_empty(self) -> None:
        self.choice = default_ledger_path()
        self.accept()

    def open_demo(self) -> None:
        self.choice = demo_path()
        self.accept()

    def open_existing(self) -> None:
        path = opening.ask_open_path(self)
        if path is not None:
            self.choice = path
            self.accept()


def ask_first_ledger(parent: QWidget | None = None) -> Path | None:
    """The ledger file to start with, or None when the clerk closed the dialog."""
    dialog = FirstRunDialog(parent)
    return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else None
