"""The table model every data table of the window is built on.

A model shows rows fetched from core (lazily, a batch at a time, so a 50,000-record log opens at
once) and turns what the clerk types, pastes or clears into core writes through `Operations`:

- `setData` (a typed cell) and `write_cells` (a paste, a clear) first check every cell with
  core's own parser, so a refused paste lists every bad cell; only then do they write, as one
  undo step.
- Models that can add records show a *draft row* on top: typed cells are checked and held there
  until the clerk presses Enter (or leaves the row), then become one new record.
- Models never open dialogs: a refused cell is reported with the `refused` signal, a value that
  needs a reason with `reason_needed`, a refused paste as a `CellErrors` exception; the view
  shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from core.changes import Change
from core.errors import InputError, LedgerError, NeedsReason
from core.fields import BatchError, Field
from core.ledger import Ledger
from ui.i18n import tr
from ui.messages import guarded
from ui.operations import Operations

Row = dict[str, Any]
Index = QModelIndex | QPersistentModelIndex
Place = tuple[int, int | None]  # (row, column) in the edited block; column None: the whole row

DRAFT = "\x00draft"  # the row key of the draft row
MUTED = QColor("#8a8f98")
DRAFT_BACKGROUND = QColor("#fffbe6")
READONLY_BACKGROUND = QColor("#f4f5f7")


_ROLES = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.CheckStateRole,
    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole,
))  # the roles the models answer; the view asks for many more on every paint


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 10  # characters, as in core's Field.width
    editable: bool = True
    kind: str = "text"  # a core Field kind; "bool" shows a check box
    choices: tuple[str, ...] = ()
    numeric: bool = False
    tip: str = ""

    @classmethod
    def of(cls, field: Field, *, editable: bool = True, label: str | None = None) -> Column:
        """A column for a core Field; the unit goes into the header (总投资（亿元）)."""
        text = label or tr(field.label) + (f"（{field.unit}）" if field.unit else "")
        options = "、".join(c for c in field.choices if c)
        tip = f"{tr(field.label)}：可填 {options}" if options else ""
        return cls(field.key, text, field.width, editable, field.kind, field.choices,
                   field.kind in ("number", "int"), tip)


@dataclass(frozen=True)
class CellEdit:
    row: int | None  # model row of the record edited; None for a record being added
    column: int
    raw: str
    at: tuple[int, int] = (0, 0)  # where the cell sits in the pasted block (for messages)


@dataclass(frozen=True)
class Write:
    """One core write and, for each index core may name in a BatchError, the cell it means."""

    call: Callable[[], Change]
    places: tuple[Place, ...]


class CellErrors(BatchError):
    """Cells refused before anything was written; `problems` are (Place, message)."""


class LedgerTableModel(QAbstractTableModel):
    refused = Signal(int, int, str)  # model row, column, message: a typed cell was not stored
    reason_needed = Signal(object, str)  # the edits and core's question: ask, then submit again

    can_add = False  # show a draft row on top for new records
    batch = 200  # rows fetched at a time
    carry_over: tuple[str, ...] = ()  # draft cells kept for the next record (e.g. the date)
    placeholder = "（新记录）"  # in the draft row's first cell while it is empty
    draft_hint = "新记录：在这一行逐格填写（Tab 到下一格），按回车保存"

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.ledger: Ledger | None = None
        self.ops: Operations | None = None
        self.rows: list[Row] = []
        self.total = 0
        self.draft: dict[int, str] = {}
        self._carried: dict[int, str] = {}  # draft cells kept from the last record (the date)
        self._draft_rows = 0  # 1 while the draft row is shown (changes only with a reset)
        self._enterprise_names: list[str] | None = None  # read when first asked, until reload

    # -- what subclasses provide -------------------------------------------------------------
    def count(self) -> int:
        """How many records the current filter gives."""
        return 0

    def fetch(self, offset: int, limit: int) -> list[Row]:
        """Records `offset` … `offset + limit - 1` of the current filter."""
        return []

    def text(self, row: Row, column: Column) -> str:
        """What a cell shows."""
        value = row.get(column.key)
        return "" if value is None else str(value)

    def edit_text(self, row: Row, column: Column) -> str:
        """What a cell holds when edited or copied (no thousands separators, no decoration)."""
        return self.text(row, column)

    def checked(self, row: Row, column: Column) -> bool | None:
        """The state of a check-box cell; None for a row without a check box there."""
        return bool(row.get(column.key))

    def cell_editable(self, row: Row, column: Column) -> bool:
        return column.editable

    def check(self, row: Row | None, column: Column, raw: str, reason: str) -> None:
        """Raise core's LedgerError if `raw` cannot be stored in this cell (None: a new record)."""

    def update_writes(self, edits: list[CellEdit], reason: str) -> list[Write]:
        """Core writes for edits of existing records (all checked already)."""
        raise InputError("这张表不能修改")

    def add_writes(self, rows: list[list[CellEdit]]) -> list[Write]:
        """Core writes adding one record per list of cells."""
        raise InputError("这张表不能新增记录")

    def tooltip(self, row: Row, column: Column) -> str:
        return column.tip

    def completions(self, column: int) -> list[str]:
        """Words the cell editor offers while typing (choices, enterprise names …)."""
        if self.columns[column].kind == "enterprise":
            if self._enterprise_names is None:
                self._enterprise_names = (self.ledger.enterprises.names()
                                          if self.ledger is not None else [])
            return self._enterprise_names
        return [c for c in self.columns[column].choices if c]

    def foreground(self, row: Row, column: Column) -> QColor | None:
        return None

    def background(self, row: Row, column: Column) -> QColor | None:
        return None if column.editable else READONLY_BACKGROUND

    def row_key(self, row: Row) -> str:
        return str(row["id"])

    # -- attaching and loading ---------------------------------------------------------------
    def set_ledger(self, ledger: Ledger | None, ops: Operations | None) -> None:
        self.beginResetModel()
        self.ledger, self.ops = ledger, ops
        self.rows, self.total, self.draft, self._draft_rows = [], 0, {}, 0
        self._carried = {}
        self._enterprise_names = None
        self.endResetModel()

    @property
    def writable(self) -> bool:
        return self.ledger is not None and not self.ledger.readonly

    def reload(self, total: int | None = None) -> None:
        """Fetch again; rows stay in place (with the clerk's selection) when the set is the same.

        `total` saves the count query when the caller already knows it (from a totals line).
        """
        self._enterprise_names = None  # the register may have changed
        if self.ledger is None:
            self.beginResetModel()
            self.rows, self.total, self._draft_rows = [], 0, 0
            self.endResetModel()
            return
        total = self.count() if total is None else total
        rows = self.fetch(0, min(total, max(self.batch, len(self.rows))))
        draft_rows = 1 if self.wants_draft() else 0
        if total == self.total and draft_rows == self._draft_rows and [
            self.row_key(r) for r in rows
        ] == [self.row_key(r) for r in self.rows]:
            self.rows = rows
            if self.rowCount():
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(self.rowCount() - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self.rows, self.total, self._draft_rows = rows, total, draft_rows
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and len(self.rows) < self.total

    @guarded()
    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if parent.isValid() or self.ledger is None:
            return
        more = self.fetch(len(self.rows), self.batch)
        if not more:  # the table shrank under us: stop asking
            self.total = len(self.rows)
            return
        first = self.rowCount()
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def load_until(self, model_row: int) -> None:
        """Fetch until `model_row` is loaded (or everything is)."""
        while model_row >= self.rowCount() and self.canFetchMore():
            self.fetchMore()

    # -- rows ----------------------------------------------------------------------------------
    def wants_draft(self) -> bool:
        """Whether the draft row is shown (read at each reload)."""
        return self.can_add and self.writable

    @property
    def draft_rows(self) -> int:
        return self._draft_rows

    def is_draft(self, model_row: int) -> bool:
        return self.draft_rows == 1 and model_row == 0

    def record(self, model_row: int) -> Row | None:
        index = model_row - self.draft_rows
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def key_at(self, model_row: int) -> str | None:
        if self.is_draft(model_row):
            return DRAFT
        row = self.record(model_row)
        return None if row is None else self.row_key(row)

    def row_of(self, key: str | None) -> int | None:
        if key == DRAFT:
            return 0 if self.draft_rows else None
        for number, row in enumerate(self.rows):
            if self.row_key(row) == key:
                return number + self.draft_rows
        return None

    def record_rows(self, model_rows: Sequence[int]) -> list[Row]:
        found = (self.record(r) for r in sorted(set(model_rows)))
        return [row for row in found if row is not None]

    # -- Qt's model interface ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows) + self.draft_rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.label
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.tip or column.label
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "＋" if self.is_draft(section) else str(section + 1 - self.draft_rows)
        if role == Qt.ItemDataRole.ToolTipRole and self.is_draft(section):
            return tr(self.draft_hint)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid() or not self.writable:
            return flags
        column = self.columns[index.column()]
        row = self.record(index.row())
        if self.is_draft(index.row()):
            editable = column.editable
        else:
            editable = row is not None and self.cell_editable(row, column)
        if editable:
            flags |= Qt.ItemFlag.ItemIsEditable
            if column.kind == "bool" and not self.is_draft(index.row()):
                flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    @guarded()
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        column = self.columns[index.column()]
        if self.is_draft(index.row()):
            return self._draft_data(index.column(), role)
        row = self.record(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if column.kind == "bool" else self.text(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            state = self.checked(row, column)
            if state is None:
                return None
            return Qt.CheckState.Checked if state else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.tooltip(row, column)
            if not tip and column.kind != "bool":
                text = self.text(row, column)  # a cut-off cell shows its whole text
                tip = text if len(text) * 2 > column.width else ""
            return tip or None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _draft_data(self, column: int, role: int) -> Any:
        text = self.draft.get(column, "")
        if role == Qt.ItemDataRole.DisplayRole:
            return text if text or self.draft or column else tr(self.placeholder)
        if role == Qt.ItemDataRole.EditRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr(self.draft_hint)
        if role == Qt.ItemDataRole.ForegroundRole and not self.draft:
            return MUTED
        if role == Qt.ItemDataRole.BackgroundRole:
            return DRAFT_BACKGROUND
        return None

    @guarded(False)
    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        if self.ledger is None or self.ledger.closed:
            # A cell editor commits when it loses the focus, which can arrive after the ledger
            # was closed (a window or test torn down in another order): nothing to write to.
            return False
        if role == Qt.ItemDataRole.CheckStateRole:
            raw = "是" if Qt.CheckState(value) == Qt.CheckState.Checked else "否"
        elif role == Qt.ItemDataRole.EditRole:
            raw = "" if value is None else str(value)
        else:
            return False
        if self.is_draft(index.row()):
            return self.set_draft(index.column(), raw)
        edit = CellEdit(index.row(), index.column(), raw)
        try:
            self.write_cells([edit])
        except NeedsReason as exc:
            self.reason_needed.emit([edit], exc.message)
            return False
        except CellErrors as exc:
            self.refused.emit(index.row(), index.column(), exc.problems[0][1])
            return False
        except LedgerError as exc:
            self.refused.emit(index.row(), index.column(), exc.message)
            return False
        return True

    # -- the draft row -------------------------------------------------------------------------
    def set_draft(self, column: int, raw: str) -> bool:
        """Hold a typed cell of the new record, once core accepts it."""
        try:
            if raw.strip():
                self.check(None, self.columns[column], raw, "")
        except LedgerError as exc:
            self.refused.emit(0, column, exc.message)
            return False
        if raw.strip():
            self.draft[column] = raw.strip()
        else:
            self.draft.pop(column, None)
        self.dataChanged.emit(self.index(0, 0), self.index(0, self.columnCount() - 1))
        return True

    def commit_draft(self) -> bool:
        """Turn the draft row into a record; raises LedgerError (the draft stays) if refused."""
        if not self.draft:
            return False
        cells = [CellEdit(None, column, raw, (0, column)) for column, raw in sorted(
            self.draft.items())]
        self.write_cells([], [cells])
        keys = {i for i, c in enumerate(self.columns) if c.key in self.carry_over}
        self.draft = {c: raw for c, raw in self.draft.items() if c in keys}
        self._carried = dict(self.draft)
        self.dataChanged.emit(self.index(0, 0), self.index(0, self.columnCount() - 1))
        return True

    @property
    def draft_typed(self) -> bool:
        """Whether the draft row holds anything the clerk typed for it (not only the date kept
        from the record before): only then is there something to save, or to lose."""
        return any(self._carried.get(column) != raw for column, raw in self.draft.items())

    def discard_draft(self) -> None:
        self._carried = {}
        if self.draft:
            self.draft = {}
            self.dataChanged.emit(self.index(0, 0), self.index(0, self.columnCount() - 1))

    # -- writing -------------------------------------------------------------------------------
    def write_cells(self, edits: Sequence[CellEdit], new_rows: Sequence[list[CellEdit]] = (),
               reason: str = "", label: str | None = None) -> Change | None:
        """Check every cell, then write edits and new records as one undo step.

        Raises CellErrors listing every refused cell, NeedsReason when a value is outside its
        soft bounds and no reason was given, or core's LedgerError; nothing is written then.
        """
        if self.ops is None or self.ledger is None:
            raise InputError("尚未打开台账")
        self.ledger.require_writable()
        kept: list[CellEdit] = []
        problems: list[tuple[Place, str]] = []
        questions: list[str] = []
        for edit in [*edits, *(cell for cells in new_rows for cell in cells)]:
            column = self.columns[edit.column]
            row = None if edit.row is None else self.record(edit.row)
            if edit.row is not None and (row is None or not self.cell_editable(row, column)):
                if row is None or edit.raw.strip() != self.edit_text(row, column).strip():
                    problems.append((edit.at, f"「{column.label}」不能在此修改"))
                continue
            if edit.row is None and not column.editable:
                continue  # a copied read-only cell (状态 …) of a new row: nothing to store
            if row is not None and edit.raw.strip() == self.edit_text(row, column).strip():
                continue  # unchanged (e.g. F2 and Enter on a computed value): nothing to write
            try:
                self.check(row, column, edit.raw, reason)
            except NeedsReason as exc:
                questions.append(exc.message)
            except LedgerError as exc:
                problems.append((edit.at, exc.message))
            if edit.row is not None:
                kept.append(edit)
        if problems:
            raise CellErrors(problems)
        if questions:
            raise NeedsReason(questions[0] if len(questions) == 1 else
                              f"有 {len(questions)} 个数值超出常见范围，请注明原因后保存")
        added = [[c for c in cells if self.columns[c.column].editable] for cells in new_rows]
        writes = (self.update_writes(kept, reason) if kept else []) + (
            self.add_writes([cells for cells in added if cells]) if any(added) else [])
        if not writes:
            return None
        count = len(kept) + sum(len(cells) for cells in added)
        return self.ops.apply_group([_located(w) for w in writes],
                                    label or f"修改 {count} 个单元格")


def _located(write: Write) -> Callable[[], Change]:
    """Run a write; core's refusal comes back as CellErrors naming the cells."""
    places = write.places

    def run() -> Change:
        try:
            return write.call()
        except CellErrors:
            raise
        except BatchError as exc:
            raise CellErrors([
                (places[i] if isinstance(i, int) and 0 <= i < len(places) else (places[0][0], None),
                 message) for i, message in exc.problems
            ]) from exc
        except NeedsReason:
            raise
        except InputError as exc:
            place = places[0] if len(places) == 1 else (places[0][0], None)
            raise CellErrors([(place, exc.message)]) from exc
    return run
