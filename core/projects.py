"""Key investment projects (亿元项目 and others) and their investment completed per year.

A project's status is not typed but follows from its dates, for the period looked at, by one
rule in SQL (core.derived.project_stages): 签约 / 新开工 / 竣工投产 in the period it happens, 在建
while running, 已签约 / 已投产 for what happened before the period, 谋划 before anything. So the
status column, the filter, the totals line and the derived figures can never disagree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from core.changes import Change, Writer
from core.derived import STAGES, project_groups, project_stages, stage_columns, status_text
from core.errors import InputError
from core.fields import Field
from core.periods import Period
from core.records import RecordTable, Row

STATUSES = STAGES  # one rule for the status column, its filter and the figures


class Projects(RecordTable):
    table = "projects"
    noun = "项目"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("name", "项目名称", required=True, width=26),
        Field("enterprise", "实施企业", kind="enterprise", width=18),
        Field("signed_date", "签约日期", kind="date", width=10),
        Field("start_date", "开工日期", kind="date", width=10),
        Field("completion_date", "竣工投产日期", kind="date", width=11),
        Field("total_investment", "总投资", kind="number", unit="亿元", decimals=2, minimum=0,
              width=9),
        Field("tech_renovation", "技改", kind="bool", width=5),
        Field("industry_chain", "产业链", width=12),
        Field("note", "备注", width=16),
    )

    def check_row(self, row: Row) -> None:
        signed, started, completed = (row.get("signed_date"), row.get("start_date"),
                                      row.get("completion_date"))
        if started and signed and started < signed:
            raise InputError("「开工日期」早于「签约日期」，请核对")
        if completed and started and completed < started:
            raise InputError("「竣工投产日期」早于「开工日期」，请核对")
        if completed and not started:
            raise InputError("已填「竣工投产日期」，请同时填写「开工日期」")
        if not (row.get("name") or "").strip():
            raise InputError("「项目名称」不能为空")

    # A new project may come with the investment it completed in a year (the 项目 tab's row,
    # an import): `invest_year` (亿元) and `invest_year_of`, written in the same transaction.
    INVEST_FIELD = Field("invest_year", "本年完成投资", kind="number", unit="亿元", decimals=2,
                         minimum=0, width=11)

    def child_values(self, raw: dict[str, Any]) -> Any:
        amount = raw.pop("invest_year", None)
        year = raw.pop("invest_year_of", None)
        value = self.INVEST_FIELD.parse(amount)
        if value is None:
            return None
        if year is None:
            raise InputError("填写了本年完成投资，但没有说明是哪一年")
        return (int(year), value)

    def insert_children(self, writer: Writer, row_id: str, children: Any) -> None:
        year, amount = children
        writer.insert("project_investments",
                      {"project_id": row_id, "year": year, "amount": amount})

    def delete_children(self, writer: Writer, row: Row) -> None:
        for table, column in (("project_investments", "project_id"),
                              ("plan_item_projects", "project_id")):
            for (child_id,) in self.ledger.conn.execute(
                f"SELECT id FROM {table} WHERE {column} = ?", (row["id"],)
            ).fetchall():
                writer.delete(table, child_id)

    # -- listing ------------------------------------------------------------------------------
    def rows(self, period: Period, *, status: str = "", text: str = "", yi_only: bool = False,
             limit: int | None = None, offset: int = 0) -> list[Row]:
        """Projects with their enterprise, this year's investment and status for `period`."""
        where, params = self._where(period, status, text, yi_only)
        sql = (
            f"SELECT p.*, coalesce(e.name, '') AS enterprise, {stage_columns('p.')},"
            " (SELECT amount FROM project_investments i WHERE i.project_id = p.id"
            "  AND i.year = :y) AS invest_year"
            " FROM projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id"
            f" {where} ORDER BY coalesce(p.start_date, p.signed_date, '9999') DESC, p.name"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self.ledger.query(sql, params)
        for row in rows:
            row["status"] = status_text(row)
            for n in range(len(STAGES)):
                del row[f"stage_{n}"]
        return rows

    def count(self, period: Period, *, status: str = "", text: str = "", yi_only: bool = False
              ) -> int:
        where, params = self._where(period, status, text, yi_only)
        return int(self.ledger.scalar(
            "SELECT count(*) FROM projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id"
            f" {where}", params))

    def totals(self, period: Period, *, status: str = "", text: str = "", yi_only: bool = False
               ) -> dict[str, float]:
        """The totals line: how many, total investment, this year's investment."""
        where, params = self._where(period, status, text, yi_only)
        row = self.ledger.conn.execute(
            "SELECT count(*), coalesce(sum(p.total_investment), 0),"
            " coalesce(sum((SELECT amount FROM project_investments i WHERE i.project_id = p.id"
            "  AND i.year = :y)), 0)"
            f" FROM projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id {where}", params
        ).fetchone()
        return {"count": row[0], "total_investment": row[1], "invest_year": row[2]}

    def _where(self, period: Period, status: str, text: str, yi_only: bool
               ) -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {"y": period.year, "start": period.start, "end": period.end,
                                  "threshold": self.ledger.yi_threshold}
        clauses: list[str] = []
        if status:
            conditions = {**project_stages("p."), "本期相关": project_groups("p.")["active"]}
            if status not in conditions:
                raise InputError(f"项目状态应为 {'、'.join(conditions)} 之一")
            clauses.append(f"({conditions[status]})")
        if yi_only:
            clauses.append("p.total_investment >= :threshold")
        if text.strip():
            clauses.append("(p.name LIKE :t OR e.name LIKE :t OR p.industry_chain LIKE :t"
                           " OR p.note LIKE :t)")
            params["t"] = f"%{text.strip()}%"
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def names(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.ledger.conn.execute(
            "SELECT id, name FROM projects ORDER BY name")]

    # -- investment per year --------------------------------------------------------------------
    def investments(self, project_id: str) -> dict[int, float]:
        return {r[0]: r[1] for r in self.ledger.conn.execute(
            "SELECT year, amount FROM project_investments WHERE project_id = ? ORDER BY year",
            (project_id,))}

    def set_investment(self, project_id: str, year: int, raw: Any) -> Change:
        """Investment completed in `year` (亿元); an empty value removes that year's figure."""
        return self.set_investments([(project_id, year, raw)])

    def set_investments(self, edits: list[tuple[str, int, Any]]) -> Change:
        field = self.INVEST_FIELD
        parsed: list[tuple[str, int, float | None]] = []
        for project_id, year, raw in edits:
            parsed.append((project_id, int(year), field.parse(raw)))
        first = self.get(parsed[0][0]) if parsed else {}
        label = (f"修改项目“{first.get('name', '')}”{parsed[0][1]}年完成投资" if len(parsed) == 1
                 else f"修改 {len(parsed)} 个项目的完成投资")
        with self.ledger.write(label) as writer:
            for project_id, year, amount in parsed:
                existing = self.ledger.scalar(
                    "SELECT id FROM project_investments WHERE project_id = ? AND year = ?",
                    (project_id, year),
                )
                if amount is None:
                    if existing:
                        writer.delete("project_investments", existing)
                elif existing:
                    writer.update("project_investments", existing, {"amount": amount})
                else:
                    writer.insert("project_investments",
                                  {"project_id": project_id, "year": year, "amount": amount})
        return writer.change
