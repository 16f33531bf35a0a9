"""报送: filing units, fill-in packets, their return and merging it, as three units would."""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import packets
from core.cli import main
from core.errors import ConflictError, InputError, NotFoundError, PacketRefused
from core.filing_units import FilingUnits
from core.ledger import Ledger
from core.periods import Period
from tests.helpers import dump

PERIOD = Period(2026, 6)
# who fills what: 工业科 two indicators and the service records, 科技科 two, the 街道 one
PLAN = {
    "工业科": (["规上工业总产值", "规上工业增加值增速"], ["services"]),
    "科技科": (["技术合同交易额", "高新技术企业数"], []),
    "星河街道": (["双创大赛报名企业数"], ["services"]),
    "星河园区": (["上云企业数"], ["projects", "plans"]),
}
KINDS = {"街道": "街道", "园区": "园区"}


def _names(ledger: Ledger) -> set[str]:
    return {i.name for i in ledger.catalogue.all()}


def _setup_units(ledger: Ledger) -> None:
    units = FilingUnits(ledger)
    for name, (indicators, tables) in PLAN.items():
        units.add(name, kind=KINDS.get(name[-2:], "科室"))
        units.assign(name, PERIOD, indicators=indicators, tables=tables, due="2026-07-05")


def _figure(ledger: Ledger, name: str, field: str = "value") -> Any:
    row = ledger.query(
        f"SELECT v.{field} AS f FROM indicator_values v JOIN indicators i ON i.id ="
        " v.indicator_id WHERE i.name = ? AND v.year = ? AND v.months = ?",
        (name, PERIOD.year, PERIOD.months))
    return row[0]["f"] if row else None


def _fill(packet: Path, edits: dict[str, dict[str, str]], services: int = 0) -> None:
    """What the unit does in its own WorkLedger: open the packet, type, close."""
    with Ledger.open(packet) as unit:
        for name, fields in edits.items():
            for field, value in fields.items():
                unit.metrics.set(name, PERIOD, field, value)
        if services:
            enterprise = unit.query("SELECT name FROM enterprises ORDER BY name LIMIT 1")[0]
            unit.services.add_many([
                {"date": f"2026-0{1 + n % 6}-1{n % 9}", "enterprise": enterprise["name"],
                 "kind": "走访", "person_times": 1 + n, "description": f"{packet.stem}走访{n}"}
                for n in range(services)])


def _state(ledger: Ledger) -> dict[str, list[tuple[Any, ...]]]:
    """The ledger's content without times, ids of bookkeeping rows, audit and receipts."""
    return {
        "values": sorted(ledger.conn.execute(
            "SELECT indicator_id, year, months, value, text_value, target_committed, note,"
            " reason FROM indicator_values").fetchall(), key=repr),
        "services": sorted(ledger.conn.execute(
            "SELECT id, date, enterprise_id, kind, person_times, description FROM services"
        ).fetchall(), key=repr),
    }


@pytest.fixture
def bureau(demo: Ledger) -> Ledger:
    assert set(name for names, _ in PLAN.values() for name in names) <= _names(demo)
    _setup_units(demo)
    return demo


# -- units --------------------------------------------------------------------
def test_units_and_assignments(bureau: Ledger) -> None:
    units = FilingUnits(bureau)
    assert [u.name for u in units.all()] == ["工业科", "科技科", "星河街道", "星河园区"]
    got = units.assignment("工业科", PERIOD)
    assert {bureau.catalogue.get(i).name for i in got.indicator_ids} == set(PLAN["工业科"][0])
    assert got.tables == ("services",) and got.due == "2026-07-05"
    assert units.assignment("工业科", Period(2026, 7)).empty
    assert len(units.assignments(PERIOD)) == 4
    with pytest.raises(ConflictError, match="已有名为"):
        units.add(" 工业科 ")
    with pytest.raises(InputError, match="类别"):
        units.add("信息科", kind="处室")
    with pytest.raises(InputError, match="名称"):
        units.add("   ")
    with pytest.raises(ConflictError, match="已由工业科填报"):  # one figure, one source
        units.assign("科技科", PERIOD, indicators=["规上工业总产值"])
    with pytest.raises(InputError, match="记录表"):
        units.assign("科技科", PERIOD, tables=["project_figures"])
    with pytest.raises(NotFoundError, match="没有名为“信息科”"):
        units.assign("信息科", PERIOD, indicators=["规上工业总产值"])
    change = units.unassign("工业科", PERIOD, tables=["services"])
    assert units.assignment("工业科", PERIOD).tables == ()
    bureau.revert(change)
    assert units.assignment("工业科", PERIOD).tables == ("services",)


