"""Choose the projects a plan item pushes forward (ticked, in the order they will be named)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.parts import ok_cancel
from ui.i18n import tr


class ProjectPicker(QDialog):
    def __init__(self, projects: list[tuple[str, str]], chosen: list[str], title: str,
                 parent: QWidget | None = None) -> None:
        """`projects`: (id, name) of every project; `chosen`: ids linked now, in order."""
        super().__init__(parent)
        self.setWindowTitle(tr("关联项目"))
        intro = QLabel(f"“{title}”推进的项目：勾选项目，用上移/下移调整在总结中的先后顺序。", self)
        intro.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("输入文字筛选项目"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.listing = QListWidget(self)
        names = dict(projects)
        ordered = [p for p in chosen if p in names] + [p for p, _n in projects if p not in chosen]
        for project_id in ordered:
            item = QListWidgetItem(names[project_id], self.listing)
            item.setData(Qt.ItemDataRole.UserRole, project_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if project_id in chosen
                               else Qt.CheckState.Unchecked)
        up, down = QPushButton(tr("上移"), self), QPushButton(tr("下移"), self)
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))
        moves = QHBoxLayout()
        moves.addWidget(up)
        moves.addWidget(down)
        moves.addStretch(1)
        buttons = ok_cancel(self, self.accept)
        layout = QVBoxLayout(self)
        for widget in (intro, self.search, self.listing):
            layout.addWidget(widget)
        layout.addLayout(moves)
        layout.addWidget(buttons)
        self.resize(520, 520)

    def _filter(self, text: str) -> None:
        for number in range(self.listing.count()):
            item = self.listing.item(number)
            item.setHidden(bool(text.strip()) and text.strip() not in item.text())

    def _move(self, delta: int) -> None:
        row = self.listing.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.listing.count():
            return
        item = self.listing.takeItem(row)
        self.listing.insertItem(target, item)
        self.listing.setCurrentRow(target)

    def chosen(self) -> list[str]:
        """Ticked project ids, in list order."""
        items = (self.listing.item(n) for n in range(self.listing.count()))
        return [str(i.data(Qt.ItemDataRole.UserRole)) for i in items
                if i.checkState() == Qt.CheckState.Checked]


def pick_projects(parent: QWidget | None, projects: list[tuple[str, str]], chosen: list[str],
                  title: str) -> list[str] | None:
    """The ticked project ids in order, or None when the clerk cancelled."""
    dialog = ProjectPicker(projects, chosen, title, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
