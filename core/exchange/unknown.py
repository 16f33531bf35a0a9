"""Indicator names a data sheet uses that the catalogue lacks: offered for creation, never
created unless the clerk chose it.

The dry run notes every such name with the unit the sheet gives it (its 单位 column, else the
value column's header: 本期数值（万元）) and the rows that use it; those rows are refused. When
the clerk chooses to create a name with a kind (the import dialog's choice, or the command's
`--create-unknown 名称=类型`), the dry run is made again with that choice: the first row that
names it also creates the indicator (group 新增指标, the kind's usual decimals), in the same
all-or-nothing, undoable import as the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.default_catalogue import KINDS

if TYPE_CHECKING:
    from core.catalogue import Indicator
    from core.exchange.importers import IndicatorImporter, Op

SECTION = "新增指标"
COUNT_UNITS = frozenset({"家", "个", "项", "人", "人次", "件", "条", "位", "次", "所", "名", "户"})
DECIMALS = {"count": 0, "amount": 2, "rate": 1, "share": 1, "rank": 0, "text": 0, "list": 0}


@dataclass
class UnknownName:
    name: str
    unit: str
    rows: list[tuple[str, int]] = field(default_factory=list)  # (worksheet, row number)

    @property
    def where(self) -> str:
        sheets: dict[str, list[str]] = {}
        for sheet, row in self.rows:
            sheets.setdefault(sheet, []).append(str(row))
        return "；".join(f"工作表“{s}”第 {'、'.join(rows)} 行" for s, rows in sheets.items())


def guess_kind(unit: str) -> str:
    """The kind first offered for a new indicator of `unit` (the clerk chooses in the end)."""
    if unit == "%":
        return "rate"
    return "count" if not unit or unit in COUNT_UNITS else "amount"


def offer_unknown(importer: IndicatorImporter, name: str, number: int, values: dict[str, Any],
                  units: dict[str, str]) -> tuple[Indicator | None, tuple[Op, ...]]:
    """Note an unknown name; when the clerk chose to create it, the new indicator and the
    write that creates it (rows after this one find it among the importer's indicators)."""
    from core.catalogue import unsaved
    from core.changes import new_id
    from core.exchange.importers import Op

    ctx = importer.ctx
    unit = str(values.get("unit") or "").strip() or units.get("value", "")
    entry = ctx.unknown.setdefault(name, UnknownName(name, unit))
    entry.unit = entry.unit or unit
    entry.rows.append((importer.worksheet, number))
    kind = ctx.create.get(name)
    if kind is None:
        return None, ()
    catalogue = importer.ledger.catalogue
    fields = catalogue.validated({"name": name, "unit": entry.unit, "kind": kind,
                                  "decimals": DECIMALS.get(kind, 0), "section": SECTION})
    earlier = sum(1 for other in ctx.unknown if other in ctx.create and other != name
                  and importer.indicators.get(other) is not None)
    position = int(importer.ledger.scalar(
        "SELECT coalesce(max(position), 0) FROM indicators WHERE section = ?",
        (SECTION,))) + earlier + 1
    row = {**fields, "position": position, "retired": 0, "former_names": "[]",
           "higher_is_better": 1}
    indicator = unsaved(new_id(), row)
    importer.indicators[name] = indicator
    return indicator, (Op("indicators", indicator.id, row, True),)


def created_text(indicator: Indicator) -> str:
    unit = f"单位{indicator.unit}，" if indicator.unit else ""
    return f"{unit}{KINDS[indicator.kind]}，分组“{indicator.section}”"


def unknown_note(unknown: dict[str, UnknownName], create: dict[str, str]) -> str:
    """The dry run's note on names the catalogue lacks and the clerk did not choose to create."""
    left = [u for name, u in unknown.items() if name not in create]
    if not left:
        return ""
    shown = "、".join(f"“{u.name}”（{u.where}{'，单位' + u.unit if u.unit else ''}）"
                     for u in left)
    return (f"指标目录中没有 {len(left)} 个指标：{shown}。这些行未导入；"
            "如需新建这些指标，请选择新建并指定类型后重新检查")
