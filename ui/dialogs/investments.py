"""分年投资: one project's investment completed per year, edited together as one undo step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import LedgerError
from core.ledger import Ledger
from core.numbers import format_number
from core.periods import Period
from ui.dialogs.parts import ok_cancel, problem_label
from ui.i18n import tr
from ui.operations import Operations


def years_to_show(project: dict[str, Any], known: dict[int, float], period: Period) -> list[int]:
    """From the first year the project ran (or was signed) to its completion or the period."""
    dates = [project.get(k) for k in ("start_date", "signed_date")]
    first = min([int(d[:4]) for d in dates if d] + list(known) + [period.year])
    done = project.get("completion_date")
    last = max([period.year, *known] + ([int(done[:4])] if done else []))
    return list(range(first, last + 1))


class InvestmentsDialog(QDialog):
    def __init__(self, ledger: Ledger, ops: Operations, project: dict[str, Any], period: Period,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.ops, self.project = ledger, ops, project
        self.setWindowTitle(f"{tr('分年投资')} — {project['name']}")
        self.known = ledger.projects.investments(project["id"])
        self.years = years_to_show(project, self.known, period)
        total = project.get("total_investment")
        intro = QLabel(f"项目“{project['name']}”各年完成投资（亿元）。"
                       + (f"计划总投资 {format_number(total, 2)} 亿元。" if total is not None
                          else "") + "留空表示该年没有数据。", self)
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.years), 2, self)
        self.table.setHorizontalHeaderLabels([tr("年份"), tr("完成投资（亿元）")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, year in enumerate(self.years):
            label = QTableWidgetItem(f"{year}年")
            label.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, QTableWidgetItem(format_number(self.known.get(year), 2)))
        self.problem = problem_label(self)
        buttons = ok_cancel(self, self.save)
        if ledger.readonly:
            self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(420, 360)

    def edits(self) -> list[tuple[str, int, str]]:
        """(project, year, typed amount) of every year whose cell was changed."""
        changed = []
        for row, year in enumerate(self.years):
            item = self.table.item(row, 1)
            typed = item.text().strip() if item is not None else ""
            if typed != format_number(self.known.get(year), 2):
                changed.append((self.project["id"], year, typed))
        return changed

    def save(self) -> None:
        edits = self.edits()
        if edits:
            try:
                self.ops.apply(lambda: self.ledger.projects.set_investments(edits))
            except LedgerError as exc:
                self.problem.setText(exc.message)  # the dialog stays open with what was typed
                return
        self.accept()