def test_a_v4_ledger_gets_a_ledger_id(tmp_path: Path) -> None:
    source = Path(__file__).parent / "data" / "ledger-v4.db"
    target = tmp_path / "张三" / "旧台账.db"
    target.parent.mkdir()
    shutil.copyfile(source, target)
    with Ledger.open(target) as ledger:
        assert packets.ledger_id(ledger)
        assert ledger.scalar("SELECT count(*) FROM filing_units") == 0


# -- the three units --------------------------------------------------------------------
def _issue_all(bureau: Ledger, folder: Path) -> dict[str, Path]:
    return {name: packets.issue(bureau, name, PERIOD, folder / f"{name}填报包𠮷.wlp").path
            for name in PLAN}


def test_a_packet_is_a_ledger_of_the_units_part(bureau: Ledger, tmp_path: Path) -> None:
    path = packets.issue(bureau, "科技科", PERIOD, tmp_path / "张三" / "科技科.wlp").path
    with Ledger.open(path, readonly=True) as unit:
        info = packets.packet_info(unit)
        assert info is not None and info.unit == "科技科" and info.period == PERIOD
        assert _names(unit) == set(PLAN["科技科"][0])  # only its part
        last_year = unit.query("SELECT count(*) AS n FROM indicator_values WHERE year = 2025")
        assert last_year[0]["n"] > 0  # last year's values for checking
        assert unit.scalar("SELECT count(*) FROM services") == 0  # not its table
        indicator = unit.catalogue.find("技术合同交易额")
        ours = bureau.catalogue.find("技术合同交易额")
        assert indicator is not None and ours is not None and indicator.id == ours.id
        assert (indicator.soft_min, indicator.soft_max) == (ours.soft_min, ours.soft_max)
    with pytest.raises(InputError, match="已存在"):
        packets.issue(bureau, "科技科", PERIOD, path)
    with pytest.raises(InputError, match="没有分配填报内容"):
        packets.issue(bureau, "科技科", Period(2026, 7), tmp_path / "x.wlp")


