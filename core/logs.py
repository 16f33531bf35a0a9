"""A rotating log file in the user's data folder: where unexpected errors go, never on screen."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from core import __version__
from core.paths import log_dir

LOG_NAME = "workledger.log"
_configured: Path | None = None


def setup_logging() -> Path:
    """Log to <data>/logs/workledger.log (1 MB × 5 files); returns the log file's path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_dir() / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # The full platform description is in 导出诊断信息; reading it here costs start-up time.
    logging.getLogger("workledger").info(
        "WorkLedger %s, Python %s, %s", __version__, sys.version.split()[0], sys.platform
    )
    _configured = path
    return path


def log_unexpected(exc: BaseException, context: str = "") -> Path:
    path = setup_logging()
    logging.getLogger("workledger").error(
        "unexpected error %s", context, exc_info=(type(exc), exc, exc.__traceback__)
    )
    return path
