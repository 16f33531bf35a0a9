"""A leader's read-only copy, published to a shared folder (文件 → 发布只读副本…).

The copy is a consistent snapshot (SQLite's backup API, never a byte copy of a live WAL file)
marked inside as published — the setting `published_copy` says when and by whom — so every
WorkLedger opens it read-only with the banner 「只读副本，发布于 … 由 …」 and refuses every
edit (tabs, import, packets) with that reason. It is written like a check-in
(core.working_copy.place): verified beside the target, then renamed over it, so publishing
again replaces the previous copy whole and readers never see half a file.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from core import clock
from core.errors import InputError, PlaceError
from core.files import reason

SETTING = "published_copy"
SUFFIX = "（只读副本）"


@dataclass(frozen=True)
class Published:
    at: str
    by: str
    source: str  # the ledger's file name it was published from

    @property
    def reason(self) -> str:
        from core import clock

        return f"只读副本，发布于 {clock.shown(self.at)} 由 {self.by}"


def published_of(conn: sqlite3.Connection) -> Published | None:
    """The mark of a published copy in the database behind `conn`, or None."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE id = ?", (SETTING,)).fetchone()
        data = json.loads(row[0]) if row and row[0] else None
        if not isinstance(data, dict):
            return None
        return Published(str(data.get("at", "")), str(data.get("by", "")),
                         str(data.get("source", "")))
    except (sqlite3.Error, ValueError):
        return None


def published_reason(path: Path) -> str:
    """Why the ledger at `path` opens read-only because it is a published copy, or ''."""
    from core.working_copy import _read_only

    try:
        conn = _read_only(Path(path))
    except (sqlite3.Error, OSError, ValueError):
        return ""
    try:
        found = published_of(conn)
    finally:
        conn.close()
    return found.reason if found is not None else ""


def target_for(ledger_path: Path, out: Path) -> Path:
    """`out` as a file (…/台账（只读副本）.db in a folder given, or one with no suffix)."""
    out = Path(out)
    if out.is_dir() or not out.suffix:
        return out / f"{ledger_path.stem}{SUFFIX}.db"
    return out


@dataclass(frozen=True)
class PublishResult:
    path: Path
    published: Published
    replaced: bool


def publish(source: sqlite3.Connection, ledger_path: Path, out: Path) -> PublishResult:
    """Write the read-only copy of the ledger behind `source` to `out` (a folder or a file);
    a previous published copy there is replaced whole, any other file is never overwritten."""
    from core.changes import os_user
    from core.working_copy import _key, place, snapshot

    target = target_for(ledger_path, out)
    if _key(target) == _key(ledger_path):
        raise InputError("只读副本不能写到台账文件本身，请另选一个位置")
    replaced = target.exists()
    if replaced and not published_reason(target):
        raise InputError(f"“{target}”已存在，且不是只读副本；为免覆盖已有数据，请另选一个文件名")
    if target.suffix.lower() != ".db":
        raise InputError(f"只读副本的文件名应以 .db 结尾，收到“{target.name}”")
    mark = Published(clock.now().isoformat(timespec="seconds"), os_user(), ledger_path.name)

    def adjust(conn: sqlite3.Connection) -> None:
        value = json.dumps({"at": mark.at, "by": mark.by, "source": mark.source},
                           ensure_ascii=False)
        conn.execute("INSERT OR REPLACE INTO settings (id, value, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?)", (SETTING, value, mark.at, mark.at))

    from core.paths import data_dir

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlaceError(f"无法创建文件夹“{target.parent}”：{reason(exc)}") from exc
    made, state = snapshot(source, data_dir() / "发布", target.name, adjust)
    try:
        place(made, state, target)
    finally:
        made.unlink(missing_ok=True)
    return PublishResult(target, mark, replaced)


def describe(result: PublishResult) -> str:
    word = "已替换" if result.replaced else "已发布"
    return f"{word}只读副本：{result.path}（{result.published.reason}）"

