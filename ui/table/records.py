"""A table model over one of core's record tables (projects, enterprises, services, plans …).

Columns come from the table's `FIELDS`; cells show `RecordTable.display`, are checked with
`RecordTable.parse` and written with `set_fields` / `add_many` / `delete_many`, so the window
holds no rules of its own about what a record may contain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.changes import Change
from core.records import RecordTable
from ui.table.model import CellEdit, Column, LedgerTableModel, Row, Write


class RecordModel(LedgerTableModel):
    can_add = True

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(columns, parent)

    @property
    def table(self) -> RecordTable:
        """The core record table behind the model (override)."""
        raise NotImplementedError

    def is_field(self, column: Column) -> bool:
        return column.key in self.table.fields

    # -- cells ---------------------------------------------------------------------------------
    def text(self, row: Row, column: Column) -> str:
        if self.is_field(column):
            return self.table.display(row, column.key)
        return super().text(row, column)

    def checked(self, row: Row, column: Column) -> bool | None:
        return bool(self.table.field_value(row, column.key)) if self.is_field(column) else False

    def check(self, row: Row | None, column: Column, raw: str, reason: str) -> None:
        if self.is_field(column):
            self.table.parse(column.key, raw)

    # -- writing -------------------------------------------------------------------------------
    def field_edits(self, edits: list[CellEdit]) -> list[Write]:
        """One set_fields for the edits of plain fields (indexes of a BatchError map back)."""
        chosen = [e for e in edits if self.is_field(self.columns[e.column])]
        if not chosen:
            return []
        triples = [(self.edited_id(e), self.columns[e.column].key, e.raw) for e in chosen]
        table = self.table
        return [Write(lambda: table.set_fields(triples), tuple(e.at for e in chosen))]

    def edited_id(self, edit: CellEdit) -> str:
        row = None if edit.row is None else self.record(edit.row)
        assert row is not None, "write_cells() passes only edits of loaded records"
        return self.row_key(row)

    def update_writes(self, edits: list[CellEdit], reason: str) -> list[Write]:
        return self.field_edits(edits)

    def raw_record(self, cells: list[CellEdit]) -> dict[str, str]:
        return {self.columns[c.column].key: c.raw for c in cells
                if self.is_field(self.columns[c.column])}

    def add_writes(self, rows: list[list[CellEdit]]) -> list[Write]:
        raws = [self.raw_record(cells) for cells in rows]
        table = self.table
        return [Write(lambda: table.add_many(raws), tuple((cells[0].at[0], None)
                                                          for cells in rows))]

    def delete(self, model_rows: Sequence[int]) -> Change | None:
        """Delete the records at these rows as one undo step (the caller confirmed)."""
        ids = [self.row_key(row) for row in self.record_rows(model_rows)]
        if not ids or self.ops is None:
            return None
        table = self.table
        return self.ops.apply(lambda: table.delete_many(ids))
