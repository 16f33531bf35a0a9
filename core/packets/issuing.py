"""Issuing: the fill-in packet of a 填报单位 for a period, a ledger file of its part."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import clock
from core.changes import new_id, os_user
from core.errors import InputError, LedgerError
from core.filing_units import FilingUnits
from core.packets.format import PACKET_SETTING, PacketInfo, file_label, ledger_id, packet_info
from core.periods import Period

if TYPE_CHECKING:
    from core.ledger import Ledger


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
        raise InputError(f"“{file_label(out)}”已存在，请换一个文件名，或先删除它")
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
            raise LedgerError(f"未能写入“{file_label(out)}”：{reason(exc)}；台账未作修改") from exc
    return IssueResult(out, info, len(info.indicator_ids), counts["values"], counts["records"])


def _build_packet(ledger: Ledger, info: PacketInfo, path: Path) -> dict[str, int]:
    from core import storage
    from core.schema import LATEST_VERSION

    opened = storage.open_file(path, create=True)
    conn = opened.conn
    try:
        conn.execute("BEGIN")
        conn.execute("DELETE FROM indicators")  # the new file's default catalogue: ours instead
        this, last = info.period, info.period.previous_year()
        projects, plans = "projects" in info.tables, "plans" in info.tables
        years = (this.year, this.year + 1)  # the year's plan and next year's (工作打算)
        in_plans = ("SELECT i.id FROM plan_items i JOIN plan_sections s ON s.id = i.section_id"
                    " WHERE s.year IN (?, ?)")
        marks = ", ".join("?" for _ in info.indicator_ids)
        # the unit's indicators, and those its plan items aim at (for reference)
        _copy(ledger, conn, "indicators", f"id IN ({marks}) OR (? AND id IN (SELECT"
              f" target_indicator_id FROM plan_items WHERE id IN ({in_plans})))",
              (*info.indicator_ids, plans, *years))
        # those aimed at are there for the plan's sake only: retired in the packet, so its
        # 指标 tab lists what the unit fills and nothing it would fill in vain
        conn.execute(f"UPDATE indicators SET retired = 1 WHERE id NOT IN ({marks})",
                     info.indicator_ids)
        values = _copy(ledger, conn, "indicator_values",
                       f"indicator_id IN ({marks}) AND ((year = ? AND months = ?)"
                       " OR (year = ? AND months = ?))",
                       (*info.indicator_ids, this.year, this.months, last.year, last.months))
        records = 0
        if info.tables:  # the register the records refer to
            _copy(ledger, conn, "enterprises", "1", ())
        if "services" in info.tables:
            records += _copy(ledger, conn, "services", "date BETWEEN ? AND ?",
                             (this.start, this.end))
        if projects or plans:
            # the projects of the period: every one not completed before its year; and those
            # the plan pushes (for reference, when the unit fills only the plan)
            records += _copy(
                ledger, conn, "projects", "(? AND (completion_date IS NULL OR completion_date"
                f" >= ?)) OR (? AND id IN (SELECT project_id FROM plan_item_projects WHERE"
                f" item_id IN ({in_plans})))", (projects, this.start, plans, *years))
        if projects:
            copied = json.dumps([r[0] for r in conn.execute("SELECT id FROM projects")])
            records += _copy(ledger, conn, "project_investments", "year IN (?, ?) AND"
                             " project_id IN (SELECT value FROM json_each(?))",
                             (last.year, this.year, copied))
        if plans:
            records += _copy(ledger, conn, "plan_sections", "year IN (?, ?)", years)
            for table in ("plan_items", "plan_item_projects", "plan_milestones", "plan_progress"):
                column = "id" if table == "plan_items" else "item_id"
                records += _copy(ledger, conn, table, f"{column} IN ({in_plans})", years)
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
    """Copy the ledger's rows of `table` matching `where` into the packet."""
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
