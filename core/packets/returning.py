"""Returning: the unit's changes since issue (an SQLite session changeset), who and when,
and a content hash; reading a return back, checked whole."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import clock
from core.changes import os_user
from core.errors import InputError, LedgerError, PacketRefused
from core.packets.format import (
    FORMAT,
    RETURN_APPLICATION_ID,
    TRACKED,
    PacketInfo,
    apsw_module,
    changes_of,
    content_hash,
    file_label,
    packet_info,
)


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
            raise PacketRefused(f"“{file_label(packet)}”不是填报包（不是由“下发填报包”生成的文件）")
        base = ledger.conn.execute(
            "SELECT sha256, data FROM packet_base WHERE id = ?", (info.packet_id,)).fetchone()
        if base is None or hashlib.sha256(base[1]).hexdigest() != base[0]:
            raise PacketRefused(f"“{file_label(packet)}”中下发时的原始数据缺失或已被改动，"
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
        raise LedgerError(f"未能写入“{file_label(out)}”：{reason(exc)}") from exc
    return ReturnResult(out, info, rows, digest)


def _diff(packet: Path, base: bytes) -> bytes:
    """SQLite's session extension: the changes that turn the packet as issued into it now."""
    apsw = apsw_module()
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
        raise PacketRefused(f"“{file_label(packet)}”无法读取或已损坏，未生成报送包") from exc
    finally:
        conn.close()


def read_return(path: Path) -> ReturnPacket:
    """A return packet, checked whole (format, hash, changeset); PacketRefused otherwise."""
    path = Path(path)
    name = file_label(path)
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
    apsw = apsw_module()
    try:
        for _change in apsw.Changeset.iter(changeset):
            pass
    except apsw.Error as exc:
        raise damaged from exc
    packet = ReturnPacket(path, meta, changeset, digest)
    packet.info  # noqa: B018 - raises PacketRefused on an incomplete description
    return packet
