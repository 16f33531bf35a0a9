"""What start-up leaves out or does more cheaply must still come out the same."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CHILD_ENCODING

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.wine_gap("python.org's embeddable CPython (the Wine build's) ships the standard "
                      "library as .pyc in python312.zip: inspect.getsource(os) has no source")
def test_pysides_question_about_each_module_gets_the_same_answer_more_cheaply() -> None:
    import ui  # noqa: F401  (loads PySide6 and installs the quicker scan)

    scan = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    assert getattr(scan, "reads_file", False), "ui/__init__.py did not replace PySide6's scan"
    import core.periods
    import ui.main_window

    for module in (ui.main_window, core.periods, inspect, os):
        assert scan(module) == ("PySide6" in inspect.getsource(module)), module.__name__
    assert scan(sys) is False  # built in: no source at all


def _run(code: str, data_dir: Path) -> str:
    """`code` run by a fresh Python (start-up state is per process); its output."""
    env = {**os.environ, "WORKLEDGER_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, encoding=CHILD_ENCODING, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("records", [0, 2])
def test_the_log_file_is_opened_by_the_first_record_and_names_the_version(
        data_dir: Path, records: int) -> None:
    shown = _run(
        "import logging, sys\n"
        "from core.logs import setup_logging\n"
        "path = setup_logging()\n"
        f"for n in range({records}): logging.getLogger('workledger').warning('第%d条', n)\n"
        "logging.shutdown()\n"
        "print('logging.handlers' in sys.modules, path.exists())", data_dir)
    log = data_dir / "logs" / "workledger.log"
    if not records:  # a start that logs nothing: no file, no logging.handlers
        assert shown.split() == ["False", "False"]
        return
    lines = log.read_text(encoding="utf-8").splitlines()
    assert "INFO workledger: WorkLedger " in lines[0] and "Python 3." in lines[0]
    assert [line.split(": ", 1)[1] for line in lines[1:]] == ["第0条", "第1条"]
    assert lines[0][:23] == lines[1][:23]  # the version line carries the first record's time


def test_the_log_file_still_rotates(data_dir: Path) -> None:
    _run("import logging\n"
         "from core.logs import setup_logging\n"
         "setup_logging()\n"
         "for n in range(6000): logging.getLogger('workledger').warning('%d ' + '台账' * 200, n)\n"
         "logging.shutdown()", data_dir)
    names = sorted(path.name for path in (data_dir / "logs").iterdir())
    assert names == ["workledger.log", *(f"workledger.log.{n}" for n in range(1, 6))]


def test_bundled_faces_are_registered_only_when_a_role_needs_one(qapp, monkeypatch) -> None:
    from PySide6.QtGui import QFontDatabase

    from core.fonts import BUNDLED, ROLES
    from ui import fonts

    monkeypatch.setattr(fonts, "_registered", set())
    installed = set(QFontDatabase.families())
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda: sorted(installed)))
    # A system with the role's first choice installed reads no bundled file for it.
    installed.add(ROLES["heading2"][0])
    assert fonts.family_for("heading2") == ROLES["heading2"][0]
    assert fonts._registered == set()
    # Without any of them, the role's own bundled face (and only that one) is registered.
    installed.difference_update(ROLES["body"])
    song_path, song_family = BUNDLED["song"]
    assert fonts.family_for("body") == song_family
    assert fonts._registered == {song_path}


def test_a_table_is_laid_out_without_loading_every_qt_widget_class(data_dir: Path) -> None:
    """PySide6 types a widget that C++ created (a table's viewport) by loading every QWidget
    subclass it knows, ~14 ms at start; the table makes its viewport in Python instead."""
    shown = _run(
        "from PySide6.QtWidgets import QApplication\n"
        "import PySide6.QtWidgets as widgets\n"
        "app = QApplication([])\n"
        "from ui.tabs.indicators import IndicatorsTab\n"
        "tab = IndicatorsTab()\n"
        "tab.resize(1200, 700)\n"
        "tab.show()\n"
        "app.processEvents()\n"
        "print('QCalendarWidget' in widgets.__dict__, tab.page.view.columnWidth(0) > 0)\n",
        data_dir)
    assert shown.split() == ["False", "True"]
