"""文件 → 从备份恢复…: the ledger's backups with date, size and record counts; restore one.

Restoring replaces the whole content of the ledger (all or nothing) after a copy of the current
content was taken, so a restore can itself be undone by restoring that copy. The window reloads
everything afterwards and starts a new undo history. `restore_unopenable` is the same for a
ledger that cannot be opened at all (damaged): its file is replaced, the old one kept.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.backup import (
    KEEP_LATEST,
    BackupInfo,
    RestoreResult,
    describe_counts,
    list_backups,
    restore,
    restore_file,
)
from core.errors import LedgerError
from core.ledger import Ledger
from core.paths import backups_dir_for
from ui import messages
from ui.i18n import tr

BACKUP_FILTER = "工作台账备份 (*.db);;所有文件 (*)"


def ask_backup_file(parent: QWidget | None, folder: Path) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, tr("选择备份文件"), str(folder),
                                                tr(BACKUP_FILTER))
    return Path(name) if name else None


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _confirm(parent: QWidget | None, ledger_name: str, backup: str) -> bool:
    return messages.confirm(
        parent, f"用备份“{backup}”替换台账“{ledger_name}”的全部内容吗？\n\n"
                "替换前会自动把当前内容再备份一份，需要时可以从那份备份恢复回来。")


class BackupDialog(QDialog):
    """The list of backups; `restored` is set once a backup was restored."""

    COLUMNS = ("备份时间", "原因", "大小", "记录数")

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.restored: RestoreResult | None = None
        self.folder = backups_dir_for(ledger.path)
        self.setWindowTitle(tr("从备份恢复") + f" — {ledger.path.name}")
        intro = QLabel(f"每天第一次打开台账时、导入 Excel 和恢复之前都会自动备份，保留最近"
                       f" {KEEP_LATEST} 份和一年内每月一份。自动备份保存在：\n{self.folder}", self)
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton(tr("恢复所选备份"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        other = buttons.addButton(tr("选择其他备份文件…"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self.restore_selected)
        other.clicked.connect(self.restore_other)
        buttons.rejected.connect(self.reject)
        self.empty = QLabel(tr("还没有自动备份：台账每天第一次打开时会自动备份。"
                               "也可以用“选择其他备份文件…”从 U 盘等处恢复。"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(820, 460)
        self.backups: list[BackupInfo] = []
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reload()
        if ledger.readonly:
            self.restore_button.setEnabled(False)
            other.setEnabled(False)

    def reload(self) -> None:
        self.backups = list_backups(self.ledger.path)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            cells = (info.taken_at.strftime("%Y-%m-%d %H:%M"), info.reason or tr("其他"),
                     _size(info.size), info.summary)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if info.counts is None:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
        usable = [row for row, info in enumerate(self.backups) if info.counts is not None]
        if usable:
            self.table.selectRow(usable[0])
        self.empty.setVisible(not self.backups)
        self._selection_changed()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        info = self.selected()
        usable = info is not None and info.counts is not None and not self.ledger.readonly
        self.restore_button.setEnabled(usable)

    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None and info.counts is not None:
            self._restore(info.path, info.taken_at.strftime("%Y-%m-%d %H:%M"))

    def restore_other(self) -> None:
        path = ask_backup_file(self, self.folder)
        if path is not None:
            self._restore(path, path.name)

    def _restore(self, path: Path, shown: str) -> None:
        if not _confirm(self, self.ledger.path.name, shown):
            return
        try:
            self.restored = restore(self.ledger, path)
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return
        self.accept()


def restore_unopenable(parent: QWidget | None, ledger: Path) -> bool:
    """For a ledger that cannot be opened: pick a backup and put it in the file's place."""
    backups = [b for b in list_backups(ledger) if b.counts is not None]
    folder = backups[0].path.parent if backups else backups_dir_for(ledger)
    path = ask_backup_file(parent, folder)
    if path is None or not _confirm(parent, ledger.name, path.name):
        return False
    try:
        result = restore_file(ledger, path)
    except LedgerError as exc:
        messages.warn(parent, exc.message)
        return False
    kept = f"原文件已原样保留在：{result.previous}" if result.previous else ""
    messages.inform(parent, f"已用备份“{path.name}”恢复台账“{ledger.name}”"
                            f"（{describe_counts(result.counts)}）。{kept}")
    return True


def offer_restore(parent: QWidget | None, ledger: Path, problem: str) -> bool:
    """When `ledger` cannot be opened and has backups: offer to restore one (True: restored)."""
    usable = [b for b in list_backups(ledger) if b.counts is not None]
    if not usable:
        return False
    newest = usable[0].taken_at.strftime("%Y-%m-%d %H:%M")
    question = (f"{problem}\n\n这个台账有 {len(usable)} 份自动备份，最近一份在 {newest}。"
                "要从备份恢复吗？（无法打开的文件会原样保留一份）")
    if not messages.confirm(parent, question, tr("无法打开台账")):
        return False
    return restore_unopenable(parent, ledger)
