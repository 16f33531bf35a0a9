"""Applying a dry run as the clerk chose: all or nothing, after a backup, one undo step,
audited with the unit's name; several returns at once under one backup and one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from core import clock
from core.changes import Change, Writer
from core.errors import ConflictError, InputError
from core.packets.format import BACKUP_REASON, CONFLICT, OURS, THEIRS, TRACKED
from core.packets.planning import MergePlan, RowOp, preview_many
from core.packets.returning import read_return
from core.periods import Period

if TYPE_CHECKING:
    from core.ledger import Ledger


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
    already taken for this merge, else one is taken now."""
    from core.backup import automatic_backup

    if plan.already:
        raise ConflictError(f"{plan.already}，台账未作修改")
    decided = _decisions([plan], take, take_all)
    _still_current(ledger, [plan])
    if backup is None:
        backup = automatic_backup(ledger.conn, ledger.path, BACKUP_REASON, check="quick_check")
    ready, applied, kept = _ready(plan, decided)
    with ledger.write(_label(plan, applied, kept)) as writer:
        _apply(writer, plan, ready, applied)
    return MergeResult(writer.change, backup, applied, kept)


def _label(plan: MergePlan, applied: int, kept: int) -> str:
    return (f"导入“{plan.info.unit}”的{plan.info.period.label}报送包（采用 {applied} 项，"
            f"保留台账现值 {kept} 项）")


def _decisions(plans: list[MergePlan], take: dict[str, str] | None,
               take_all: str | None) -> dict[str, str]:
    """Every conflict's choice; InputError (nothing written) when one is left undecided."""
    take = dict(take or {})
    for choice in (*take.values(), take_all):
        if choice not in (THEIRS, OURS, None):
            raise InputError(f"冲突的选择应为 {THEIRS}（采用报送值）或 {OURS}（保留台账现值）")
    decided = {item.key: take.get(item.key, take_all)
               for plan in plans if not plan.already for item in plan.conflicts}
    open_ = [key for key, choice in decided.items() if choice is None]
    if open_:
        raise InputError(f"有 {len(open_)} 处冲突尚未选择（采用报送值或保留台账现值），"
                         "未导入任何内容")
    return {key: str(choice) for key, choice in decided.items()}


def _still_current(ledger: Ledger, plans: list[MergePlan]) -> None:
    """The dry runs still hold: the ledger has not changed since, none was merged meanwhile."""
    ledger.require_writable()
    mark = int(ledger.scalar("SELECT coalesce(max(id), 0) FROM audit"))
    for plan in plans:
        if plan.ledger_path != ledger.path or plan.audit_mark != mark:
            raise ConflictError("检查之后台账又有修改，请重新检查后再导入")
        if not plan.already and ledger.scalar(
                "SELECT 1 FROM packets_received WHERE sha256 = ?", (plan.packet.sha256,)):
            raise ConflictError("该报送包已导入过，台账未作修改")


def _ready(plan: MergePlan, decided: dict[str, str]) -> tuple[list[RowOp], int, int]:
    """The row operations of a plan as chosen, the values taken and the conflicts kept."""
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
    return ready, applied, kept


def _apply(writer: Writer, plan: MergePlan, ready: list[RowOp], applied: int) -> None:
    """Write one plan's chosen operations and its receipt."""
    _write(writer, ready)
    info, meta = plan.info, plan.packet.meta
    merged_at = clock.stamp()
    writer.insert("packets_received", {
        "created_at": merged_at, "updated_at": merged_at, "packet_id": info.packet_id,
        "sha256": plan.packet.sha256, "returned_by": str(meta.get("returned_by", "")),
        "returned_at": str(meta.get("returned_at", "")), "applied": applied,
        "changed": len(ready), "conflicts": len(plan.conflicts)})


# A row deleted by a merge takes its rows in the ledger with it, as the tab's delete does
# (core.projects / core.plans delete_children): those the unit did not have in its packet.
CHILDREN = {
    "projects": (("project_investments", "project_id"), ("plan_item_projects", "project_id")),
    "plan_sections": (("plan_items", "section_id"),),
    "plan_items": (("plan_item_projects", "item_id"), ("plan_milestones", "item_id"),
                   ("plan_progress", "item_id"), ("evidence", "item_id")),
}


def _write(writer: Writer, ready: list[RowOp]) -> None:
    """Inserts and updates parents first, in bulk per table; then deletes, children first."""
    order = {table: n for n, table in enumerate(TRACKED)}
    writes = sorted((op for op in ready if op.kind != "delete"),
                    key=lambda op: (order[op.table], op.kind))
    for (table, kind), group in groupby(writes, key=lambda op: (op.table, op.kind)):
        ops = list(group)
        if kind == "insert":
            writer.insert_many(table, [op.values for op in ops])
        else:
            writer.update_many(table, [(op.row_id, op.values) for op in ops])
    deletes = sorted((op for op in ready if op.kind == "delete"),
                     key=lambda op: -order[op.table])
    for op in deletes:
        _delete(writer, op.table, op.row_id)


def _delete(writer: Writer, table: str, row_id: str) -> None:
    if writer.fetch(table, row_id) is None:
        return
    for child, column in CHILDREN.get(table, ()):
        for (child_id,) in writer.conn.execute(
                f'SELECT id FROM "{child}" WHERE "{column}" = ?', (row_id,)).fetchall():
            _delete(writer, child, child_id)
    writer.delete(table, row_id)


@dataclass(frozen=True)
class BatchResult:
    change: Change
    backup: Path
    merged: list[tuple[Path, MergeResult]]
    skipped: list[tuple[Path, str]]  # returns merged before, with when


def apply_many(ledger: Ledger, returns: list[Path] | list[MergePlan], *,
               take: dict[str, str] | None = None, take_all: str | None = None,
               period: Period | None = None) -> BatchResult:
    """Merge several returns at once: one backup, one transaction, one undo step, audited with
    the units' names. `returns` are the files (planned here by preview_many) or the dry run the
    clerk saw (preview_many's plans, still current). `take` (keys of preview_many) and
    `take_all` decide the conflicts. Any refusal or undecided conflict leaves the ledger as it
    was."""
    from core.backup import automatic_backup

    ledger.require_writable()
    if returns and not isinstance(returns[0], MergePlan):
        paths = [Path(str(p)) for p in returns]
        for path in paths:  # a damaged or foreign one is refused before anything is done
            read_return(path)
        plans = preview_many(ledger, paths, period=period)
    else:
        plans = [p for p in returns if isinstance(p, MergePlan)]
    decided = _decisions(plans, take, take_all)
    _still_current(ledger, plans)
    todo = [plan for plan in plans if not plan.already]
    skipped = [(plan.packet.path, plan.already) for plan in plans if plan.already]
    if not todo:
        raise ConflictError("所选报送包都已导入过，台账未作修改")
    backup = automatic_backup(ledger.conn, ledger.path, BACKUP_REASON, check="quick_check")
    units = "、".join(dict.fromkeys(plan.info.unit for plan in todo))
    merged: list[tuple[Path, MergeResult]] = []
    with ledger.write(f"导入 {len(todo)} 个报送包（{units}）") as writer:
        for plan in todo:
            mark = len(writer.rows)
            ready, applied, kept = _ready(plan, decided)
            _apply(writer, plan, ready, applied)
            change = Change(_label(plan, applied, kept), tuple(writer.rows[mark:]))
            merged.append((plan.packet.path, MergeResult(change, backup, applied, kept)))
    return BatchResult(writer.change, backup, merged, skipped)