def test_three_units_fill_return_and_merge_with_one_conflict(bureau: Ledger,
                                                             tmp_path: Path) -> None:
    """One 科室, one 街道, one 园区 fill their packets as their clerks would (the core calls
    their windows' tabs make), return them, and the bureau merges all three at once."""
    folder = tmp_path / "张三" / "桌面"
    three = ("工业科", "星河街道", "星河园区")
    issued = {name: path for name, path in _issue_all(bureau, folder).items() if name in three}
    before_note = _figure(bureau, "规上工业总产值", "note")
    project = bureau.query("SELECT * FROM projects WHERE start_date BETWEEN '2026-01-01' AND"
                           " '2026-06-30' ORDER BY name LIMIT 1")[0]
    plan_section = bureau.query("SELECT id FROM plan_sections WHERE year = 2027 LIMIT 1")
    section = (plan_section[0]["id"] if plan_section else bureau.plans.add_section(
        2027, "明年重点工作").inserted_ids("plan_sections")[0])
    _fill(issued["工业科"], {"规上工业总产值": {"value": "3210", "note": "工业科核实"},
                            "规上工业增加值增速": {"value": "6.1"}}, services=3)
    _fill(issued["星河街道"], {"双创大赛报名企业数": {"value": "42"}}, services=2)
    _fill(issued["星河园区"], {"上云企业数": {"value": "15"}})
    with Ledger.open(issued["星河园区"]) as park:  # its 项目 and 工作计划 tabs
        park.projects.set_field(project["id"], "total_investment", "6.5亿")
        park.plans.add_item(section, "园区数字化改造", owner="星河园区")
    returns = {name: packets.make_return(path, folder / f"{name}报送包.wlp").path
               for name, path in issued.items()}
    bureau.metrics.set("规上工业总产值", PERIOD, "note", "局里改的")  # the same value, meanwhile

    # a damaged copy among them, a packet of another period, of another ledger: all refused
    damaged = folder / "工业科报送包（U盘拷贝）.wlp"
    shutil.copyfile(returns["工业科"], damaged)
    _damage(damaged, "truncated")
    FilingUnits(bureau).assign("科技科", Period(2026, 5), indicators=["技术合同交易额"])
    may = packets.issue(bureau, "科技科", Period(2026, 5), folder / "科技科5月.wlp").path
    with Ledger.open(may) as unit:
        unit.metrics.set("技术合同交易额", Period(2026, 5), "value", "3")
    may_back = packets.make_return(may, folder / "科技科5月报送包.wlp").path
    with Ledger.open(tmp_path / "李四" / "别的局台账.db") as other:
        _setup_units(other)
        foreign = packets.issue(other, "工业科", PERIOD, tmp_path / "别处.wlp").path
    _fill(foreign, {"规上工业总产值": {"value": "1"}})
    foreign_back = packets.make_return(foreign, tmp_path / "别处回.wlp").path
    ours = list(returns.values())
    state = dump(bureau.conn)
    for extra, why in ((damaged, "损坏"), (may_back, "不是2026年1-6月的"),
                       (foreign_back, "另一个台账")):
        with pytest.raises(PacketRefused, match=why):
            packets.apply_many(bureau, [*ours, extra], take_all=packets.OURS, period=PERIOD)
        assert dump(bureau.conn) == state, extra.name

    # the dry run over all three: the conflict with base / theirs / ours, who and when
    plans = packets.preview_many(bureau, ours, period=PERIOD)
    conflict, = [c for plan in plans for c in plan.conflicts]
    assert (conflict.what, conflict.field) == ("指标“规上工业总产值”", "note")
    assert (conflict.base, conflict.theirs, conflict.ours) == (before_note, "工业科核实",
                                                               "局里改的")
    assert conflict.who and conflict.when.startswith("20")
    industry = plans[0]
    assert industry.count(packets.NEW) >= 3 and industry.count(packets.CHANGED) >= 2
    assert [i.theirs for i in plans[2].items if i.field == "total_investment"] == [6.5]
    with pytest.raises(InputError, match="1 处冲突尚未选择"):
        packets.apply_many(bureau, plans)
    assert dump(bureau.conn) == state  # nothing changes until chosen
    batch = packets.apply_many(bureau, plans, take={conflict.key: packets.OURS})
    assert batch.backup.exists() and [r.kept for _p, r in batch.merged] == [1, 0, 0]
    label = bureau.scalar("SELECT label FROM audit ORDER BY id DESC LIMIT 1")
    assert all(name in label for name in three)  # audited with the units' names
    assert _figure(bureau, "规上工业总产值", "note") == "局里改的"
    assert _figure(bureau, "规上工业总产值") == 3210
    assert _figure(bureau, "规上工业增加值增速") == 6.1
    assert _figure(bureau, "双创大赛报名企业数") == 42
    assert _figure(bureau, "上云企业数") == 15
    assert bureau.scalar("SELECT total_investment FROM projects WHERE id = ?",
                         (project["id"],)) == 6.5
    owner = bureau.scalar("SELECT owner FROM plan_items WHERE title = '园区数字化改造'")
    assert owner == "星河园区"
    assert bureau.scalar("SELECT count(*) FROM services WHERE description LIKE '工业科%'") == 3
    assert bureau.scalar("SELECT count(*) FROM services WHERE description LIKE '星河街道%'") == 2

    # replay: the same three again change nothing
    merged = dump(bureau.conn)
    again = packets.preview_many(bureau, ours)
    assert all(plan.already.startswith("该报送包已于") for plan in again)
    with pytest.raises(ConflictError, match="都已导入过"):
        packets.apply_many(bureau, ours)
    assert dump(bureau.conn) == merged
    bureau.revert(batch.change)  # undoable in one step
    assert _figure(bureau, "规上工业增加值增速") != 6.1
    assert bureau.scalar("SELECT count(*) FROM services WHERE description LIKE '工业科%'") == 0
    assert not bureau.query("SELECT 1 FROM plan_items WHERE title = '园区数字化改造'")


