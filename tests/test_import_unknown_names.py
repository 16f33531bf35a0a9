"""Indicator names a data sheet uses that the catalogue lacks: offered for creation in the dry
run, created only when the clerk chooses it, in the same undoable import as the figures."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from excel_files import write_xlsx
from helpers import dump

from core.cli import main
from core.exchange.excel_import import apply_import, preview_file
from core.exchange.importers import NEW, REJECTED
from core.ledger import Ledger
from core.periods import Period

HEAD = ["指标名称", "年份", "期间", "本期数值（万元）", "确保目标"]


def _sheet(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "数据.xlsx", {"指标": [
        HEAD,
        ["规上工业增加值增速", 2026, "1-6月", 6.8, None],
        ["财政科技支出", 2026, "1-6月", 12500, 22000],
        ["财政科技支出", 2026, "1-3月", 6100, None],
        ["科技人才数", 2026, "1-6月", 36, None],
    ]})


def test_unknown_names_are_offered_never_created_unasked(ledger: Ledger, tmp_path: Path) -> None:
    before = dump(ledger.conn)
    plan = preview_file(ledger, _sheet(tmp_path), year=2026)
    assert [r.action for r in plan.results()] == [NEW, REJECTED, REJECTED, REJECTED]
    assert "可选择新建" in plan.results(REJECTED)[0].detail
    assert list(plan.unknown) == ["财政科技支出", "科技人才数"]
    assert plan.unknown["财政科技支出"].unit == "万元"  # from the header 本期数值（万元）
    assert plan.unknown["财政科技支出"].rows == [("指标", 3), ("指标", 4)]
    assert any("指标目录中没有 2 个指标" in note for note in plan.notes)
    assert not plan.can_apply
    assert dump(ledger.conn) == before


def test_chosen_names_are_created_with_their_figures_in_one_undoable_step(
        ledger: Ledger, tmp_path: Path) -> None:
    before = dump(ledger.conn)
    plan = preview_file(ledger, _sheet(tmp_path), year=2026,
                        create={"财政科技支出": "amount", "科技人才数": "count"})
    assert plan.count(REJECTED) == 0 and plan.count(NEW) == 4
    assert "新建指标“财政科技支出”（单位万元，金额/数量" in plan.results(NEW)[1].detail
    assert "新建" not in plan.results(NEW)[2].detail  # created once, by its first row
    result = apply_import(ledger, plan)
    made = ledger.catalogue.find("财政科技支出")
    assert made is not None and (made.unit, made.kind, made.section) == ("万元", "amount",
                                                                        "新增指标")
    figure = ledger.metrics.figure(made, Period(2026, 6))
    assert (figure.value, figure.target_committed) == (12500, 22000)
    assert ledger.metrics.figure(made, Period(2026, 3)).value == 6100
    assert ledger.catalogue.find("科技人才数").kind == "count"  # type: ignore[union-attr]
    ledger.revert(result.change)
    assert ledger.catalogue.find("财政科技支出") is None
    assert dump(ledger.conn) == before


def test_only_the_chosen_one_is_created(ledger: Ledger, tmp_path: Path) -> None:
    plan = preview_file(ledger, _sheet(tmp_path), year=2026, create={"科技人才数": "count"})
    assert [r.action for r in plan.results()] == [NEW, REJECTED, REJECTED, NEW]
    assert not plan.can_apply  # all or nothing: the other unknown name still refuses


def test_cli_create_unknown(ledger_path: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    Ledger.open(ledger_path).close()
    sheet = _sheet(tmp_path)
    out = io.StringIO()
    assert main(["import", "--db", str(ledger_path), str(sheet), "--year", "2026"], out) == 1
    assert "指标目录中没有 2 个指标" in out.getvalue()
    assert "加 --create-unknown 名称=类型（如 --create-unknown 财政科技支出=计数" in out.getvalue()
    out = io.StringIO()
    assert main(["import", "--db", str(ledger_path), str(sheet), "--year", "2026",
                 "--create-unknown", "科技人才数=计数", "--create-unknown", "金额",
                 "--apply"], out) == 0, capsys.readouterr().err
    with Ledger.open(ledger_path) as ledger:
        assert ledger.catalogue.find("科技人才数").kind == "count"  # type: ignore[union-attr]
        assert ledger.catalogue.find("财政科技支出").kind == "amount"  # type: ignore[union-attr]
    assert main(["import", "--db", str(ledger_path), str(sheet), "--year", "2026",
                 "--create-unknown", "某某=计数"], io.StringIO()) == 0  # nothing unknown now
    bad = write_xlsx(tmp_path / "坏.xlsx", {"指标": [HEAD, ["新名字", 2026, "1-6月", 5, None]]})
    assert main(["import", "--db", str(ledger_path), str(bad), "--create-unknown", "百分比"],
                io.StringIO()) == 1
    assert "「--create-unknown 的类型」应为" in capsys.readouterr().err


def test_the_import_dialog_offers_unknown_names_and_creates_only_the_ticked(
        qtbot, ledger: Ledger, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialog

    from core.exchange.reading import read_workbook
    from ui.dialogs.import_excel import ImportDialog
    from ui.operations import Operations

    ops = Operations()
    ops.set_ledger(ledger)
    dialog = ImportDialog(ledger, ops, read_workbook(_sheet(tmp_path)))
    qtbot.addWidget(dialog)
    ops.setParent(dialog)
    dialog.year.setValue(2026)
    qtbot.waitUntil(lambda: set(dialog.unknown.rows) == {"财政科技支出", "科技人才数"})
    assert dialog.unknown.isVisibleTo(dialog) and not dialog.import_button.isEnabled()
    box, kind = dialog.unknown.rows["财政科技支出"]
    assert kind.currentData() == "amount"  # 万元 in the header: an amount, as the clerk may change
    box.setChecked(True)
    qtbot.waitUntil(lambda: "未通过 1 条" in dialog.summary.text())
    other, other_kind = dialog.unknown.rows["科技人才数"]
    other_kind.setCurrentIndex(other_kind.findData("count"))
    other.setChecked(True)
    qtbot.waitUntil(dialog.import_button.isEnabled)
    dialog.import_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ledger.catalogue.find("科技人才数").kind == "count"  # type: ignore[union-attr]
    ops.stack.undo()
    assert ledger.catalogue.find("财政科技支出") is None


@pytest.mark.parametrize("unit, kind", [("%", "rate"), ("家", "count"), ("人次", "count"),
                                        ("", "count"), ("万元", "amount"), ("亿千瓦时", "amount")])
def test_the_kind_first_offered_follows_the_unit(unit: str, kind: str) -> None:
    from core.exchange.unknown import guess_kind

    assert guess_kind(unit) == kind
