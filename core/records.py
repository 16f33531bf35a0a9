"""Shared machinery of the record tables (enterprises, projects, services, plans).

A record table declares its editable `FIELDS`; the base class turns what the clerk typed into
column values, checks the whole row, and writes through the ledger's Writer so that every add,
edit, paste and delete is audited and revertable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from core.changes import Change, Writer
from core.errors import InputError, LedgerError
from core.fields import BatchError, Field, field_map

if TYPE_CHECKING:
    from core.ledger import Ledger

Row = dict[str, Any]


class RecordTable:
    table: ClassVar[str]
    noun: ClassVar[str]  # 项目, 企业, 服务记录 … for labels and messages
    FIELDS: ClassVar[tuple[Field, ...]]

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.fields = field_map(self.FIELDS)

    # -- hooks for subclasses ---------------------------------------------------------------
    def describe(self, row: Row) -> str:
        """A short name of the record for labels (“项目‘X’”)."""
        return str(row.get("name") or "")

    def to_columns(self, field: Field, value: Any) -> dict[str, Any]:
        """A parsed field value → the columns it is stored in."""
        if field.kind == "flag":
            since, until = value
            return {f"{field.key}_since": since, f"{field.key}_until": until}
        if field.kind == "enterprise":
            return {"enterprise_id": self.ledger.enterprises.id_for_name(value) if value else None}
        if field.kind == "bool":
            return {field.key: int(value)}
        return {field.key: value}

    def check_row(self, row: Row) -> None:
        """Cross-field checks on the row as it would be stored; raise InputError."""

    def defaults(self) -> Row:
        return {}

    def delete_children(self, writer: Writer, row: Row) -> None:
        """Delete rows owned by `row` before it goes (captured in the same Change)."""

    def child_values(self, raw: dict[str, Any]) -> Any:
        """What a new record's row carries for tables it owns (taken out of `raw` before its
        fields are parsed); raises InputError. None: nothing."""
        return None

    def insert_children(self, writer: Writer, row_id: str, children: Any) -> None:
        """Write what `child_values` gave, in the transaction that adds the record."""

    # -- reading ----------------------------------------------------------------------------
    def get(self, row_id: str) -> Row:
        rows = self.ledger.query(f'SELECT * FROM "{self.table}" WHERE id = ?', (row_id,))
        if not rows:
            from core.errors import NotFoundError

            raise NotFoundError(f"该{self.noun}已不存在（可能已被删除）")
        return rows[0]

    def field_value(self, row: Row, key: str) -> Any:
        """The value of field `key` in a stored row, in the form Field.format expects."""
        field = self.fields[key]
        if field.kind == "flag":
            return (row.get(f"{key}_since"), row.get(f"{key}_until"))
        if field.kind == "enterprise":
            if "enterprise" in row:
                return row["enterprise"]
            enterprise_id = row.get("enterprise_id")
            return self.ledger.enterprises.name_of(enterprise_id) if enterprise_id else ""
        return row.get(key)

    def display(self, row: Row, key: str) -> str:
        return self.fields[key].format(self.field_value(row, key))

    # -- parsing ----------------------------------------------------------------------------
    def parse(self, key: str, raw: Any) -> dict[str, Any]:
        field = self.fields.get(key)
        if field is None:
            raise InputError(f"{self.noun}没有“{key}”这一栏")
        return self.to_columns(field, field.parse(raw))

    def parse_row(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Several typed fields at once; a BatchError lists every refused field."""
        columns: dict[str, Any] = {}
        problems: list[tuple[Any, str]] = []
        for key, value in raw.items():
            try:
                columns.update(self.parse(key, value))
            except LedgerError as exc:
                problems.append((key, exc.message))
        if problems:
            if len(problems) == 1:
                raise InputError(problems[0][1], field=str(problems[0][0]))
            raise BatchError(problems, "；".join(message for _key, message in problems))
        return columns

    # -- writing ----------------------------------------------------------------------------
    def add(self, **raw: Any) -> Change:
        """Add one record from typed fields (field keys as in FIELDS)."""
        return self.add_many([raw], label=None)

    def add_many(self, rows: list[dict[str, Any]], *, label: str | None = None) -> Change:
        """Add records in one transaction, all or nothing (a paste of new rows, an import)."""
        prepared: list[Row] = []
        problems: list[tuple[Any, str]] = []
        children: list[Any] = []
        for index, raw in enumerate(rows):
            try:
                raw = dict(raw)
                owned = self.child_values(raw)
                for field in self.FIELDS:
                    if field.required and field.key not in raw:
                        raise InputError(f"「{field.label}」不能为空", field=field.label)
                columns = {**self.defaults(), **self.parse_row(raw)}
                self.check_row(columns)
                prepared.append(columns)
                children.append(owned)
            except BatchError as exc:
                problems.extend((index, message) for _key, message in exc.problems)
            except LedgerError as exc:
                problems.append((index, exc.message))
        if problems:
            if len(rows) == 1:
                raise InputError("；".join(m for _i, m in problems))
            raise BatchError(problems)
        if label is None:
            label = (f"新增{self.noun}“{self.describe(prepared[0])}”" if len(prepared) == 1
                     else f"新增 {len(prepared)} 条{self.noun}")
        with self.ledger.write(label) as writer:
            for columns, owned in zip(prepared, children, strict=True):
                row_id = writer.insert(self.table, columns)
                if owned is not None:
                    self.insert_children(writer, row_id, owned)
        return writer.change

    def set_field(self, row_id: str, key: str, raw: Any) -> Change:
        return self.set_fields([(row_id, key, raw)])

    def set_fields(self, edits: Iterable[tuple[str, str, Any]], *, label: str | None = None
                   ) -> Change:
        """Edit fields of existing records in one transaction, all or nothing.

        A BatchError lists refused edits by their index in `edits`; nothing is written then.
        """
        edits = list(edits)
        originals: dict[str, Row] = {}
        merged: dict[str, Row] = {}
        problems: list[tuple[Any, str]] = []
        for index, (row_id, key, raw) in enumerate(edits):
            try:
                if row_id not in merged:
                    originals[row_id] = self.get(row_id)
                    merged[row_id] = dict(originals[row_id])
                merged[row_id].update(self.parse(key, raw))
            except LedgerError as exc:
                problems.append((index, exc.message))
        for row_id, row in merged.items():
            try:
                self.check_row(row)  # may also fill in defaults (a unit for an amount …)
            except LedgerError as exc:
                first = next(i for i, edit in enumerate(edits) if edit[0] == row_id)
                problems.append((first, exc.message))
        if problems:
            if len(edits) == 1:
                raise InputError(problems[0][1])
            raise BatchError(problems)
        changes = {
            row_id: {k: v for k, v in row.items() if originals[row_id].get(k) != v}
            for row_id, row in merged.items()
        }
        if label is None:
            if len(edits) == 1:
                row_id, key, _raw = edits[0]
                name = self.describe(merged[row_id])
                label = f"修改{self.noun}“{name}”的{self.fields[key].label}"
            else:
                label = f"修改 {len(edits)} 处{self.noun}信息"
        with self.ledger.write(label) as writer:
            for row_id, columns in changes.items():
                writer.update(self.table, row_id, columns)
        return writer.change

    def delete(self, row_id: str) -> Change:
        return self.delete_many([row_id])

    def delete_many(self, row_ids: Iterable[str]) -> Change:
        rows = [self.get(row_id) for row_id in row_ids]
        if not rows:
            return Change("无删除")
        label = (f"删除{self.noun}“{self.describe(rows[0])}”" if len(rows) == 1
                 else f"删除 {len(rows)} 条{self.noun}")
        with self.ledger.write(label) as writer:
            for row in rows:
                self.delete_children(writer, row)
                writer.delete(self.table, row["id"])
        return writer.change
