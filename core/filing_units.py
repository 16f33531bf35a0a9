"""填报单位: the 科室, 街道 and 园区 that fill part of the ledger, and what each fills per period.

    units = FilingUnits(ledger)
    units.add("工业科", kind="科室")
    units.assign("工业科", Period(2026, 6), indicators=["规上工业增加值增速"], tables=["services"])
    units.assignment("工业科", Period(2026, 6))   # Assignment(indicator_ids, tables, due)

(Not core.units: that module is about units of measure.) One figure has one source: an
indicator is filled by at most one unit in a period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.changes import Change
from core.errors import ConflictError, InputError, NotFoundError
from core.periods import Period
from core.text import clean_text

if TYPE_CHECKING:
    from core.ledger import Ledger

UNIT_KINDS = ("科室", "街道", "园区", "其他")
# Record tables a unit may fill, with the clerk's name for each (what a packet carries).
RECORD_TABLES = {"services": "企业服务记录", "projects": "重点项目（含本年完成投资）",
                 "plans": "工作计划（本年及下一年）"}
MAX_NAME = 30


@dataclass(frozen=True)
class FilingUnit:
    id: str
    name: str
    kind: str
    note: str


@dataclass(frozen=True)
class Assignment:
    unit: FilingUnit
    period: Period
    indicator_ids: tuple[str, ...]
    tables: tuple[str, ...]
    due: str | None

    @property
    def empty(self) -> bool:
        return not self.indicator_ids and not self.tables


class FilingUnits:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # -- units --------------------------------------------------------------------------------
    def all(self) -> list[FilingUnit]:
        found = [FilingUnit(r["id"], r["name"], r["kind"], r["note"]) for r in self.ledger.query(
            "SELECT id, name, kind, note FROM filing_units ORDER BY name")]
        return sorted(found, key=lambda unit: UNIT_KINDS.index(unit.kind))  # 科室 first

    def find(self, name: str) -> FilingUnit | None:
        wanted = " ".join(str(name).split())
        return next((unit for unit in self.all() if unit.name == wanted), None)

    def get(self, name: str) -> FilingUnit:
        unit = self.find(name)
        if unit is None:
            known = "、".join(u.name for u in self.all()) or "尚未设置任何填报单位"
            raise NotFoundError(f"没有名为“{name}”的填报单位（现有：{known}）")
        return unit

    def by_id(self, unit_id: str) -> FilingUnit | None:
        return next((unit for unit in self.all() if unit.id == unit_id), None)

    def add(self, name: str, *, kind: str = "科室", note: str = "") -> Change:
        clean = clean_text(name, field="填报单位名称")
        clean = " ".join(clean.split())
        if not clean:
            raise InputError("请填写填报单位名称（如：工业科、星河街道）")
        if len(clean) > MAX_NAME:
            raise InputError(f"填报单位名称最多 {MAX_NAME} 个字")
        if kind not in UNIT_KINDS:
            raise InputError(f"填报单位类别应为{'、'.join(UNIT_KINDS)}之一，收到“{kind}”")
        if self.find(clean) is not None:
            raise ConflictError(f"已有名为“{clean}”的填报单位")
        with self.ledger.write(f"新增填报单位“{clean}”") as writer:
            writer.insert("filing_units", {"name": clean, "kind": kind,
                                           "note": clean_text(note, field="备注")})
        return writer.change

    def remove(self, name: str) -> Change:
        unit = self.get(name)
        if self.ledger.scalar("SELECT count(*) FROM packets_issued WHERE unit_id = ?",
                              (unit.id,)):
            raise ConflictError(f"已向“{unit.name}”下发过填报包，不能删除该单位")
        with self.ledger.write(f"删除填报单位“{unit.name}”") as writer:
            for row in self.ledger.query(
                    "SELECT id FROM filing_assignments WHERE unit_id = ?", (unit.id,)):
                writer.delete("filing_assignments", row["id"])
            writer.delete("filing_units", unit.id)
        return writer.change

    # -- assignments --------------------------------------------------------------------------
    def assign(self, name: str, period: Period, *, indicators: list[str] | tuple[str, ...] = (),
               tables: list[str] | tuple[str, ...] = (), due: str | None = None) -> Change:
        """Add indicators (names, codes or ids) and record tables to what `name` fills for
        `period`; all or nothing. An indicator another unit fills in that period is refused."""
        unit = self.get(name)
        chosen = [self.ledger.catalogue.resolve(ref) for ref in indicators]
        for table in tables:
            if table not in RECORD_TABLES:
                names = "、".join(f"{k}（{v}）" for k, v in RECORD_TABLES.items())
                raise InputError(f"填报单位可填报的记录表为：{names}；收到“{table}”")
        if due is not None:
            from datetime import date

            try:
                date.fromisoformat(due)
            except ValueError as exc:
                raise InputError(f"报送期限应为日期（如 2026-07-05），收到“{due}”") from exc
        taken = {r["indicator_id"]: r["name"] for r in self.ledger.query(
            "SELECT a.indicator_id, u.name FROM filing_assignments a JOIN filing_units u"
            " ON u.id = a.unit_id WHERE a.year = ? AND a.months = ? AND a.unit_id <> ?"
            " AND a.indicator_id IS NOT NULL", (period.year, period.months, unit.id))}
        clashes = [f"“{i.name}”已由{taken[i.id]}填报" for i in chosen if i.id in taken]
        if clashes:
            raise ConflictError(f"{period.label}：{'；'.join(clashes)}（一个指标只由一个单位填报）")
        have = self.assignment(unit.name, period)
        with self.ledger.write(f"为“{unit.name}”分配{period.label}填报内容") as writer:
            for indicator in chosen:
                if indicator.id not in have.indicator_ids:
                    writer.insert("filing_assignments", {
                        "unit_id": unit.id, "year": period.year, "months": period.months,
                        "indicator_id": indicator.id, "due": due})
            for table in tables:
                if table not in have.tables:
                    writer.insert("filing_assignments", {
                        "unit_id": unit.id, "year": period.year, "months": period.months,
                        "tbl": table, "due": due})
            if due is not None:
                for row in self._rows(unit, period):
                    writer.update("filing_assignments", row["id"], {"due": due})
        return writer.change

    def unassign(self, name: str, period: Period, *,
                 indicators: list[str] | tuple[str, ...] = (),
                 tables: list[str] | tuple[str, ...] = ()) -> Change:
        unit = self.get(name)
        ids = {self.ledger.catalogue.resolve(ref).id for ref in indicators}
        with self.ledger.write(f"取消“{unit.name}”{period.label}的部分填报内容") as writer:
            for row in self._rows(unit, period):
                if row["indicator_id"] in ids or row["tbl"] in tables:
                    writer.delete("filing_assignments", row["id"])
        return writer.change

    def _rows(self, unit: FilingUnit, period: Period) -> list[dict[str, Any]]:
        return self.ledger.query(
            "SELECT a.id, a.indicator_id, a.tbl, a.due FROM filing_assignments a"
            " LEFT JOIN indicators i ON i.id = a.indicator_id"
            " WHERE a.unit_id = ? AND a.year = ? AND a.months = ?"
            " ORDER BY a.tbl IS NOT NULL, i.position, a.tbl",
            (unit.id, period.year, period.months))

    def assignment(self, name: str, period: Period) -> Assignment:
        unit = self.get(name)
        rows = self._rows(unit, period)
        dues = sorted({r["due"] for r in rows if r["due"]})
        return Assignment(
            unit, period,
            tuple(r["indicator_id"] for r in rows if r["indicator_id"] is not None),
            tuple(r["tbl"] for r in rows if r["tbl"] is not None),
            dues[0] if dues else None)

    def assignments(self, period: Period) -> list[Assignment]:
        """Every unit with something to fill in `period`."""
        found = [self.assignment(unit.name, period) for unit in self.all()]
        return [a for a in found if not a.empty]
