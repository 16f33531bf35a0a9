"""The dry run of merging a return: every value new / changed / conflict with base, theirs,
ours, who and when, and the row operations applying it would do. Writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import clock
from core.changes import TIMESTAMPS
from core.errors import PacketRefused
from core.packets.format import (
    CHANGED,
    CONFLICT,
    DELETED,
    FIELD_LABELS,
    NEW,
    OUTSIDE,
    STATUS_LABELS,
    TRACKED,
    UNCHANGED,
    PacketInfo,
    apsw_module,
    changes_of,
    file_label,
    ledger_id,
    packet_info,
    show,
)
from core.packets.returning import ReturnPacket, read_return
from core.periods import Period

if TYPE_CHECKING:
    from core.ledger import Ledger


@dataclass
class Item:
    """One value of a return: what merging it would do."""

    key: str  # table:row_id:field, for the clerk's choice
    table: str
    row_id: str
    what: str  # the row in the clerk's words (indicator name, service record)
    field: str
    status: str
    base: Any
    theirs: Any
    ours: Any
    who: str
    when: str
    note: str = ""

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass
class RowOp:
    table: str
    kind: str  # insert / update / delete
    row_id: str  # the ledger's row (for an insert: the new row's id)
    values: dict[str, Any]
    items: list[Item] = field(default_factory=list)  # the values deciding it


@dataclass
class MergePlan:
    packet: ReturnPacket
    ledger_path: Path
    audit_mark: int
    items: list[Item]
    ops: list[RowOp]
    already: str = ""  # when this very return was merged before: when and by whom
    notes: list[str] = field(default_factory=list)

    @property
    def info(self) -> PacketInfo:
        return self.packet.info

    def count(self, status: str) -> int:
        return sum(item.status == status for item in self.items)

    @property
    def conflicts(self) -> list[Item]:
        return [item for item in self.items if item.status == CONFLICT]

    @property
    def summary(self) -> str:
        return "，".join(f"{STATUS_LABELS[s]} {self.count(s)} 项"
                        for s in (NEW, CHANGED, CONFLICT, UNCHANGED, OUTSIDE))


def _columns(ledger: Ledger, table: str) -> list[str]:
    return [r[1] for r in ledger.conn.execute(f'PRAGMA table_info("{table}")')]


def preview(ledger: Ledger, path: Path, *, period: Period | None = None,
            derived: dict[str, float | None] | None = None) -> MergePlan:
    """The dry run of merging the return packet at `path`: writes nothing. `derived` keeps the
    values our records give (indicator id → value) for the dry runs of one batch.

    Refuses (PacketRefused) a packet of another ledger, of a packet this ledger did not issue,
    of another period than `period` (when given), a damaged or altered one."""
    packet = read_return(path)
    info = packet.info
    if packet_info(ledger) is not None:
        raise PacketRefused("这是一个填报包，不能向它导入报送包；请在下发单位的台账中导入")
    if info.ledger_id != ledger_id(ledger):
        raise PacketRefused(f"“{file_label(packet.path)}”是另一个台账"
                            f"（{info.bureau or '未知单位'}）"
                            "下发的填报包的报送包，不属于本台账，未导入")
    issued = ledger.query("SELECT unit_id, year, months FROM packets_issued WHERE id = ?",
                          (info.packet_id,))
    if not issued or (issued[0]["unit_id"], issued[0]["year"], issued[0]["months"]) != (
            info.unit_id, info.year, info.months):
        raise PacketRefused(f"本台账没有向“{info.unit}”下发过这个{info.period.label}的填报包，"
                            "未导入")
    if period is not None and period != info.period:
        raise PacketRefused(f"“{file_label(packet.path)}”是{info.period.label}的报送包，"
                            f"不是{period.label}的，未导入")
    mark = int(ledger.scalar("SELECT coalesce(max(id), 0) FROM audit"))
    plan = MergePlan(packet, ledger.path, mark, [], [])
    seen = ledger.query("SELECT created_at, returned_by FROM packets_received WHERE sha256 = ?",
                        (packet.sha256,))
    if seen:
        plan.already = f"该报送包已于 {clock.shown(seen[0]['created_at'])} 导入过"
        return plan
    _Planner(ledger, plan, {} if derived is None else derived).run()
    return plan


@dataclass(frozen=True)
class RecordRule:
    """How a record table's rows merge: which assignment covers it, the row it hangs from
    (column, table), and a unique key besides the id (ours may hold that row under its own id)."""

    assignment: str
    parents: tuple[tuple[str, str], ...] = ()
    natural: tuple[str, ...] = ()


RECORDS = {
    "services": RecordRule("services"),
    "projects": RecordRule("projects"),
    "project_investments": RecordRule("projects", (("project_id", "projects"),),
                                      ("project_id", "year")),
    "plan_sections": RecordRule("plans"),
    "plan_items": RecordRule("plans", (("section_id", "plan_sections"),)),
    "plan_item_projects": RecordRule("plans", (("item_id", "plan_items"),
                                               ("project_id", "projects")),
                                     ("item_id", "project_id")),
    "plan_milestones": RecordRule("plans", (("item_id", "plan_items"),)),
    "plan_progress": RecordRule("plans", (("item_id", "plan_items"),)),
}


class _Planner:
    def __init__(self, ledger: Ledger, plan: MergePlan,
                 derived: dict[str, float | None]) -> None:
        self.ledger, self.plan, self.info = ledger, plan, plan.info
        self.derived = derived
        self.period = self.info.period
        self.columns = {table: _columns(ledger, table) for table in TRACKED}
        self.names = {r["id"]: r["name"] for r in ledger.query(
            "SELECT id, name FROM indicators")}
        self.computed = {str(r["id"]) for r in ledger.query(
            "SELECT id FROM indicators WHERE derivation IS NOT NULL")}
        self.enterprise_map: dict[str, str] = {}  # the packet's new enterprise → ours
        self.enterprise_names = {r["name"]: r["id"] for r in ledger.query(
            "SELECT id, name FROM enterprises")}

    def run(self) -> None:
        changes = sorted(changes_of(self.plan.packet.changeset),
                         key=lambda c: TRACKED.index(c.name) if c.name in TRACKED else 99)
        # our rows of every changed row, read in batches (not one query per row)
        self.current: dict[str, dict[str, dict[str, Any]]] = {}
        self.inserted: dict[str, set[str]] = {}  # ids of rows this packet adds, per table
        for table in TRACKED[1:]:
            ids = [str((c.new if c.old is None else c.old)[0]) for c in changes  # type: ignore[index]
                   if c.name == table]
            self.current[table] = self._fetch(table, ids)
        values = {(r["indicator_id"], r["year"], r["months"]): r for r in self.ledger.query(
            "SELECT * FROM indicator_values WHERE year = ? AND months = ?",
            (self.period.year, self.period.months))}
        for change in changes:
            if change.name not in TRACKED:
                continue
            columns = self.columns[change.name]
            if change.column_count != len(columns):
                raise PacketRefused("报送包的数据版本与本台账不同，无法导入；"
                                    "请双方使用同一版本的软件")
            old = None if change.old is None else self._row(columns, change.old)
            new = None if change.new is None else self._row(columns, change.new)
            if change.name == "enterprises":
                self._enterprises(change.op, old, new, values)
            elif change.name == "indicator_values":
                self._indicator_values(change.op, old, new, values)
            else:
                self._record(change.name, change.op, old, new)
        if self.plan.conflicts:
            self.plan.notes.append(f"有 {len(self.plan.conflicts)} 处冲突：台账现值与报送值都"
                                   "改过同一数值，须逐项选择采用哪一个，选择前不会导入")
        from core.editions import lock_of

        lock = lock_of(self.ledger, self.period)
        if lock is not None:
            self.plan.notes.append(f"{self.period.label}已上报（第{lock}版）并锁定：须先解锁才能导入")

    def _fetch(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in self.ledger.query(f'SELECT * FROM "{table}" WHERE id IN'
                                         f' ({", ".join("?" for _ in chunk)})', chunk):
                found[str(row["id"])] = row
        return found

    @staticmethod
    def _row(columns: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
        apsw = apsw_module()
        return {c: v for c, v in zip(columns, values, strict=True) if v is not apsw.no_change}

    def _who(self, table: str, row_id: str) -> tuple[str, str]:
        found = self.plan.packet.who.get(table, {}).get(row_id) or ["", ""]
        return str(found[0]), str(found[1])

    def _item(self, table: str, row_id: str, what: str, name: str, status: str, base: Any,
              theirs: Any, ours: Any, note: str = "") -> Item:
        who, when = self._who(table, row_id)
        item = Item(f"{table}:{row_id}:{name}", table, row_id, what, name, status, base, theirs,
                    ours, who, when, note)
        self.plan.items.append(item)
        return item

    def _outside(self, table: str, row_id: str, what: str, note: str) -> None:
        self._item(table, row_id, what, "*", OUTSIDE, None, None, None, note)

    def _fields(self, table: str, what: str, ours_id: str, base: dict[str, Any] | None,
                theirs: dict[str, Any], ours: dict[str, Any] | None,
                skip: tuple[str, ...]) -> RowOp:
        """One update of our row `ours_id` from the changed fields (base None: not issued)."""
        op = RowOp(table, "update", ours_id, {})
        for name, value in theirs.items():
            if name in skip or name in TIMESTAMPS:
                continue
            was = None if base is None else base.get(name)
            now = None if ours is None else ours.get(name)
            if base is None and value is None:
                continue
            if _same(now, value):
                status = UNCHANGED
            elif _same(now, was) or (base is None and now is None):
                status = CHANGED
            else:
                status = CONFLICT
            row_key = theirs.get("id") or ours_id
            item = self._item(table, str(row_key), what, name, status, was, value, now)
            if status != UNCHANGED:
                op.values[name] = value
                op.items.append(item)
        return op

    def _add(self, op: RowOp) -> None:
        if op.kind != "update" or op.items:
            self.plan.ops.append(op)

    # one method per tracked table
    def _enterprises(self, kind: str, old: dict[str, Any] | None, new: dict[str, Any] | None,
                     _values: Any) -> None:
        row = new or old or {}
        row_id, what = str(row.get("id")), f"企业“{row.get('name', '')}”"
        if kind != "INSERT" or new is None:
            self._outside("enterprises", row_id, what, "企业名录的修改或删除不随报送包导入")
            return
        ours = self.enterprise_names.get(str(new["name"]))
        if ours is not None or self.ledger.scalar("SELECT 1 FROM enterprises WHERE id = ?",
                                                  (row_id,)):
            self.enterprise_map[row_id] = ours or row_id
            self._item("enterprises", row_id, what, "*", UNCHANGED, None, new["name"],
                       new["name"], "台账中已有该企业")
            return
        op = RowOp("enterprises", "insert", row_id, dict(new))
        op.items.append(self._item("enterprises", row_id, what, "*", NEW, None, new["name"],
                                   None))
        self.plan.ops.append(op)

    def _indicator_values(self, kind: str, old: dict[str, Any] | None,
                          new: dict[str, Any] | None,
                          values: dict[tuple[str, int, int], dict[str, Any]]) -> None:
        full = new if kind == "INSERT" else old
        assert full is not None
        row_id = str(full["id"])
        if kind == "INSERT":
            ours_row = values.get((full["indicator_id"], full["year"], full["months"]))
            scope = full
        else:  # an update's or delete's row was issued: ours has it, unless deleted since
            ours_row = self.current["indicator_values"].get(row_id)
            scope = ours_row or {}
        in_scope = (scope.get("indicator_id") in self.info.indicator_ids
                    and (scope.get("year"), scope.get("months")) == (self.period.year,
                                                                     self.period.months))
        indicator = full.get("indicator_id") or (ours_row or {}).get("indicator_id")
        what = f"指标“{self.names.get(str(indicator), '（未知指标）')}”"
        if not in_scope:
            self._outside("indicator_values", row_id, what,
                          "不是本单位本期的填报内容（如去年同期数），不导入")
            return
        if kind == "INSERT" and ours_row is None:
            assert new is not None
            op = RowOp("indicator_values", "insert", row_id, dict(new))
            for name, value in new.items():
                if name not in ("id", "indicator_id", "year", "months", *TIMESTAMPS) and \
                        value not in (None, "", 0):
                    op.items.append(self._item("indicator_values", row_id, what, name, NEW,
                                               None, value, None, self._over_derived(
                                                   str(full["indicator_id"]), name)))
            self.plan.ops.append(op)
            return
        assert ours_row is not None
        if kind == "DELETE":
            self._delete("indicator_values", row_id, what, old or {}, ours_row)
            return
        base = None if kind == "INSERT" else old
        theirs = dict(new or {})
        self._add(self._fields("indicator_values", what, str(ours_row["id"]), base, theirs,
                               ours_row, ("id", "indicator_id", "year", "months")))

    def _over_derived(self, indicator_id: str, name: str) -> str:
        """The note of a value a packet brings for a figure our records compute: the tab shows
        that computed value where the dry run's 台账现值 is empty, and the packet's value will
        stand as the clerk's 手工修正 over it."""
        if name != "value" or indicator_id not in self.computed:
            return ""
        if indicator_id not in self.derived:
            figure = self.ledger.metrics.figure(indicator_id, self.period)
            self.derived[indicator_id] = figure.derived_value
        value = self.derived[indicator_id]
        if value is None:
            return ""
        return f"台账现为自动计算值 {show(value)}，导入后报送值作为手工修正"

    # record tables (services, projects, plans): one rule, the table's scope from RECORDS
    def _record(self, table: str, kind: str, old: dict[str, Any] | None,
                new: dict[str, Any] | None) -> None:
        full = new if kind == "INSERT" else old
        assert full is not None
        row_id = str(full["id"])
        ours = self.current[table].get(row_id)
        rule = RECORDS[table]
        natural = False
        if kind == "INSERT" and ours is None and rule.natural:  # ours under another id
            assert new is not None
            ours = self._by_natural(table, rule.natural, new)
            natural = ours is not None
        merged = {**(ours or {}), **(old or {}), **(new or {})}
        what = self._what(table, merged)
        why = self._out_of_scope(table, rule, kind, old, new, ours)
        if why:
            self._outside(table, row_id, what, why)
            return
        if kind == "INSERT" and ours is None:
            assert new is not None
            values = dict(new)
            enterprise = values.get("enterprise_id")
            if enterprise is not None:
                values["enterprise_id"] = self.enterprise_map.get(str(enterprise), enterprise)
            op = RowOp(table, "insert", row_id, values)
            op.items.append(self._item(table, row_id, what, "*", NEW, None,
                                       self._gist(table, values), None))
            self.plan.ops.append(op)
            self.inserted.setdefault(table, set()).add(row_id)
            return
        if ours is None:  # updated or deleted by the unit, deleted here meanwhile
            self._item(table, row_id, what, "*", CONFLICT, DELETED if kind == "DELETE"
                       else "（下发时的记录）", DELETED if kind == "DELETE" else "（修改）",
                       DELETED, "台账中已删除该记录")
            if kind == "DELETE":
                self.plan.items[-1].status = UNCHANGED
            return
        if kind == "DELETE":
            self._delete(table, row_id, what, old or {}, ours)
            return
        base = None if kind == "INSERT" else old
        skip = ("id", *rule.natural) if natural else ("id",)
        theirs = dict(new or {})
        if theirs.get("enterprise_id") is not None:  # an enterprise the packet adds, as ours
            theirs["enterprise_id"] = self.enterprise_map.get(str(theirs["enterprise_id"]),
                                                              theirs["enterprise_id"])
        self._add(self._fields(table, what, str(ours["id"]), base, theirs, ours, skip))

    def _out_of_scope(self, table: str, rule: RecordRule, kind: str,
                      old: dict[str, Any] | None, new: dict[str, Any] | None,
                      ours: dict[str, Any] | None) -> str:
        """Why a changed row is not the unit's to fill in this period ("" when it is)."""
        if rule.assignment not in self.info.tables:
            return "不是本单位本期的填报内容，不导入"
        versions = [r for r in (old, new, ours) if r]
        period = self.period
        if table == "services":
            dated = [str(r["date"]) for r in versions if r.get("date")]
            if not all(period.start <= d <= period.end for d in dated):
                return "不在本单位本期的填报范围内，不导入"
        elif table == "project_investments":
            years = {r["year"] for r in versions if r.get("year") is not None}
            if years - {period.year}:
                return f"不是{period.year}年的完成投资，不导入"
        elif table == "plan_sections":
            years = {r["year"] for r in versions if r.get("year") is not None}
            if years - {period.year, period.year + 1}:
                return f"不是{period.year}年或{period.year + 1}年的工作计划，不导入"
        for column, parent in rule.parents if kind == "INSERT" and new is not None else ():
            assert new is not None
            parent_id = str(new.get(column))
            if parent_id not in self.inserted.get(parent, set()) and not self.ledger.scalar(
                    f'SELECT 1 FROM "{parent}" WHERE id = ?', (parent_id,)):
                return "所属的记录不在本次导入范围内（或台账中已删除），不导入"
        return ""

    def _by_natural(self, table: str, natural: tuple[str, ...],
                    new: dict[str, Any]) -> dict[str, Any] | None:
        where = " AND ".join(f'"{c}" = ?' for c in natural)
        found = self.ledger.query(f'SELECT * FROM "{table}" WHERE {where}',
                                  tuple(new.get(c) for c in natural))
        return found[0] if found else None

    def _what(self, table: str, row: dict[str, Any]) -> str:
        """The row in the clerk's words."""
        if table == "services":
            return f"企业服务记录（{row.get('date', '')}）"
        if table == "projects":
            return f"项目“{row.get('name', '')}”"
        if table == "project_investments":
            return f"项目“{self._label('projects', row.get('project_id'), 'name')}”" \
                   f"{row.get('year', '')}年完成投资"
        if table == "plan_sections":
            return f"{row.get('year', '')}年工作计划“{row.get('heading', '')}”"
        if table == "plan_items":
            return f"计划事项“{row.get('title', '')}”"
        item = self._label("plan_items", row.get("item_id"), "title")
        if table == "plan_item_projects":
            project = self._label("projects", row.get("project_id"), "name")
            return f"计划事项“{item}”推进项目“{project}”"
        if table == "plan_milestones":
            return f"计划事项“{item}”的节点“{row.get('what', '')}”"
        return f"计划事项“{item}”的进展（{row.get('date', '')}）"

    def _label(self, table: str, row_id: Any, column: str) -> str:
        """A name of a row the packet inserts or the ledger holds."""
        for op in self.plan.ops:
            if op.table == table and op.kind == "insert" and op.row_id == str(row_id):
                return str(op.values.get(column, ""))
        value = self.ledger.scalar(f'SELECT "{column}" FROM "{table}" WHERE id = ?',
                                   (str(row_id),))
        return "" if value is None else str(value)

    @staticmethod
    def _gist(table: str, values: dict[str, Any]) -> str:
        """A new record's theirs in one line."""
        keys = {"services": ("description", "kind"), "projects": ("name",),
                "project_investments": ("amount",), "plan_sections": ("heading",),
                "plan_items": ("title",), "plan_milestones": ("what",),
                "plan_progress": ("text",)}.get(table, ())
        return next((str(values[k]) for k in keys if values.get(k) not in (None, "")),
                    "（新记录）")

    def _delete(self, table: str, row_id: str, what: str, old: dict[str, Any],
                ours: dict[str, Any]) -> None:
        same = all(_same(ours.get(k), v) for k, v in old.items() if k not in TIMESTAMPS)
        item = self._item(table, row_id, what, "*", CHANGED if same else CONFLICT,
                          "（下发时的记录）", DELETED, "（未改）" if same else "（台账中已修改）")
        op = RowOp(table, "delete", str(ours["id"]), {}, [item])
        self.plan.ops.append(op)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return bool(a == b)


