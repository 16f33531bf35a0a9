"""报送 packets: a fill-in packet for a 填报单位, its return, and merging the return.

    issue(ledger, "工业科", Period(2026, 6), Path("工业科.wlp"))    # the clerk
    make_return(Path("工业科.wlp"), Path("工业科-报送.wlp"))         # the unit, after filling
    plan = preview(ledger, Path("工业科-报送.wlp"))                  # dry run, writes nothing
    result = apply_merge(ledger, plan, take={key: THEIRS}, take_all=None)

A fill-in packet is a normal ledger file (the unit opens it with WorkLedger) holding only the
unit's part: its indicators with last year's values, targets and bounds, and its records of
the period. Its `packet` setting says which ledger, unit and period it is for, and
`packet_base` keeps the packet as issued (an SQLite image), so that the return holds exactly
the unit's changes since: SQLite's session extension (through apsw) diffs the packet against
that image into a changeset. The return file carries the changeset, who changed each row and
when (from the packet's audit), and a SHA-256 of it all.

Merging compares every changed value with *base* (the changeset's old value, as issued),
*theirs* (the unit's) and *ours* (the ledger's now): new / changed / conflict. Conflicts wait
for the clerk's choice; applying is one audited, undoable transaction after a backup, and a
return already merged (same hash) changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import clock
from core.changes import TIMESTAMPS, Change, new_id, os_user
from core.errors import ConflictError, InputError, LedgerError, PacketRefused
from core.filing_units import FilingUnits
from core.periods import Period

if TYPE_CHECKING:
    from core.ledger import Ledger

PACKET_SETTING = "packet"
RETURN_APPLICATION_ID = 0x574C5250  # "WLRP": a return packet (not a ledger)
FORMAT = 1
TRACKED = ("enterprises", "indicator_values", "services")  # order of applying
BACKUP_REASON = "导入报送包前"

NEW, CHANGED, CONFLICT, UNCHANGED, OUTSIDE = "new", "changed", "conflict", "unchanged", "outside"
STATUS_LABELS = {NEW: "新增", CHANGED: "修改", CONFLICT: "冲突", UNCHANGED: "无变化",
                 OUTSIDE: "不导入"}
THEIRS, OURS = "theirs", "ours"
DELETED = "（删除）"

_FIELD_LABELS = {
    "value": "数值", "text_value": "文字", "target_committed": "确保目标",
    "target_stretch": "奋斗目标", "last_year_value": "去年同期", "rank": "排名",
    "rank_scope": "排名范围", "note": "备注", "follow_up": "需跟进", "estimate": "预估",
    "reason": "原因", "date": "日期", "enterprise_id": "企业", "kind": "服务类别",
    "person_times": "人次", "problems": "解决问题", "amount": "金额",
    "amount_unit": "金额单位", "description": "内容", "status": "状态", "*": "整条记录",
}


def _apsw() -> Any:
    try:
        import apsw
    except ImportError as exc:  # a bundle built without it
        raise LedgerError("本软件缺少报送包组件（apsw），无法处理报送包；请安装完整版本") from exc
    return apsw


def _name(path: Path) -> str:
    return path.name or str(path)


# -- what a fill-in packet is ---------------------------------------------------------------------
@dataclass(frozen=True)
class PacketInfo:
    packet_id: str
    ledger_id: str
    bureau: str
    unit_id: str
    unit: str
    year: int
    months: int
    indicator_ids: tuple[str, ...]
    tables: tuple[str, ...]
    issued_at: str
    issued_by: str
    due: str | None

    @property
    def period(self) -> Period:
        return Period(self.year, self.months)

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "packet_id": self.packet_id, "ledger_id": self.ledger_id,
                "bureau": self.bureau, "unit_id": self.unit_id, "unit": self.unit,
                "year": self.year, "months": self.months,
                "indicator_ids": list(self.indicator_ids), "tables": list(self.tables),
                "issued_at": self.issued_at, "issued_by": self.issued_by, "due": self.due}

    @classmethod
    def from_json(cls, data: Any) -> PacketInfo:
        try:
            return cls(str(data["packet_id"]), str(data["ledger_id"]), str(data["bureau"]),
                       str(data["unit_id"]), str(data["unit"]), int(data["year"]),
                       int(data["months"]), tuple(map(str, data["indicator_ids"])),
                       tuple(map(str, data["tables"])), str(data["issued_at"]),
                       str(data["issued_by"]), data.get("due"))
        except (KeyError, TypeError, ValueError) as exc:
            raise PacketRefused("报送包的说明信息不完整或已被改动，未导入") from exc


def packet_info(ledger: Ledger) -> PacketInfo | None:
    """What the open ledger is a fill-in packet of; None for an ordinary ledger."""
    data = ledger.setting(PACKET_SETTING)
    return None if data is None else PacketInfo.from_json(data)


def ledger_id(ledger: Ledger) -> str:
    return str(ledger.setting("ledger_id", ""))


# -- issuing --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IssueResult:
    path: Path
    info: PacketInfo
    indicators: int
    values: int
    records: int


def issue(ledger: Ledger, unit_name: str, period: Period, out: Path) -> IssueResult:
    """Write the fill-in packet of `unit_name` for `period` to `out` (whole or not at all)."""
    from core.files import reason, write_atomically

    ledger.require_writable()
    if packet_info(ledger) is not None:
        raise InputError("这是一个填报包，不能再从它下发填报包")
    assignment = FilingUnits(ledger).assignment(unit_name, period)
    if assignment.empty:
        raise InputError(f"“{assignment.unit.name}”在{period.label}没有分配填报内容；"
                         "请先分配要填报的指标或记录表")
    out = Path(out)
    if out.exists():
        raise InputError(f"“{_name(out)}”已存在，请换一个文件名，或先删除它")
    if not out.parent.is_dir():
        raise InputError(f"文件夹“{out.parent}”不存在")
    info = PacketInfo(
        packet_id=new_id(), ledger_id=ledger_id(ledger),
        bureau=str(ledger.setting("bureau", "")), unit_id=assignment.unit.id,
        unit=assignment.unit.name, year=period.year, months=period.months,
        indicator_ids=assignment.indicator_ids, tables=assignment.tables,
        issued_at=clock.stamp(), issued_by=os_user(), due=assignment.due)
    counts: dict[str, int] = {}

    def build(partial: Path) -> None:
        partial.unlink()  # an empty file is no ledger: the packet is created in its place
        counts.update(_build_packet(ledger, info, partial))

    with ledger.write(f"向“{info.unit}”下发{period.label}填报包") as writer:
        writer.insert("packets_issued", {
            "id": info.packet_id, "created_at": info.issued_at, "updated_at": info.issued_at,
            "unit_id": info.unit_id, "year": period.year,
            "months": period.months, "file_name": out.name, "issued_by": info.issued_by,
            "due": info.due})
        try:
            write_atomically(out, build)
        except OSError as exc:
            raise LedgerError(f"未能写入“{_name(out)}”：{reason(exc)}；台账未作修改") from exc
    return IssueResult(out, info, len(info.indicator_ids), counts["values"], counts["records"])


def _build_packet(ledger: Ledger, info: PacketInfo, path: Path) -> dict[str, int]:
    from core import storage
    from core.schema import LATEST_VERSION

    opened = storage.open_file(path, create=True)
    conn = opened.conn
    try:
        conn.execute("BEGIN")
        conn.execute("DELETE FROM indicators")  # the new file's default catalogue: ours instead
        marks = ", ".join("?" for _ in info.indicator_ids)
        _copy(ledger, conn, "indicators", f"id IN ({marks})", info.indicator_ids)
        this, last = info.period, info.period.previous_year()
        values = _copy(ledger, conn, "indicator_values",
                       f"indicator_id IN ({marks}) AND ((year = ? AND months = ?)"
                       " OR (year = ? AND months = ?))",
                       (*info.indicator_ids, this.year, this.months, last.year, last.months))
        records = 0
        if "services" in info.tables:
            _copy(ledger, conn, "enterprises", "1", ())
            records = _copy(ledger, conn, "services", "date BETWEEN ? AND ?",
                            (this.start, this.end))
        for key in ("district", "bureau", "yi_threshold"):
            _set(conn, key, ledger.setting(key))
        _set(conn, PACKET_SETTING, info.as_json())
        conn.execute("COMMIT")
        image = conn.serialize()
        conn.execute("INSERT INTO packet_base (id, sha256, data) VALUES (?, ?, ?)",
                     (info.packet_id, hashlib.sha256(image).hexdigest(), image))
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return {"values": values, "records": records}


def _copy(ledger: Ledger, conn: sqlite3.Connection, table: str, where: str,
          params: tuple[Any, ...]) -> int:
    rows = ledger.query(f'SELECT * FROM "{table}" WHERE {where}', params)
    if rows:
        names = list(rows[0])
        conn.executemany(
            f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({", ".join("?" for _ in names)})',
            [tuple(row.values()) for row in rows])
    return len(rows)


def _set(conn: sqlite3.Connection, key: str, value: Any) -> None:
    stamp = clock.stamp()
    conn.execute("INSERT OR REPLACE INTO settings (id, value, created_at, updated_at)"
                 " VALUES (?, ?, ?, ?)", (key, json.dumps(value, ensure_ascii=False), stamp, stamp))


# -- returning ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReturnPacket:
    path: Path
    meta: dict[str, Any]
    changeset: bytes
    sha256: str

    @property
    def info(self) -> PacketInfo:
        return PacketInfo.from_json(self.meta["packet"])

    @property
    def who(self) -> dict[str, dict[str, list[str]]]:
        return self.meta.get("who", {})


def content_hash(meta: dict[str, Any], changeset: bytes) -> str:
    digest = hashlib.sha256(json.dumps(meta, ensure_ascii=False, sort_keys=True).encode())
    digest.update(changeset)
    return digest.hexdigest()


@dataclass(frozen=True)
class ReturnResult:
    path: Path
    info: PacketInfo
    rows: int  # rows the unit changed
    sha256: str


def make_return(packet: Path, out: Path) -> ReturnResult:
    """The unit's changes since issue, from the fill-in packet at `packet`, written to `out`."""
    from core.files import reason, write_atomically
    from core.ledger import Ledger

    packet, out = Path(packet), Path(out)
    if out.exists() and out.resolve() == packet.resolve():
        raise InputError("报送包不能覆盖填报包本身，请换一个文件名")
    with Ledger.open(packet, readonly=True, create=False) as ledger:
        info = packet_info(ledger)
        if info is None:
            raise PacketRefused(f"“{_name(packet)}”不是填报包（不是由“下发填报包”生成的文件）")
        base = ledger.conn.execute(
            "SELECT sha256, data FROM packet_base WHERE id = ?", (info.packet_id,)).fetchone()
        if base is None or hashlib.sha256(base[1]).hexdigest() != base[0]:
            raise PacketRefused(f"“{_name(packet)}”中下发时的原始数据缺失或已被改动，"
                                "无法生成报送包；请向下发单位重新索取填报包")
        audit = ledger.query(
            "SELECT tbl, row_id, user, at FROM audit WHERE id IN"
            " (SELECT max(id) FROM audit GROUP BY tbl, row_id)")
    changeset = _diff(packet, base[1])
    latest = {(a["tbl"], a["row_id"]): [a["user"], a["at"]] for a in audit}
    who: dict[str, dict[str, list[str]]] = {}
    rows = 0
    for change in changes_of(changeset):
        rows += 1
        values = change.new if change.old is None else change.old
        assert values is not None
        row_id = str(values[0])
        who.setdefault(change.name, {})[row_id] = latest.get((change.name, row_id),
                                                            [os_user(), clock.stamp()])
    meta = {"format": FORMAT, "packet": info.as_json(), "returned_by": os_user(),
            "returned_at": clock.stamp(), "rows": rows, "who": who}
    digest = content_hash(meta, changeset)

    def write(partial: Path) -> None:
        conn = sqlite3.connect(partial)
        try:
            conn.execute(f"PRAGMA application_id = {RETURN_APPLICATION_ID}")
            conn.execute("CREATE TABLE return_packet (key TEXT PRIMARY KEY, value)")
            conn.executemany("INSERT INTO return_packet VALUES (?, ?)", [
                ("meta", json.dumps(meta, ensure_ascii=False)), ("changeset", changeset),
                ("sha256", digest)])
            conn.commit()
        finally:
            conn.close()

    try:
        write_atomically(out, write)
    except OSError as exc:
        raise LedgerError(f"未能写入“{_name(out)}”：{reason(exc)}") from exc
    return ReturnResult(out, info, rows, digest)


