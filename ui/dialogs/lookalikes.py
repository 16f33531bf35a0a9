"""文件 → 检查重复名称…: the look-alike enterprises and projects (core.lookalikes), each group
with the name to keep chosen and 合并 — one undo step, like any other edit."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.errors import LedgerError
from core.ledger import Ledger
from core.lookalikes import Group, find_lookalikes, merge_names
from ui import messages
from ui.i18n import tr
from ui.operations import Operations


class LookalikeDialog(QDialog):
    def __init__(self, ledger: Ledger, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.ops = ledger, ops
        self.merged = 0
        self.setWindowTitle(tr("检查重复名称"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.area = QScrollArea(self)
        self.area.setWidgetResizable(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.area, 1)
        layout.addWidget(buttons)
        self.choices: list[tuple[Group, QButtonGroup, QPushButton]] = []
        self.resize(720, 480)
        self.refresh()

    def refresh(self) -> None:
        groups = find_lookalikes(self.ledger)
        self.choices = []
        body = QWidget(self.area)
        column = QVBoxLayout(body)
        if not groups:
            self.summary.setText(tr("未发现看起来相同的企业或项目名称。"))
        else:
            self.summary.setText(tr(
                f"{len(groups)} 组名称看起来相同，可能是同一家企业或同一个项目被录入了两次"
                "（名称中有看不见的字符、全角字母数字或空格）。选择要保留的名称后点“合并”："
                "其余名称的项目、服务记录、荣誉、投资都改挂到保留的名称下，可以撤销。"))
        for group in groups:
            box = QGroupBox(tr(group.noun), body)
            inner = QVBoxLayout(box)
            choice = QButtonGroup(box)
            for index, name in enumerate(group.names):
                radio = QRadioButton(group.describe_name(name), box)
                radio.setChecked(index == 0)
                choice.addButton(radio, index)
                inner.addWidget(radio)
            merge = QPushButton(tr("合并"), box)
            merge.setEnabled(not self.ledger.readonly)
            merge.clicked.connect(lambda _c=False, g=group, c=choice: self.merge(g, c))
            inner.addWidget(merge)
            column.addWidget(box)
            self.choices.append((group, choice, merge))
        column.addStretch(1)
        self.area.setWidget(body)

    def merge(self, group: Group, choice: QButtonGroup) -> None:
        kept = group.names[max(0, choice.checkedId())]
        try:
            self.ops.apply(lambda: merge_names(self.ledger, group, keep=kept.id))
        except LedgerError as exc:
            messages.warn(self, exc.message)
        else:
            self.merged += 1
        self.refresh()
