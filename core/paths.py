"""Where WorkLedger keeps its files: the per-user data folder, or beside the executable.

Portable mode (for USB sticks): a file named `portable` beside the executable (or beside main.py
when run from source) keeps the ledger, settings, logs and backups in a `data/` folder there.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from core import APP_NAME

DEFAULT_LEDGER_NAME = "工作台账.db"
_ENV_DATA_DIR = "WORKLEDGER_DATA_DIR"  # tests and benchmarks point this at a temporary folder


def app_dir() -> Path:
    """Folder of the executable when frozen, of main.py when run from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def is_portable() -> bool:
    return (app_dir() / "portable").is_file()


def data_dir() -> Path:
    """The folder for ledgers, settings, logs and backups; created on first use."""
    override = os.environ.get(_ENV_DATA_DIR)
    if override:
        folder = Path(override)
    elif is_portable():
        folder = app_dir() / "data"
    else:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_ledger_path() -> Path:
    return data_dir() / DEFAULT_LEDGER_NAME


def log_dir() -> Path:
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def backups_dir_for(ledger: Path) -> Path:
    """Automatic backups of one ledger: a folder per ledger file, named after it."""
    resolved = str(Path(ledger).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]
    folder = data_dir() / "backups" / f"{Path(ledger).stem}-{digest}"
    return folder


def mpl_config_dir() -> Path:
    """A persistent matplotlib cache, so the font list is not rebuilt at every start."""
    folder = data_dir() / "mplconfig"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
