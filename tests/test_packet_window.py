"""The window's 报送 entries as the bureau's clerk and a unit's clerk use them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from test_ui_support import activate

from core import editions, packets
from core.filing_units import FilingUnits
from core.ledger import Ledger
from core.periods import Period
from ui import packet_menu
from ui.app import create_window
from ui.app_settings import AppSettings
from ui.main_window import MainWindow

PERIOD = Period(2026, 6)


def _window(qtbot: Any, path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    shown = create_window(AppSettings())
    qtbot.addWidget(shown)
    shown.set_ledger(Ledger.open(path))
    shown.period_selector.set_period(PERIOD)
    shown.show()
    qtbot.waitExposed(shown)
    activate(qtbot, shown)
    return shown


def _action(window: MainWindow, text: str) -> Any:
    return next(a for a in window.menus["文件"].actions() if a.text() == text)


def test_issue_fill_return_merge_lock_from_the_window(
        qtbot: Any, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        told: list[str]) -> None:
    clerk = _window(qtbot, demo_path, monkeypatch)
    ledger = clerk.ledger
    assert ledger is not None
    # 填报单位…: a new unit, two indicators ticked
    dialog = packet_menu.UnitsDialog(ledger, PERIOD, clerk)
    qtbot.addWidget(dialog)
    dialog.name.setText("科技科")
    dialog.add_unit()
    wanted = {"技术合同交易额", "高新技术企业数"}
    for row in range(dialog.what.count()):
        item = dialog.what.item(row)
        if item.text().split("｜")[-1] in wanted:
            item.setCheckState(packet_menu.Qt.CheckState.Checked)
    dialog.save()
    got = FilingUnits(ledger).assignment("科技科", PERIOD)
    assert {ledger.catalogue.get(i).name for i in got.indicator_ids} == wanted

    # 下发填报包…
    packet = tmp_path / "李四" / "科技科填报包𠮷.wlp"
    packet.parent.mkdir()
    def pick(dialog: packet_menu.IssueDialog) -> int:  # the unit, and a record table ticked
        from PySide6.QtCore import Qt

        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.unit.setCurrentText("科技科")
        assert not any(box.isChecked() for box in dialog.boxes.values())
        box = dialog.boxes["services"]
        activate(qtbot, box)
        qtbot.keyClick(box, Qt.Key.Key_Space)
        assert box.isChecked()
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(packet_menu, "run_dialog", pick)
    monkeypatch.setattr(packet_menu, "ask_packet_save", lambda _w, _t, _s: packet)
    _action(clerk, "下发填报包…").trigger()
    assert packet.exists() and str(packet) in told[-1]
    assert FilingUnits(ledger).assignment("科技科", PERIOD).tables == ("services",)
    with Ledger.open(packet, readonly=True) as issued:  # the services of the period came along
        assert issued.scalar("SELECT count(*) FROM services") > 0

    # the unit: opens the packet with WorkLedger, fills, 导出报送包…
    unit = _window(qtbot, packet, monkeypatch)
    assert unit.ledger is not None
    unit.packet_actions.update_actions()  # type: ignore[attr-defined]
    visible = {a.text() for a in unit.packet_actions.actions.values()  # type: ignore[attr-defined]
               if a.isVisible()}
    assert visible == {"导出报送包…"}
    banner = unit.sharing_actions.banner  # type: ignore[attr-defined]
    assert "下发给“科技科”的2026年1-6月填报包" in banner.text() and "导出报送包" in banner.text()
    assert not clerk.sharing_actions.bar.isVisible()  # type: ignore[attr-defined]  # a ledger
    unit.ledger.metrics.set("技术合同交易额", PERIOD, "value", "9.5")
    unit.ledger.metrics.set("高新技术企业数", PERIOD, "value", "77")
    back = packet.with_name("科技科报送包.wlp")
    monkeypatch.setattr(packet_menu, "ask_packet_save", lambda _w, _t, _s: back)
    _action(unit, "导出报送包…").trigger()
    assert back.exists() and "修改 2 行" in told[-1]
    unit.close()

    # the clerk changed one of them meanwhile: 导入报送包… shows the conflict
    ledger.metrics.set("技术合同交易额", PERIOD, "value", "8")
    seen: list[list[str]] = []

    def choose(dialog: packet_menu.MergeDialog) -> int:
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # nothing until the conflict is chosen
        for row in range(dialog.table.rowCount()):
            seen.append([dialog.table.item(row, c).text() for c in range(1, 7)])
        dialog.choose_all(1)
        assert ok.isEnabled()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(packet_menu, "ask_packets_open", lambda _w: [back])
    monkeypatch.setattr(packet_menu, "run_dialog", choose)
    _action(clerk, "导入报送包…").trigger()
    conflicts = [row for row in seen if row[0] == "冲突"]
    assert [row[1:3] + row[4:6] for row in conflicts] == [["指标“技术合同交易额”", "数值", "9.5",
                                                         "8"]]
    assert ledger.metrics.figure("技术合同交易额", PERIOD).entered == 9.5
    assert ledger.metrics.figure("高新技术企业数", PERIOD).entered == 77
    clerk.ops.stack.undo()  # one undo step takes the whole merge back
    assert ledger.metrics.figure("高新技术企业数", PERIOD).entered != 77
    clerk.ops.stack.redo()

    # 报送情况…
    shown: list[Any] = []
    monkeypatch.setattr(packet_menu.ListDialog, "exec", lambda self: shown.append(self) or 0)
    _action(clerk, "报送情况…").trigger()
    table = shown[-1].table
    assert table.item(0, 0).text() == "科技科" and table.item(0, 4).text() != "未收到"

    # 上报… locks, 解锁… needs a reason, 与上报版比较… lists the change
    monkeypatch.setattr(packet_menu, "ask_text", lambda _w, _t, _p: "首次上报")
    _action(clerk, "上报…").trigger()
    assert editions.lock_of(ledger, PERIOD) == 1
    monkeypatch.setattr(packet_menu, "ask_text", lambda _w, _t, _p: "  ")
    _action(clerk, "解锁…").trigger()
    assert editions.lock_of(ledger, PERIOD) == 1 and "须注明原因" in told[-1]
    monkeypatch.setattr(packet_menu, "ask_text", lambda _w, _t, _p: "统计局正式数据")
    _action(clerk, "解锁…").trigger()
    assert editions.lock_of(ledger, PERIOD) is None
    ledger.metrics.set("高新技术企业数", PERIOD, "value", "80")
    _action(clerk, "与上报版比较…").trigger()
    table = shown[-1].table
    assert table.rowCount() == 1 and table.item(0, 0).text() == "高新技术企业数"
    assert (table.item(0, 2).text(), table.item(0, 3).text()) == ("77", "80")
    assert shown[-1].lines[-1] == "（版本：草稿）"  # the printable list names its edition
    assert packets.packet_info(ledger) is None
    clerk.close()


def _two_returns(ledger: Ledger, folder: Path) -> list[Path]:
    """科技科 and 星河街道 fill their packets (a conflict: the bureau changed one value)."""
    units = FilingUnits(ledger)
    units.add("科技科")
    units.add("星河街道", kind="街道")
    units.assign("科技科", PERIOD, indicators=["技术合同交易额", "高新技术企业数"])
    units.assign("星河街道", PERIOD, indicators=["双创大赛报名企业数"], tables=["services"])
    backs = []
    for name, values in (("科技科", {"技术合同交易额": "9.5", "高新技术企业数": "77"}),
                         ("星河街道", {"双创大赛报名企业数": "42"})):
        packet = packets.issue(ledger, name, PERIOD, folder / f"{name}填报包.wlp").path
        with Ledger.open(packet) as unit:
            for indicator, value in values.items():
                unit.metrics.set(indicator, PERIOD, "value", value)
        backs.append(packets.make_return(packet, folder / f"{name}报送包.wlp").path)
    ledger.metrics.set("技术合同交易额", PERIOD, "value", "8")
    return backs


def _show(qtbot: Any, dialog: packet_menu.MergeDialog) -> Any:
    dialog.show()
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog.table)
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_several_returns_imported_at_once_with_the_keyboard(
        qtbot: Any, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        told: list[str]) -> None:
    from PySide6.QtCore import Qt

    clerk = _window(qtbot, demo_path, monkeypatch)
    ledger = clerk.ledger
    assert ledger is not None
    base = ledger.metrics.figure("技术合同交易额", PERIOD).entered
    backs = _two_returns(ledger, tmp_path)
    seen: list[list[str]] = []

    def choose(dialog: packet_menu.MergeDialog) -> int:
        ok = _show(qtbot, dialog)
        for row in range(dialog.table.rowCount()):
            seen.append([dialog.table.item(row, c).text() for c in range(11)])
        assert not ok.isEnabled()  # the conflict waits for a choice
        conflict = next(n for n, row in enumerate(seen) if row[1] == "冲突")
        qtbot.keyClick(dialog.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        for _ in range(conflict):
            qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
        assert dialog.table.currentRow() == conflict
        qtbot.keyClick(dialog.table, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # 采用报送值
        assert dialog.table.item(conflict, 10).text() == "采用报送值" and ok.isEnabled()
        qtbot.keyClick(ok, Qt.Key.Key_Space)  # 导入
        return int(dialog.result())

    monkeypatch.setattr(packet_menu, "ask_packets_open", lambda _w: backs)
    monkeypatch.setattr(packet_menu, "run_dialog", choose)
    _action(clerk, "导入报送包…").trigger()
    assert {row[0] for row in seen} == {"科技科", "星河街道"}  # one view over both packets
    conflict = next(row for row in seen if row[1] == "冲突")
    assert conflict[2:4] + conflict[5:7] == ["指标“技术合同交易额”", "数值", "9.5", "8"]
    assert conflict[4] == packets.show(base)  # as issued
    assert conflict[7] and conflict[8].startswith("20")  # who typed it, when
    assert ledger.metrics.figure("技术合同交易额", PERIOD).entered == 9.5
    assert ledger.metrics.figure("双创大赛报名企业数", PERIOD).entered == 42
    clerk.ops.stack.undo()  # both packets in one undo step
    assert ledger.metrics.figure("双创大赛报名企业数", PERIOD).entered != 42
    assert ledger.metrics.figure("技术合同交易额", PERIOD).entered == 8
    clerk.close()


def test_a_conflict_left_open_imports_nothing(
        qtbot: Any, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        told: list[str]) -> None:
    from PySide6.QtCore import Qt

    from tests.helpers import dump

    clerk = _window(qtbot, demo_path, monkeypatch)
    ledger = clerk.ledger
    assert ledger is not None
    backs = _two_returns(ledger, tmp_path)
    state = dump(ledger.conn, skip=("audit",))

    def leave_open(dialog: packet_menu.MergeDialog) -> int:
        ok = _show(qtbot, dialog)
        qtbot.keyClick(dialog.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        last = dialog.table.rowCount() - 1
        assert dialog.table.currentRow() == last and dialog.table.item(last, 1).text() != "冲突"
        qtbot.keyClick(dialog.table, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # not one
        assert not ok.isEnabled()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # 导入 is not possible
        assert dialog.result() != QDialog.DialogCode.Accepted
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        return int(dialog.result())

    monkeypatch.setattr(packet_menu, "ask_packets_open", lambda _w: backs)
    monkeypatch.setattr(packet_menu, "run_dialog", leave_open)
    _action(clerk, "导入报送包…").trigger()
    assert dump(ledger.conn, skip=("audit",)) == state
    assert ledger.metrics.figure("技术合同交易额", PERIOD).entered == 8
    clerk.close()