def _diff(packet: Path, base: bytes) -> bytes:
    """SQLite's session extension: the changes that turn the packet as issued into it now."""
    apsw = _apsw()
    conn = apsw.Connection(str(packet.resolve()), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        conn.execute("ATTACH ':memory:' AS base")
        # the image is of a WAL file (header bytes 18–19 = 2); in memory it is read as a
        # rollback-journal one, else SQLite cannot open it
        conn.deserialize("base", base[:18] + b"\x01\x01" + base[20:])
        session = apsw.Session(conn, "main")
        for table in TRACKED:
            session.attach(table)
            session.diff("base", table)
        return bytes(session.changeset())
    except apsw.Error as exc:
        raise PacketRefused(f"“{_name(packet)}”无法读取或已损坏，未生成报送包") from exc
    finally:
        conn.close()


def read_return(path: Path) -> ReturnPacket:
    """A return packet, checked whole (format, hash, changeset); PacketRefused otherwise."""
    path = Path(path)
    name = _name(path)
    damaged = PacketRefused(f"“{name}”已损坏或不是报送包，无法读取；台账未作修改")
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        from core.files import reason

        raise PacketRefused(f"无法读取“{name}”：{reason(exc)}") from exc
    if header != b"SQLite format 3\x00":
        raise damaged
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != RETURN_APPLICATION_ID:
                raise PacketRefused(f"“{name}”不是报送包（填报包请先“导出报送包”，"
                                    "再导入导出的文件）；台账未作修改")
            stored = dict(conn.execute("SELECT key, value FROM return_packet").fetchall())
        finally:
            conn.close()
        meta = json.loads(stored["meta"])
        changeset = bytes(stored["changeset"])
        digest = str(stored["sha256"])
    except (sqlite3.DatabaseError, KeyError, TypeError, ValueError) as exc:
        raise damaged from exc
    if not isinstance(meta, dict) or content_hash(meta, changeset) != digest:
        raise PacketRefused(f"“{name}”的内容校验不符（文件已被改动或损坏），未导入；"
                            "请让填报单位重新导出报送包")
    if meta.get("format") != FORMAT:
        raise PacketRefused(f"“{name}”的格式版本不受支持，请升级软件")
    apsw = _apsw()
    try:
        for _change in apsw.Changeset.iter(changeset):
            pass
    except apsw.Error as exc:
        raise damaged from exc
    packet = ReturnPacket(path, meta, changeset, digest)
    packet.info  # noqa: B018 - raises PacketRefused on an incomplete description
    return packet


# -- merging --------------------------------------------------------------------------------------
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
        return _FIELD_LABELS.get(self.field, self.field)


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


@dataclass(frozen=True)
class RowChange:
    """One row of a changeset (apsw's TableChange lives only while it is iterated)."""

    op: str  # INSERT / UPDATE / DELETE
    name: str
    old: tuple[Any, ...] | None
    new: tuple[Any, ...] | None
    column_count: int


def changes_of(changeset: bytes) -> Iterator[RowChange]:
    for change in _apsw().Changeset.iter(changeset):
        yield RowChange(change.op, change.name, change.old, change.new, change.column_count)


def preview(ledger: Ledger, path: Path, *, period: Period | None = None) -> MergePlan:
    """The dry run of merging the return packet at `path`: writes nothing.

    Refuses (PacketRefused) a packet of another ledger, of a packet this ledger did not issue,
    of another period than `period` (when given), a damaged or altered one."""
    packet = read_return(path)
    info = packet.info
    if packet_info(ledger) is not None:
        raise PacketRefused("这是一个填报包，不能向它导入报送包；请在下发单位的台账中导入")
    if info.ledger_id != ledger_id(ledger):
        raise PacketRefused(f"“{_name(packet.path)}”是另一个台账（{info.bureau or '未知单位'}）"
                            "下发的填报包的报送包，不属于本台账，未导入")
    issued = ledger.query("SELECT unit_id, year, months FROM packets_issued WHERE id = ?",
                          (info.packet_id,))
    if not issued or (issued[0]["unit_id"], issued[0]["year"], issued[0]["months"]) != (
            info.unit_id, info.year, info.months):
        raise PacketRefused(f"本台账没有向“{info.unit}”下发过这个{info.period.label}的填报包，"
                            "未导入")
    if period is not None and period != info.period:
        raise PacketRefused(f"“{_name(packet.path)}”是{info.period.label}的报送包，"
                            f"不是{period.label}的，未导入")
    mark = int(ledger.scalar("SELECT coalesce(max(id), 0) FROM audit"))
    plan = MergePlan(packet, ledger.path, mark, [], [])
    seen = ledger.query("SELECT created_at, returned_by FROM packets_received WHERE sha256 = ?",
                        (packet.sha256,))
    if seen:
        plan.already = f"该报送包已于 {seen[0]['created_at'][:16].replace('T', ' ')} 导入过"
        return plan
    _Planner(ledger, plan).run()
    return plan


class _Planner:
    def __init__(self, ledger: Ledger, plan: MergePlan) -> None:
        self.ledger, self.plan, self.info = ledger, plan, plan.info
        self.period = self.info.period
        self.columns = {table: _columns(ledger, table) for table in TRACKED}
        self.names = {r["id"]: r["name"] for r in ledger.query(
            "SELECT id, name FROM indicators")}
        self.enterprise_map: dict[str, str] = {}  # the packet's new enterprise → ours
        self.enterprise_names = {r["name"]: r["id"] for r in ledger.query(
            "SELECT id, name FROM enterprises")}

    def run(self) -> None:
        changes = sorted(changes_of(self.plan.packet.changeset),
                         key=lambda c: TRACKED.index(c.name) if c.name in TRACKED else 99)
        # our rows of every changed row, read in batches (not one query per row)
        self.current: dict[str, dict[str, dict[str, Any]]] = {}
        for table in ("indicator_values", "services"):
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
            getattr(self, f"_{change.name}")(change.op, old, new, values)
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
        apsw = _apsw()
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
                                               None, value, None))
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

    def _services(self, kind: str, old: dict[str, Any] | None, new: dict[str, Any] | None,
                  _values: Any) -> None:
        full = new if kind == "INSERT" else old
        assert full is not None
        row_id = str(full["id"])
        ours = self.current["services"].get(row_id)
        dated = [r.get("date") for r in (old, new, ours) if r and r.get("date")]
        what = f"企业服务记录（{(new or ours or old or {}).get('date', '')}）"
        if "services" not in self.info.tables or not all(
                self.period.start <= str(d) <= self.period.end for d in dated):
            self._outside("services", row_id, what, "不在本单位本期的填报范围内，不导入")
            return
        if kind == "INSERT" and ours is None:
            assert new is not None
            values = dict(new)
            enterprise = values.get("enterprise_id")
            if enterprise is not None:
                values["enterprise_id"] = self.enterprise_map.get(str(enterprise), enterprise)
            op = RowOp("services", "insert", row_id, values)
            op.items.append(self._item("services", row_id, what, "*", NEW, None,
                                       str(values.get("description") or values.get("kind")),
                                       None))
            self.plan.ops.append(op)
            return
        if ours is None:  # updated or deleted by the unit, deleted here meanwhile
            self._item("services", row_id, what, "*", CONFLICT, DELETED if kind == "DELETE"
                       else "（下发时的记录）", DELETED if kind == "DELETE" else "（修改）",
                       DELETED, "台账中已删除该记录")
            if kind == "DELETE":
                self.plan.items[-1].status = UNCHANGED
            return
        if kind == "DELETE":
            self._delete("services", row_id, what, old or {}, ours)
            return
        self._add(self._fields("services", what, row_id, None if kind == "INSERT" else old,
                               dict(new or {}), ours, ("id",)))

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


