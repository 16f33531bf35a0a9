"""Work plans (工作计划 / 工作打算): per year, ordered sections with a narrative and ordered items.

Items name the projects they push forward and may carry a target figure for an indicator; a year
later each item gets its result (已完成 / 未完成 …) for checking the plan off.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from typing import Any, ClassVar

from core.changes import Change, Writer
from core.errors import InputError
from core.fields import Field, parse_date
from core.kinds import number_text
from core.numbers import normalise, parse_number
from core.records import RecordTable, Row

RESULT_STATUSES = ("", "未开始", "推进中", "已完成", "未完成")
_YEAR_END = re.compile(r"(\d{4})\s*年\s*[底末]")
_MONTH_END = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*[底末]?")


def parse_deadline(raw: Any) -> str | None:
    """A deadline as plans write it: a date, or the end of a month or year — 2027年6月,
    2027年6月底(前) → 2027-06-30; 2027年底 → 2027-12-31 (a month alone means its end here)."""
    if raw is None or isinstance(raw, date):
        return parse_date(raw, field="完成时限")
    text = re.sub(r"[之以]?前$", "", unicodedata.normalize("NFKC", str(raw)).strip()).strip()
    if (match := _YEAR_END.fullmatch(text)) and 1900 <= int(match.group(1)) <= 2200:
        return f"{match.group(1)}-12-31"
    if match := _MONTH_END.fullmatch(text):
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return date(year, month, calendar.monthrange(year, month)[1]).isoformat()
    try:
        return parse_date(raw, field="完成时限")
    except InputError as exc:
        raise InputError(f"「完成时限」应为日期或月份，如 2027-6-30、2027年6月底、2027年底，"
                         f"收到“{raw}”", field="完成时限") from exc


class PlanSections(RecordTable):
    table = "plan_sections"
    noun = "计划部分"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("heading", "标题", required=True, width=28),
        Field("narrative", "总体思路", width=60),
    )

    def describe(self, row: Row) -> str:
        return str(row.get("heading") or "")

    def delete_children(self, writer: Writer, row: Row) -> None:
        for (item_id,) in self.ledger.conn.execute(
            "SELECT id FROM plan_items WHERE section_id = ?", (row["id"],)
        ).fetchall():
            PlanItems.delete_links(self.ledger, writer, item_id)
            writer.delete("plan_items", item_id)


class PlanItems(RecordTable):
    table = "plan_items"
    noun = "计划条目"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("title", "事项", required=True, width=30),
        Field("text", "具体内容", width=40),
        Field("target_indicator", "目标指标", width=16),
        Field("target_value", "目标值", kind="number", decimals=2, width=8),
        Field("owner", "责任人", width=8),
        Field("deadline", "完成时限", kind="date", width=10),
        Field("result_status", "完成情况", kind="choice", choices=RESULT_STATUSES, width=8),
        Field("result_note", "情况说明", width=24),
    )

    def describe(self, row: Row) -> str:
        return str(row.get("title") or "")

    def parse(self, key: str, raw: Any) -> dict[str, Any]:
        if key == "target_indicator":
            name = "" if raw is None else str(raw).strip()
            if not name:
                return {"target_indicator_id": None}
            indicator = self.ledger.catalogue.find(name)
            if indicator is None:
                raise InputError(f"指标目录中没有“{name}”", field="目标指标")
            return {"target_indicator_id": indicator.id}
        if key == "target_value":
            text = "" if raw is None else normalise(str(raw)).removesuffix("%")
            return {"target_value": parse_number(text, field="目标值")}
        if key == "deadline":
            return {"deadline": parse_deadline(raw)}
        return super().parse(key, raw)

    def display(self, row: Row, key: str) -> str:
        """目标值 as its indicator keeps its figures (8, not 8.00, for a count of 个)."""
        value = row.get("target_value")
        if key == "target_value" and value is not None and row.get("target_indicator_id"):
            return self.ledger.catalogue.get(row["target_indicator_id"]).format(value)
        if key == "target_value" and value is not None:
            return number_text(value, 0)
        return super().display(row, key)

    def field_value(self, row: Row, key: str) -> Any:
        if key == "target_indicator":
            if "target_indicator" in row:
                return row["target_indicator"]
            indicator_id = row.get("target_indicator_id")
            return self.ledger.catalogue.get(indicator_id).name if indicator_id else ""
        return super().field_value(row, key)

    @staticmethod
    def delete_links(ledger: Any, writer: Writer, item_id: str) -> None:
        for (link_id,) in ledger.conn.execute(
            "SELECT id FROM plan_item_projects WHERE item_id = ?", (item_id,)
        ).fetchall():
            writer.delete("plan_item_projects", link_id)

    def delete_children(self, writer: Writer, row: Row) -> None:
        self.delete_links(self.ledger, writer, row["id"])


class Plans:
    def __init__(self, ledger: Any) -> None:
        self.ledger = ledger
        self.sections = PlanSections(ledger)
        self.items = PlanItems(ledger)

    # -- reading ------------------------------------------------------------------------------
    def outline(self, year: int) -> list[dict[str, Any]]:
        """The year's plan: sections in order, each with its items and their linked projects."""
        sections = self.ledger.query(
            "SELECT * FROM plan_sections WHERE year = ? ORDER BY position, created_at", (year,)
        )
        items = self.ledger.query(
            "SELECT i.*, coalesce(ind.name, '') AS target_indicator, ind.unit AS target_unit"
            " FROM plan_items i JOIN plan_sections s ON s.id = i.section_id"
            " LEFT JOIN indicators ind ON ind.id = i.target_indicator_id"
            " WHERE s.year = ? ORDER BY i.position, i.created_at", (year,)
        )
        links = self.ledger.query(
            "SELECT l.item_id, p.id AS project_id, p.name FROM plan_item_projects l"
            " JOIN projects p ON p.id = l.project_id JOIN plan_items i ON i.id = l.item_id"
            " JOIN plan_sections s ON s.id = i.section_id WHERE s.year = ?"
            " ORDER BY l.position, l.created_at", (year,)
        )
        by_item: dict[str, list[dict[str, Any]]] = {}
        for link in links:
            by_item.setdefault(link["item_id"], []).append(
                {"id": link["project_id"], "name": link["name"]})
        by_section: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            item["projects"] = by_item.get(item["id"], [])
            by_section.setdefault(item["section_id"], []).append(item)
        for section in sections:
            section["items"] = by_section.get(section["id"], [])
        return sections

    def years(self) -> list[int]:
        return [r[0] for r in self.ledger.conn.execute(
            "SELECT DISTINCT year FROM plan_sections ORDER BY year DESC")]

    # -- writing ------------------------------------------------------------------------------
    def add_section(self, year: int, heading: str, narrative: str = "") -> Change:
        columns = self.sections.parse_row({"heading": heading, "narrative": narrative})
        position = self.ledger.scalar(
            "SELECT coalesce(max(position), 0) + 1 FROM plan_sections WHERE year = ?", (year,))
        with self.ledger.write(f"新增{year}年计划“{columns['heading']}”") as writer:
            writer.insert("plan_sections", {**columns, "year": int(year), "position": position})
        return writer.change

    def add_item(self, section_id: str, title: str, **raw: Any) -> Change:
        self.sections.get(section_id)
        columns = self.items.parse_row({"title": title, **raw})
        position = self.ledger.scalar(
            "SELECT coalesce(max(position), 0) + 1 FROM plan_items WHERE section_id = ?",
            (section_id,))
        with self.ledger.write(f"新增计划条目“{columns['title']}”") as writer:
            writer.insert("plan_items", {**columns, "section_id": section_id,
                                         "position": position})
        return writer.change

    def move(self, table: str, row_id: str, delta: int) -> Change:
        """Move a section or item up (-1) or down (+1) among its siblings."""
        if table not in ("plan_sections", "plan_items"):
            raise ValueError(table)
        parent = "year" if table == "plan_sections" else "section_id"
        row = self.ledger.query(f"SELECT * FROM {table} WHERE id = ?", (row_id,))[0]
        siblings = [r[0] for r in self.ledger.conn.execute(
            f"SELECT id FROM {table} WHERE {parent} = ? ORDER BY position, created_at",
            (row[parent],))]
        index = siblings.index(row_id)
        target = index + delta
        if not 0 <= target < len(siblings):
            return Change("无移动")
        siblings.insert(target, siblings.pop(index))
        noun = "计划部分" if table == "plan_sections" else "计划条目"
        with self.ledger.write(f"调整{noun}顺序") as writer:
            for position, sibling in enumerate(siblings, start=1):
                writer.update(table, sibling, {"position": position})
        return writer.change

    def set_projects(self, item_id: str, project_ids: list[str]) -> Change:
        """The projects an item pushes forward, in order (replaces the current list)."""
        item = self.items.get(item_id)
        current = {r[0]: r[1] for r in self.ledger.conn.execute(
            "SELECT project_id, id FROM plan_item_projects WHERE item_id = ?", (item_id,))}
        with self.ledger.write(f"修改“{item['title']}”关联的项目") as writer:
            for project_id, link_id in current.items():
                if project_id not in project_ids:
                    writer.delete("plan_item_projects", link_id)
            for position, project_id in enumerate(project_ids, start=1):
                if project_id in current:
                    writer.update("plan_item_projects", current[project_id],
                                  {"position": position})
                else:
                    writer.insert("plan_item_projects", {"item_id": item_id,
                                                         "project_id": project_id,
                                                         "position": position})
        return writer.change

    def copy_year(self, source_year: int, target_year: int) -> Change:
        """Start a year's plan from another year's headings and items (results left empty)."""
        if self.ledger.scalar("SELECT count(*) FROM plan_sections WHERE year = ?", (target_year,)):
            raise InputError(f"{target_year}年已有工作计划，未复制")
        outline = self.outline(source_year)
        if not outline:
            raise InputError(f"{source_year}年没有工作计划可复制")
        with self.ledger.write(f"以{source_year}年计划为底稿新建{target_year}年计划") as writer:
            for section in outline:
                section_id = writer.insert("plan_sections", {
                    "year": target_year, "position": section["position"],
                    "heading": section["heading"], "narrative": section["narrative"]})
                for item in section["items"]:
                    writer.insert("plan_items", {
                        "section_id": section_id, "position": item["position"],
                        "title": item["title"], "text": item["text"],
                        "target_indicator_id": item["target_indicator_id"],
                        "owner": item["owner"]})
        return writer.change
