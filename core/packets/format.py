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
# The tables a changeset carries, parents before children (the order of applying; deletes go
# in reverse), and the ledger tables each record table a unit may fill is made of.
TRACKED = ("enterprises", "projects", "project_investments", "plan_sections", "plan_items",
           "plan_item_projects", "plan_milestones", "plan_progress", "indicator_values",
           "services")
RECORD_ROWS = {
    "services": ("services",),
    "projects": ("projects", "project_investments"),
    "plans": ("plan_sections", "plan_items", "plan_item_projects", "plan_milestones",
              "plan_progress"),
}
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
    "name": "名称", "signed_date": "签约日期", "start_date": "开工日期",
    "completion_date": "竣工投产日期", "total_investment": "总投资", "tech_renovation": "技改",
    "industry_chain": "产业链", "year": "年份", "project_id": "项目", "heading": "标题",
    "narrative": "总体思路", "position": "顺序", "title": "事项", "text": "具体内容",
    "target_indicator_id": "目标指标", "target_value": "目标值", "owner": "责任人",
    "deadline": "完成时限", "result_status": "完成情况", "result_note": "情况说明",
    "co_offices": "配合科室", "done_on": "完成日期", "section_id": "所属部分",
    "item_id": "所属事项", "what": "节点内容", "due": "节点时限", "who": "填写人",
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
