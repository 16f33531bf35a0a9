"""The layout every record table shares: a filter bar, the table, a totals line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import LedgerError
from ui import messages
from ui.i18n import tr
from ui.table.model import LedgerTableModel
from ui.table.view import LedgerTableView

SEARCH_DELAY_MS = 180  # filter while typing, without a query per keystroke


class TablePage(QWidget):
    def __init__(self, model: LedgerTableModel, on_filter: Callable[[], None],
                 search_hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = LedgerTableView(self)
        self.view.setModel(model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(search_hint)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance(search_hint) + 40)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(on_filter)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._filter_now)
        self._on_filter = on_filter
        self.totals = QLabel(self)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QHBoxLayout()
        self.bar.setContentsMargins(0, 0, 0, 0)
        self.buttons = QHBoxLayout()
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self._edit_buttons: list[QPushButton] = []
        top = QHBoxLayout()
        top.addLayout(self.bar)
        top.addWidget(self.search, 1)
        top.addStretch(0)
        top.addLayout(self.buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)

    def _filter_now(self) -> None:
        self._timer.stop()
        self._on_filter()

    def add_filter(self, label: str, widget: QWidget) -> None:
        if label:
            self.bar.addWidget(QLabel(tr(label), self))
        self.bar.addWidget(widget)

    def add_button(self, text: str, slot: Callable[[], object], *, edits: bool = True,
                   tip: str = "") -> QPushButton:
        """A button at the right of the bar; `edits` buttons are off for a read-only ledger."""
        button = QPushButton(tr(text), self)
        button.clicked.connect(lambda _checked=False: slot())
        if tip:
            button.setToolTip(tip)
        self.buttons.addWidget(button)
        if edits:
            self._edit_buttons.append(button)
        return button

    def set_writable(self, writable: bool) -> None:
        for button in self._edit_buttons:
            button.setEnabled(writable)

    def selected_rows(self) -> list[int]:
        """Model rows of the selection (or of the current cell), the draft row left out."""
        indexes = self.view.selectedIndexes() or [self.view.currentIndex()]
        rows = {i.row() for i in indexes if i.isValid()}
        return sorted(r for r in rows if not self.model.is_draft(r))

    def start_new_record(self) -> None:
        """新增: the cursor to the first cell of the draft row, editing."""
        if not self.model.draft_rows:
            return
        index = self.model.index(0, 0)
        self.view.setFocus()
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.edit(index)


class RegisterCompleteBox(QCheckBox):
    """“2026年已录全”: the clerk's word that a register holds every record of the year, so that
    figures it gives may be 0 (core.registers); undoable like any write."""

    def __init__(self, model: LedgerTableModel, register: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.model, self.register, self.year = model, register, 0
        self.setToolTip(tr("勾选后，名录中没有的即视为没有：由它计算的指标可以为 0；"
                           "不勾选时，找不到符合条件记录的指标显示为未填，而不是 0"))
        self.toggled.connect(self._toggled)

    def refresh(self, year: int) -> None:
        from core import registers

        self.year = year
        ledger = self.model.ledger
        self.setText(tr(f"{year}年已录全"))
        self.blockSignals(True)
        self.setChecked(ledger is not None and registers.is_complete(ledger, self.register, year))
        self.blockSignals(False)
        self.setEnabled(self.model.writable)

    def _toggled(self, checked: bool) -> None:
        from core import registers

        ledger, ops = self.model.ledger, self.model.ops
        if ledger is None or ops is None or not self.year:
            return
        try:
            ops.apply(lambda: registers.set_complete(ledger, self.register, self.year, checked))
        except LedgerError as exc:
            self.refresh(self.year)
            messages.warn(self, exc.message)
