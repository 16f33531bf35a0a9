"""指标目录: add, rename, retire and restore indicators; unit, decimals, kind, bounds, rank scope,
占比 parts; several at once (停用 / 恢复 the selection, 上移 / 下移, a group renamed); the catalogue
exported to and imported from Excel (a dry run first, then all or nothing).

Every change goes through core's Catalogue (which keeps a renamed indicator's old name as an
alias for templates) and through Operations, so it is undoable like any edit, one step each.
The form's labels are the catalogue sheet's headers (core.catalogue_columns).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.catalogue import RANK_SCOPES, Indicator
from core.catalogue_columns import HEADERS
from core.changes import Change
from core.default_catalogue import KINDS
from core.errors import LedgerError
from core.ledger import Ledger
from ui import messages
from ui.dialogs.parts import problem_label
from ui.i18n import tr
from ui.operations import Operations

UNITS = ("家", "个", "项", "人次", "条", "%", "元", "万元", "亿元", "万个", "件", "位")
BOUNDS = (("hard_min", "下限"), ("hard_max", "上限"), ("soft_min", "提醒下限"),
          ("soft_max", "提醒上限"))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def ask_catalogue_export(parent: QWidget, suggested: Path) -> Path | None:
    from ui.safety_menu import ask_export_file

    return ask_export_file(parent, suggested)


def ask_catalogue_import(parent: QWidget) -> Path | None:
    from ui.safety_menu import ask_import_file

    return ask_import_file(parent)


def ask_group_name(parent: QWidget, current: str) -> str | None:
    text, ok = QInputDialog.getText(parent, tr("分组改名"),
                                    tr("“{0}”组的新名称（组内全部指标一起改）").format(current),
                                    text=current)
    return text if ok else None


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
        self.listing.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.listing.currentItemChanged.connect(self._show_selected)
        if not ledger.readonly:  # drag a row to its place within its group
            self.listing.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
            self.listing.model().rowsMoved.connect(self._dropped)
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
        names = ["", *(i.name for i in ledger.catalogue.all() if i.is_numeric)]
        self.numerator = self._combo(names, editable=True)
        self.denominator = self._combo(names, editable=True)
        self.description = QPlainTextEdit(self)
        self.description.setFixedHeight(self.fontMetrics().height() * 4)
        self.origin = QLabel(self)
        self.origin.setWordWrap(True)
        self.problem = problem_label(self)

        form = QFormLayout()
        form.addRow(tr(HEADERS["name"]), self.name)
        form.addRow(tr(HEADERS["unit"]), self.unit)
        form.addRow(tr(HEADERS["decimals"]), self.decimals)
        form.addRow(tr(HEADERS["kind"]), self.kind)
        form.addRow(tr(HEADERS["section"]), self.section)
        form.addRow("", self.higher)
        limits = QHBoxLayout()
        for key, label in BOUNDS:
            limits.addWidget(QLabel(tr(label), self))
            self.bounds[key].setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 10)
            limits.addWidget(self.bounds[key])
        form.addRow(tr("范围"), limits)
        form.addRow(tr(HEADERS["rank_scopes"]), self.rank_scope)
        ratio = QHBoxLayout()
        ratio.addWidget(self.numerator, 1)
        ratio.addWidget(QLabel("÷", self))
        ratio.addWidget(self.denominator, 1)
        form.addRow(tr("占比 = 分子 ÷ 分母"), ratio)
        form.addRow(tr(HEADERS["description"]), self.description)
        form.addRow("", self.origin)
        hint = QLabel(tr("超出“下限/上限”的数值不能保存；超出“提醒下限/提醒上限”时需注明原因。"
                         "改名后旧名称仍可在总结模板中使用。占比按每期的分子 ÷ 分母计算，"
                         "缺一项或分母为 0 时为未填；填写数值即为手工修正。"), self)
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
        self.up_button = QPushButton(tr("上移"), self)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton(tr("下移"), self)
        self.down_button.clicked.connect(lambda: self.move(1))
        self.group_button = QPushButton(tr("分组改名…"), self)
        self.group_button.clicked.connect(self.rename_group)
        order = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.group_button):
            order.addWidget(button)
            button.setEnabled(not ledger.readonly)
        order.addStretch(1)

        menu = QMenuBar(self)
        catalogue_menu = menu.addMenu(tr("目录"))
        self.export_action = catalogue_menu.addAction(tr("导出为 Excel…"), self.export_sheet)
        self.import_action = catalogue_menu.addAction(tr("从 Excel 导入…"), self.import_sheet)
        self.import_action.setEnabled(not ledger.readonly)
        edit_menu = menu.addMenu(tr("编辑"))
        for text, slot in ((tr("新增指标"), self.start_new), (tr("停用所选"), self.retire),
                           (tr("恢复所选"), self.restore), (tr("上移"), lambda: self.move(-1)),
                           (tr("下移"), lambda: self.move(1)),
                           (tr("分组改名…"), self.rename_group)):
            edit_menu.addAction(text, slot).setEnabled(not ledger.readonly)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.listing, 1)
        left.addLayout(order)
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
        layout.setMenuBar(menu)
        layout.addLayout(body)
        layout.addWidget(close)
        self.resize(900, 600)
        self.fill(selected)

    def _combo(self, items: Any, *, editable: bool) -> QComboBox:
        box = QComboBox(self)
        box.setEditable(editable)
        box.addItems(list(items))
        return box

    def _current_id(self) -> str | None:
        return self.current.id if self.current is not None else None

    def selected_ids(self) -> list[str]:
        """The chosen rows in list order (the current one when nothing else is chosen)."""
        rows = sorted(self.listing.row(item) for item in self.listing.selectedItems())
        ids = [self.listing.item(row).data(Qt.ItemDataRole.UserRole) for row in rows]
        if not ids and self.current is not None:
            ids = [self.current.id]
        return ids

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
        numerator, denominator = self._ratio_names(indicator)
        self.numerator.setCurrentText(numerator)
        self.denominator.setCurrentText(denominator)
        self.description.setPlainText(indicator.description if indicator else "")
        origin = ""
        if indicator is not None and indicator.ratio_parts is not None:
            origin = tr("该指标按每期的分子 ÷ 分母计算；填写数值即为手工修正。")
        elif indicator is not None and indicator.is_derived:
            origin = tr("该指标可由台账记录自动计算；填写数值即为手工修正。")
        if indicator is not None and indicator.former_names:
            origin += f"曾用名：{'、'.join(indicator.former_names)}"
        self.origin.setText(origin)
        writable = not self.ledger.readonly
        self.retire_button.setEnabled(writable and indicator is not None
                                      and not indicator.retired)
        self.restore_button.setEnabled(writable and indicator is not None and indicator.retired)

    def _ratio_names(self, indicator: Indicator | None) -> tuple[str, str]:
        parts = indicator.ratio_parts if indicator is not None else None
        if parts is None:
            return "", ""
        names = []
        for part in parts:
            try:
                names.append(self.ledger.catalogue.get(part).name)
            except LedgerError:
                names.append("")
        return names[0], names[1]

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(), "unit": self.unit.currentText(),
            "decimals": self.decimals.value(), "kind": self.kind.currentData(),
            "section": self.section.currentText(), "higher_is_better": self.higher.isChecked(),
            **{key: box.text().strip() for key, box in self.bounds.items()},
            "rank_scopes": self.rank_scope.currentText(),
            "description": self.description.toPlainText(),
            "numerator": self.numerator.currentText().strip(),
            "denominator": self.denominator.currentText().strip(),
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
        stored = {**{key: getattr(current, key) for key in values if hasattr(current, key)},
                  **dict(zip(("numerator", "denominator"), self._ratio_names(current),
                             strict=True))}
        changed = {key: value for key, value in values.items()
                   if _shown(key, stored[key]) != value}
        if "numerator" in changed or "denominator" in changed:  # the two go together
            changed.update(numerator=values["numerator"], denominator=values["denominator"])
        if not changed:
            self.problem.setText(tr("没有修改"))
            return
        if self._apply(lambda: catalogue.update(current.id, **changed)) is not None:
            self.fill(current.id)

    def retire(self) -> None:
        """停用 the chosen indicators (one undoable step)."""
        ids = self.selected_ids()
        if ids and self._apply(lambda: self.ledger.catalogue.retire_many(ids)) is not None:
            self.fill(ids[0])

    def restore(self) -> None:
        """恢复 the chosen retired indicators (one undoable step)."""
        ids = self.selected_ids()
        if ids and self._apply(lambda: self.ledger.catalogue.restore_many(ids)) is not None:
            self.fill(ids[0])

    def move(self, steps: int) -> None:
        ids = self.selected_ids()
        if ids and self._apply(lambda: self.ledger.catalogue.move(ids, steps)) is not None:
            self.fill(ids[0])
            self._select(ids)

    def _dropped(self, *_where: Any) -> None:
        """A drag ended: the moved rows' group takes the order the list now shows."""
        moved = self.selected_ids()
        if not moved:
            return
        catalogue = self.ledger.catalogue
        section = catalogue.get(moved[0]).section
        shown = [self.listing.item(row).data(Qt.ItemDataRole.UserRole)
                 for row in range(self.listing.count())]
        order = [i for i in shown if catalogue.get(i).section == section]
        self._apply(lambda: catalogue.reorder(section, order))
        self.fill(moved[0])  # a row dropped into another group goes back to its own

    def _select(self, ids: list[str]) -> None:
        for row in range(self.listing.count()):
            item = self.listing.item(row)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in ids)

    def rename_group(self) -> None:
        if self.current is None:
            return
        current = self.current
        new = ask_group_name(self, current.section)
        if new is None:
            return
        if self._apply(lambda: self.ledger.catalogue.rename_section(current.section,
                                                                    new)) is not None:
            self.section.clear()
            self.section.addItems(self.ledger.catalogue.sections())
            self.fill(current.id)

    # -- the catalogue as an Excel sheet -------------------------------------------------------
    def export_sheet(self) -> None:
        from core.exchange.catalogue_sheet import export_catalogue

        path = ask_catalogue_export(self, self.ledger.path.with_name("指标目录.xlsx"))
        if path is None:
            return
        try:
            written, rows = export_catalogue(self.ledger, path)
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return
        self.problem.setText(tr("已导出指标目录") + f"：{written}（{rows} 个指标）")

    def import_sheet(self) -> None:
        from core.exchange.catalogue_sheet import preview_catalogue

        path = ask_catalogue_import(self)
        if path is None:
            return
        try:
            plan = preview_catalogue(self.ledger, path)
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return
        dialog = CatalogueImportDialog(self.ledger, self.ops, plan, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.fill(self._current_id())
            self.problem.setText(dialog.outcome)


class CatalogueImportDialog(QDialog):
    """The dry run of a catalogue sheet, every row with its reason; 导入 only when all pass."""

    def __init__(self, ledger: Ledger, ops: Operations, plan: Any,
                 parent: QWidget | None = None) -> None:
        from core.exchange.catalogue_sheet import plan_lines

        super().__init__(parent)
        self.ledger, self.ops, self.plan = ledger, ops, plan
        self.outcome = ""
        self.setWindowTitle(tr("导入指标目录") + f" — {plan.path.name}")
        self.listing = QPlainTextEdit(self)
        self.listing.setReadOnly(True)
        self.listing.setPlainText("\n".join(plan_lines(plan)))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        if plan.count("rejected"):
            advice = tr("有未通过的行时不会导入任何内容：请按说明修改表格后重新导入。")
        elif not plan.ops:
            advice = tr("表格与指标目录一致，没有需要导入的内容。")
        else:
            advice = tr("点“导入”后先自动备份台账，再一次写入全部内容；可以用“撤销”整体撤回。")
        self.summary.setText(f"{tr('检查结果')}：{plan.summary}。{advice}")
        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton(tr("导入"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(plan.can_apply and not ledger.readonly)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.listing, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(820, 520)

    def apply(self) -> None:
        from core.exchange.excel_import import apply_import

        plan = self.plan
        if not plan.can_apply:
            return
        outcome: list[Any] = []

        def write() -> Change:
            outcome.append(apply_import(self.ledger, plan))
            return outcome[0].change

        try:
            self.ops.apply(write)
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return
        result = outcome[0]
        self.outcome = (tr("已导入指标目录") + f"：新增 {result.new} 个，修改 {result.changed} 个"
                        f"（导入前已备份到 {result.backup}）")
        self.accept()
