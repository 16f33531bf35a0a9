"""Consistent copies of a ledger through SQLite's backup API (safe while the ledger is open)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from core.errors import BadFileError
from core.paths import backups_dir_for


def backup_to(source: sqlite3.Connection, destination: Path) -> Path:
    """Copy the database behind `source` to `destination`, verified, never half-written.

    The copy is written beside the destination under a temporary name, checked with
    `PRAGMA integrity_check`, and only then renamed into place.
    """
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        target = sqlite3.connect(str(partial))
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            verdict = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
        if verdict != "ok":
            raise BadFileError(f"备份“{destination.name}”校验未通过：{verdict}")
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return destination


def timestamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def backup_before_migration(source: sqlite3.Connection, ledger: Path, version: int) -> Path:
    folder = backups_dir_for(ledger)
    return backup_to(source, folder / f"{ledger.stem}-{timestamp()}-升级前v{version}.db")
