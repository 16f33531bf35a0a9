"""WorkLedger core: the ledger, its figures and everything made from them. No Qt here."""

__version__ = "0.2.0"
APP_NAME = "WorkLedger"
APP_TITLE = "工作台账"
