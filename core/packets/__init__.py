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

The package, one concern a module: `format` (what a packet is, its hash, the changeset rows),
`issuing`, `returning`, `planning` (the dry run), `applying`, `status` (报送情况).
"""

from core.packets.applying import BatchResult, MergeResult, apply_many, apply_merge
from core.packets.format import (
    BACKUP_REASON,
    CHANGED,
    CONFLICT,
    DELETED,
    FORMAT,
    NEW,
    OURS,
    OUTSIDE,
    PACKET_SETTING,
    RETURN_APPLICATION_ID,
    STATUS_LABELS,
    THEIRS,
    TRACKED,
    UNCHANGED,
    PacketInfo,
    RowChange,
    changes_of,
    content_hash,
    ledger_id,
    packet_info,
    show,
)
from core.packets.issuing import IssueResult, issue
from core.packets.planning import Item, MergePlan, RowOp, preview, preview_many
from core.packets.returning import ReturnPacket, ReturnResult, make_return, read_return
from core.packets.status import FilingStatus, filing_status

__all__ = [
    "BACKUP_REASON", "CHANGED", "CONFLICT", "DELETED", "FORMAT", "NEW", "OURS", "OUTSIDE",
    "PACKET_SETTING", "RETURN_APPLICATION_ID", "STATUS_LABELS", "THEIRS", "TRACKED",
    "UNCHANGED", "BatchResult", "FilingStatus", "IssueResult", "Item", "MergePlan",
    "MergeResult", "PacketInfo", "ReturnPacket", "ReturnResult", "RowChange", "RowOp",
    "apply_many", "apply_merge", "changes_of", "content_hash", "filing_status", "issue",
    "ledger_id", "make_return", "packet_info", "preview", "preview_many", "read_return",
    "show",
]
