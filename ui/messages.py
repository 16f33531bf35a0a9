"""The few ways the window talks to the clerk: a short sentence, a question, a list of problems.

Every modal dialog of the window goes through these functions, so tests patch them in one place
(`monkeypatch.setattr(messages, "confirm", lambda *a: True)`). Unexpected exceptions end up in
`report_unexpected` through sys.excepthook: logged to the data folder, shown as one sentence.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.errors import LedgerError
from ui.i18n import tr

T = TypeVar("T")


def _parent(widget: QWidget | None) -> QWidget | None:
    return widget or QApplication.activeWindow()


def inform(parent: QWidget | None, text: str, title: str = "") -> None:
    QMessageBox.information(_parent(parent), title or tr("工作台账"), text)


def warn(parent: QWidget | None, text: str, title: str = "") -> None:
    QMessageBox.warning(_parent(parent), title or tr("工作台账"), text)


def confirm(parent: QWidget | None, text: str, title: str = "") -> bool:
    answer = QMessageBox.question(
        _parent(parent), title or tr("工作台账"), text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_problems(parent: QWidget | None, summary: str, lines: list[str]) -> None:
    """A refused paste or clear: what was refused, one line per cell."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("工作台账"), summary,
                      QMessageBox.StandardButton.Ok, _parent(parent))
    shown = lines[:12]
    if len(lines) > len(shown):
        shown.append(f"……另有 {len(lines) - len(shown)} 处")
    box.setInformativeText("\n".join(shown))
    if len(lines) > 12:
        box.setDetailedText("\n".join(lines))
    box.exec()


def attempt(parent: QWidget | None, action: Callable[[], T]) -> T | None:
    """Run `action`; a LedgerError (nothing was written) is shown as its one sentence."""
    try:
        return action()
    except LedgerError as exc:
        warn(parent, exc.message)
        return None


def report_unexpected(exc: BaseException, context: str = "") -> None:
    """Log an unexpected exception and tell the clerk in one sentence; the app keeps running."""
    from core.logs import log_unexpected

    try:
        log = log_unexpected(exc, context)
        where = f"详情已记录在 {log}"
    except Exception:  # the log folder itself is unusable: still say something
        where = "详情未能写入日志"
    warn(None, f"发生意外错误，刚才的操作未完成；已保存的数据不受影响。{where}")


def install_excepthook() -> None:
    """Route uncaught exceptions (in slots and event handlers too) to the clerk, not stderr."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
        elif isinstance(exc, LedgerError):  # a core refusal nobody caught: still one sentence
            warn(None, exc.message)
        else:
            report_unexpected(exc, "uncaught")

    sys.excepthook = hook


def guarded(default: Any = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """For Qt virtual overrides: hand an exception to sys.excepthook and return `default`.

    PySide6 6.12 crashes the process when an exception raised inside C code (int("x"), a wrong
    keyword argument …) leaves a Python override of a C++ virtual, before any excepthook runs;
    slots are not affected. The overrides that run our logic are wrapped with this, so a bug
    is logged and reported in one sentence (or fails the test under pytest-qt) instead.
    """
    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except Exception:
                sys.excepthook(*sys.exc_info())
                return default
        return run
    return wrap