@dataclass(frozen=True)
class MergeResult:
    change: Change
    backup: Path
    applied: int  # values taken from the packet
    kept: int  # conflicts kept as the ledger had them


def apply_merge(ledger: Ledger, plan: MergePlan, *, take: dict[str, str] | None = None,
                take_all: str | None = None, backup: Path | None = None) -> MergeResult:
    """Merge `plan` as chosen: one transaction after a backup, audited with the unit's name.

    `take` maps an Item.key of a conflict to THEIRS or OURS; `take_all` decides every conflict
    not in `take`. Any conflict left undecided refuses the whole merge. `backup`: the copy
    already taken for this merge (apply_many takes one for all), else one is taken now."""
    from core.backup import automatic_backup

    ledger.require_writable()
    if plan.already:
        raise ConflictError(f"{plan.already}，台账未作修改")
    take = dict(take or {})
    for choice in (*take.values(), take_all):
        if choice not in (THEIRS, OURS, None):
            raise InputError(f"冲突的选择应为 {THEIRS}（采用报送值）或 {OURS}（保留台账现值）")
    decided = {item.key: take.get(item.key, take_all) for item in plan.conflicts}
    open_ = [key for key, choice in decided.items() if choice is None]
    if open_:
        raise InputError(f"有 {len(open_)} 处冲突尚未选择（采用报送值或保留台账现值），"
                         "未导入任何内容")
    if plan.ledger_path != ledger.path or plan.audit_mark != int(
            ledger.scalar("SELECT coalesce(max(id), 0) FROM audit")):
        raise ConflictError("检查之后台账又有修改，请重新检查后再导入")
    if ledger.scalar("SELECT 1 FROM packets_received WHERE sha256 = ?", (plan.packet.sha256,)):
        raise ConflictError("该报送包已导入过，台账未作修改")
    info = plan.info
    applied = kept = 0
    ready: list[RowOp] = []
    for op in plan.ops:
        chosen = [item for item in op.items
                  if item.status != CONFLICT or decided[item.key] == THEIRS]
        kept += len(op.items) - len(chosen)
        if not chosen:
            continue
        applied += len(chosen)
        if op.kind == "update":
            keys = {item.field for item in chosen}
            ready.append(RowOp(op.table, op.kind, op.row_id,
                               {k: v for k, v in op.values.items() if k in keys}))
        else:
            ready.append(op)
    if backup is None:
        backup = automatic_backup(ledger.conn, ledger.path, BACKUP_REASON)
    label = (f"导入“{info.unit}”的{info.period.label}报送包（采用 {applied} 项，"
             f"保留台账现值 {kept} 项）")
    with ledger.write(label) as writer:
        # consecutive inserts (updates) of one table go in bulk, in order
        group: list[RowOp] = []
        steps: list[RowOp | None] = [*ready, None]
        for step in steps:
            if step is not None and step.kind != "delete" and (not group or (
                    group[0].table, group[0].kind) == (step.table, step.kind)):
                group.append(step)
                continue
            if group and group[0].kind == "insert":
                writer.insert_many(group[0].table, [o.values for o in group])
            elif group:
                writer.update_many(group[0].table, [(o.row_id, o.values) for o in group])
            group = []
            if step is None:
                break
            if step.kind == "delete":
                writer.delete(step.table, step.row_id)
            else:
                group.append(step)
        meta = plan.packet.meta
        merged_at = clock.stamp()
        writer.insert("packets_received", {
            "created_at": merged_at, "updated_at": merged_at, "packet_id": info.packet_id,
            "sha256": plan.packet.sha256,
            "returned_by": str(meta.get("returned_by", "")),
            "returned_at": str(meta.get("returned_at", "")), "applied": applied,
            "changed": len(ready), "conflicts": len(plan.conflicts)})
    return MergeResult(writer.change, backup, applied, kept)


