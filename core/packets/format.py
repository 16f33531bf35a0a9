"""What a packet is: its description (PacketInfo), the return's content hash, the
changeset rows, and the words the clerk reads for statuses and fields."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import LedgerError, PacketRefused
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

FIELD_LABELS = {
    "value": "数值", "text_value": "文字", "target_committed": "确保目标",
    "target_stretch": "奋斗目标", "last_year_value": "去年同期", "rank": "排名",
    "rank_scope": "排名范围", "note": "备注", "follow_up": "需跟进", "estimate": "预估",
    "reason": "原因", "date": "日期", "enterprise_id": "企业", "kind": "服务类别",
    "person_times": "人次", "problems": "解决问题", "amount": "金额",
    "amount_unit": "金额单位", "description": "内容", "status": "状态", "*": "整条记录",
}


def apsw_module() -> Any:
    try:
        import apsw
    except ImportError as exc:  # a bundle built without it
        raise LedgerError("本软件缺少报送包组件（apsw），无法处理报送包；请安装完整版本") from exc
    return apsw


def file_label(path: Path) -> str:
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


def content_hash(meta: dict[str, Any], changeset: bytes) -> str:
    digest = hashlib.sha256(json.dumps(meta, ensure_ascii=False, sort_keys=True).encode())
    digest.update(changeset)
    return digest.hexdigest()


@dataclass(frozen=True)
class RowChange:
    """One row of a changeset (apsw's TableChange lives only while it is iterated)."""

    op: str  # INSERT / UPDATE / DELETE
    name: str
    old: tuple[Any, ...] | None
    new: tuple[Any, ...] | None
    column_count: int


def changes_of(changeset: bytes) -> Iterator[RowChange]:
    for change in apsw_module().Changeset.iter(changeset):
        yield RowChange(change.op, change.name, change.old, change.new, change.column_count)


def show(value: Any) -> str:
    """A value of a dry run as the clerk reads it."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
