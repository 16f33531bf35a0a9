"""上报 editions and locked periods.

A period that was 上报 (sent up) is locked: the triggers of core.schema refuse every write to
its figures, wherever it comes from, and core.changes turns their refusal into the sentence
`locked_message` words.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core import clock
from core.changes import Change
from core.errors import ConflictError, InputError, NotFoundError
from core.periods import Period

if TYPE_CHECKING:
    from core.ledger import Ledger


def locked_message(conn: sqlite3.Connection) -> str:
    """Why a write was refused by a period lock, naming the locked period(s) and edition."""
    rows = conn.execute(
        "SELECT l.year, l.months, e.number FROM period_locks l JOIN editions e"
        " ON e.id = l.edition_id ORDER BY l.year, l.months").fetchall()
    named = "、".join(f"{Period(y, m).label}（第{n}版）" for y, m, n in rows) or "该期"
    return (f"{named}的数据已上报并锁定，不能修改；如确需修改，请先“解锁”（须注明原因），"
            "台账未作修改")


# -- editions -------------------------------------------------------------------------------------

# What an edition keeps of each figure (the figure's value: entered, else derived), in order.
SNAPSHOT_FIELDS = {"value": "数值", "text": "文字", "target_committed": "确保目标",
                   "target_stretch": "奋斗目标", "last_year": "去年同期", "rank": "排名"}
DRAFT = "草稿"


@dataclass(frozen=True)
class Edition:
    id: str
    period: Period
    number: int
    made_at: str
    made_by: str
    note: str
    audit_mark: int
    snapshot: tuple[dict[str, Any], ...]

    @property
    def label(self) -> str:
        return f"第{self.number}版"


@dataclass(frozen=True)
class Difference:
    """A figure that changed since an edition."""

    indicator: str
    field: str  # SNAPSHOT_FIELDS label
    old: Any
    new: Any
    who: str
    when: str
    why: str


def snapshot(ledger: Ledger, period: Period) -> list[dict[str, Any]]:
    """The period's figures as 上报: every active indicator, missing ones as None."""
    rows = []
    for figure in ledger.metrics.figures(period):
        value = None if figure.indicator.kind in ("text", "list") else figure.value
        rows.append({"id": figure.indicator.id, "name": figure.indicator.name,
                     "row_id": figure.row_id, "value": value, "text": figure.text or None,
                     "target_committed": figure.target_committed,
                     "target_stretch": figure.target_stretch, "last_year": figure.last_year,
                     "rank": figure.rank})
    return rows


def editions(ledger: Ledger, period: Period) -> list[Edition]:
    return [Edition(r["id"], period, r["number"], r["created_at"], r["made_by"], r["note"],
                    r["audit_mark"], tuple(json.loads(r["snapshot"])))
            for r in ledger.query("SELECT * FROM editions WHERE year = ? AND months = ?"
                                  " ORDER BY number", (period.year, period.months))]


def edition(ledger: Ledger, period: Period, number: int | None = None) -> Edition:
    """Edition `number` of `period` (default: the latest)."""
    found = editions(ledger, period)
    if number is not None:
        found = [e for e in found if e.number == number]
    if not found:
        raise NotFoundError(f"{period.label}还没有上报过" if number is None
                            else f"{period.label}没有第{number}版")
    return found[-1]


def lock_of(ledger: Ledger, period: Period) -> int | None:
    """The number of the edition `period` is locked at, or None when it is not locked."""
    found = ledger.scalar(
        "SELECT e.number FROM period_locks l JOIN editions e ON e.id = l.edition_id"
        " WHERE l.year = ? AND l.months = ?", (period.year, period.months))
    return None if found is None else int(found)


def edition_label(ledger: Ledger, period: Period) -> str:
    """What an export or printout of `period` names itself: 第N版 while locked at edition N,
    else 草稿."""
    number = lock_of(ledger, period)
    return DRAFT if number is None else f"第{number}版"


