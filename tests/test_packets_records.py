"""报送 of the record tables: a unit filling 重点项目 (projects, their year's investment) and
工作计划 (the year's and next year's plan) for a period — issue → fill → return → merge with new
/ changed / conflict per field, deletes, and the enterprises a record refers to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core import editions, packets
from core.errors import InputError, PeriodLockedError
from core.filing_units import FilingUnits
from core.ledger import Ledger
from core.periods import Period
from tests.helpers import dump

PERIOD = Period(2026, 6)
UNIT = "星河园区"


def _first(ledger: Ledger, sql: str, params: tuple[Any, ...] = ()) -> dict[str, Any]:
    rows = ledger.query(sql, params)
    assert rows, sql
    return rows[0]


@pytest.fixture
def park(demo: Ledger) -> Ledger:
    units = FilingUnits(demo)
    units.add(UNIT, kind="园区")
    units.assign(UNIT, PERIOD, tables=["projects", "plans"], due="2026-07-05")
    return demo


def _section(ledger: Ledger, year: int) -> str:
    found = ledger.query("SELECT id FROM plan_sections WHERE year = ? ORDER BY position",
                         (year,))
    if found:
        return str(found[0]["id"])
    return ledger.plans.add_section(year, f"{year}年重点工作").inserted_ids("plan_sections")[0]


def test_projects_and_plans_travel_and_merge(park: Ledger, tmp_path: Path) -> None:
    running = _first(park, "SELECT * FROM projects WHERE start_date BETWEEN '2026-01-01' AND"
                     " '2026-06-30' ORDER BY name")
    shared = _first(park, "SELECT * FROM projects WHERE id <> ? AND (completion_date IS NULL"
                    " OR completion_date >= '2026-01-01') ORDER BY name", (running["id"],))
    gone = _first(park, "SELECT * FROM projects WHERE id NOT IN (?, ?) AND (completion_date IS"
                  " NULL OR completion_date >= '2026-01-01') AND id NOT IN (SELECT project_id"
                  " FROM plan_item_projects) ORDER BY name", (running["id"], shared["id"]))
    done_long_ago = park.projects.add(name="早已竣工的老项目", start_date="2018-01-01",
                                      completion_date="2019-06-30")
    next_section = _section(park, 2027)
    packet = packets.issue(park, UNIT, PERIOD, tmp_path / "园区.wlp")
    assert packet.records > 0
    with Ledger.open(packet.path, readonly=True) as unit:
        names = {r["name"] for r in unit.query("SELECT name FROM projects")}
        assert running["name"] in names and "早已竣工的老项目" not in names
        assert unit.scalar("SELECT count(*) FROM plan_sections WHERE year = 2027") >= 1
        assert not unit.query("SELECT 1 FROM services")  # not assigned
        # the indicators the plan's items aim at come along for the plan, not to be filled:
        # the packet's 指标 tab lists none of them (the park fills no indicator here)
        aimed = unit.query("SELECT DISTINCT i.name FROM plan_items p JOIN indicators i"
                           " ON i.id = p.target_indicator_id")
        assert aimed and unit.catalogue.all() == []
    del done_long_ago

    # the park fills its part in its own WorkLedger (the 项目 and 工作计划 tabs' core calls)
    with Ledger.open(packet.path) as unit:
        unit.projects.set_field(running["id"], "total_investment", "8.8亿")
        unit.projects.set_field(shared["id"], "note", "园区核实")
        unit.projects.set_investment(running["id"], 2026, "1.25")
        unit.enterprises.add(name="园区新落户科技有限公司")  # the 企业 register first
        unit.projects.add(name="园区新引进项目", enterprise="园区新落户科技有限公司",
                          signed_date="2026-05-20", total_investment="2亿")
        new_project = unit.scalar("SELECT id FROM projects WHERE name = '园区新引进项目'")
        unit.projects.delete(gone["id"])
        item = unit.plans.add_item(next_section, "建设园区公共服务平台",
                                   target_value="3").inserted_ids("plan_items")[0]
        unit.plans.set_projects(item, [new_project])
        unit.plans.add_milestone(item, "平台上线", "2027-06-30")
    # meanwhile the bureau's clerk edits the same note (a conflict) and another field
    park.projects.set_field(shared["id"], "note", "局里核实")
    back = packets.make_return(packet.path, tmp_path / "园区回.wlp").path

    plan = packets.preview(park, back)
    items = {(i.table, i.field, i.what): i for i in plan.items}
    state = dump(park.conn, skip=("audit", "settings"))
    total = items[("projects", "total_investment", f"项目“{running['name']}”")]
    assert total.status == packets.CHANGED and total.theirs == pytest.approx(8.8)
    assert total.base == pytest.approx(running["total_investment"])
    note = items[("projects", "note", f"项目“{shared['name']}”")]
    assert (note.status, note.base, note.theirs, note.ours) == (
        packets.CONFLICT, shared["note"], "园区核实", "局里核实")
    assert note.who and note.when.startswith("20")  # who typed it in the park, and when
    assert items[("projects", "*", "项目“园区新引进项目”")].status == packets.NEW
    assert items[("enterprises", "*", "企业“园区新落户科技有限公司”")].status == packets.NEW
    assert items[("projects", "*", f"项目“{gone['name']}”")].theirs == packets.DELETED
    invest = items[("project_investments", "amount", f"项目“{running['name']}”2026年完成投资")]
    assert invest.theirs == pytest.approx(1.25)
    assert any(i.table == "plan_items" and i.status == packets.NEW for i in plan.items)
    assert any(i.table == "plan_milestones" and i.status == packets.NEW for i in plan.items)
    assert [i.status for i in plan.items if i.table == "plan_item_projects"] == [packets.NEW]

    with pytest.raises(InputError, match="1 处冲突尚未选择"):  # nothing until chosen
        packets.apply_merge(park, plan)
    assert dump(park.conn, skip=("audit", "settings")) == state
    packets.apply_merge(park, plan, take={note.key: packets.OURS})
    got = park.query("SELECT * FROM projects WHERE id = ?", (running["id"],))[0]
    assert got["total_investment"] == pytest.approx(8.8)
    assert park.projects.investments(running["id"])[2026] == pytest.approx(1.25)
    assert park.scalar("SELECT note FROM projects WHERE id = ?", (shared["id"],)) == "局里核实"
    assert not park.query("SELECT 1 FROM projects WHERE id = ?", (gone["id"],))
    added = park.query("SELECT p.name, e.name AS enterprise FROM projects p JOIN enterprises e"
                       " ON e.id = p.enterprise_id WHERE p.name = '园区新引进项目'")
    assert added == [{"name": "园区新引进项目", "enterprise": "园区新落户科技有限公司"}]
    outline = park.plans.outline(2027)
    merged = [i for s in outline for i in s["items"] if i["title"] == "建设园区公共服务平台"]
    assert [p["name"] for p in merged[0]["projects"]] == ["园区新引进项目"]
    assert park.scalar("SELECT count(*) FROM plan_milestones WHERE what = '平台上线'") == 1


def test_record_changes_outside_the_units_part_are_not_merged(park: Ledger,
                                                              tmp_path: Path) -> None:
    FilingUnits(park).add("工业科")
    FilingUnits(park).assign("工业科", PERIOD, tables=["services"])
    packet = packets.issue(park, "工业科", PERIOD, tmp_path / "工业科.wlp").path
    with Ledger.open(packet) as unit:  # the packet holds no projects: it adds one anyway
        assert unit.scalar("SELECT count(*) FROM projects") == 0
        unit.projects.add(name="不该导入的项目", start_date="2026-03-01")
    plan = packets.preview(park, packets.make_return(packet, tmp_path / "回.wlp").path)
    outside = [i for i in plan.items if i.table == "projects"]
    assert [i.status for i in outside] == [packets.OUTSIDE]
    assert "不是本单位本期的填报内容" in outside[0].note
    packets.apply_merge(park, plan)
    assert not park.query("SELECT 1 FROM projects WHERE name = '不该导入的项目'")


def test_a_locked_period_refuses_a_merge_of_projects(park: Ledger, tmp_path: Path) -> None:
    running = _first(park, "SELECT * FROM projects WHERE start_date BETWEEN '2026-01-01' AND"
                     " '2026-06-30' ORDER BY name")
    section = _section(park, 2027)
    packet = packets.issue(park, UNIT, PERIOD, tmp_path / "园区.wlp").path
    with Ledger.open(packet) as unit:
        unit.projects.set_field(running["id"], "total_investment", "9.9亿")
        unit.plans.add_item(section, "锁定期间报来的计划事项")
    back = packets.make_return(packet, tmp_path / "园区回.wlp").path
    editions.submit(park, PERIOD)
    for only in ("projects", "plans"):  # each table alone is refused too
        FilingUnits(park).unassign(UNIT, PERIOD, tables=["projects" if only == "plans"
                                                          else "plans"])
        with pytest.raises(PeriodLockedError, match="已上报并锁定"):
            packets.apply_merge(park, packets.preview(park, back))
        FilingUnits(park).assign(UNIT, PERIOD, tables=["projects", "plans"])
    state = dump(park.conn, skip=("audit", "settings"))
    plan = packets.preview(park, back)
    assert any("锁定" in note for note in plan.notes)
    with pytest.raises(PeriodLockedError, match="已上报并锁定"):
        packets.apply_merge(park, plan)
    assert dump(park.conn, skip=("audit", "settings")) == state
    editions.unlock(park, PERIOD, "园区补报项目投资")
    packets.apply_merge(park, packets.preview(park, back))
    assert park.scalar("SELECT total_investment FROM projects WHERE id = ?",
                       (running["id"],)) == pytest.approx(9.9)
    assert park.scalar("SELECT count(*) FROM plan_items"
                       " WHERE title = '锁定期间报来的计划事项'") == 1


def test_an_enterprise_both_sides_added_is_one(park: Ledger, tmp_path: Path) -> None:
    """The park and the bureau each add the same new enterprise meanwhile: the packet's
    project refers to the bureau's row, none is added twice."""
    running = _first(park, "SELECT * FROM projects WHERE start_date BETWEEN '2026-01-01' AND"
                     " '2026-06-30' ORDER BY name")
    packet = packets.issue(park, UNIT, PERIOD, tmp_path / "园区.wlp").path
    with Ledger.open(packet) as unit:
        unit.enterprises.add(name="新落户智造有限公司")
        unit.projects.set_field(running["id"], "enterprise", "新落户智造有限公司")
        unit.projects.add(name="智造二期", enterprise="新落户智造有限公司",
                          signed_date="2026-06-01")
    back = packets.make_return(packet, tmp_path / "园区回.wlp").path
    ours = park.enterprises.add(name="新落户智造有限公司").inserted_ids("enterprises")[0]
    packets.apply_merge(park, packets.preview(park, back))
    assert park.scalar("SELECT count(*) FROM enterprises WHERE name = '新落户智造有限公司'") == 1
    assert park.scalar("SELECT enterprise_id FROM projects WHERE id = ?",
                       (running["id"],)) == ours
    assert park.scalar("SELECT enterprise_id FROM projects WHERE name = '智造二期'") == ours
