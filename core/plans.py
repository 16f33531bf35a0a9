"""Work plans (工作计划 / 工作打算): per year, ordered sections with a narrative and ordered items.

Items name the projects they push forward and may carry a target figure for an indicator. Through
the year each item is 督办 (supervised): a lead office (`owner`, 牵头科室) and cooperating
offices, milestones (节点: what, by when), a dated progress log (进展) and evidence files
(core.evidence). Its status on any day is computed by core.supervision from those dates, never
typed; a 已完成 ticked at year end without a date (result_status) still counts as done.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from typing import Any, ClassVar

from core import clock
from core.changes import Change, Writer, os_user
from core.errors import InputError, NotFoundError
from core.fields import Field, parse_date
from core.kinds import number_text
from core.numbers import normalise, parse_number
from core.records import RecordTable, Row
from core.schema import DEFAULT_WARN_DAYS
from core.supervision import (
    NOT_STARTED,
    Status,
    item_status,
    milestone_status,
    opening_line,
)

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
        Field("owner", "责任人（牵头科室）", width=12),
        Field("co_offices", "配合科室", width=12),
        Field("deadline", "完成时限", kind="date", width=10),
        Field("done_on", "完成日期", kind="date", width=10),
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
        if key == "done_on":
            return {"done_on": parse_done_on(raw)}
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
        """Everything an item owns goes with it, in the same Change (undo brings all back)."""
        for table in ("plan_item_projects", "plan_milestones", "plan_progress", "evidence"):
            for (child_id,) in ledger.conn.execute(
                f"SELECT id FROM {table} WHERE item_id = ?", (item_id,)
            ).fetchall():
                writer.delete(table, child_id)

    def delete_children(self, writer: Writer, row: Row) -> None:
        self.delete_links(self.ledger, writer, row["id"])


def parse_done_on(raw: Any) -> str | None:
    """完成日期: a date, not after today (a done date in the future is a typing slip)."""
    value = parse_date(raw, field="完成日期")
    if value is not None and value > clock.today().isoformat():
        raise InputError(f"「完成日期」不能晚于今天（{clock.today():%Y-%m-%d}），收到“{raw}”",
                         field="完成日期")
    return value


class PlanMilestones(RecordTable):
    table = "plan_milestones"
    noun = "节点"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("what", "节点内容", required=True, width=24),
        Field("due", "节点时限", kind="date", required=True, width=10),
        Field("done_on", "完成日期", kind="date", width=10),
    )

    def describe(self, row: Row) -> str:
        return str(row.get("what") or "")

    def parse(self, key: str, raw: Any) -> dict[str, Any]:
        if key == "due":
            due = parse_deadline(raw)
            if due is None:
                raise InputError("「节点时限」不能为空，如 2027年6月底", field="节点时限")
            return {"due": due}
        if key == "done_on":
            return {"done_on": parse_done_on(raw)}
        return super().parse(key, raw)


class PlanProgress(RecordTable):
    table = "plan_progress"
    noun = "进展"
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("date", "日期", kind="date", required=True, width=10),
        Field("text", "进展情况", required=True, width=40),
    )

    def describe(self, row: Row) -> str:
        return str(row.get("text") or "")[:20]

    def parse(self, key: str, raw: Any) -> dict[str, Any]:
        if key == "date":
            value = parse_done_on(raw) if raw not in (None, "") else None
            if value is None:
                raise InputError("「日期」不能为空", field="日期")
            return {"date": value}
        if key == "text":
            text = "" if raw is None else str(raw).strip()
            if not text:
                raise InputError("「进展情况」不能为空", field="进展情况")
            return {"text": text}
        return super().parse(key, raw)


class Plans:
    def __init__(self, ledger: Any) -> None:
        self.ledger = ledger
        self.sections = PlanSections(ledger)
        self.items = PlanItems(ledger)
        self.milestones = PlanMilestones(ledger)
        self.progress = PlanProgress(ledger)

    # -- 督办 -----------------------------------------------------------------------------------
    def warn_days(self) -> int:
        """临期: how many days before a deadline an item is flagged (ledger setting)."""
        value = self.ledger.setting("plan_warn_days", DEFAULT_WARN_DAYS)
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return DEFAULT_WARN_DAYS

    @staticmethod
    def parse_warn_days(raw: Any) -> int:
        text = normalise(str(raw if raw is not None else "")).removesuffix("天").strip()
        if not text.isdigit() or not 0 <= int(text) <= 90:
            raise InputError(f"临期天数应为 0 到 90 的整数，收到“{raw}”")
        return int(text)

    def set_warn_days(self, raw: Any) -> Change:
        days = self.parse_warn_days(raw)
        return self.ledger.set_setting("plan_warn_days", days,
                                       label=f"修改临期提醒为完成时限前{days}天")

    def status(self, item: Row, on: date | None = None) -> Status:
        """The item's status on day `on` (today by default): the one rule of core.supervision."""
        on = on or clock.today()
        return item_status(item, item.get("milestones", []), item.get("progress", []),
                           on=on, warn_days=self.warn_days())

    def milestone_status(self, milestone: Row, on: date | None = None) -> Status:
        return milestone_status(milestone, on=on or clock.today(), warn_days=self.warn_days())

    def tracked(self, year: int, on: date | None = None) -> list[tuple[Row, Status]]:
        """Every item of the year's plan with its status on `on`, in plan order."""
        on = on or clock.today()
        return [(item, self.status(item, on)) for section in self.outline(year)
                for item in section["items"]]

    def opening_line(self, on: date | None = None) -> str:
        """“临期3项，超期1项” for this year's plan (empty when nothing is pressing)."""
        on = on or clock.today()
        return opening_line(status for _item, status in self.tracked(on.year, on))

    def result_counts(self, year: int, on: date | None = None) -> dict[str, int]:
        """年初部署X项、已完成Y项、推进中Z项: Z counts what is under way (late or not), 未开始
        what has no progress yet; 未完成 = 部署 − 已完成."""
        statuses = [status for _item, status in self.tracked(year, on)]
        done = sum(status.done for status in statuses)
        not_started = sum(status.label == NOT_STARTED for status in statuses)
        return {"部署": len(statuses), "已完成": done, "未完成": len(statuses) - done,
                "未开始": not_started, "推进中": len(statuses) - done - not_started,
                "逾期完成": sum(status.done_late for status in statuses)}

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
        children = {table: self._children(table, year, order) for table, order in (
            ("plan_milestones", "c.due, c.position, c.created_at"),
            ("plan_progress", "c.date, c.created_at"),
            ("evidence", "c.created_at, c.name"))}
        by_section: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            item["projects"] = by_item.get(item["id"], [])
            item["milestones"] = children["plan_milestones"].get(item["id"], [])
            item["progress"] = children["plan_progress"].get(item["id"], [])
            item["evidence"] = children["evidence"].get(item["id"], [])
            by_section.setdefault(item["section_id"], []).append(item)
        for section in sections:
            section["items"] = by_section.get(section["id"], [])
        return sections

    def _children(self, table: str, year: int, order: str) -> dict[str, list[Row]]:
        rows = self.ledger.query(
            f"SELECT c.* FROM {table} c JOIN plan_items i ON i.id = c.item_id"
            f" JOIN plan_sections s ON s.id = i.section_id WHERE s.year = ? ORDER BY {order}",
            (year,))
        grouped: dict[str, list[Row]] = {}
        for row in rows:
            grouped.setdefault(row["item_id"], []).append(row)
        return grouped

    def item(self, item_id: str) -> Row:
        """One item as the outline gives it (milestones, progress, evidence, projects)."""
        row = self.items.get(item_id)
        year = self.ledger.scalar("SELECT year FROM plan_sections WHERE id = ?",
                                  (row["section_id"],))
        for section in self.outline(year):
            for item in section["items"]:
                if item["id"] == item_id:
                    return dict(item)
        raise NotFoundError("该计划条目已不存在（可能已被删除）")

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
        return self._append("plan_items", "section_id", section_id, columns,
                            f"新增计划条目“{columns['title']}”")

    def _append(self, table: str, parent: str, parent_id: str, columns: Row, label: str
                ) -> Change:
        """Insert a row after its last sibling (sections' items, items' milestones)."""
        position = self.ledger.scalar(
            f"SELECT coalesce(max(position), 0) + 1 FROM {table} WHERE {parent} = ?",
            (parent_id,))
        with self.ledger.write(label) as writer:
            writer.insert(table, {**columns, parent: parent_id, "position": position})
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

    def add_milestone(self, item_id: str, what: str, due: Any) -> Change:
        item = self.items.get(item_id)
        columns = self.milestones.parse_row({"what": what, "due": due})
        return self._append("plan_milestones", "item_id", item_id, columns,
                            f"为“{item['title']}”新增节点“{columns['what']}”")

    def log_progress(self, item_id: str, text: str, on: Any = None, *,
                     milestone_id: str | None = None, finishes_item: bool = False) -> Change:
        """Log what was done (进展: date, text, who = the OS user); it may reach a milestone or
        finish the item on that date — all in one transaction, one undo step."""
        item = self.items.get(item_id)
        columns = self.progress.parse_row({"date": on or clock.today(), "text": text})
        milestone = None
        if milestone_id is not None:
            milestone = self.milestones.get(milestone_id)
            if milestone["item_id"] != item_id:
                raise InputError("该节点不属于这个计划条目")
        with self.ledger.write(f"记录“{item['title']}”的进展") as writer:
            writer.insert("plan_progress", {**columns, "item_id": item_id, "who": os_user()})
            if milestone is not None and milestone["done_on"] is None:
                writer.update("plan_milestones", milestone_id, {"done_on": columns["date"]})
            if finishes_item and item["done_on"] is None:
                writer.update("plan_items", item_id, {"done_on": columns["date"]})
        return writer.change

    def carry_over(self, source_year: int, target_year: int, on: date | None = None) -> Change:
        """Start next year's plan from this year's unfinished items (as of `on`): they join the
        section of the same heading, made if needed; milestones and progress stay behind."""
        if target_year <= source_year:
            raise InputError("只能把未完成事项转入以后年份的计划")
        unfinished = [(section, item) for section in self.outline(source_year)
                      for item in section["items"] if not self.status(item, on).done]
        if not unfinished:
            raise InputError(f"{source_year}年计划没有未完成的事项可转入{target_year}年")
        existing = {s["heading"]: s for s in self.outline(target_year)}
        carried = {i["title"] for s in existing.values() for i in s["items"]}
        positions = {s["id"]: max((i["position"] for i in s["items"]), default=0)
                     for s in existing.values()}
        with self.ledger.write(
                f"将{source_year}年未完成事项转入{target_year}年计划") as writer:
            next_section = len(existing) + 1
            for section, item in unfinished:
                target = existing.get(section["heading"])
                if target is None:
                    section_id = writer.insert("plan_sections", {
                        "year": target_year, "position": next_section,
                        "heading": section["heading"], "narrative": section["narrative"]})
                    next_section += 1
                    target = existing[section["heading"]] = {"id": section_id, "items": []}
                    positions[section_id] = 0
                if item["title"] in carried:
                    continue  # carried over before: not twice
                carried.add(item["title"])
                positions[target["id"]] += 1
                writer.insert("plan_items", {
                    "section_id": target["id"], "position": positions[target["id"]],
                    "title": item["title"], "text": item["text"],
                    "target_indicator_id": item["target_indicator_id"],
                    "owner": item["owner"], "co_offices": item["co_offices"]})
            if not writer.rows:
                raise InputError(f"{source_year}年未完成的事项已全部在{target_year}年计划中")
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
                        "owner": item["owner"], "co_offices": item["co_offices"]})
        return writer.change