def test_two_packets_changing_one_value_conflict_with_each_other(bureau: Ledger,
                                                                 tmp_path: Path) -> None:
    """Merged together, the later of two returns that change the same value conflicts with the
    earlier one (never a silent last-one-wins); the same file twice is merged once."""
    first = packets.issue(bureau, "科技科", PERIOD, tmp_path / "一.wlp").path
    second = packets.issue(bureau, "科技科", PERIOD, tmp_path / "二.wlp").path
    _fill(first, {"技术合同交易额": {"value": "9.5"}})
    _fill(second, {"技术合同交易额": {"value": "9.9"}, "高新技术企业数": {"value": "70"}})
    backs = [packets.make_return(first, tmp_path / "一回.wlp").path,
             packets.make_return(second, tmp_path / "二回.wlp").path]
    plans = packets.preview_many(bureau, [*backs, backs[0]])
    conflict, = plans[1].conflicts
    assert (conflict.theirs, conflict.ours) == (9.9, 9.5) and "科技科" in conflict.note
    assert plans[2].already.startswith("与“一回.wlp”是同一个")
    packets.apply_many(bureau, plans, take={conflict.key: packets.OURS})
    assert _figure(bureau, "技术合同交易额") == 9.5 and _figure(bureau, "高新技术企业数") == 70


def test_taking_theirs_for_all(bureau: Ledger, tmp_path: Path) -> None:
    path = packets.issue(bureau, "科技科", PERIOD, tmp_path / "科技科.wlp").path
    _fill(path, {"技术合同交易额": {"value": "9.5"}})
    back = packets.make_return(path, tmp_path / "回.wlp").path
    bureau.metrics.set("技术合同交易额", PERIOD, "value", "8")
    plan = packets.preview(bureau, back)
    assert [(c.theirs, c.ours) for c in plan.conflicts] == [(9.5, 8.0)]
    packets.apply_merge(bureau, plan, take_all=packets.THEIRS)
    assert _figure(bureau, "技术合同交易额") == 9.5


def test_replay_changes_nothing(bureau: Ledger, tmp_path: Path) -> None:
    path = packets.issue(bureau, "科技科", PERIOD, tmp_path / "科技科.wlp").path
    _fill(path, {"技术合同交易额": {"value": "9.5"}})
    back = packets.make_return(path, tmp_path / "回.wlp").path
    packets.apply_merge(bureau, packets.preview(bureau, back))
    state = dump(bureau.conn)
    again = packets.preview(bureau, back)
    assert again.already.startswith("该报送包已于")
    with pytest.raises(ConflictError, match="导入过"):
        packets.apply_merge(bureau, again)
    # the same changes exported once more: every value is already so
    second = packets.make_return(path, tmp_path / "再回.wlp").path
    plan = packets.preview(bureau, second)
    assert plan.count(packets.UNCHANGED) == len(plan.items) and not plan.ops
    assert dump(bureau.conn) == state


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":  # a USB stick pulled out while copying
        data = data[:len(data) // 2]
    elif how == "header":
        data[:100] = bytes(100)
    else:  # bytes of the changeset itself flipped (bit rot)
        changeset = packets.read_return(path).changeset
        spot = data.find(changeset[:32]) + len(changeset) // 2
        data[spot:spot + 8] = bytes(b ^ 0xFF for b in data[spot:spot + 8])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "header", "changeset"])
def test_a_damaged_packet_changes_nothing(bureau: Ledger, tmp_path: Path, how: str) -> None:
    path = packets.issue(bureau, "工业科", PERIOD, tmp_path / "工业科.wlp").path
    _fill(path, {"规上工业总产值": {"value": "3210"}}, services=5)
    back = packets.make_return(path, tmp_path / "回.wlp").path
    _damage(back, how)
    state = dump(bureau.conn)
    with pytest.raises(PacketRefused, match="损坏"):
        packets.preview(bureau, back)
    assert dump(bureau.conn) == state
    assert main(["packet", "apply", "--db", str(bureau.path), str(back), "--apply"]) == 1


def test_a_tampered_packet_is_refused(bureau: Ledger, tmp_path: Path) -> None:
    path = packets.issue(bureau, "科技科", PERIOD, tmp_path / "科技科.wlp").path
    _fill(path, {"技术合同交易额": {"value": "9.5"}})
    back = packets.make_return(path, tmp_path / "回.wlp").path
    conn = sqlite3.connect(back)
    conn.execute("UPDATE return_packet SET value = replace(value, 'root', 'boss')"
                 " WHERE key = 'meta'")
    conn.commit()
    conn.close()
    with pytest.raises(PacketRefused, match="校验不符"):
        packets.preview(bureau, back)


