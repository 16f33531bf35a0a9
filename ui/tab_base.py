"""What every tab of the main window is to the window (the 总结 tab included).

The window owns the ledger, the period selector and the undo stack. It hands each tab the
ledger with the shared `Operations` (the only way to write), tells it the period, and after
every write, undo or redo tells it which tables changed. A tab reloads only when it is shown,
so switching tabs stays fast on a large ledger.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QVBoxLayout, QWidget

from core.ledger import Ledger
from core.periods import Period
from ui.messages import guarded
from ui.operations import Operations


class LedgerTab(QWidget):
    title = ""  # the tab's Chinese title, e.g. 指标
    # Tables whose change makes this tab reload; empty means any change does.
    watches: frozenset[str] = frozenset()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger: Ledger | None = None
        self.ops: Operations | None = None
        self.period: Period | None = None
        self._stale = True

    def set_ledger(self, ledger: Ledger | None, ops: Operations) -> None:
        self.ledger, self.ops = ledger, ops
        self.mark_stale()

    def set_period(self, period: Period) -> None:
        if period != self.period:
            self.period = period
            self.mark_stale()

    def refresh(self, tables: frozenset[str]) -> None:
        if not self.watches or tables & self.watches:
            self.mark_stale()

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self._reload_now()

    @guarded()
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._reload_now()

    def _reload_now(self) -> None:
        self._stale = False
        # A queued refresh (Operations.changed after a paste or an edit) can be delivered after
        # the ledger was closed: nothing to show then.
        if self.ledger is not None and not self.ledger.closed and self.period is not None:
            self.reload()

    def reload(self) -> None:
        """Fetch what the tab shows from the ledger (override)."""

    # -- what the window's 编辑 menu acts on (optional) -----------------------------------------
    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in the tab's filter box; False when the tab has none."""
        return False

    def current_table(self) -> QAbstractItemView | None:
        """The table 编辑 → 复制 copies from when neither a table nor a text field has the focus."""
        return None


class DeferredTab(LedgerTab):
    """Stands in for a tab until it is first shown: building it (and importing its modules)
    waits until the clerk opens it, so the window starts with only the first tab built."""

    def __init__(self, title: str, build: Callable[[], LedgerTab],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._build = build
        self.real: LedgerTab | None = None
        self.on_built: list[Callable[[LedgerTab], object]] = []  # the window adopts it then
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def materialize(self) -> LedgerTab:
        """The real tab, built now if it was not yet (told the ledger and period)."""
        if self.real is None:
            self.real = self._build()
            self._layout.addWidget(self.real)
            if self.period is not None:
                self.real.set_period(self.period)
            if self.ops is not None:
                self.real.set_ledger(self.ledger, self.ops)
            for adopt in self.on_built:
                adopt(self.real)
        return self.real

    def set_ledger(self, ledger: Ledger | None, ops: Operations) -> None:
        self.ledger, self.ops = ledger, ops
        if self.real is not None:
            self.real.set_ledger(ledger, ops)

    def set_period(self, period: Period) -> None:
        self.period = period
        if self.real is not None:
            self.real.set_period(period)

    def refresh(self, tables: frozenset[str]) -> None:
        if self.real is not None:
            self.real.refresh(tables)

    def mark_stale(self) -> None:
        if self.real is not None:
            self.real.mark_stale()

    @guarded()
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        QWidget.showEvent(self, event)
        self.materialize()

    def focus_search(self) -> bool:
        return self.real.focus_search() if self.real is not None else False

    def current_table(self) -> QAbstractItemView | None:
        return self.real.current_table() if self.real is not None else None


def real_tab(tab: LedgerTab) -> LedgerTab:
    """The tab itself, built if it was deferred."""
    return tab.materialize() if isinstance(tab, DeferredTab) else tab
