"""Start the window."""

from __future__ import annotations

import sys


def run(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from core import APP_TITLE
    from core.demo import ensure_demo_file
    from core.ledger import Ledger
    from core.paths import default_ledger_path

    app = QApplication(sys.argv[:1])
    path = default_ledger_path()
    if "--db" in argv:
        path = __import__("pathlib").Path(argv[argv.index("--db") + 1])
    ledger = Ledger.open(ensure_demo_file(path))
    window = QMainWindow()
    window.setWindowTitle(f"{APP_TITLE} — {ledger.path.name}")
    window.setCentralWidget(QLabel(f"台账：{ledger.path}"))
    window.resize(1200, 720)
    window.show()
    try:
        return app.exec()
    finally:
        ledger.close()
