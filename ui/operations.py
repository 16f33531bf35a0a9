"""The one way the window writes to the ledger: apply a core write, make it undoable, tell tabs.

    change = ops.apply(lambda: ledger.projects.set_field(row_id, "name", text))

`apply` runs the core write (which commits at once and returns a Change), pushes a command on
the undo stack whose text is the change's label, and emits `changed` with the tables touched.
Undo and redo call `Ledger.revert`; the apply/revert logic lives in core, this only wraps it.
A LedgerError from the write propagates to the caller, which shows it at the cell or as a short
message; nothing was written then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core.changes import Change
from core.errors import LedgerError
from core.ledger import Ledger


class ChangeCommand(QUndoCommand):
    """One applied core Change on the undo stack."""

    def __init__(self, ops: Operations, change: Change) -> None:
        super().__init__(change.label)
        self.ops = ops
        self.current = change  # the change as it stands in the ledger now
        self.inverse: Change | None = None  # the change that undid it, while undone
        self._first_redo = True

    def redo(self) -> None:
        if self._first_redo:  # QUndoStack.push calls redo(): the write is already done
            self._first_redo = False
            return
        if self.inverse is not None:
            redone = self.ops.revert(self.inverse)
            if redone is not None:
                self.current = redone
            self.inverse = None

    def undo(self) -> None:
        self.inverse = self.ops.revert(self.current)


class Operations(QObject):
    changed = Signal(object)  # frozenset[str]: tables touched by a write, undo or redo
    saved = Signal(str)  # "HH:MM:SS" of the last committed write
    failed = Signal(str)  # a Chinese sentence: an undo/redo could not be carried out

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self.ledger: Ledger | None = None

    def set_ledger(self, ledger: Ledger | None) -> None:
        self.ledger = ledger
        self.stack.clear()

    def apply(self, write: Callable[[], Change]) -> Change:
        """Run a core write; raises LedgerError (nothing written) for the caller to show."""
        change = write()
        if change.is_empty:
            return change
        self.stack.push(ChangeCommand(self, change))
        self._announce(change)
        return change

    def apply_group(self, writes: Sequence[Callable[[], Change]], label: str) -> Change:
        """Several core writes as one transaction and one undo step (a paste that edits some
        rows and adds others): all or nothing, like a single write."""
        if len(writes) == 1:
            return self.apply(writes[0])
        assert self.ledger is not None
        ledger = self.ledger
        return self.apply(lambda: ledger.batch(label, writes))

    def revert(self, change: Change) -> Change | None:
        """Revert for undo/redo; on a conflict, say so and drop the now-invalid history."""
        assert self.ledger is not None
        try:
            inverse = self.ledger.revert(change)
        except LedgerError as exc:
            self.failed.emit(exc.message)
            # The stack cannot be cleared from inside one of its commands: do it right after.
            QTimer.singleShot(0, self.stack.clear)
            return None
        self._announce(inverse)
        return inverse

    def _announce(self, change: Change) -> None:
        self.saved.emit(datetime.now().strftime("%H:%M:%S"))
        self.changed.emit(change.tables)
