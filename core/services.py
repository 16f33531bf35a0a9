"""The enterprise-service log: visits, problems solved, loans, relief, subsidies, materials."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from core import units
from core.errors import InputError
from core.fields import Field
from core.numbers import has_unit_words, parse_number, unit_words
from core.records import RecordTable, Row

KINDS = ("走访", "解决问题", "融资贷款", "减免", "税收减免", "政策资金", "研发奖补", "物资", "其他")
STATUSES = ("办结", "跟进中")
# The unit an amount of each kind is usually given in (used when the clerk leaves it empty).
DEFAULT_UNITS = {
    "融资贷款": "万元", "减免": "万元", "税收减免": "万元", "政策资金": "万元",
    "研发奖补": "万元", "物资": "个",
}


@dataclass(frozen=True)
class TypedAmount:
    """An amount typed with 万/亿 or a unit (5000万, 0.5亿元), not yet in the record's unit."""

    text: str


class Services(RecordTable):
    table = "services"
    noun = "服务记录"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("date", "日期", kind="date", required=True, width=10),
        Field("enterprise", "企业", kind="enterprise", width=20),
        Field("kind", "类型", kind="choice", choices=KINDS, required=True, width=8),
        Field("person_times", "人次", kind="int", minimum=0, width=5),
        Field("problems", "问题(条)", kind="int", minimum=0, width=6),
        Field("amount", "金额/数量", kind="number", decimals=2, minimum=0, width=9),
        Field("amount_unit", "单位", kind="choice", choices=("", *units.AMOUNT_UNITS), width=5),
        Field("description", "事项", width=30),
        Field("status", "状态", kind="choice", choices=STATUSES, width=6),
    )

    def describe(self, row: Row) -> str:
        return f"{row.get('date', '')} {row.get('kind', '')}"

    def defaults(self) -> Row:
        return {"status": "办结", "person_times": 0, "problems": 0}

    def parse(self, key: str, raw: Any) -> dict[str, Any]:
        if key in ("person_times", "problems") and (raw is None or str(raw).strip() == ""):
            return {key: 0}
        if key == "amount" and isinstance(raw, str) and raw.strip():
            # 万/亿 and a unit typed with the amount convert to the record's unit, which the row
            # decides (its 单位, else the kind's usual one): held until check_row knows it.
            if not has_unit_words(raw):
                return super().parse(key, raw)
            label = self.fields["amount"].label
            typed = unit_words(raw)
            if units.dimension(typed) is None and typed not in units.SCALE_WORDS:
                raise InputError(f"「{label}」的单位应为 {'、'.join(units.AMOUNT_UNITS)} 之一，"
                                 f"收到“{raw.strip()}”", field=label)
            number = parse_number(raw, field=label, unit=typed if typed not in
                                  units.SCALE_WORDS else "")
            if number is not None and number < 0:
                raise InputError(f"「{label}」不能小于 0，收到“{raw}”", field=label)
            return {"amount": TypedAmount(raw)}
        return super().parse(key, raw)

    def amount_unit(self, row: Row) -> str:
        """The unit of the record's amount: its 单位, else the one its kind is usually given in."""
        return str(row.get("amount_unit") or DEFAULT_UNITS.get(row.get("kind") or "", "万元"))

    def check_row(self, row: Row) -> None:
        amount = row.get("amount")
        if amount is not None and not row.get("amount_unit"):
            row["amount_unit"] = self.amount_unit(row)
        if isinstance(amount, TypedAmount):
            field = self.fields["amount"]
            row["amount"] = parse_number(amount.text, field=field.label, unit=row["amount_unit"])
        if row.get("amount") is None:
            row["amount_unit"] = row.get("amount_unit") or ""
        if not row.get("date"):
            raise InputError("「日期」不能为空")
        if row.get("kind") not in KINDS:
            raise InputError(f"「类型」应为 {'、'.join(KINDS)} 之一")

    # -- listing ------------------------------------------------------------------------------
    def rows(self, *, start: str | None = None, end: str | None = None, kind: str = "",
             enterprise_id: str | None = None, text: str = "", status: str = "",
             limit: int | None = None, offset: int = 0) -> list[Row]:
        where, params = self._where(start, end, kind, enterprise_id, text, status)
        sql = (
            "SELECT s.*, coalesce(e.name, '') AS enterprise FROM services s"
            f" LEFT JOIN enterprises e ON e.id = s.enterprise_id {where}"
            " ORDER BY s.date DESC, s.created_at DESC"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self.ledger.query(sql, params)

    def count(self, **filters: Any) -> int:
        where, params = self._where(**self._filters(filters))
        return int(self.ledger.scalar(
            f"SELECT count(*) FROM services s LEFT JOIN enterprises e ON e.id = s.enterprise_id"
            f" {where}", params))

    def totals(self, **filters: Any) -> dict[str, Any]:
        """The totals line: records, person-times, problems, amounts per unit dimension."""
        where, params = self._where(**self._filters(filters))
        row = self.ledger.conn.execute(
            "SELECT count(*), coalesce(sum(s.person_times), 0), coalesce(sum(s.problems), 0),"
            f" coalesce(sum(CASE WHEN s.amount_unit IN ('元','万元','亿元') THEN"
            f" {units.sql_to_base('s.amount', 's.amount_unit')} END), 0)"
            " FROM services s LEFT JOIN enterprises e ON e.id = s.enterprise_id"
            f" {where}", params
        ).fetchone()
        return {"count": row[0], "person_times": row[1], "problems": row[2],
                "money_wan": row[3] / 10_000}

    @staticmethod
    def _filters(filters: dict[str, Any]) -> dict[str, Any]:
        allowed = {"start", "end", "kind", "enterprise_id", "text", "status"}
        unknown = set(filters) - allowed
        if unknown:
            raise TypeError(f"unknown filters {unknown}")
        return {"start": None, "end": None, "kind": "", "enterprise_id": None, "text": "",
                "status": "", **filters}

    def _where(self, start: str | None, end: str | None, kind: str, enterprise_id: str | None,
               text: str, status: str) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if start:
            clauses.append("s.date >= :start")
            params["start"] = start
        if end:
            clauses.append("s.date <= :end")
            params["end"] = end
        if kind:
            clauses.append("s.kind = :kind")
            params["kind"] = kind
        if status:
            clauses.append("s.status = :status")
            params["status"] = status
        if enterprise_id:
            clauses.append("s.enterprise_id = :eid")
            params["eid"] = enterprise_id
        if text.strip():
            clauses.append("(s.description LIKE :t OR e.name LIKE :t)")
            params["t"] = f"%{text.strip()}%"
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
