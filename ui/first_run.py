"""The first start: no ledger yet — a new empty one, the demo ledger, or an existing file.

The clerk first says which kind of bureau the ledger is for (a starter: core.starters); a new
ledger and the demo ledger both begin with that starter's catalogue and summary template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import starters
from core.demo import DISTRICT, write_demo
from core.errors import LedgerError
from core.paths import data_dir, default_ledger_path
from ui import messages, opening
from ui.i18n import tr

DEMO_NAME = "演示台账.db"


def demo_path(starter: str = starters.DEFAULT_STARTER) -> Path:
    """The demo ledger (of a starter) in the data folder, written on first use (never over an
    existing file)."""
    name = DEMO_NAME if starter == starters.DEFAULT_STARTER else f"演示台账（{starter}）.db"
    path = data_dir() / name
    if not path.exists():
        write_demo(path, starter=starter).close()
    return path


def new_ledger_path(starter: str) -> Path:
    """A new ledger at the default place, shaped by the starter (an existing one is opened;
    the default starter's is made when the window opens it, as any new ledger)."""
    path = default_ledger_path()
    if not path.exists() and starter != starters.DEFAULT_STARTER:
        path.parent.mkdir(parents=True, exist_ok=True)
        starters.new_ledger(path, starter).close()
    return path


def ask_starter(parent: QWidget | None) -> str | None:
    """Which bureau a new ledger is for (None: the clerk cancelled)."""
    from PySide6.QtWidgets import QInputDialog

    names = starters.names()
    labels = [f"{name}：{starters.starter(name).description}" for name in names]
    chosen, ok = QInputDialog.getItem(parent, tr("新建台账"),
                                      tr("单位类型（起步模板：指标目录和总结模板）"), labels, 0,
                                      False)
    return names[labels.index(chosen)] if ok and chosen in labels else None


def create_ledger(parent: QWidget | None, path: Path, starter: str) -> bool:
    """Make the new ledger file with the starter; a refusal is shown, nothing is left."""
    try:
        starters.new_ledger(path, starter).close()
    except LedgerError as exc:
        messages.warn(parent, exc.message)
        return False
    return True


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
        self.starter = QComboBox(self)
        for name in starters.names():
            self.starter.addItem(name, name)
            self.starter.setItemData(self.starter.count() - 1, starters.starter(name).description,
                                     Qt.ItemDataRole.ToolTipRole)
        self.starter_note = QLabel(self)
        self.starter_note.setWordWrap(True)
        self.starter_note.setStyleSheet("color: #555")
        self.starter.currentIndexChanged.connect(self._starter_changed)
        self._starter_changed()
        choose = QFormLayout()
        choose.addRow(tr("单位类型（起步模板）"), self.starter)
        choose.addRow("", self.starter_note)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choose)
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

    def _starter_changed(self) -> None:
        chosen = starters.starter(self.starter.currentData())
        self.starter_note.setText(tr("指标目录和总结模板") + f"：{chosen.description}"
                                  + tr("（以后可在“指标目录”中增删、导入）"))
        if self.isVisible():  # a longer description must not squeeze the text above it
            self.layout().activate()
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def new_empty(self) -> None:
        self._choose(lambda: new_ledger_path(self.starter.currentData()))

    def open_demo(self) -> None:
        self._choose(lambda: demo_path(self.starter.currentData()))

    def _choose(self, make: Any) -> None:
        try:
            self.choice = make()
        except (LedgerError, OSError) as exc:
            messages.warn(self, exc.message if isinstance(exc, LedgerError) else str(exc))
            return
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
