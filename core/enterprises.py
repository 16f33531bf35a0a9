"""The enterprise register: names, credit codes, flags with the years they hold, honours."""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from core.changes import Change, Writer
from core.creditcode import normalise_credit_code
from core.derived import ENTERPRISE_FLAGS
from core.errors import ConflictError, InputError
from core.fields import Field
from core.records import RecordTable, Row

HONOUR_CATEGORIES = ("双创大赛推荐", "众创空间", "重大新产品", "质量奖", "科技奖", "表彰", "其他")
HONOUR_LEVELS = ("国家级", "省级", "市级", "区级", "")

FLAG_FIELDS = tuple(
    Field(flag, label, kind="flag", width=8) for flag, label in ENTERPRISE_FLAGS.items()
)


class Enterprises(RecordTable):
    table = "enterprises"
    noun = "企业"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("name", "企业名称", required=True, width=22),
        Field("credit_code", "统一社会信用代码", width=20),
        Field("industry", "行业", width=10),
        *FLAG_FIELDS,
        Field("note", "备注", width=16),
    )

    def __init__(self, ledger: Any) -> None:
        super().__init__(ledger)
        self.honours = Honours(ledger)

    # -- hooks --------------------------------------------------------------------------------
    def to_columns(self, field: Field, value: Any) -> dict[str, Any]:
        if field.key == "credit_code":
            return {"credit_code": normalise_credit_code(value)}
        if field.key == "name":
            return {"name": clean_enterprise_name(value)}
        return super().to_columns(field, value)

    def check_row(self, row: Row) -> None:
        name = row.get("name") or ""
        if not name:
            raise InputError("「企业名称」不能为空")
        same = self.ledger.scalar(
            "SELECT id FROM enterprises WHERE name = ? AND id IS NOT ?", (name, row.get("id"))
        )
        if same:
            raise InputError(f"企业名录中已有“{name}”")
        code = row.get("credit_code")
        if code:
            other = self.ledger.scalar(
                "SELECT name FROM enterprises WHERE credit_code = ? AND id IS NOT ?",
                (code, row.get("id")),
            )
            if other:
                raise InputError(f"统一社会信用代码 {code} 已属于“{other}”")

    def delete_children(self, writer: Writer, row: Row) -> None:
        uses = self.ledger.conn.execute(
            "SELECT (SELECT count(*) FROM projects WHERE enterprise_id = :id),"
            " (SELECT count(*) FROM services WHERE enterprise_id = :id)", {"id": row["id"]}
        ).fetchone()
        if uses[0] or uses[1]:
            raise ConflictError(
                f"“{row['name']}”还有 {uses[0]} 个项目、{uses[1]} 条服务记录，"
                "请先删除或改挂其他企业"
            )
        for honour_id in self.ledger.conn.execute(
            "SELECT id FROM honours WHERE enterprise_id = ?", (row["id"],)
        ).fetchall():
            writer.delete("honours", honour_id[0])

    # -- lookups ------------------------------------------------------------------------------
    def id_for_name(self, name: str) -> str:
        """The id of the enterprise called `name` (or with that credit code)."""
        cleaned = clean_enterprise_name(name)
        found = self.ledger.scalar(
            "SELECT id FROM enterprises WHERE name = ? OR credit_code = ?",
            (cleaned, cleaned.upper()),
        )
        if found is None:
            raise InputError(f"企业名录中没有“{cleaned}”，请先在企业名录中添加")
        return str(found)

    def name_of(self, enterprise_id: str) -> str:
        return str(self.ledger.scalar("SELECT name FROM enterprises WHERE id = ?",
                                      (enterprise_id,)) or "")

    def names(self) -> list[str]:
        rows = self.ledger.conn.execute("SELECT name FROM enterprises ORDER BY name")
        return [r[0] for r in rows]

    # -- listing ------------------------------------------------------------------------------
    def rows(self, *, text: str = "", flag: str = "", year: int | None = None,
             limit: int | None = None, offset: int = 0) -> list[Row]:
        where, params = self._where(text, flag, year)
        sql = (
            "SELECT e.*, (SELECT count(*) FROM honours h WHERE h.enterprise_id = e.id)"
            " AS honour_count"
            f" FROM enterprises e {where} ORDER BY e.name"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self.ledger.query(sql, params)

    def count(self, *, text: str = "", flag: str = "", year: int | None = None) -> int:
        where, params = self._where(text, flag, year)
        return int(self.ledger.scalar(f"SELECT count(*) FROM enterprises e {where}", params))

    def _where(self, text: str, flag: str, year: int | None) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if text.strip():
            clauses.append("(e.name LIKE :t OR e.credit_code LIKE :t OR e.industry LIKE :t"
                           " OR e.note LIKE :t)")
            params["t"] = f"%{text.strip()}%"
        if flag:
            if flag not in ENTERPRISE_FLAGS:
                raise InputError(f"没有“{flag}”这一标记")
            if year is None:
                clauses.append(f"e.{flag}_since IS NOT NULL")
            else:
                clauses.append(f"e.{flag}_since <= :y AND (e.{flag}_until IS NULL"
                               f" OR e.{flag}_until >= :y)")
                params["y"] = year
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


class Honours(RecordTable):
    table = "honours"
    noun = "荣誉"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("enterprise", "企业", kind="enterprise", width=20),
        Field("name", "荣誉名称", required=True, width=24),
        Field("category", "类别", kind="choice", choices=HONOUR_CATEGORIES, required=True,
              width=10),
        Field("level", "级别", kind="choice", choices=HONOUR_LEVELS, width=6),
        Field("year", "年份", kind="year", required=True, width=6),
        Field("note", "备注", width=16),
    )

    def describe(self, row: Row) -> str:
        return str(row.get("name") or "")

    def rows(self, *, enterprise_id: str | None = None, year: int | None = None) -> list[Row]:
        clauses: list[str] = []
        params: list[Any] = []
        if enterprise_id is not None:
            clauses.append("h.enterprise_id = ?")
            params.append(enterprise_id)
        if year is not None:
            clauses.append("h.year = ?")
            params.append(year)
        where = "WHERE " + " AND ".join(clauses) if clauses else ""
        return self.ledger.query(
            "SELECT h.*, coalesce(e.name, '') AS enterprise FROM honours h"
            f" LEFT JOIN enterprises e ON e.id = h.enterprise_id {where}"
            " ORDER BY h.year DESC, h.category, h.name", params,
        )

    def add_for(self, enterprise_id: str | None, **raw: Any) -> Change:
        """Add an honour to a known enterprise (by id) — the register's detail panel."""
        columns = {**self.parse_row(raw), "enterprise_id": enterprise_id}
        self.check_row(columns)
        with self.ledger.write(f"新增荣誉“{columns['name']}”") as writer:
            writer.insert(self.table, columns)
        return writer.change


def clean_enterprise_name(text: Any) -> str:
    """Enterprise names compare after NFKC (full-width brackets) and without spaces."""
    value = unicodedata.normalize("NFKC", str(text or "")).strip()
    value = value.replace("(", "（").replace(")", "）")  # company names use full-width brackets
    return "".join(value.split())
