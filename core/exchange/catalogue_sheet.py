"""The indicator catalogue as an Excel sheet: export, and import through the data import's
machinery (dry run, all or nothing, backup first, audited, undoable: excel_import).

    export_catalogue(ledger, path)         # one sheet 指标目录, every indicator (retired too)
    plan = preview_catalogue(ledger, path) # new / changed / unchanged / refused, row by row
    apply_import(ledger, plan)             # excel_import's apply: the same guarantees

The columns are core.catalogue_columns' one table. Rows are matched by their 记录编号 (our
export's hidden column), else by name or a former name; a row never deletes or retires an
indicator it does not name, and an empty cell leaves the stored attribute alone.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.catalogue import Indicator, unsaved
from core.catalogue_columns import COLUMN_BY_KEY, COLUMNS, HEADERS
from core.changes import new_id
from core.default_catalogue import KINDS
from core.errors import InputError, LedgerError
from core.exchange.importers import (
    ACTION_LABELS,
    CHANGED,
    NEW,
    REJECTED,
    UNCHANGED,
    Context,
    Op,
    RowImporter,
    RowResult,
    same,
    shown,
)
from core.exchange.layout import CATALOGUE, HEADER_SCAN_ROWS, map_headers
from core.exchange.reading import ImportRefused, Progress, RawSheet, no_progress, read_workbook
from core.fields import BatchError
from core.files import reason
from core.kinds import decimals_of

if TYPE_CHECKING:
    from core.exchange.excel_import import ImportPlan
    from core.exchange.layout import Mapping
    from core.ledger import Ledger

_BOUNDS = ("hard_min", "hard_max", "soft_min", "soft_max")


# -- export ----------------------------------------------------------------------------------
def catalogue_rows(ledger: Ledger) -> list[list[Any]]:
    """Every indicator (retired ones too) as the sheet's rows, in catalogue order."""
    every = ledger.catalogue.all(include_retired=True)
    names = {i.id: i.name for i in every}
    return [[column.cell(indicator, names) for column in COLUMNS] for indicator in every]


def export_catalogue(ledger: Ledger, out: Path) -> tuple[Path, int]:
    """Write the catalogue to `out` (.xlsx), never half a file; returns (path, rows)."""
    from core.exchange.excel_export import Table, _write

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"导出文件名应以 .xlsx 结尾，收到“{out.name}”")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"无法写入“{out}”（{reason(exc)}），请换一个位置") from exc
    every = ledger.catalogue.all(include_retired=True)
    rows = catalogue_rows(ledger)
    # a bound with decimals shows them (the 小数位数 column itself is an integer)
    decimals = [max([0, *(decimals_of(v) for v in (getattr(i, k) for k in _BOUNDS)
                          if v is not None)]) for i in every]
    _write([Table(CATALOGUE, rows, row_decimals=decimals)], out)
    return out, len(rows)


# -- import ----------------------------------------------------------------------------------
def guess_catalogue_mapping(sheet: RawSheet) -> Mapping | None:
    """The catalogue columns of a worksheet: the header row (of its first rows) naming the
    most of them; None when none names 名称 and at least one more catalogue column."""
    best: Mapping | None = None
    for offset, headers in enumerate(sheet.first_rows(HEADER_SCAN_ROWS)):
        mapping = map_headers("catalogue", list(headers), offset + 1)
        if mapping.complete and len(mapping.columns) >= 2 and (
                best is None or len(mapping.columns) > len(best.columns)):
            best = mapping
    return best


def preview_catalogue(ledger: Ledger, path: Path, *, progress: Progress = no_progress
                      ) -> ImportPlan:
    """The dry run of a catalogue sheet: writes nothing. Raises ImportRefused when no
    worksheet has catalogue columns."""
    from core.exchange.excel_import import preview

    workbook = read_workbook(Path(path), progress)
    mappings = {sheet.title: guess_catalogue_mapping(sheet) for sheet in workbook.sheets}
    if all(m is None for m in mappings.values()):
        raise ImportRefused(
            f"“{workbook.path.name}”中没有找到指标目录的列（要有“名称”，以及“单位”“小数位数”"
            "“类型”“分组”等），未导入；可先导出指标目录，照它的表头填写")
    return preview(ledger, workbook, mappings=mappings, progress=progress)


def plan_lines(plan: ImportPlan) -> list[str]:
    """The dry run as the command prints it and the 指标目录 dialog shows it: every row (a
    catalogue is a few dozen), refused ones first, then the notes and the totals."""
    lines = [f"文件：{plan.path.name}"]
    for action in (REJECTED, NEW, CHANGED, UNCHANGED):
        for result in plan.results(action):
            detail = f"——{result.detail}" if result.detail else ""
            lines.append(f"  {result.sheet} 第 {result.row} 行 {result.label}："
                         f"{ACTION_LABELS[action]}{detail}")
    lines += [f"说明：{note}" for note in plan.notes]
    lines.append(f"合计：{plan.summary}")
    return lines


