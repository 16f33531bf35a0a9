"""上报 locks every tab: each table a period's figures are read from refuses writes of that
period — from the tab's model, from an Excel import — and 解锁 with a reason lets them again.
(Packet merges of projects and plans: tests/test_packets_records.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core import editions
from core.errors import PeriodLockedError
from core.exchange.excel_import import apply_import, preview_file
from core.exchange.layout import PLANS
from core.ledger import Ledger
from core.periods import Period
from tests.excel_files import write_xlsx
from tests.helpers import dump

PERIOD = Period(2026, 6)
LOCKED = "2026年1-6月（第1版）的数据已上报并锁定"


def _project(ledger: Ledger, **raw: Any) -> str:
    change = ledger.projects.add(**raw)
    return change.inserted_ids("projects")[0]


def _section(ledger: Ledger, year: int) -> str:
    return ledger.plans.add_section(year, f"{year}年重点工作").inserted_ids("plan_sections")[0]


def _item(ledger: Ledger, section_id: str) -> str:
    return ledger.plans.add_item(section_id, "推进智能制造").inserted_ids("plan_items")[0]


def _enterprise(ledger: Ledger, name: str, **raw: Any) -> str:
    return ledger.enterprises.add(name=name, **raw).inserted_ids("enterprises")[0]


def test_every_tab_refuses_edits_of_a_locked_period_and_unlock_allows_them(demo: Ledger) -> None:
    started = _project(demo, name="星河锁定测试项目", start_date="2026-03-01",
                       total_investment="2亿")
    later = _project(demo, name="下半年开工项目", start_date="2026-09-01")
    old = _project(demo, name="早已竣工项目", start_date="2019-03-01",
                   completion_date="2020-05-01")
    this_plan, next_plan = _section(demo, 2026), _section(demo, 2027)
    next_item = _item(demo, next_plan)
    this_item = _item(demo, this_plan)
    flagged = _enterprise(demo, "锁定测试企业有限公司", above_scale="2026")
    honour_of = demo.enterprises.names()[0]
    editions.submit(demo, PERIOD, note="上报")
    state = dump(demo.conn, skip=("audit", "settings"))

    refused = [  # (what the clerk does, the call the tab's model makes)
        ("项目: 改开工日期", lambda: demo.projects.set_field(started, "total_investment", "3亿")),
        ("项目: 新增本期开工项目",
         lambda: demo.projects.add(name="新项目", start_date="2026-05-05")),
        ("项目: 把下半年项目改到本期开工",
         lambda: demo.projects.set_field(later, "start_date", "2026-04-01")),
        ("项目: 本年完成投资", lambda: demo.projects.set_investment(later, 2026, "0.5")),
        ("荣誉: 本年荣誉", lambda: demo.enterprises.honours.add(
            enterprise=honour_of, name="省级科技奖", category="科技奖", year="2026")),
        ("工作计划: 明年计划的标题", lambda: demo.plans.sections.set_field(
            next_plan, "heading", "改过的标题")),
        ("工作计划: 明年计划新增事项", lambda: _item(demo, next_plan)),
        ("工作计划: 明年事项的目标值",
         lambda: demo.plans.items.set_field(next_item, "target_value", "9")),
        ("工作计划: 明年事项关联项目", lambda: demo.plans.set_projects(next_item, [started])),
        ("企业: 本年规上标识", lambda: demo.enterprises.set_field(flagged, "above_scale", "")),
        ("企业: 新增本年规上企业",
         lambda: _enterprise(demo, "又一家有限公司", above_scale="2025")),
    ]
    for what, action in refused:
        with pytest.raises(PeriodLockedError, match=LOCKED):
            action()
        assert dump(demo.conn, skip=("audit", "settings")) == state, what

    # what no figure of the locked period reads stays editable
    demo.projects.set_field(later, "note", "备注可改")  # a project of the second half-year
    demo.projects.set_field(old, "total_investment", "1.5亿")  # completed years before
    demo.projects.set_field(started, "note", "备注不进任何数字")
    demo.plans.items.set_field(this_item, "result_note", "督办进展照常记")
    demo.plans.log_progress(next_item, "明年计划的进展照常记", on="2026-07-01")
    demo.enterprises.set_field(flagged, "note", "名录备注可改")
    _enterprise(demo, "没有标识的新企业有限公司")

    editions.unlock(demo, PERIOD, "统计局反馈调整")
    for _what, action in refused:
        action()  # every one goes through again (the delete last)


def test_an_import_into_a_locked_period_changes_nothing(demo: Ledger, tmp_path: Path) -> None:
    editions.submit(demo, PERIOD)
    state = dump(demo.conn, skip=("audit", "settings"))
    enterprise = demo.enterprises.names()[1]
    projects = write_xlsx(tmp_path / "项目.xlsx", {"重点项目": [
        ["项目名称", "项目单位", "计划总投资（万元）", "开工时间", "本年完成投资(万元)"],
        ["星河新建智能工厂项目", enterprise, 35000, "2026/3/15", "12000"]]})
    with pytest.raises(PeriodLockedError, match=LOCKED):
        apply_import(demo, preview_file(demo, projects, year=2026))
    keys = [column.key for column in PLANS.columns]
    row = {"year": 2027, "section": "明年工作", "title": "导入的事项"}
    plans = write_xlsx(tmp_path / "计划.xlsx", {"工作计划": [
        [c.header for c in PLANS.columns], [row.get(k) for k in keys]]})
    with pytest.raises(PeriodLockedError, match=LOCKED):
        apply_import(demo, preview_file(demo, plans, year=2027))
    assert dump(demo.conn, skip=("audit", "settings")) == state
    editions.unlock(demo, PERIOD, "补录项目")
    apply_import(demo, preview_file(demo, projects, year=2026))
    assert demo.scalar("SELECT count(*) FROM projects WHERE name = '星河新建智能工厂项目'") == 1


def test_a_version_6_ledger_gets_the_new_locks(tmp_path: Path) -> None:
    """A real file of data version 6 (main's 报送 release) upgrades: its assignment is kept,
    and its locks now cover projects too."""
    old = tmp_path / "张三" / "旧台账.db"
    old.parent.mkdir()
    old.write_bytes((Path(__file__).parent / "data" / "ledger-v6.db").read_bytes())
    with Ledger.open(old) as ledger:
        assert ledger.migrated_from == 6
        assert ledger.scalar("SELECT tbl FROM filing_assignments") == "services"
        editions.submit(ledger, Period(2025, 12))
        with pytest.raises(PeriodLockedError):
            ledger.projects.add(name="旧台账新项目", start_date="2025-05-01")
        from core.filing_units import FilingUnits

        FilingUnits(ledger).assign("工业科", Period(2026, 6), tables=["projects", "plans"])
