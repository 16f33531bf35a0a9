"""报送情况: per unit and period, what it fills, what was sent, what came back, on time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.filing_units import FilingUnits
from core.periods import Period

if TYPE_CHECKING:
    from core.ledger import Ledger


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