class CatalogueImporter(RowImporter):
    """Rows of a catalogue sheet: a new indicator, a change to one, nothing, or a refusal."""

    kind = "catalogue"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.catalogue = self.ledger.catalogue
        self.every = self.catalogue.all(include_retired=True)
        self.by_id = {i.id: i for i in self.every}
        self.stored = {r["id"]: r for r in self.ledger.query("SELECT * FROM indicators")}
        self.names = {i.id: i.name for i in self.every}
        self.positions: dict[str, int] = {}  # group → the last position given in this sheet
        self.known: dict[str, Indicator] = {}  # this sheet's new indicators (占比 parts)

    def _label_of(self, values: dict[str, Any]) -> str:
        return f"指标“{str(values.get('name') or '').strip()[:40]}”"

    def _read(self, values: dict[str, Any]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        problems: list[tuple[Any, str]] = []
        for key, raw in values.items():
            column = COLUMN_BY_KEY.get(key)
            if column is None:
                continue
            try:
                fields[key] = column.read(raw, column.header)
            except InputError as exc:
                problems.append((key, exc.message))
        if problems:
            raise BatchError(problems)
        return fields

    def row(self, number: int, values: dict[str, Any], units: dict[str, str],
            years: dict[str, int]) -> RowResult:
        fields = self._read(values)
        row_id = self._given_id(fields.pop("id", ""))
        retired = fields.pop("retired", None)
        name = str(fields.get("name") or "")
        if not name:
            raise InputError(f"「{HEADERS['name']}」不能为空")
        stored = self.by_id.get(row_id or "") or self.catalogue.find(name) or next(
            (i for i in self.every if i.retired and i.name == name), None)
        if stored is None:
            return self._new(number, fields, row_id, bool(retired))
        self.duplicate(("id", stored.id), number)
        if row_id is None and name != stored.name:  # named by a former name: not a rename
            fields.pop("name")
        stays_retired = stored.retired if retired is None else bool(retired)
        _label, out = self.catalogue.planned_update(stored.id, fields,
                                                    active=not stays_retired)
        if out.get("section") != stored.section:
            out["position"] = self._next_position(out["section"])
        if retired is not None and bool(retired) != stored.retired:
            out["retired"] = int(bool(retired))
        before = self.stored[stored.id]
        changes = {k: v for k, v in out.items() if not same(before.get(k), v)}
        label = f"指标“{stored.name}”"
        if not changes:
            return RowResult(self.worksheet, number, UNCHANGED, label)
        detail = "；".join(self._change_text(k, before.get(k), v) for k, v in changes.items()
                          if k not in ("former_names", "position"))
        if "unit" in changes and self.catalogue.has_values(stored.id):
            detail += "（已填的数值按原数字保留，不会换算成新单位，请核对）"
        return RowResult(self.worksheet, number, CHANGED, label, detail,
                         (Op("indicators", stored.id, changes, False),))

    def _new(self, number: int, fields: dict[str, Any], row_id: str | None,
             retired: bool) -> RowResult:
        name = fields["name"]
        self.duplicate(("name", name), number)
        if "kind" not in fields:
            raise InputError(f"新指标须填写「{HEADERS['kind']}」（{'、'.join(KINDS.values())}）")
        out = self.catalogue.validated(fields, known=self.known)
        out.setdefault("higher_is_better", 1)
        indicator_id = row_id or new_id()
        values = {**out, "position": self._next_position(out["section"]),
                  "retired": int(retired), "former_names": "[]"}
        self.known[name] = unsaved(indicator_id, values)
        self.names[indicator_id] = name
        detail = f"{KINDS[out['kind']]}，{out['section']}" + (
            f"，单位{out['unit']}" if out["unit"] else "") + ("，已停用" if retired else "")
        return RowResult(self.worksheet, number, NEW, f"指标“{name}”", detail,
                         (Op("indicators", indicator_id, values, True),))

    def _given_id(self, raw: str) -> str | None:
        if not raw:
            return None
        try:
            return str(uuid.UUID(raw))
        except ValueError as exc:
            raise InputError(f"「{HEADERS['id']}」不是本软件导出的编号，请清空该格") from exc

    def _next_position(self, section: str) -> int:
        if section not in self.positions:
            self.positions[section] = int(self.ledger.scalar(
                "SELECT coalesce(max(position), 0) FROM indicators WHERE section = ?",
                (section,)))
        self.positions[section] += 1
        return self.positions[section]

    def _change_text(self, key: str, old: Any, new: Any) -> str:
        if key == "derivation":
            return "占比：" + " → ".join(self._ratio_text(v) for v in (old, new))
        if key == "kind":
            return f"{HEADERS[key]}：{KINDS.get(old, old)} → {KINDS.get(new, new)}"
        if key in ("higher_is_better", "retired"):
            return f"{HEADERS[key]}：{'是' if old else '否'} → {'是' if new else '否'}"
        return f"{HEADERS.get(key, key)}：{shown(old)} → {shown(new)}"

    def _ratio_text(self, derivation: str | None) -> str:
        from core.ratios import parts

        found = parts(derivation)
        if found is None:
            return "无"
        return "÷".join(f"“{self.names.get(i, '?')}”" for i in found)

