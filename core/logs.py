"""A rotating log file in the user's data folder: where unexpected errors go, never on screen."""

from __future__ import annotations

import logging
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
    handler = _LogFile(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _configured = path
    return path


class _LogFile(logging.Handler):
    """The rotating log file, opened at the first record after a line naming the version (the
    full platform description is in 导出诊断信息). A start that logs nothing leaves the file alone
    and never loads logging.handlers, with the socket and pickle modules it imports."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            import logging.handlers

            self._file = logging.handlers.RotatingFileHandler(
                self.path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True)
            self._file.setFormatter(self.formatter)
            header = logging.LogRecord(
                "workledger", logging.INFO, __file__, 0, "WorkLedger %s, Python %s, %s",
                (__version__, sys.version.split()[0], sys.platform), None)
            header.created, header.msecs = record.created, record.msecs
            self._file.emit(header)
        self._file.emit(record)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def log_unexpected(exc: BaseException, context: str = "") -> Path:
    path = setup_logging()
    logging.getLogger("workledger").error(
        "unexpected error %s", context, exc_info=(type(exc), exc, exc.__traceback__)
    )
    return path
