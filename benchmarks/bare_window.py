"""The floor for the start-up target: a bare PySide6 window with the same tabs and no data.

Same shape as WorkLedger's window — menus, a period selector, five tabs each holding a filter box
and a table, a status bar — but no ledger, no fonts registered, no translations. Writes the file
named by WORKLEDGER_READY_FILE once the event loop runs with the window shown, then quits.

    python benchmarks/bare_window.py [--table LEDGER]

--table LEDGER: the first tab lists the ledger's 300 indicators with this period's and last
year's values through a Python table model, read with one SQL query. That is what any table of
ours costs before our code does anything: PySide6 building the `Qt` namespace's enums (a
Python model meets them in every call), the model's Python calls, SQLite. The benchmark prints
it beside the start-up target, to show how much of the gap is ours.
"""

from __future__ import annotations

import os
import sqlite3
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


def indicator_model(ledger: Path) -> object:
    """A read-only Python model of the indicators of the newest period (see --table)."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

    conn = sqlite3.connect(f"{ledger.as_uri()}?mode=ro", uri=True)
    year, months = conn.execute(
        "SELECT year, max(months) FROM indicator_values"
        " WHERE year = (SELECT max(year) FROM indicator_values)").fetchone()
    rows = conn.execute(
        "SELECT i.name, i.unit, v.value, w.value FROM indicators i"
        " LEFT JOIN indicator_values v ON v.indicator_id = i.id AND v.year = ? AND v.months = ?"
        " LEFT JOIN indicator_values w ON w.indicator_id = i.id AND w.year = ? AND w.months = ?"
        " ORDER BY i.section, i.position", (year, months, year - 1, months)).fetchall()
    conn.close()
    header = ("指标", "单位", "本期", "上年同期")
    Index = QModelIndex | QPersistentModelIndex

    class Model(QAbstractTableModel):
        def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
            return 0 if parent.isValid() else len(rows)

        def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
            return 0 if parent.isValid() else len(header)

        def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
            if role == Qt.ItemDataRole.DisplayRole:
                value = rows[index.row()][index.column()]
                return "" if value is None else str(value)
            if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None

        def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                       role: int = Qt.ItemDataRole.DisplayRole) -> object:
            if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
                return header[section]
            return None

        def flags(self, index: Index) -> Qt.ItemFlag:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    return Model()


def main(argv: list[str]) -> int:
    ledger = Path(argv[argv.index("--table") + 1]) if "--table" in argv else None
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    for menu in ("文件", "编辑", "帮助"):
        window.menuBar().addMenu(menu)
    tabs = QTabWidget()
    for number, title in enumerate(TABS):
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLineEdit())
        view = QTableView()
        if number == 0 and ledger is not None:
            model = indicator_model(ledger)
            view.setModel(model)  # type: ignore[arg-type]
        else:
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
    sys.exit(main(sys.argv[1:]))