def submit(ledger: Ledger, period: Period, *, note: str = "") -> tuple[Edition, Change]:
    """上报: make the next edition of `period` (its figures' snapshot) and lock the period."""
    from core.changes import os_user
    from core.text import clean_text

    locked = lock_of(ledger, period)
    if locked is not None:
        raise ConflictError(f"{period.label}已上报（第{locked}版）并锁定；如需重新上报，请先解锁")
    text = clean_text(note, field="上报说明")
    number = 1 + int(ledger.scalar("SELECT coalesce(max(number), 0) FROM editions"
                                   " WHERE year = ? AND months = ?",
                                   (period.year, period.months)))
    figures = snapshot(ledger, period)
    with ledger.write(f"上报{period.label}（第{number}版）") as writer:
        mark = int(ledger.scalar("SELECT coalesce(max(id), 0) FROM audit"))
        made_at = clock.stamp()
        edition_id = writer.insert("editions", {
            "created_at": made_at, "updated_at": made_at, "year": period.year,
            "months": period.months, "number": number,
            "made_by": os_user(), "note": text, "audit_mark": mark,
            "snapshot": json.dumps(figures, ensure_ascii=False)})
        writer.insert("period_locks", {"created_at": made_at, "updated_at": made_at,
                                       "year": period.year, "months": period.months,
                                       "edition_id": edition_id, "locked_by": os_user()})
    return edition(ledger, period, number), writer.change


def unlock(ledger: Ledger, period: Period, reason: str) -> Change:
    """解锁: the period may be edited again; the reason goes into the audit."""
    from core.text import clean_text

    text = " ".join(clean_text(reason, field="解锁原因").split())
    if not text:
        raise InputError("解锁须注明原因（如：统计局反馈数据调整）")
    row = ledger.scalar("SELECT id FROM period_locks WHERE year = ? AND months = ?",
                        (period.year, period.months))
    if row is None:
        raise ConflictError(f"{period.label}没有锁定，无需解锁")
    with ledger.write(_unlock_label(period, text)) as writer:
        writer.delete("period_locks", str(row))
    return writer.change


def _unlock_label(period: Period, reason: str) -> str:
    return f"解锁{period.label}（原因：{reason}）"


def _unlocks(ledger: Ledger, period: Period, after: int) -> list[tuple[int, str]]:
    """The audit ids of the 解锁 of `period` since audit id `after`, with their reasons."""
    found = []
    for row in ledger.query("SELECT id, label FROM audit WHERE id > ? AND tbl = 'period_locks'"
                            " AND action = 'delete' ORDER BY id", (after,)):
        head, tail = _unlock_label(period, "\0").split("\0")
        label = str(row["label"])
        if label.startswith(head) and label.endswith(tail):
            found.append((int(row["id"]), label[len(head):len(label) - len(tail)]))
    return found


def compare(ledger: Ledger, period: Period, number: int | None = None) -> list[Difference]:
    """与上报版比较: every figure of `period` that differs from edition `number` (default the
    latest), with who changed it last, when, and why (the value's reason, else the edit and
    the reason of the 解锁 it was made after)."""
    base = edition(ledger, period, number)
    now = {row["id"]: row for row in snapshot(ledger, period)}
    then = {row["id"]: row for row in base.snapshot}
    audit: dict[tuple[str, str], dict[str, Any]] = {}
    for row in ledger.query(
            "SELECT id, row_id, field, user, at, label FROM audit WHERE id > ?"
            " AND tbl = 'indicator_values' ORDER BY id", (base.audit_mark,)):
        audit[(row["row_id"], row["field"])] = row
        audit[(row["row_id"], "*")] = row
    reasons = {r["id"]: r["reason"] for r in ledger.query(
        "SELECT id, reason FROM indicator_values WHERE year = ? AND months = ?",
        (period.year, period.months))}
    unlocks = _unlocks(ledger, period, base.audit_mark)
    found: list[Difference] = []
    column = {"value": "value", "text": "text_value", "target_committed": "target_committed",
              "target_stretch": "target_stretch", "last_year": "last_year_value",
              "rank": "rank"}
    for indicator_id in [*then, *(k for k in now if k not in then)]:
        old, new = then.get(indicator_id, {}), now.get(indicator_id, {})
        for key, label in SNAPSHOT_FIELDS.items():
            if _equal(old.get(key), new.get(key)):
                continue
            row_id = new.get("row_id") or old.get("row_id") or ""
            entry = audit.get((row_id, column[key])) or audit.get((row_id, "*")) or {}
            after = [reason for at, reason in unlocks if entry and at < entry["id"]]
            why = reasons.get(row_id) or (str(entry["label"]) + (
                f"（解锁原因：{after[-1]}）" if after else "") if entry else "由记录自动计算")
            found.append(Difference(str(new.get("name") or old.get("name")), label,
                                    old.get(key), new.get(key), str(entry.get("user", "")),
                                    str(entry.get("at", "")), str(why)))
    return found


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    return bool(a == b)