@dataclass(frozen=True)
class BatchResult:
    change: Change
    backup: Path
    merged: list[tuple[Path, MergeResult]]
    skipped: list[tuple[Path, str]]  # returns merged before, with when


def apply_many(ledger: Ledger, paths: list[Path], *, take_all: str | None = None,
               period: Period | None = None) -> BatchResult:
    """Merge several returns at once: one backup, one transaction, one undo step; each is
    checked against the ledger as the ones before it left it. Any refusal or undecided
    conflict (only `take_all` decides here) leaves the ledger as it was."""
    from core.backup import automatic_backup

    ledger.require_writable()
    for path in paths:  # a damaged or foreign one is refused before anything is done
        read_return(path)
    backup = automatic_backup(ledger.conn, ledger.path, BACKUP_REASON)
    merged: list[tuple[Path, MergeResult]] = []
    skipped: list[tuple[Path, str]] = []
    with ledger.write(f"导入 {len(paths)} 个报送包") as writer:
        for path in paths:
            plan = preview(ledger, path, period=period)  # after the ones before it
            if plan.already:
                skipped.append((path, plan.already))
                continue
            merged.append((path, apply_merge(ledger, plan, take_all=take_all, backup=backup)))
    return BatchResult(writer.change, backup, merged, skipped)


