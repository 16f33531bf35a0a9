"""设置: the window's language, and the ledger settings the summary prints (undoable)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core.changes import Change
from core.errors import InputError, LedgerError
from core.figures import GENERIC_BUREAU, bureau_name
from core.ledger import Ledger
from core.numbers import format_number, parse_number
from ui.app_settings import AppSettings
from ui.dialogs.parts import ok_cancel, problem_label
from ui.i18n import LANGUAGES, tr
from ui.operations import Operations

LEDGER_TEXTS = (("district", "区名", "如：星河区"), ("city", "市名", "如：江州市"),
                ("bureau", "单位名称", "如：星河区科工信局"))


def parse_threshold(raw: str) -> float:
    """亿元项目标准 in 亿元: a positive number (3000万 is understood as 0.3)."""
    value = parse_number(raw, field="亿元项目标准", unit="亿元")
    if value is None or value <= 0:
        raise InputError("「亿元项目标准」应为大于 0 的金额，如 1（亿元）")
    return value


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, ledger: Ledger | None, ops: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings, self.ledger, self.ops = settings, ledger, ops
        self.setWindowTitle(tr("设置"))
        self.language = QComboBox(self)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.texts = {key: QLineEdit(self) for key, _label, _hint in LEDGER_TEXTS}
        self.threshold = QLineEdit(self)
        self.warn_days = QLineEdit(self)
        self.warn_days.setToolTip(tr("工作计划事项离完成时限或节点不超过这些天时标为“临期”"))
        form = QFormLayout()
        form.addRow(tr("语言"), self.language)
        note = QLabel(tr("界面语言在下次启动时生效；来自台账的提示始终为中文。"), self)
        note.setStyleSheet("color: #555")
        form.addRow("", note)
        for key, label, hint in LEDGER_TEXTS:
            box = self.texts[key]
            box.setPlaceholderText(tr(hint))
            form.addRow(tr(label), box)
        form.addRow(tr("亿元项目标准（亿元）"), self.threshold)
        form.addRow(tr("临期提醒（完成时限前天数）"), self.warn_days)
        if ledger is not None:
            self.warn_days.setText(str(ledger.plans.warn_days()))
            for key, box in self.texts.items():
                box.setText(str(ledger.setting(key, "") or ""))
            if self.texts["bureau"].text() == GENERIC_BUREAU:
                self.texts["bureau"].setText(bureau_name(ledger))
            self.threshold.setText(format_number(ledger.yi_threshold, 2).rstrip("0").rstrip("."))
        self._district = self.texts["district"].text().strip()
        self.texts["district"].textEdited.connect(self._district_edited)
        editable = ledger is not None and not ledger.readonly
        for box in (*self.texts.values(), self.threshold, self.warn_days):
            box.setEnabled(editable)
        self.problem = problem_label(self)
        buttons = ok_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(460, 260)

    def _district_edited(self, text: str) -> None:
        """单位名称 that followed the old 区名 (星河区科工信局) follows the new one."""
        bureau = self.texts["bureau"]
        old, new = self._district, text.strip()
        if bureau.text().strip() in ("", GENERIC_BUREAU, f"{old}{GENERIC_BUREAU[1:]}"):
            bureau.setText(f"{new}{GENERIC_BUREAU[1:]}" if new else "")
        self._district = new

    def ledger_writes(self) -> list[Callable[[], Change]]:
        """The ledger settings the clerk changed, as core writes (raises InputError)."""
        ledger = self.ledger
        if ledger is None or ledger.readonly:
            return []
        writes: list[Callable[[], Change]] = []
        for key, label, _hint in LEDGER_TEXTS:
            text = self.texts[key].text().strip()
            stored = str(ledger.setting(key, "") or "")
            if key == "bureau" and stored == GENERIC_BUREAU and text == bureau_name(ledger):
                continue  # shown with the district's name, not changed by the clerk
            if text != stored:
                writes.append(lambda key=key, text=text, label=label: ledger.set_setting(
                    key, text, label=f"修改{label}为“{text}”"))
        threshold = parse_threshold(self.threshold.text())
        if threshold != ledger.yi_threshold:
            writes.append(lambda: ledger.set_setting(
                "yi_threshold", threshold, label=f"修改亿元项目标准为 {threshold:g} 亿元"))
        days = ledger.plans.parse_warn_days(self.warn_days.text())
        if days != ledger.plans.warn_days():
            writes.append(lambda: ledger.plans.set_warn_days(days))
        return writes

    def save(self) -> None:
        try:
            writes = self.ledger_writes()
            if writes:
                self.ops.apply_group(writes, "修改设置")
        except LedgerError as exc:
            self.problem.setText(exc.message)
            return
        chosen = str(self.language.currentData())
        if chosen != self.settings.language:
            self.settings.language = chosen
        self.accept()