def test_foreign_packets_are_refused(bureau: Ledger, tmp_path: Path) -> None:
    ledger_path = tmp_path / "李四" / "别的局台账.db"
    with Ledger.open(ledger_path) as other:  # another bureau's ledger, same units
        _setup_units(other)
        path = packets.issue(other, "科技科", PERIOD, tmp_path / "别处.wlp").path
    _fill(path, {"技术合同交易额": {"value": "9.5"}})
    back = packets.make_return(path, tmp_path / "别处回.wlp").path
    with pytest.raises(PacketRefused, match="另一个台账"):
        packets.preview(bureau, back)
    ours = packets.issue(bureau, "科技科", PERIOD, tmp_path / "科技科.wlp").path
    _fill(ours, {"技术合同交易额": {"value": "9.5"}})
    mine = packets.make_return(ours, tmp_path / "回.wlp").path
    with pytest.raises(PacketRefused, match="2026年1-6月的报送包，不是2026年1-5月"):
        packets.preview(bureau, mine, period=Period(2026, 5))
    with pytest.raises(PacketRefused, match="不是报送包"):  # the fill-in packet itself
        packets.preview(bureau, ours)
    with pytest.raises(PacketRefused, match="不是填报包"):
        packets.make_return(ledger_path, tmp_path / "x.wlp")
    with Ledger.open(ours) as unit, pytest.raises(PacketRefused, match="这是一个填报包"):
        packets.preview(unit, mine)


def test_changes_outside_the_units_part_are_not_merged(bureau: Ledger, tmp_path: Path) -> None:
    path = packets.issue(bureau, "科技科", PERIOD, tmp_path / "科技科.wlp").path
    with Ledger.open(path) as unit:
        unit.metrics.set("技术合同交易额", PERIOD.previous_year(), "note", "改了去年")
    back = packets.make_return(path, tmp_path / "回.wlp").path
    plan = packets.preview(bureau, back)
    assert [i.status for i in plan.items] == [packets.OUTSIDE] and not plan.ops


# -- the CLI --------------------------------------------------------------------
def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_cli_issue_return_apply(demo_path: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    db = str(demo_path)
    assert _run("unit", "add", "--db", db, "科技科")[0] == 0
    assert _run("unit", "assign", "--db", db, "--unit", "科技科", "--year", "2026",
                "--months", "1-6", "--indicator", "技术合同交易额")[0] == 0
    packet = tmp_path / "张三" / "𠮷" / "科技科.wlp"
    packet.parent.mkdir(parents=True)
    code, text = _run("packet", "issue", "--db", db, "--unit", "科技科", "--year", "2026",
                      "--months", "1-6", "--out", str(packet))
    assert code == 0 and "科技科" in text
    _fill(packet, {"技术合同交易额": {"value": "9.5"}})
    back = packet.with_name("回.wlp")
    assert _run("packet", "return", "--db", str(packet), "--out", str(back))[0] == 0
    with Ledger.open(demo_path) as ledger:
        ledger.metrics.set("技术合同交易额", PERIOD, "value", "8")
    code, text = _run("packet", "apply", "--db", db, str(back))
    assert code == 0 and "冲突" in text and "报送 9.5" in text and "台账现值 8" in text
    code, _text = _run("packet", "apply", "--db", db, str(back), "--apply")
    assert code == 1 and "冲突尚未选择" in capsys.readouterr().err
    number = text.split("[")[1].split("]")[0]
    code, text = _run("packet", "apply", "--db", db, str(back), "--apply",
                      "--take", f"{number}=theirs")
    assert code == 0 and "已导入" in text
    code, text = _run("packet", "apply", "--db", db, str(back))
    assert code == 0 and "导入过" in text
    with Ledger.open(demo_path, readonly=True) as ledger:
        assert _figure(ledger, "技术合同交易额") == 9.5


# -- merging commutes --------------------------------------------------------------------
@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory, demo_template: Path
             ) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("报送")
    base = folder / "台账.db"
    shutil.copyfile(demo_template, base)
    with Ledger.open(base) as ledger:
        _setup_units(ledger)
        issued = _issue_all(ledger, folder)
    _fill(issued["工业科"], {"规上工业总产值": {"value": "3210", "note": "核实"}}, services=4)
    _fill(issued["科技科"], {"技术合同交易额": {"value": "12.5"},
                            "高新技术企业数": {"value": "77"}})
    _fill(issued["星河街道"], {"双创大赛报名企业数": {"value": "42"}}, services=3)
    return base, [packets.make_return(path, folder / f"{name}回.wlp").path
                  for name, path in issued.items()]


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations([0, 1, 2]), size=st.integers(1, 3))
def test_any_order_of_non_conflicting_packets_gives_the_same_ledger(
        returned: tuple[Path, list[Path]], tmp_path: Path, order: list[int], size: int) -> None:
    base, backs = returned
    chosen = order[:size]
    states = []
    for attempt, sequence in enumerate((sorted(chosen), chosen)):
        copy = tmp_path / f"{attempt}-{'-'.join(map(str, chosen))}" / "台账.db"
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(base, copy)
        with Ledger.open(copy) as ledger:
            for index in sequence:
                packets.apply_merge(ledger, packets.preview(ledger, backs[index]))
            states.append(_state(ledger))
    assert states[0] == states[1]


