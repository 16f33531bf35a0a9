"""The floor for the start-up target: a bare PySide6 window with the same tabs and no data.

Same shape as WorkLedger's window — menus, a period selector, five tabs each holding a filter box
and a table, a status bar — but no ledger, no fonts registered, no translations. Writes the file
named by WORKLEDGER_READY_FILE once the event loop runs with the window shown, then quits.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

TABS = ("指标", "项目", "企业服务", "工作计划", "总结")


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    for menu in ("文件", "编辑", "帮助"):
        window.menuBar().addMenu(menu)
    tabs = QTabWidget()
    for title in TABS:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLineEdit())
        view = QTableView()
        view.setModel(QStandardItemModel(0, 12, view))
        layout.addWidget(view)
        tabs.addTab(page, title)
    tabs.setCornerWidget(QComboBox())
    window.setCentralWidget(tabs)
    window.statusBar().showMessage("台账")
    window.resize(1366, 768)
    window.show()
    ready = os.environ.get("WORKLEDGER_READY_FILE")
    if ready:
        def report() -> None:
            Path(ready).write_text("ready", encoding="utf-8")
            window.close()
        QTimer.singleShot(0, report)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
