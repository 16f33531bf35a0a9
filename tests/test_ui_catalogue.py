"""The 指标目录 dialog: several rows at once, 占比 parts, and the catalogue sheet's menu entries."""

from __future__ import annotations

from pathlib import Path

from excel_files import write_xlsx

from core.ledger import Ledger
from core.periods import Period
from ui.dialogs import catalogue as dialog_module
from ui.dialogs.catalogue import CatalogueDialog, CatalogueImportDialog
from ui.operations import Operations


def _dialog(qtbot, ledger: Ledger) -> tuple[CatalogueDialog, Operations]:  # type: ignore[no-untyped-def]
    ops = Operations()
    ops.set_ledger(ledger)
    dialog = CatalogueDialog(ledger, ops)
    qtbot.addWidget(dialog)
    return dialog, ops


def _choose(dialog: CatalogueDialog, names: list[str]) -> None:
    dialog.listing.clearSelection()
    for row in range(dialog.listing.count()):
        item = dialog.listing.item(row)
        if item.text().split(" · ", 1)[1] in names:
            item.setSelected(True)
            flag = dialog.listing.selectionModel().SelectionFlag.Select
            dialog.listing.setCurrentItem(item, flag)


def test_retire_and_restore_several_rows_in_one_undoable_step(qtbot, ledger):
    dialog, ops = _dialog(qtbot, ledger)
    _choose(dialog, ["上云企业数", "上平台企业数", "签约项目"])
    assert len(dialog.selected_ids()) == 3
    dialog.retire()
    assert all(ledger.catalogue.find(n) is None for n in ("上云企业数", "上平台企业数", "签约项目"))
    assert ops.stack.count() == 1
    ops.stack.undo()
    assert all(ledger.catalogue.find(n) is not None for n in ("上云企业数", "上平台企业数"))
    ops.stack.redo()
    dialog.show_retired.setChecked(True)
    _choose(dialog, ["上云企业数（已停用）", "上平台企业数（已停用）"])
    dialog.restore()
    assert ledger.catalogue.find("上云企业数") is not None
    assert ledger.catalogue.find("签约项目") is None


def test_move_and_rename_group(qtbot, ledger, monkeypatch):
    dialog, ops = _dialog(qtbot, ledger)
    names = [i.name for i in ledger.catalogue.all() if i.section == "科技创新"]
    _choose(dialog, [f"{names[1]}"])
    dialog.move(-1)
    assert [i.name for i in ledger.catalogue.all() if i.section == "科技创新"][:2] == \
        [names[1], names[0]]
    monkeypatch.setattr(dialog_module, "ask_group_name", lambda _parent, _current: "创新驱动")
    dialog.rename_group()
    assert [i.name for i in ledger.catalogue.all() if i.section == "创新驱动"] == \
        [names[1], names[0], *names[2:]]
    assert ops.stack.count() == 2
    ops.stack.undo()
    assert [i.section for i in ledger.catalogue.all() if i.name in names] == \
        ["科技创新"] * len(names)


def test_a_ratio_is_defined_in_the_form(qtbot, ledger):
    ledger.catalogue.add("技改投资", unit="亿元", decimals=2, kind="amount")
    ledger.catalogue.add("工业投资", unit="亿元", decimals=2, kind="amount")
    dialog, _ops = _dialog(qtbot, ledger)
    dialog.start_new()
    dialog.name.setText("技改投资占比")
    dialog.unit.setCurrentText("%")
    dialog.decimals.setValue(1)
    dialog.kind.setCurrentIndex(dialog.kind.findData("share"))
    dialog.numerator.setCurrentText("技改投资")
    dialog.denominator.setCurrentText("工业投资")
    dialog.save()
    period = Period(2026, 6)
    ledger.metrics.set("技改投资", period, "value", "3")
    ledger.metrics.set("工业投资", period, "value", "8")
    assert ledger.metrics.figure("技改投资占比", period).value == 37.5
    dialog.load(ledger.catalogue.find("技改投资占比"))
    assert dialog.numerator.currentText() == "技改投资"
    dialog.denominator.setCurrentText("")
    dialog.save()
    assert "同时填写" in dialog.problem.text()


def test_export_and_import_from_the_menu(qtbot, ledger, tmp_path: Path, monkeypatch):
    dialog, ops = _dialog(qtbot, ledger)
    target = tmp_path / "指标目录.xlsx"
    monkeypatch.setattr(dialog_module, "ask_catalogue_export", lambda _p, _s: target)
    dialog.export_action.trigger()
    assert target.is_file() and "已导出指标目录" in dialog.problem.text()
    sheet = write_xlsx(tmp_path / "新增.xlsx", {"目录": [
        ["名称", "单位", "小数位数", "类型", "分组"],
        ["技术合同成交额", "万元", 2, "金额", "科技创新"],
        ["坏行", "家", "x", "计数", "科技创新"]]})
    monkeypatch.setattr(dialog_module, "ask_catalogue_import", lambda _p: sheet)
    shown: list[CatalogueImportDialog] = []

    def look(self: CatalogueImportDialog) -> int:
        shown.append(self)
        return 0  # closed without importing

    monkeypatch.setattr(CatalogueImportDialog, "exec", look)
    dialog.import_action.trigger()
    assert "第 3 行 指标“坏行”：未通过" in shown[0].listing.toPlainText()
    assert not shown[0].import_button.isEnabled()
    write_xlsx(sheet, {"目录": [["名称", "单位", "小数位数", "类型", "分组"],
                               ["技术合同成交额", "万元", 2, "金额", "科技创新"]]})
    dialog.import_action.trigger()
    assert shown[1].import_button.isEnabled()
    shown[1].apply()
    assert ledger.catalogue.find("技术合同成交额") is not None
    ops.stack.undo()
    assert ledger.catalogue.find("技术合同成交额") is None


def test_the_form_labels_are_the_sheet_headers(qtbot, ledger):
    from core.catalogue_columns import HEADERS

    dialog, _ops = _dialog(qtbot, ledger)
    labels = {w.text() for w in dialog.findChildren(type(dialog.origin))}
    assert {HEADERS[k] for k in ("name", "unit", "decimals", "kind", "section",
                                 "rank_scopes", "description")} <= labels


def test_drag_a_row_to_its_place(qtbot, ledger):
    from PySide6.QtCore import QModelIndex

    dialog, ops = _dialog(qtbot, ledger)
    names = [i.name for i in ledger.catalogue.all() if i.section == "科技创新"]
    _choose(dialog, [names[3]])
    row = dialog.listing.currentRow()
    assert dialog.listing.model().moveRow(QModelIndex(), row, QModelIndex(), row - 2)
    assert [i.name for i in ledger.catalogue.all() if i.section == "科技创新"][:4] == \
        [names[0], names[3], names[1], names[2]]
    assert ops.stack.count() == 1