def preview_many(ledger: Ledger, paths: list[Path], *,
                 period: Period | None = None) -> list[MergePlan]:
    """The dry run of merging several returns at once, in the order given: each is planned
    against the ledger, then checked against the ones before it — a value two of them change
    becomes a conflict of the later one (its ours is the earlier one's theirs, named in its
    note), an enterprise two of them add is added once, the same file twice is merged once.
    Item keys are made unique over the batch (the packet's number first: "2:table:row:field").
    Writes nothing; refuses like `preview`."""
    plans: list[MergePlan] = []
    taken: dict[str, tuple[Any, str]] = {}  # table:row:field → (theirs, unit) of an earlier one
    added: dict[str, str] = {}  # an enterprise's name → the id an earlier packet adds it as
    hashes: dict[str, str] = {}
    derived: dict[str, float | None] = {}
    for number, path in enumerate(paths, start=1):
        plan = preview(ledger, path, period=period, derived=derived)
        plans.append(plan)
        if not plan.already and plan.packet.sha256 in hashes:
            plan.already = f"与“{hashes[plan.packet.sha256]}”是同一个报送包"
        hashes.setdefault(plan.packet.sha256, file_label(plan.packet.path))
        if plan.already:
            continue
        unit = plan.info.unit
        renamed: dict[str, str] = {}
        for op in list(plan.ops):
            if op.table == "enterprises" and op.kind == "insert":
                name = str(op.values.get("name"))
                if name in added:  # an earlier packet adds it: this one refers to that row
                    renamed[op.row_id] = added[name]
                    plan.ops.remove(op)
                    for item in op.items:
                        item.status, item.note = UNCHANGED, "同批报送包中已新增该企业"
                else:
                    added[name] = op.row_id
        for op in plan.ops:
            if renamed and op.values.get("enterprise_id") in renamed:
                op.values["enterprise_id"] = renamed[op.values["enterprise_id"]]
        for item in plan.items:
            plain = item.key
            item.key = f"{number}:{plain}"
            if item.status in (UNCHANGED, OUTSIDE):
                continue
            earlier = taken.get(plain)
            taken[plain] = (item.theirs, unit)
            if earlier is None:
                continue
            if _same(earlier[0], item.theirs):
                item.status, item.note = UNCHANGED, f"与“{earlier[1]}”的报送值相同"
                for op in plan.ops:  # nothing left to write for it
                    if item in op.items:
                        op.items.remove(item)
            else:
                item.status, item.ours = CONFLICT, earlier[0]
                item.note = f"“{earlier[1]}”的报送包也改了这一项（台账现值为其报送值）"
        plan.ops = [op for op in plan.ops if op.items]
    return plans