def test_several_returns_at_once_are_one_backup_and_one_undo(bureau: Ledger,
                                                             tmp_path: Path) -> None:
    issued = _issue_all(bureau, tmp_path)
    _fill(issued["工业科"], {"规上工业总产值": {"value": "3210"}}, services=3)
    _fill(issued["科技科"], {"技术合同交易额": {"value": "12.5"}})
    _fill(issued["星河街道"], {"双创大赛报名企业数": {"value": "42"}}, services=2)
    backs = [packets.make_return(path, tmp_path / f"{name}回.wlp").path
             for name, path in issued.items()]
    state = _state(bureau)
    bureau.metrics.set("技术合同交易额", PERIOD, "value", "8")  # a conflict in the second
    with pytest.raises(InputError, match="冲突尚未选择"):
        packets.apply_many(bureau, backs)
    assert _figure(bureau, "规上工业总产值") != 3210  # the first one was rolled back too
    batch = packets.apply_many(bureau, [*backs, backs[0]], take_all=packets.OURS)
    assert [path for path, _ in batch.merged] == backs and batch.skipped[0][0] == backs[0]
    assert _figure(bureau, "规上工业总产值") == 3210 and _figure(bureau, "技术合同交易额") == 8
    assert bureau.scalar("SELECT count(*) FROM services WHERE description LIKE '%走访%'"
                         " AND description LIKE '%填报包%'") == 5
    bureau.revert(batch.change)  # one undo step for all three
    assert _figure(bureau, "规上工业总产值") != 3210
    bureau.metrics.set("技术合同交易额", PERIOD, "value", None)
    assert _state(bureau)["services"] == state["services"]
    bureau.close()  # the command opens it itself
    out = io.StringIO()
    assert main(["packet", "apply", "--db", str(bureau.path), *map(str, backs), "--apply",
                 "--take", "theirs"], out=out) == 0
    assert out.getvalue().count("已导入") == len(backs)


def test_update_many_is_update_row_by_row(demo: Ledger) -> None:
    rows = demo.query("SELECT id, value FROM indicator_values WHERE year = 2026 LIMIT 40")
    edits = [(r["id"], {"value": (r["value"] or 0) + n % 3, "note": "批量" if n % 2 else ""})
             for n, r in enumerate(rows)]
    with demo.write("批量") as writer:
        changed = writer.update_many("indicator_values", edits)
    bulk = {r.row_id: r.after for r in writer.change.rows}
    demo.revert(writer.change)
    with demo.write("逐条") as writer:
        one_by_one = sum(writer.update("indicator_values", row_id, values)
                         for row_id, values in edits)
    single = {r.row_id: r.after for r in writer.change.rows}
    assert changed == one_by_one == len(bulk)

    def strip(row: dict[str, Any] | None) -> dict[str, Any]:  # as stored, types too
        return {k: repr(v) for k, v in (row or {}).items() if k != "updated_at"}

    assert {k: strip(v) for k, v in bulk.items()} == {k: strip(v) for k, v in single.items()}


