"""The import dialog's offer for indicator names the catalogue lacks (core.exchange.unknown):
each with the unit the sheet gives it, a 新建 box and the kind to create it as. Nothing is
created unless the clerk ticks it; every change of choice runs the dry run again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QWidget

from core.default_catalogue import KINDS
from core.exchange.unknown import UnknownName, guess_kind
from ui.i18n import tr


class UnknownNamesBox(QGroupBox):
    def __init__(self, on_change: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(tr("指标目录中没有的指标：勾选“新建”并选择类型后，与数据一起导入"), parent)
        self.on_change = on_change
        self.grid = QGridLayout(self)
        self.rows: dict[str, tuple[QCheckBox, QComboBox]] = {}
        self.hide()

    def show_names(self, unknown: dict[str, UnknownName]) -> None:
        """Offer every unknown name of the latest dry run (choices already made are kept)."""
        for name, entry in unknown.items():
            if name in self.rows:
                continue
            row = len(self.rows)
            create = QCheckBox(tr("新建") + f"“{name}”", self)
            kind = QComboBox(self)
            for key, label in KINDS.items():
                kind.addItem(label, key)
            kind.setCurrentIndex(kind.findData(guess_kind(entry.unit)))
            unit = tr("单位") + f"：{entry.unit}" if entry.unit else tr("表中未写单位")
            self.grid.addWidget(create, row, 0)
            self.grid.addWidget(kind, row, 1)
            self.grid.addWidget(QLabel(f"{unit}；{entry.where}", self), row, 2)
            create.toggled.connect(lambda _on: self.on_change())
            kind.currentIndexChanged.connect(
                lambda _i, box=create: self.on_change() if box.isChecked() else None)
            self.rows[name] = (create, kind)
        self.setVisible(bool(self.rows))

    def choices(self) -> dict[str, str]:
        """name → kind key of the names the clerk chose to create."""
        return {name: kind.currentData() for name, (box, kind) in self.rows.items()
                if box.isChecked()}
