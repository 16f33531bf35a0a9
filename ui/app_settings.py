"""What the window remembers between runs, in an INI file in the data folder.

`settings.ini` sits beside the ledgers (core.paths.data_dir()), so portable mode keeps it on
the USB stick too. Only window matters live here; anything the summary needs is a ledger
setting (ledger.set_setting), undoable and carried with the file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from core.errors import LedgerError
from core.paths import data_dir
from core.periods import Period

MAX_RECENT = 8


def _key(path: Path) -> str:
    """A settings key for a ledger file (paths hold characters INI keys cannot)."""
    return hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


class AppSettings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "settings.ini"
        self.store = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self.store.sync()

    # -- language ------------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return str(self.store.value("language", "zh"))

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("language", value)

    # -- files ---------------------------------------------------------------------------------
    @property
    def last_file(self) -> Path | None:
        value = self.store.value("last_file", "")
        return Path(str(value)) if value else None

    def recent_files(self) -> list[Path]:
        value = self.store.value("recent_files", [])
        names = [value] if isinstance(value, str) else list(value or [])  # INI: one is a str
        return [Path(str(name)) for name in names if name]

    def opened(self, path: Path) -> None:
        """Remember `path` as the last file and at the top of 最近打开."""
        path = path.resolve()
        recent = [p for p in self.recent_files() if p != path]
        self.store.setValue("recent_files", [str(p) for p in [path, *recent][:MAX_RECENT]])
        self.store.setValue("last_file", str(path))

    def forget(self, path: Path) -> None:
        recent = [p for p in self.recent_files() if p != path.resolve()]
        self.store.setValue("recent_files", [str(p) for p in recent])

    # -- period and window ---------------------------------------------------------------------
    def period_for(self, path: Path) -> Period | None:
        value = str(self.store.value(f"periods/{_key(path)}", ""))
        year, _, months = value.partition("-")
        try:
            return Period(int(year), int(months)) if year and months else None
        except (ValueError, LedgerError):
            return None

    def set_period_for(self, path: Path, period: Period) -> None:
        self.store.setValue(f"periods/{_key(path)}", f"{period.year}-{period.months}")

    @property
    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)