def show(value: Any) -> str:
    """A value of a dry run as the clerk reads it."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)





# -- 报送情况 -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FilingStatus:
    """One unit's state for a period: what it fills, what was sent and what came back."""

    unit: str
    expected: int  # indicators and record tables it fills
    due: str | None
    issued_at: str | None  # the latest fill-in packet
    received_at: str | None  # the latest return merged (the unit's export time)
    returns: int  # returns merged
    on_time: bool | None  # None: nothing received, or no due date
    conflicts: int  # conflicts met in the returns merged (each decided by the clerk)


def filing_status(ledger: Ledger, period: Period) -> list[FilingStatus]:
    found = []
    for assignment in FilingUnits(ledger).assignments(period):
        unit = assignment.unit
        issued = ledger.scalar(
            "SELECT max(created_at) FROM packets_issued WHERE unit_id = ? AND year = ?"
            " AND months = ?", (unit.id, period.year, period.months))
        got = ledger.query(
            "SELECT r.returned_at, r.conflicts, r.applied FROM packets_received r JOIN"
            " packets_issued i ON i.id = r.packet_id WHERE i.unit_id = ? AND i.year = ?"
            " AND i.months = ? ORDER BY r.returned_at", (unit.id, period.year, period.months))
        last = got[-1]["returned_at"] if got else None
        on_time = None
        if last and assignment.due:
            on_time = last[:10] <= assignment.due
        kept = sum(r["conflicts"] for r in got)
        found.append(FilingStatus(unit.name, len(assignment.indicator_ids)
                                  + len(assignment.tables), assignment.due, issued, last,
                                  len(got), on_time, kept))
    return found
