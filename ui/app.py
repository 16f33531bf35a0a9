"""Start the window: options, fonts, Qt's Chinese translations, the first ledger.

    python main.py [--db FILE] [--lang zh|en]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from core import APP_NAME
from core.paths import default_ledger_path
from ui.app_settings import AppSettings

if TYPE_CHECKING:  # the window is imported once the language is chosen (labels are built then)
    from ui.main_window import MainWindow
    from ui.tab_base import LedgerTab

OPTIONS_HELP = "用法：main.py [--db 台账文件] [--lang zh|en] [--demo-if-none]"


def parse_options(argv: list[str]) -> argparse.Namespace | None:
    """--db FILE, --lang zh|en; None (after a Chinese line on stderr) when they are wrong."""
    parser = argparse.ArgumentParser(prog="main.py", add_help=False, exit_on_error=False)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--lang", choices=("zh", "en"))
    # The developers' `python run.py`: with no ledger yet, open the demo instead of asking.
    parser.add_argument("--demo-if-none", action="store_true")
    try:
        options, unknown = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        unknown = ["?"]
    if unknown:
        if sys.stderr is not None:  # a windowed executable has no stderr
            print(f"无法识别的参数：{' '.join(unknown)}\n{OPTIONS_HELP}", file=sys.stderr)
        return None
    return options


def install_translations(app: QApplication, language: str) -> QTranslator | None:
    """Qt's own dialogs (file dialog, message box buttons, context menus) in Chinese."""
    if language != "zh":
        return None
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            return translator
    logging.getLogger("workledger").warning("Qt's Chinese translations not found in %s", folder)
    return None


def choose_font(app: QApplication) -> None:
    """The system UI font when it has Chinese glyphs, else the best installed or bundled face.

    Bundled faces are registered only when a role needs one (the summary's faces when it is
    first laid out): a Chinese Windows shows Microsoft YaHei and reads none of them at start."""
    from ui.fonts import family_for, has_chinese

    font = app.font()
    if not has_chinese(font):
        font.setFamily(family_for("ui"))
        app.setFont(font)


def first_ledger_path(option: Path | None, last: Path | None) -> Path | None:
    """--db, else the file used last time, else the default ledger; None: first run."""
    if option is not None:
        return option
    if last is not None and last.exists():
        return last
    default = default_ledger_path()
    return default if default.exists() else None


def create_window(settings: AppSettings) -> MainWindow:
    """The main window with its tabs (the tests and tools/screenshots.py build it this way).

    Only the first tab is built now; the others (and the modules behind them: the summary's
    charts and PDF rendering above all) are built when the clerk first opens them.
    """
    from ui.main_window import MainWindow
    from ui.safety_menu import install as install_safety_menu  # import/export, backups
    from ui.tab_base import DeferredTab
    from ui.tabs.indicators import IndicatorsTab

    window = MainWindow(settings)
    window.add_tab(IndicatorsTab())

    def projects() -> LedgerTab:
        from ui.tabs.projects import ProjectsTab

        return ProjectsTab()

    def services() -> LedgerTab:
        from ui.tabs.services import ServicesTab

        return ServicesTab()

    def plans() -> LedgerTab:
        from ui.tabs.plans import PlansTab

        return PlansTab()

    def summary() -> LedgerTab:
        from ui.summary_tab import SummaryTab

        tab = SummaryTab()
        tab.fill_requested.connect(window.go_fill)
        return tab

    for title, build in (("项目", projects), ("企业服务", services), ("工作计划", plans),
                         ("总结", summary)):
        window.add_tab(DeferredTab(title, build))
    install_safety_menu(window)
    from ui.packet_menu import install as install_packet_menu  # 报送: packets, 上报

    install_packet_menu(window)
    from ui.sharing import install as install_sharing  # network folders: copies, check-in

    install_sharing(window)
    return window


def run(argv: list[str]) -> int:
    try:
        return _run(argv)
    except Exception as exc:  # before the window's own hook is in place: still no traceback
        from core.logs import log_unexpected

        log = log_unexpected(exc, "start-up")
        if sys.stderr is not None:
            print(f"工作台账未能启动（详情已写入 {log}）", file=sys.stderr)
        return 1


def _run(argv: list[str]) -> int:
    options = parse_options(argv)
    if options is None:
        return 2
    from core.logs import setup_logging

    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)

    from ui.i18n import set_language

    settings = AppSettings()
    language = options.lang or settings.language
    set_language(language)
    translated = install_translations(app, language) is not None
    choose_font(app)

    from ui import messages, opening

    messages.install_excepthook()
    path = first_ledger_path(options.db, settings.last_file)
    if path is None:
        from ui.first_run import ask_first_ledger, demo_path  # the very first start only

        path = demo_path() if options.demo_if_none else ask_first_ledger()
        if path is None:
            return 0
    ledger = opening.open_until_ok(None, path)
    if ledger is None:
        return 0
    window = create_window(settings)
    window.set_ledger(ledger)
    if settings.geometry is not None and window.restoreGeometry(settings.geometry):
        window.show()
    else:
        window.showMaximized()  # the first time: the whole screen, as clerks use WPS
    # Once the first tab is up, build the others in the background (idle turns of the loop).
    QTimer.singleShot(WARM_UP_DELAY_MS, window, window.build_deferred_tabs)
    ready_file = os.environ.get(READY_FILE_VARIABLE)
    if ready_file:
        facts = {"qt_zh": translated or language != "zh", "font": app.font().family(),
                 "early": ",".join(m for m in LOADED_LATER if m in sys.modules) or "none"}
        QTimer.singleShot(0, lambda: _report_ready(window, Path(ready_file), facts))
    return app.exec()


WARM_UP_DELAY_MS = 800  # after the window is up: time for the clerk's first look

# Modules the window does not need to appear, each worth milliseconds of start-up: loaded when
# first used (charts, Word, Excel, migrations, the log file, new rows, dates in backup names).
# The ready report lists any that were loaded anyway.
LOADED_LATER = ("matplotlib", "docx", "openpyxl", "sqlite_utils", "logging.handlers", "uuid",
                "_strptime", "calendar")

# Smoke tests and benchmarks set this to a file name: once the window is shown and its first
# tab filled, and the event loop runs (the window responds), the app writes the file and quits.
READY_FILE_VARIABLE = "WORKLEDGER_READY_FILE"


def _report_ready(window: MainWindow, ready_file: Path, facts: dict[str, object]) -> None:
    tab = window.current_tab()
    title = window.tab_widget.tabText(window.tab_widget.currentIndex())
    details = " ".join(f"{key}={value}" for key, value in facts.items())
    ready_file.write_text(f"{title} {type(tab).__name__} {details}", encoding="utf-8")
    window.close()
