"""The window's 报送 entries: 文件 → 填报单位… / 下发填报包… / 导入报送包… / 导出报送包… /
上报… / 解锁… / 与上报版比较… / 报送情况…, installed by `install(window)`.

Everything they do is in core (core.filing_units, core.packets, core.editions); here are the
file choosers (module functions, replaced in tests), the dialogs and the refresh afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import clock
from core.errors import LedgerError
from core.ledger import Ledger
from core.periods import Period
from ui import messages
from ui.i18n import tr

if TYPE_CHECKING:
    from core.packets import MergePlan
    from ui.main_window import MainWindow

PACKET_FILTER = "工作台账报送包 (*.wlp);;所有文件 (*)"


# -- what the file choosers ask (replaced in tests) -----------------------------------------------
def ask_packet_save(parent: QWidget, title: str, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, tr(title), str(suggested),
                                                tr(PACKET_FILTER))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".wlp" else path.with_name(path.name + ".wlp")


def ask_packets_open(parent: QWidget) -> list[Path]:
    """The return packets to import: one or several at once (Ctrl/Shift-click)."""
    names, _filter = QFileDialog.getOpenFileNames(parent, tr("导入报送包（可多选）"),
                                                  str(Path.home()), tr(PACKET_FILTER))
    return [Path(name) for name in names]


def ask_text(parent: QWidget, title: str, prompt: str) -> str | None:
    text, accepted = QInputDialog.getText(parent, tr(title), tr(prompt),
                                          QLineEdit.EchoMode.Normal, "")
    return text if accepted else None


# -- the dialogs ----------------------------------------------------------------------------------
def _table(parent: QWidget, headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    return table


class UnitsDialog(QDialog):
    """填报单位: add units; tick what the chosen unit fills in the window's period."""

    def __init__(self, ledger: Ledger, period: Period, parent: QWidget | None = None) -> None:
        from core.filing_units import RECORD_TABLES, UNIT_KINDS, FilingUnits

        super().__init__(parent)
        self.ledger, self.period, self.units = ledger, period, FilingUnits(ledger)
        self.setWindowTitle(tr("填报单位"))
        self.resize(620, 520)
        self.unit = QComboBox(self)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(tr("新单位名称，如 工业科、星河街道"))
        self.kind = QComboBox(self)
        self.kind.addItems(list(UNIT_KINDS))
        add = QPushButton(tr("新增单位"), self)
        add.clicked.connect(self.add_unit)
        self.what = QListWidget(self)
        self.indicators = [i for i in ledger.catalogue.all()]
        for indicator in self.indicators:
            item = QListWidgetItem(f"{indicator.section}｜{indicator.name}", self.what)
            item.setData(Qt.ItemDataRole.UserRole, ("indicator", indicator.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        for table, label in RECORD_TABLES.items():
            item = QListWidgetItem(f"记录表｜{label}", self.what)
            item.setData(Qt.ItemDataRole.UserRole, ("table", table))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.due = QLineEdit(self)
        self.due.setPlaceholderText(tr("报送期限，如 2026-07-05（可不填）"))
        save = QPushButton(tr("保存该单位本期的填报内容"), self)
        save.clicked.connect(self.save)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        adding = QHBoxLayout()
        for widget in (self.name, self.kind, add):
            adding.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(adding)
        layout.addWidget(QLabel(tr(f"单位（{period.label}填报内容）："), self))
        layout.addWidget(self.unit)
        layout.addWidget(self.what)
        layout.addWidget(self.due)
        layout.addWidget(save)
        layout.addWidget(close)
        self.unit.currentIndexChanged.connect(self.show_unit)
        self.fill_units()

    def fill_units(self, chosen: str | None = None) -> None:
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItems([u.name for u in self.units.all()])
        if chosen is not None:
            self.unit.setCurrentText(chosen)
        self.unit.blockSignals(False)
        self.show_unit()

    def show_unit(self) -> None:
        name = self.unit.currentText()
        got = self.units.assignment(name, self.period) if name else None
        for row in range(self.what.count()):
            item = self.what.item(row)
            kind, key = item.data(Qt.ItemDataRole.UserRole)
            on = got is not None and key in (got.indicator_ids if kind == "indicator"
                                             else got.tables)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.due.setText(got.due or "" if got is not None else "")

    def add_unit(self) -> None:
        name = self.name.text()
        if messages.attempt(self, lambda: self.units.add(name, kind=self.kind.currentText())):
            self.name.clear()
            self.fill_units(" ".join(name.split()))

    def save(self) -> None:
        name = self.unit.currentText()
        if not name:
            messages.warn(self, tr("请先新增填报单位"))
            return
        chosen: dict[str, list[str]] = {"indicator": [], "table": []}
        for row in range(self.what.count()):
            item = self.what.item(row)
            kind, key = item.data(Qt.ItemDataRole.UserRole)
            if item.checkState() == Qt.CheckState.Checked:
                chosen[kind].append(key)
        have = self.units.assignment(name, self.period)
        due = self.due.text().strip() or None
        period, units = self.period, self.units
        writes = [
            lambda: units.unassign(name, period,
                                   indicators=[i for i in have.indicator_ids
                                               if i not in chosen["indicator"]],
                                   tables=[t for t in have.tables if t not in chosen["table"]]),
            lambda: units.assign(name, period, indicators=chosen["indicator"],
                                 tables=chosen["table"], due=due)]
        if messages.attempt(self, lambda: self.ledger.batch(
                f"设置“{name}”{period.label}填报内容", writes)) is not None:
            messages.inform(self, f"已保存“{name}”{period.label}的填报内容")
        self.show_unit()


class IssueDialog(QDialog):
    """下发填报包: the unit, and the record tables its packet carries for the period (ticked as
    assigned; a change is saved to the assignment before the packet is written)."""

    def __init__(self, ledger: Ledger, period: Period, parent: QWidget | None = None) -> None:
        from core.filing_units import RECORD_TABLES, FilingUnits

        super().__init__(parent)
        self.ledger, self.period, self.units = ledger, period, FilingUnits(ledger)
        self.setWindowTitle(tr("下发填报包"))
        self.unit = QComboBox(self)
        self.unit.addItems([unit.name for unit in self.units.all()])
        self.what = QLabel(self)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr(f"{period.label}下发给："), self))
        layout.addWidget(self.unit)
        layout.addWidget(self.what)
        layout.addWidget(QLabel(tr("填报包中的记录表："), self))
        for table, label in RECORD_TABLES.items():
            box = QCheckBox(tr(label), self)
            self.boxes[table] = box
            layout.addWidget(box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("下发…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.unit.currentIndexChanged.connect(self.show_unit)
        self.show_unit()

    def show_unit(self) -> None:
        name = self.unit.currentText()
        if not name:
            return
        have = self.units.assignment(name, self.period)
        self.what.setText(tr(f"本期填报指标 {len(have.indicator_ids)} 项"))
        for table, box in self.boxes.items():
            box.setChecked(table in have.tables)

    def tables(self) -> list[str]:
        return [table for table, box in self.boxes.items() if box.isChecked()]

    def save_tables(self) -> bool:
        """The ticked record tables become the unit's assignment; False when refused."""
        name, period, units = self.unit.currentText(), self.period, self.units
        have, chosen = units.assignment(name, period).tables, self.tables()
        if sorted(have) == sorted(chosen):
            return True
        writes = [lambda: units.unassign(name, period,
                                         tables=[t for t in have if t not in chosen]),
                  lambda: units.assign(name, period, tables=chosen)]
        return messages.attempt(self, lambda: self.ledger.batch(
            f"设置“{name}”{period.label}填报的记录表", writes)) is not None


class MergeDialog(QDialog):
    """导入报送包: one dry run over every return chosen — per packet and per value new /
    changed / conflict with base / theirs / ours, who and when. A conflict waits for the
    clerk's choice (the selected rows: 采用报送值 Alt+T / 保留台账现值 Alt+O; or every conflict
    at once); 导入 is possible only when every conflict has one, and imports all or nothing."""

    CHOICE_COLUMN = 10
    UNDECIDED, THEIRS_TEXT, OURS_TEXT = "请选择", "采用报送值", "保留台账现值"

    def __init__(self, plans: list[MergePlan], parent: QWidget | None = None) -> None:
        from core.packets import CONFLICT, STATUS_LABELS, UNCHANGED, show

        super().__init__(parent)
        self.plans = plans
        self.setWindowTitle(tr("导入报送包"))
        self.resize(1080, 600)
        todo = [plan for plan in plans if not plan.already]
        self.items = [(plan, item) for plan in todo for item in plan.items
                      if item.status != UNCHANGED]
        rows = [[plan.info.unit, STATUS_LABELS[i.status], i.what, i.field_label, show(i.base),
                 show(i.theirs), show(i.ours), i.who, clock.shown(i.when), i.note,
                 tr(self.UNDECIDED) if i.status == CONFLICT else ""]
                for plan, i in self.items]
        self.table = _table(self, ["报送包", "状态", "内容", "项目", "下发时", "报送值",
                                   "台账现值", "填报人", "时间", "说明", "选择"], rows)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.choices: dict[str, str | None] = {
            item.key: None for _plan, item in self.items if item.status == CONFLICT}
        lines = [f"{plan.info.unit}　{plan.info.period.label}　"
                 f"导出人 {plan.packet.meta.get('returned_by', '')}：{plan.summary}"
                 for plan in todo]
        lines += [f"{plan.packet.path.name}：{plan.already}，不再导入"
                  for plan in plans if plan.already]
        header = QLabel(tr("\n".join(lines)), self)
        header.setWordWrap(True)
        notes = QLabel("\n".join(n for plan in todo for n in plan.notes), self)
        notes.setWordWrap(True)
        buttons: list[QPushButton] = []
        for text, key, slot in (
                ("所选冲突采用报送值", "Alt+T", lambda: self.choose_selected(self.THEIRS_TEXT)),
                ("所选冲突保留台账现值", "Alt+O", lambda: self.choose_selected(self.OURS_TEXT)),
                ("冲突全部采用报送值", "Alt+A", lambda: self.choose_all(1)),
                ("冲突全部保留台账现值", "Alt+K", lambda: self.choose_all(2))):
            button = QPushButton(f"{tr(text)}（{key}）", self)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            action = QAction(self)  # the keys work wherever the focus is in the dialog
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(slot)
            self.addAction(action)
            buttons.append(button)
        self.take_theirs, self.keep_ours = buttons[0], buttons[1]
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("导入"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.table)
        layout.addWidget(notes)
        bulk = QHBoxLayout()
        for button in buttons:
            bulk.addWidget(button)
        bulk.addStretch()
        layout.addLayout(bulk)
        layout.addWidget(self.buttons)
        self.table.setFocus()
        self.update_state()

    def _set(self, row: int, text: str) -> None:
        _plan, item = self.items[row]
        if item.key not in self.choices:
            return
        self.choices[item.key] = text
        self.table.item(row, self.CHOICE_COLUMN).setText(tr(text))

    def choose_selected(self, text: str) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        for row in rows or [self.table.currentRow()]:
            if row >= 0:
                self._set(row, text)
        self.update_state()

    def choose_all(self, index: int) -> None:
        text = self.THEIRS_TEXT if index == 1 else self.OURS_TEXT
        for row in range(len(self.items)):
            self._set(row, text)
        self.update_state()

    def decided(self) -> dict[str, str]:
        from core.packets import OURS, THEIRS

        return {key: (THEIRS if text == self.THEIRS_TEXT else OURS)
                for key, text in self.choices.items() if text is not None}

    def update_state(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        anything = any(plan.ops for plan in self.plans if not plan.already)
        ok.setEnabled(anything and len(self.decided()) == len(self.choices))


class ListDialog(QDialog):
    """A list to read (与上报版比较, 报送情况), with 保存为… where it can be printed."""

    def __init__(self, title: str, headers: list[str], rows: list[list[str]],
                 parent: QWidget | None = None, lines: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr(title))
        self.resize(860, 460)
        self.lines = lines
        layout = QVBoxLayout(self)
        if lines:
            layout.addWidget(QLabel(lines[0], self))
        self.table = _table(self, headers, rows)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        buttons.rejected.connect(self.reject)
        if lines is not None:
            save = buttons.addButton(tr("保存为可打印的清单…"),
                                     QDialogButtonBox.ButtonRole.ActionRole)
            save.clicked.connect(self.save)
        layout.addWidget(buttons)

    def save(self) -> None:
        from core.packet_commands import write_compare

        name, _filter = QFileDialog.getSaveFileName(self, tr("保存清单"),
                                                    str(Path.home() / "与上报版比较.html"),
                                                    tr("网页 (*.html);;文本 (*.txt)"))
        if name and self.lines is not None:
            lines = self.lines
            if messages.attempt(self, lambda: write_compare(Path(name), lines)) is None:
                messages.inform(self, f"已保存：\n{name}")


# -- the menu entries -----------------------------------------------------------------------------
class PacketActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        file_menu = window.menus["文件"]
        anchor = next((a for a in file_menu.actions() if a.text() == tr("设置…")), None)
        self.actions: dict[str, QAction] = {}
        for text, slot in (("填报单位…", self.edit_units), ("下发填报包…", self.issue),
                           ("导入报送包…", self.merge), ("导出报送包…", self.export_return),
                           ("报送情况…", self.status), ("上报…", self.submit),
                           ("解锁…", self.unlock), ("与上报版比较…", self.compare)):
            action = QAction(tr(text), window)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            file_menu.insertAction(anchor, action)
            self.actions[text] = action
        file_menu.insertSeparator(anchor)
        file_menu.aboutToShow.connect(self.update_actions)

    def update_actions(self) -> None:
        from core.packets import packet_info

        ledger = self.window.ledger
        packet = ledger is not None and packet_info(ledger) is not None
        for text, action in self.actions.items():
            action.setVisible((text == "导出报送包…") == packet)  # a packet only exports

    def _ledger(self) -> Ledger | None:
        if self.window.ledger is None:
            return None
        self.window.commit_pending_edits()
        return self.window.ledger

    def _period(self) -> Period:
        return self.window.period_selector.period()

    def _after(self, message: str) -> None:
        self.window.show_message(message)

    def edit_units(self) -> None:
        ledger = self._ledger()
        if ledger is not None:
            run_dialog(UnitsDialog(ledger, self._period(), self.window))

    def issue(self) -> None:
        from core import packets
        from core.filing_units import FilingUnits

        ledger, period = self._ledger(), self._period()
        if ledger is None:
            return
        if not FilingUnits(ledger).all():
            messages.warn(self.window, "还没有填报单位：请先在“文件 → 填报单位…”中新增单位"
                                       "并勾选要填报的指标和记录表")
            return
        dialog = IssueDialog(ledger, period, self.window)
        if run_dialog(dialog) != QDialog.DialogCode.Accepted or not dialog.save_tables():
            return
        name = dialog.unit.currentText()
        path = ask_packet_save(self.window, "保存填报包",
                               Path.home() / f"{name}{period.label}填报包.wlp")
        if path is None:
            return
        result = messages.attempt(self.window, lambda: packets.issue(ledger, name, period, path))
        if result is not None:
            messages.inform(self.window, f"已生成“{name}”的填报包：\n{result.path}\n\n"
                                         "请把该文件交给对方，用工作台账打开填写后“导出报送包”。")

    def export_return(self) -> None:
        from core import packets

        ledger = self._ledger()
        info = packets.packet_info(ledger) if ledger is not None else None
        if ledger is None or info is None:
            return
        path = ask_packet_save(self.window, "导出报送包",
                               ledger.path.with_name(f"{info.unit}{info.period.label}报送包.wlp"))
        if path is None:
            return
        result = messages.attempt(self.window, lambda: packets.make_return(ledger.path, path))
        if result is not None:
            messages.inform(self.window, f"已导出报送包（修改 {result.rows} 行）：\n{result.path}"
                                         "\n\n请把该文件交回下发单位。")

    def merge(self) -> None:
        from core import packets

        ledger = self._ledger()
        paths = ask_packets_open(self.window) if ledger is not None else []
        if ledger is None or not paths:
            return
        plans = messages.attempt(self.window, lambda: packets.preview_many(ledger, paths))
        if plans is None:
            return
        if all(plan.already for plan in plans):
            messages.inform(self.window, "\n".join(
                f"{plan.packet.path.name}：{plan.already}" for plan in plans) + "\n台账未作修改。")
            return
        dialog = MergeDialog(plans, self.window)
        if run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        choices = dialog.decided()
        done: list[Any] = []

        def write() -> Any:
            done.append(packets.apply_many(ledger, plans, take=choices))
            return done[0].change

        try:
            self.window.ops.apply(write)
        except LedgerError as exc:
            messages.warn(self.window, exc.message)
            return
        batch = done[0]
        taken = sum(result.applied for _path, result in batch.merged)
        kept = sum(result.kept for _path, result in batch.merged)
        units = "、".join(plan.info.unit for plan in plans if not plan.already)
        self._after(f"已导入 {len(batch.merged)} 个报送包（{units}）：采用 {taken} 项，"
                    f"保留台账现值 {kept} 项（一步可撤销；导入前已自动备份）")

    def status(self) -> None:
        from core.packets import filing_status

        ledger, period = self._ledger(), self._period()
        if ledger is None:
            return
        rows = [[s.unit, str(s.expected), s.due or "—", clock.shown(s.issued_at or "未下发"),
                 clock.shown(s.received_at or "未收到"),
                 {True: "按时", False: "逾期", None: "—"}[s.on_time], str(s.conflicts)]
                for s in filing_status(ledger, period)]
        headers = ["单位", "应报项数", "期限", "下发", "收到", "按时", "冲突（已处理）"]
        show_list(ListDialog(f"报送情况（{period.label}）", headers, rows, self.window))

    def submit(self) -> None:
        from core import editions

        ledger, period = self._ledger(), self._period()
        if ledger is None:
            return
        note = ask_text(self.window, "上报",
                        f"上报{period.label}的数据并锁定该期。\n上报说明（可不填）：")
        if note is None:
            return
        made: list[Any] = []

        def write() -> Any:
            made.append(editions.submit(ledger, period, note=note))
            return made[0][1]

        if messages.attempt(self.window, lambda: self.window.ops.apply(write)) is not None:
            messages.inform(self.window, f"已上报{period.label}（{made[0][0].label}），该期已锁定；"
                                         "如需修改请先“解锁”。")

    def unlock(self) -> None:
        from core import editions

        ledger, period = self._ledger(), self._period()
        if ledger is None:
            return
        reason = ask_text(self.window, "解锁",
                          f"解锁{period.label}后可以修改，修改会列入“与上报版比较”。"
                          "\n解锁原因（必填）：")
        if reason is None:
            return
        if messages.attempt(self.window, lambda: self.window.ops.apply(
                lambda: editions.unlock(ledger, period, reason))) is not None:
            self._after(f"已解锁{period.label}")

    def compare(self) -> None:
        from core import editions
        from core.packet_commands import compare_lines
        from core.packets import show

        ledger, period = self._ledger(), self._period()
        if ledger is None:
            return
        base = messages.attempt(self.window, lambda: editions.edition(ledger, period))
        if base is None:
            return
        found = editions.compare(ledger, period)
        rows = [[d.indicator, d.field, show(d.old), show(d.new), d.who,
                 clock.shown(d.when), d.why] for d in found]
        headers = ["指标", "项目", "上报值", "现值", "修改人", "时间", "原因"]
        show_list(ListDialog(f"与上报{base.label}比较（{period.label}）", headers, rows,
                             self.window, lines=compare_lines(ledger, period, base, found)))


def show_list(dialog: ListDialog) -> None:
    """A list the clerk reads and closes (报送情况, 与上报版比较); it goes once closed."""
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


def run_dialog(dialog: QDialog) -> int:
    """Show a modal dialog (replaced in tests, which choose and accept by themselves); once
    the caller has read it, it goes: a closed dialog kept as the window's child would hold
    its plan (every row of twenty packets) as long as the window lives."""
    try:
        return int(dialog.exec())
    finally:
        dialog.deleteLater()


def install(window: MainWindow) -> PacketActions:
    actions = PacketActions(window)
    window.packet_actions = actions  # type: ignore[attr-defined]  # kept alive with the window
    return actions
