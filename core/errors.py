"""Domain errors. Each carries one Chinese sentence the clerk can act on; views show it as is."""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every error the clerk may see."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class InputError(LedgerError):
    """A typed value that cannot be stored (not a number, out of bounds, bad code …)."""


class NeedsReason(LedgerError):
    """A value outside the soft bounds: it is stored only together with a reason."""


class BadFileError(LedgerError):
    """A file that cannot be opened as a ledger; the file was not touched."""


class PlaceError(BadFileError):
    """The file may well be healthy, but where it lies failed: a full disk, a read-only folder,
    no permission, a USB stick pulled out. Restoring a backup over it would not help."""


class NeedsUpgradeError(BadFileError):
    """A ledger of an older data version, to be opened read-only: it must be upgraded first."""


class ReadOnlyError(LedgerError):
    """A write was attempted on a ledger opened for reading only."""


class ConflictError(LedgerError):
    """A write that would break the ledger's consistency (still referenced, changed since …)."""


class NotFoundError(LedgerError):
    """The record no longer exists."""


class LockedError(LedgerError):
    """The ledger is open for writing elsewhere (another window, a colleague on this PC).

    `holder` (a core.lock.LockInfo, or None when unknown) says who and since when; the window
    turns this into a question: open the ledger read-only instead?
    """

    def __init__(self, message: str, holder: object | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class PeriodLockedError(ConflictError):
    """A write to a period that was 上报 (sent up) and is locked until it is unlocked."""


class PacketRefused(LedgerError):
    """A packet that does not belong here (another ledger, period, unit), is damaged or was
    altered: nothing was changed."""
