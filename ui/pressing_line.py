"""The window's short line on opening a ledger: “临期3项，超期1项” — click it for the list.

Worked out by core (Plans.opening_line, on core.clock's day) after the window is shown, so it
never delays the first paint; hidden when nothing of this year's plan is pressing.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton, QWidget

from core.ledger import Ledger
from ui import messages
from ui.i18n import tr

PLAN_TABLES = frozenset({"plan_sections", "plan_items", "plan_milestones", "plan_progress",
                         "settings"})


class PressingLine(QPushButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.setStyleSheet("QPushButton { color: #b00000; font-weight: bold; }")
        self.setToolTip(tr("点击查看今年临期、超期的工作计划事项"))
        self.hide()
        self._ledger: Ledger | None = None

    def refresh(self, ledger: Ledger | None, tables: frozenset[str] | None = None) -> None:
        if tables is not None and not tables & PLAN_TABLES:
            return
        self._ledger = ledger
        QTimer.singleShot(0, self, self._update)

    @messages.guarded()
    def _update(self) -> None:
        ledger = self._ledger
        text = "" if ledger is None or ledger.closed else ledger.plans.opening_line()
        self.setText(f"{tr('工作计划')}：{text}" if text else "")
        self.setVisible(bool(text))
