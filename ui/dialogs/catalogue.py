"""指标目录: add, rename, retire and restore indicators; unit, decimals, kind, bounds, rank scope.

Every change goes through core's Catalogue (which keeps a renamed indicator's old name as an
alias for templates) and through Operations, so it is undoable like any edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.catalogue import RANK_SCOPES, Indicator
from core.changes import Change
from core.default_catalogue import KINDS
from core.errors import LedgerError
from core.ledger import Ledger
from ui.dialogs.parts import problem_label
from ui.i18n import tr
from ui.operations import Operations

UNITS = ("家", "个", "项", "人次", "条", "%", "元", "万元", "亿元", "万个", "件", "位")
BOUNDS = (("hard_min", "下限"), ("hard_max", "上限"), ("soft_min", "提醒下限"),
          ("soft_max", "提醒上限"))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _shown(key: str, value: Any) -> Any:
    """A stored catalogue attribute as the form shows it (to tell what the clerk changed)."""
    if key in dict(BOUNDS):
        return _number(value)
    if key == "higher_is_better":
        return bool(value)
    return "" if value is None else value


class CatalogueDialog(QDialog):
    def __init__(self, ledger: Ledger, ops: Operations, selected: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.ops = ledger, ops
        self.current: Indicator | None = None
        self.setWindowTitle(tr("指标目录"))
        self.listing = QListWidget(self)
        self.listing.currentItemChanged.connect(self._show_selected)
        self.show_retired = QCheckBox(tr("显示已停用的指标"), self)
        self.show_retired.toggled.connect(lambda _on: self.fill(self._current_id()))

        self.name = QLineEdit(self)
        self.unit = self._combo(UNITS, editable=True)
        self.decimals = QSpinBox(self)
        self.decimals.setRange(0, 6)
        self.kind = QComboBox(self)
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.section = self._combo(ledger.catalogue.sections(), editable=True)
        self.higher = QCheckBox(tr("数值越大越好（同比上升显示为绿色）"), self)
        self.bounds = {key: QLineEdit(self) for key, _label in BOUNDS}
        # One or more scopes, "全市、全省": the first is the default 排名 (core.catalogue)
        self.rank_scope = self._combo(("", *RANK_SCOPES), editable=True)
        self.rank_scope.setToolTip(tr("可填多个，用“、”分开，如 全市、全省；第一个为默认排名范围"))
        self.description = QPlainTextEdit(self)
        self.description.setFixedHeight(self.fontMetrics().height() * 4)
        self.origin = QLabel(self)
        self.origin.setWordWrap(True)
        self.problem = problem_label(self)

        form = QFormLayout()
        form.addRow(tr("名称"), self.name)
        form.addRow(tr("单位"), self.unit)
        form.addRow(tr("小数位数"), self.decimals)
        form.addRow(tr("类型"), self.kind)
        form.addRow(tr("分组"), self.section)
        form.addRow("", self.higher)
        limits = QHBoxLayout()
        for key, label in BOUNDS:
            limits.addWidget(QLabel(tr(label), self))
            self.bounds[key].setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 10)
            limits.addWidget(self.bounds[key])
        form.addRow(tr("范围"), limits)
        form.addRow(tr("排名范围"), self.rank_scope)
        form.addRow(tr("说明"), self.description)
        form.addRow("", self.origin)
        hint = QLabel(tr("超出“下限/上限”的数值不能保存；超出“提醒下限/提醒上限”时需注明原因。"
                         "改名后旧名称仍可在总结模板中使用。"), self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555")
        form.addRow("", hint)

        self.new_button = QPushButton(tr("新增指标"), self)
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(tr("保存"), self)
        self.save_button.clicked.connect(self.save)
        self.retire_button = QPushButton(tr("停用"), self)
        self.retire_button.clicked.connect(self.retire)
        self.restore_button = QPushButton(tr("恢复"), self)
        self.restore_button.clicked.connect(self.restore)
        actions = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.retire_button,
                       self.restore_button):
            actions.addWidget(button)
            button.setEnabled(not ledger.readonly)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.listing, 1)
        left.addWidget(self.show_retired)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.problem)
        right.addLayout(actions)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.resize(900, 560)
        self.fill(selected)

    def _combo(self, items: Any, *, editable: bool) -> QComboBox:
        box = QComboBox(self)
        box.setEditable(editable)
        box.addItems(list(items))
        return box

    def _current_id(self) -> str | None:
        return self.current.id if self.current is not None else None

    # -- the list ------------------------------------------------------------------------------
    def fill(self, selected: str | None = None) -> None:
        self.listing.blockSignals(True)
        self.listing.clear()
        chosen = None
        for indicator in self.ledger.catalogue.all(include_retired=self.show_retired.isChecked()):
            text = f"{indicator.section} · {indicator.name}"
            if indicator.retired:
                text += tr("（已停用）")
            item = QListWidgetItem(text, self.listing)
            item.setData(Qt.ItemDataRole.UserRole, indicator.id)
            if indicator.retired:
                item.setForeground(Qt.GlobalColor.gray)
            if indicator.id == selected:
                chosen = item
        self.listing.blockSignals(False)
        if chosen is not None:
            self.listing.setCurrentItem(chosen)
        elif self.listing.count():
            self.listing.setCurrentRow(0)

    def _show_selected(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        try:
            self.current = self.ledger.catalogue.get(item.data(Qt.ItemDataRole.UserRole))
        except LedgerError as exc:
            self.problem.setText(exc.message)
            return
        self.load(self.current)

    def load(self, indicator: Indicator | None) -> None:
        """Put an indicator into the form (None: an empty form for a new one)."""
        self.problem.clear()
        self.name.setText(indicator.name if indicator else "")
        self.unit.setCurrentText(indicator.unit if indicator else "")
        self.decimals.setValue(indicator.decimals if indicator else 0)
        self.kind.setCurrentIndex(max(0, self.kind.findData(indicator.kind if indicator
                                                            else "count")))
        self.section.setCurrentText(indicator.section if indicator else "绩效指标")
        self.higher.setChecked(indicator.higher_is_better if indicator else True)
        for key, box in self.bounds.items():
            box.setText(_number(getattr(indicator, key)) if indicator else "")
        self.rank_scope.setCurrentText("、".join(indicator.rank_scopes) if indicator else "")
        self.description.setPlainText(indicator.description if indicator else "")
        origin = ""
        if indicator is not None and indicator.is_derived:
            origin = tr("该指标可由台账记录自动计算；填写数值即为手工修正。")
        if indicator is not None and indicator.former_names:
            origin += f"曾用名：{'、'.join(indicator.former_names)}"
        self.origin.setText(origin)
        writable = not self.ledger.readonly
        self.retire_button.setEnabled(writable and indicator is not None
                                      and not indicator.retired)
        self.restore_button.setEnabled(writable and indicator is not None and indicator.retired)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(), "unit": self.unit.currentText(),
            "decimals": self.decimals.value(), "kind": self.kind.currentData(),
            "section": self.section.currentText(), "higher_is_better": self.higher.isChecked(),
            **{key: box.text().strip() for key, box in self.bounds.items()},
            "rank_scopes": self.rank_scope.currentText(),
            "description": self.description.toPlainText(),
        }

    # -- writing -------------------------------------------------------------------------------
    def _apply(self, write: Any) -> Change | None:
        try:
            change = self.ops.apply(write)
        except LedgerError as exc:
            self.problem.setText(exc.message)
            return None
        self.problem.setText(tr("已保存") + f"：{change.label}" if not change.is_empty else "")
        return change

    def start_new(self) -> None:
        self.listing.clearSelection()
        self.current = None
        self.load(None)
        self.name.setFocus()

    def save(self) -> None:
        values = self.values()
        catalogue = self.ledger.catalogue
        if self.current is None:
            name = values.pop("name")
            change = self._apply(lambda: catalogue.add(name, **values))
            if change is not None and change.rows:
                self.fill(change.rows[0].row_id)
            return
        current = self.current
        changed = {key: value for key, value in values.items()
                   if _shown(key, getattr(current, key)) != value}
        if not changed:
            self.problem.setText(tr("没有修改"))
            return
        if self._apply(lambda: catalogue.update(current.id, **changed)) is not None:
            self.fill(current.id)

    def retire(self) -> None:
        if self.current is not None:
            current = self.current
            if self._apply(lambda: self.ledger.catalogue.retire(current.id)) is not None:
                self.fill(current.id)

    def restore(self) -> None:
        if self.current is not None:
            current = self.current
            if self._apply(lambda: self.ledger.catalogue.restore(current.id)) is not None:
                self.fill(current.id)
