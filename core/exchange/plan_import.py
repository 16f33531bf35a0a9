"""Importing the 工作计划 sheet: one row per plan item, its section named on every row.

A row is matched by its year (计划年份; without one, next year's plan: the one being written),
its section heading (部分) and its item title (事项). A section or item the ledger lacks is added
after the year's or the section's last; a row with a section but no 事项 stands for the section
alone (our export writes one for a section without items). 推进项目 names projects of the
ledger or of the same file, separated by 、 or a comma; listed projects are linked to the item,
and — as with every empty cell — a project left out is not unlinked.
"""

from __future__ import annotations

import re
from typing import Any

from core.changes import new_id
from core.errors import InputError
from core.exchange.importers import (
    CHANGED,
    NEW,
    UNCHANGED,
    Context,
    Op,
    RowImporter,
    RowResult,
    same,
    shown,
)
from core.fields import parse_year
from core.records import Row

_ITEM_KEYS = ("title", "text", "target_indicator", "target_value", "owner", "co_offices",
              "deadline", "done_on", "result_status", "result_note")
_NAME_SEPARATORS = re.compile(r"([、，,；;\n])")


class PlanImporter(RowImporter):
    kind = "plans"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        plans = self.ledger.plans
        self.section_table, self.item_table = plans.sections, plans.items
        self.sections = {(r["year"], r["heading"]): r for r in self.ledger.query(
            "SELECT * FROM plan_sections")}
        self.items = {(r["section_id"], r["title"]): r for r in self.ledger.query(
            "SELECT * FROM plan_items")}
        self.links = {(r["item_id"], r["project_id"]): r["position"] for r in self.ledger.query(
            "SELECT item_id, project_id, position FROM plan_item_projects")}
        self.last_position: dict[Any, int] = {}  # year or section id → its last child's position
        for table, parent in (("plan_sections", "year"), ("plan_items", "section_id"),
                              ("plan_item_projects", "item_id")):
            for row in self.ledger.query(f"SELECT {parent} AS parent, max(position) AS last"
                                         f" FROM {table} GROUP BY {parent}"):
                self.last_position[(table, row["parent"])] = row["last"] or 0
        self.projects: dict[str, list[str]] = {}
        for row in self.ledger.query("SELECT id, name FROM projects"):
            self.projects.setdefault(row["name"], []).append(row["id"])
        # what earlier rows of the file settled: a section's id and narrative, and where
        self.new_sections: dict[tuple[int, str], str] = {}
        self.narratives: dict[str, tuple[str, int]] = {}

    def _label_of(self, values: dict[str, Any]) -> str:
        return str(values.get("title") or values.get("section") or "")[:40]

    def row(self, number: int, values: dict[str, Any], units: dict[str, str],
            years: dict[str, int]) -> RowResult:
        year = parse_year(values.get("year"), field="计划年份") or self.ctx.year + 1
        if "section" not in values:
            raise InputError("「部分」不能为空")
        section_values = self.section_table.parse_row(
            {"heading": values.get("section"), **({"narrative": values["narrative"]}
                                                  if "narrative" in values else {})})
        heading = section_values["heading"]
        item_raw = {key: values[key] for key in _ITEM_KEYS if key in values}
        item_values = self.item_table.parse_row(item_raw) if item_raw else {}
        if item_values and not item_values.get("title"):
            raise InputError("「事项」不能为空（只填“部分”的行代表该部分本身，不能填写事项内容）")
        project_ids = self._project_ids(values.get("projects"))
        if project_ids and not item_values:
            raise InputError("「推进项目」须填在某一事项的行上")

        ops: list[Op] = []
        details: list[str] = []
        section_id, section_new = self._section(number, year, heading, section_values, ops,
                                                details)
        label = f"{year}年计划“{heading}”"
        if not item_values:
            self.duplicate(("section", year, heading), number)
            action = NEW if section_new else (CHANGED if ops else UNCHANGED)
            return RowResult(self.worksheet, number, action, label, "；".join(details),
                             tuple(ops))
        title = item_values["title"]
        label = f"“{title}”（{year}年计划 · {heading}）"  # the item first: the preview elides
        self.duplicate(("item", year, heading, title), number)
        stored = None if section_new else self.items.get((section_id, title))
        if stored is None:
            row = {**self.item_table.defaults(), **item_values, "section_id": section_id,
                   "position": self._next_position("plan_items", section_id)}
            self.item_table.check_row(row)
            item_id = new_id()
            ops.append(Op("plan_items", item_id, row, True))
            self._links(item_id, project_ids, ops, details)
            return RowResult(self.worksheet, number, NEW, label, ops=tuple(ops))
        merged = {**stored, **item_values}
        self.item_table.check_row(merged)
        changes = {k: v for k, v in item_values.items() if not same(stored.get(k), v)}
        if changes:
            ops.append(Op("plan_items", stored["id"], changes, False))
            labels = {f.key: f.label for f in self.item_table.FIELDS}
            labels["target_indicator_id"] = "目标指标"
            details.extend(f"{labels.get(k, k)}：{self._shown(k, stored.get(k))} → "
                           f"{self._shown(k, v)}" for k, v in changes.items())
        self._links(stored["id"], project_ids, ops, details)
        if not ops:
            return RowResult(self.worksheet, number, UNCHANGED, label)
        return RowResult(self.worksheet, number, CHANGED, label, "；".join(details), tuple(ops))

    # -- pieces ---------------------------------------------------------------------------------
    def _section(self, number: int, year: int, heading: str, values: Row, ops: list[Op],
                 details: list[str]) -> tuple[str, bool]:
        """The section's id (added to `ops` when new) and whether this row adds it."""
        narrative = values.get("narrative")
        stored = self.sections.get((year, heading))
        section_id = stored["id"] if stored else self.new_sections.get((year, heading))
        if narrative is not None and section_id is not None:
            first = self.narratives.get(section_id)
            if first is not None and first[0] != narrative:
                raise InputError(f"“{heading}”的总体思路与本表第 {first[1]} 行不同，请统一后再导入")
        if section_id is None:
            section_id = new_id()
            self.new_sections[(year, heading)] = section_id
            if narrative is not None:
                self.narratives[section_id] = (narrative, number)
            ops.append(Op("plan_sections", section_id, {
                "year": year, "heading": heading, "narrative": narrative or "",
                "position": self._next_position("plan_sections", year)}, True))
            return section_id, True
        if stored is not None and narrative is not None and section_id not in self.narratives:
            self.narratives[section_id] = (narrative, number)
            if not same(stored["narrative"], narrative):
                ops.append(Op("plan_sections", section_id, {"narrative": narrative}, False))
                details.append(f"总体思路：{shown(stored['narrative'])} → {shown(narrative)}")
        return section_id, False

    def _project_ids(self, raw: Any) -> list[str]:
        """The projects a 推进项目 cell names, in order (a name may hold 、: see _names)."""
        if raw is None or not str(raw).strip():
            return []
        ids: list[str] = []
        for name in self._names(str(raw).strip()):
            found = self._project_id(name)
            if found not in ids:
                ids.append(found)
        return ids

    def _names(self, text: str) -> list[str]:
        """The names a cell lists: from each piece on, the longest run of pieces (joined by the
        separators the cell has between them) that names a known project — a name may hold 、
        or ，, and our export joins several names with 、 — else the piece alone."""
        parts = _NAME_SEPARATORS.split(text)  # piece, separator, piece, …

        def run(start: int, end: int) -> str:  # pieces start..end-1 with their separators
            return "".join(parts[2 * start:2 * end - 1]).strip()

        count = (len(parts) + 1) // 2
        names: list[str] = []
        start = 0
        while start < count:
            end = next((end for end in range(count, start + 1, -1) if self._known(run(start, end))),
                       start + 1)
            if run(start, end):
                names.append(run(start, end))
            start = end
        return names

    def _known(self, name: str) -> bool:
        return name in self.projects or name in self.ctx.new_projects

    def _project_id(self, name: str) -> str:
        stored = self.projects.get(name, [])
        if len(stored) > 1:
            raise InputError(f"台账中有 {len(stored)} 个名为“{name}”的项目，无法确定关联哪一个；"
                             "请导入后在“工作计划”页中选择")
        if stored:
            return stored[0]
        if name in self.ctx.new_projects:
            return self.ctx.new_projects[name]
        raise InputError(f"「推进项目」中的“{name}”不在项目台账中（多个项目请用顿号分隔）")

    def _links(self, item_id: str, project_ids: list[str], ops: list[Op],
               details: list[str]) -> None:
        added = [p for p in project_ids if (item_id, p) not in self.links]
        for project_id in added:
            self.links[(item_id, project_id)] = self._next_position("plan_item_projects", item_id)
            ops.append(Op("plan_item_projects", new_id(), {
                "item_id": item_id, "project_id": project_id,
                "position": self.links[(item_id, project_id)]}, True))
        if added:
            details.append(f"关联项目：新增 {len(added)} 个")

    def _next_position(self, table: str, parent: Any) -> int:
        position = self.last_position.get((table, parent), 0) + 1
        self.last_position[(table, parent)] = position
        return position

    def _shown(self, key: str, value: Any) -> str:
        if key == "target_indicator_id":
            return self.ledger.catalogue.get(value).name if value else "空"
        return shown(value)
