"""总结 → 模板管理 → 从去年总结生成模板…: the numbers of last year's summary that read as a ledger
figure of that year, as a checklist (core.report.mark_proposals); the clerk ticks what to mark,
picks the field of a number two figures print alike, and saves the marked Word template."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.cli import choose_period
from core.errors import LedgerError
from core.ledger import Ledger
from core.periods import Period
from core.report.mark_proposals import Marked, Proposal, propose, write_marked
from ui import messages
from ui.i18n import tr

PICK = "（请选择）"


class MarkProposalsDialog(QDialog):
    """`save_as(period, proposals)` asks where to save (replaced in tests)."""

    COLUMNS = ("采纳", "位置", "原文", "标记为")

    def __init__(self, ledger: Ledger, source: Path, year: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.source = ledger, source
        self.proposals: list[Proposal] = []
        self.period: Period = choose_period(ledger, year, None)
        self.result_file: Marked | None = None
        self.setWindowTitle(tr("从去年总结生成模板") + f" — {source.name}")
        self.year = QSpinBox(self)
        self.year.setRange(1900, 2200)
        self.year.setValue(year)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 48)
        self.table.setColumnWidth(1, 150)
        self.table.setColumnWidth(3, 260)
        all_on, all_off = QPushButton(tr("全选"), self), QPushButton(tr("全不选"), self)
        all_on.clicked.connect(lambda: self.tick_all(True))
        all_off.clicked.connect(lambda: self.tick_all(False))
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(tr("生成模板…"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("去年总结所写的年份："), self))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(all_on)
        top.addWidget(all_off)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1000, 620)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.period = choose_period(self.ledger, self.year.value(), None)
        try:
            self.proposals = propose(self.ledger, self.period, self.source)
        except LedgerError as exc:
            self.proposals = []
            self.summary.setText(exc.message)
        else:
            ambiguous = sum(p.ambiguous for p in self.proposals)
            self.summary.setText(tr(
                f"“{self.source.name}”中有 {len(self.proposals)} 处数字与{self.period.label}"
                "台账中的数字相同：勾选的将标为【字段】，以后每年按台账自动填写；其余文字和格式"
                "原样保留。" + (f"其中 {ambiguous} 处与两个数字相同，请在“标记为”中选定。"
                               if ambiguous else "")))
        self.table.setRowCount(len(self.proposals))
        for row, proposal in enumerate(self.proposals):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            tick.setCheckState(Qt.CheckState.Unchecked if proposal.ambiguous
                               else Qt.CheckState.Checked)
            self.table.setItem(row, 0, tick)
            for column, text in ((1, proposal.where), (2, proposal.context)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            choice = QComboBox(self.table)
            if proposal.ambiguous:
                choice.addItem(tr(PICK), -1)
            for index, option in enumerate(proposal.choices):
                choice.addItem(f"{option.field}（{option.printed}）", index)
            choice.currentIndexChanged.connect(lambda _i, r=row: self._picked(r))
            self.table.setCellWidget(row, 3, choice)
        self.save_button.setEnabled(bool(self.proposals))

    def choice(self, row: int) -> QComboBox:
        widget = self.table.cellWidget(row, 3)
        assert isinstance(widget, QComboBox)
        return widget

    def _picked(self, row: int) -> None:
        picked = self.choice(row).currentData() is not None and self.choice(row).currentData() >= 0
        self.table.item(row, 0).setCheckState(Qt.CheckState.Checked if picked
                                              else Qt.CheckState.Unchecked)

    def tick_all(self, on: bool) -> None:
        for row in range(self.table.rowCount()):
            ready = self.choice(row).currentData() >= 0
            self.table.item(row, 0).setCheckState(
                Qt.CheckState.Checked if on and ready else Qt.CheckState.Unchecked)

    def chosen(self) -> dict[int, int]:
        """Ticked proposals → the field picked; an ambiguous one never without its pick."""
        chosen = {}
        for row, proposal in enumerate(self.proposals):
            pick = int(self.choice(row).currentData())
            if self.table.item(row, 0).checkState() == Qt.CheckState.Checked and pick >= 0:
                chosen[proposal.number] = pick
        return chosen

    def save_as(self, suggested: Path) -> Path | None:
        from ui.summary_output import ask_save_path

        return ask_save_path(self, tr("保存 Word 模板"), suggested, "Word 文件 (*.docx)")

    def save(self) -> None:
        chosen = self.chosen()
        if not chosen:
            messages.warn(self, "没有勾选要标记的数字")
            return
        out = self.save_as(self.source.with_name(f"{self.source.stem}（模板）.docx"))
        if out is None:
            return
        if out.suffix.lower() != ".docx":
            out = out.with_name(out.name + ".docx")
        try:
            self.result_file = write_marked(self.ledger, self.period, self.source, out, chosen)
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return
        self.accept()