def test_packet_times_follow_the_apps_clock(bureau: Ledger, tmp_path: Path) -> None:
    """Issued, returned and merged at core.clock's moment (tests fix it): the 报送情况 panel's
    on-time column is the clock's, not the wall clock's."""
    from datetime import datetime

    from core import clock

    with clock.fixed(datetime(2026, 7, 1, 9, 30)):
        packet = packets.issue(bureau, "科技科", PERIOD, tmp_path / "科技科.wlp")
    assert packet.info.issued_at.startswith("2026-07-01T09:30:00")
    _fill(packet.path, {"技术合同交易额": {"value": "12.5"}})
    with clock.fixed(datetime(2026, 7, 3, 11, 5)):  # typed in the 科技科 on this morning
        _fill(packet.path, {"高新技术企业数": {"value": "70"}})
    with clock.fixed(datetime(2026, 7, 4, 16, 0)):
        back = packets.make_return(packet.path, tmp_path / "科技科回.wlp")
    typed = next(i for i in packets.preview(bureau, back.path).items
                 if i.what == "指标“高新技术企业数”")
    assert typed.when.startswith("2026-07-03T11:05")  # when, in the dry run
    with clock.fixed(datetime(2026, 7, 9, 8, 0)):
        packets.apply_merge(bureau, packets.preview(bureau, back.path))
        again = packets.preview(bureau, back.path)
    assert again.already == "该报送包已于 2026-07-09 08:00 导入过"
    status = {s.unit: s for s in packets.filing_status(bureau, PERIOD)}["科技科"]
    assert status.issued_at and status.issued_at.startswith("2026-07-01T09:30")
    assert status.received_at and status.received_at.startswith("2026-07-04T16:00")
    assert status.on_time is True  # due 2026-07-05


def test_an_edition_is_made_at_the_apps_clock(demo: Ledger) -> None:
    from datetime import datetime

    from core import clock, editions

    with clock.fixed(datetime(2026, 7, 6, 10, 15)):
        edition, _change = editions.submit(demo, PERIOD, note="按时上报")
    assert edition.made_at.startswith("2026-07-06T10:15:00")
    assert demo.scalar("SELECT created_at FROM period_locks").startswith("2026-07-06T10:15")


def test_insert_many_knows_the_rows_it_stored(demo: Ledger) -> None:
    """Whole rows typed as SQLite keeps them are not read back; any other row is — either way
    the Change holds the rows exactly as stored (types too), so undo and the audit are right."""
    source = demo.query("SELECT * FROM services ORDER BY id LIMIT 6")
    whole = [{**row, "id": f"{row['id']}-副本"} for row in source[:3]]
    partial = [{"date": "2026-05-0" + str(n + 1), "kind": "走访", "person_times": n,
                "amount": 3} for n in range(3)]  # defaults to fill, an int into a REAL column
    with demo.write("批量新增") as writer:
        writer.insert_many("services", whole)
        writer.insert_many("services", partial)
    for change in writer.change.rows:
        stored = demo.query("SELECT * FROM services WHERE id = ?", (change.row_id,))[0]
        assert {k: repr(v) for k, v in (change.after or {}).items()} == {
            k: repr(v) for k, v in stored.items()}


def test_a_value_over_a_figure_our_records_compute_says_so(bureau: Ledger,
                                                           tmp_path: Path) -> None:
    """高新技术企业数 is counted from the enterprise register: the tab shows that count where
    the dry run's 台账现值 is empty, so the dry run names it, and the packet's value comes in
    as the clerk's 手工修正 over it (the computed one is kept beside it)."""
    computed = bureau.metrics.figure("高新技术企业数", PERIOD).derived_value
    assert computed is not None and _figure(bureau, "高新技术企业数") is None
    packet = packets.issue(bureau, "科技科", PERIOD, tmp_path / "科技科.wlp")
    _fill(packet.path, {"高新技术企业数": {"value": "70"}, "技术合同交易额": {"value": "9"}})
    back = packets.make_return(packet.path, tmp_path / "科技科回.wlp")
    plan = packets.preview(bureau, back.path)
    notes = {i.what: i.note for i in plan.items if i.field == "value"}
    assert notes["指标“高新技术企业数”"] == (f"台账现为自动计算值 {packets.show(computed)}，"
                                        "导入后报送值作为手工修正")
    assert notes["指标“技术合同交易额”"] == ""  # typed, not computed: nothing to say
    packets.apply_merge(bureau, plan)
    figure = bureau.metrics.figure("高新技术企业数", PERIOD)
    assert (figure.entered, figure.derived_value) == (70, computed)
