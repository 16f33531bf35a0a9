"""Importing 工作计划: our export round-trips, a clerk's edits arrive, bad rows change nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from excel_files import write_xlsx
from helpers import dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.exchange.excel_export import export_year
from core.exchange.excel_import import apply_import, preview_file
from core.exchange.importers import CHANGED, NEW, REJECTED, UNCHANGED
from core.exchange.layout import PLANS
from core.ledger import Ledger

YEAR = 2026
HEADERS = [column.header for column in PLANS.columns]


def outline(ledger: Ledger, year: int) -> list[Any]:
    """A plan as the clerk sees it: sections, items and linked projects, in order, no ids."""
    return [(s["heading"], s["narrative"], [
        (i["title"], i["text"], i["target_indicator"], i["target_value"], i["owner"],
         i["deadline"], i["result_status"], i["result_note"], [p["name"] for p in i["projects"]])
        for i in s["items"]]) for s in ledger.plans.outline(year)]


def plan_sheet(path: Path, rows: list[dict[str, Any]]) -> Path:
    """A 工作计划 sheet in our export's layout; each row gives some of its columns by key."""
    keys = [column.key for column in PLANS.columns]
    return write_xlsx(path, {"工作计划": [HEADERS, *[[row.get(k) for k in keys] for row in rows]]})


def test_the_exported_plans_come_back_whole_into_an_empty_ledger(demo: Ledger,
                                                                 tmp_path: Path) -> None:
    exported = export_year(demo, YEAR, tmp_path / "导出.xlsx").path
    unchanged = preview_file(demo, exported)
    assert unchanged.count(UNCHANGED) == len(unchanged.results())
    with Ledger.open(tmp_path / "新电脑" / "空台账.db") as empty:
        plan = preview_file(empty, exported)
        plans_sheet = next(s for s in plan.sheets if s.title == "工作计划")
        assert not plans_sheet.skipped and plans_sheet.results
        assert all(r.action == NEW for r in plans_sheet.results)
        apply_import(empty, plan)
        for year in (YEAR, YEAR + 1):
            assert outline(empty, year) == outline(demo, year) != []
        again = preview_file(empty, exported)
        assert again.count(UNCHANGED) == len(again.results())


def test_a_clerks_edits_to_the_plan_are_shown_then_applied_and_undone(
    demo: Ledger, tmp_path: Path
) -> None:
    exported = export_year(demo, YEAR, tmp_path / "导出.xlsx").path
    before = outline(demo, YEAR + 1)
    first_section, first_item = before[0][0], before[0][2][0][0]
    project = demo.query("SELECT name FROM projects ORDER BY name LIMIT 1")[0]["name"]
    workbook = load_workbook(exported)
    sheet = workbook["工作计划"]
    column = {cell.value: cell.column for cell in sheet[1]}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == YEAR + 1 and row[column["事项"] - 1].value == first_item:
            row[column["责任人"] - 1].value = "赵六"
            row[column["完成时限"] - 1].value = date(YEAR + 1, 6, 30)
    sheet.append([YEAR + 1, first_section, None, "新增一项工作", "写进计划的新事项", None, None,
                  "钱七", None, None, None, project])
    sheet.append([None, "四、新设的部分", "新部分的总体思路", "新部分的第一项", None,
                  "规上工业增加值增速", "7%", None, None, None, None, None])
    workbook.save(exported)

    plan = preview_file(demo, exported)
    results = {r.label: r for r in plan.results() if r.sheet == "工作计划"}
    changed = [r for r in results.values() if r.action == CHANGED]
    assert len(changed) == 1
    assert "责任人" in changed[0].detail and "赵六" in changed[0].detail
    assert "完成时限" in changed[0].detail
    new = {label for label, r in results.items() if r.action == NEW}
    assert f"“新增一项工作”（{YEAR + 1}年计划 · {first_section}）" in new
    assert f"“新部分的第一项”（{YEAR + 1}年计划 · 四、新设的部分）" in new  # no year: next year's
    assert plan.count(REJECTED) == 0

    result = apply_import(demo, plan)
    after = outline(demo, YEAR + 1)
    edited = next(i for i in after[0][2] if i[0] == first_item)
    assert edited[4] == "赵六" and edited[5] == f"{YEAR + 1}-06-30"
    assert after[0][2][-1][:2] == ("新增一项工作", "写进计划的新事项")
    assert after[0][2][-1][-1] == [project]
    assert after[-1] == ("四、新设的部分", "新部分的总体思路", [
        ("新部分的第一项", "", "规上工业增加值增速", 7.0, "", None, "", "", [])])
    demo.revert(result.change)
    assert outline(demo, YEAR + 1) == before


@pytest.mark.parametrize(("row", "reason"), [
    ({"section": "一、已有的部分", "title": "关联不存在的项目", "projects": "查无此项目"},
     "不在项目台账中"),
    ({"section": "一、已有的部分", "title": "目标指标写错", "target_indicator": "不存在的指标"},
     "指标目录中没有"),
    ({"section": "一、已有的部分", "text": "只有内容没有事项"}, "「事项」不能为空"),
    ({"title": "没有部分的事项"}, "「部分」不能为空"),
    ({"section": "一、已有的部分", "title": "年份写错", "year": "明年"}, "年份"),
    ({"section": "一、已有的部分", "title": "完成情况写错", "result_status": "差不多"},
     "完成情况"),
])
def test_a_bad_plan_row_is_rejected_with_its_reason_and_nothing_is_written(
    ledger: Ledger, tmp_path: Path, row: dict[str, Any], reason: str
) -> None:
    ledger.plans.add_section(YEAR + 1, "一、已有的部分", "原有思路")
    before = dump(ledger.conn)
    path = plan_sheet(tmp_path / "计划.xlsx", [
        {"year": YEAR + 1, "section": "一、已有的部分", "title": "正常的一行"}, row])
    plan = preview_file(ledger, path, year=YEAR)
    rejected = plan.results(REJECTED)
    assert [r.row for r in rejected] == [3] and reason in rejected[0].detail, rejected
    assert not plan.can_apply
    assert dump(ledger.conn) == before


def test_one_section_with_two_narratives_or_one_item_twice_is_refused(ledger: Ledger,
                                                                     tmp_path: Path) -> None:
    path = plan_sheet(tmp_path / "计划.xlsx", [
        {"year": YEAR + 1, "section": "二、新部分", "narrative": "思路甲", "title": "第一项"},
        {"year": YEAR + 1, "section": "二、新部分", "narrative": "思路乙", "title": "第二项"},
        {"year": YEAR + 1, "section": "二、新部分", "title": "第一项", "owner": "张三"},
    ])
    plan = preview_file(ledger, path)
    details = {r.row: r.detail for r in plan.results(REJECTED)}
    assert set(details) == {3, 4}
    assert "总体思路" in details[3] and "第 2 行" in details[3]
    assert "第 2 行" in details[4] and "同一条记录" in details[4]


def test_projects_added_by_the_same_file_can_be_linked(demo: Ledger, tmp_path: Path) -> None:
    enterprise = demo.enterprises.names()[0]
    path = write_xlsx(tmp_path / "项目和计划.xlsx", {
        "项目": [["项目名称", "项目单位", "总投资（亿元）"],
                 ["星河新建、扩建综合项目", enterprise, 3.5]],
        "工作计划": [HEADERS[:5] + ["推进项目"],
                     [YEAR + 1, "五、项目攻坚", None, "推进新项目", None,
                      "星河新建、扩建综合项目"]],
    })
    plan = preview_file(demo, path)
    assert plan.count(REJECTED) == 0, plan.results(REJECTED)
    apply_import(demo, plan)
    section = outline(demo, YEAR + 1)[-1]
    assert section[0] == "五、项目攻坚"
    assert section[2][0][-1] == ["星河新建、扩建综合项目"]  # a name holding 、 is kept whole


def test_a_clerks_own_task_list_is_read_as_a_plan(ledger: Ledger, tmp_path: Path) -> None:
    """A 重点工作任务分解表 as offices keep them: a title row, their own headers, a 序号."""
    path = write_xlsx(tmp_path / "任务分解.xlsx", {"任务分解": [
        [f"{YEAR + 1}年重点工作任务分解表"],
        ["序号", "工作板块", "重点任务", "具体举措", "牵头单位", "完成时限", "备注"],
        [1, "一、稳增长", "规上企业培育", "新增规上企业10家", "经济运行科", "2027-12-31", None],
        [2, "一、稳增长", "重点项目调度", "每月调度一次", "项目办", "2027年6月底前", "按月"],
        [3, "二、促创新", "高企倍增", None, "科技科", None, None],
    ]})
    plan = preview_file(ledger, path, year=YEAR)
    sheet = plan.sheets[0]
    assert sheet.mapping is not None and sheet.mapping.kind == "plans"
    assert sheet.mapping.header_row == 2 and "序号" in sheet.ignored_columns
    assert [r.action for r in sheet.results] == [NEW, NEW, NEW]
    apply_import(ledger, plan)
    assert outline(ledger, YEAR + 1) == [
        ("一、稳增长", "", [
            ("规上企业培育", "新增规上企业10家", "", None, "经济运行科", "2027-12-31", "", "", []),
            ("重点项目调度", "每月调度一次", "", None, "项目办", "2027-06-30", "", "按月", []),
        ]),
        ("二、促创新", "", [("高企倍增", "", "", None, "科技科", None, "", "", [])]),
    ]


_BASES = ("星河", "云岭", "青山")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tails=st.lists(st.text(alphabet="、，,；;科技园 ", max_size=5), min_size=2, max_size=3))
def test_linked_projects_whose_names_hold_separators_come_back_as_they_were(
        demo: Ledger, tmp_path_factory: pytest.TempPathFactory, tails: list[str]) -> None:
    """Our export joins an item's projects with 、; a project's own name may hold 、 or ，
    (年产10万吨、5万吨项目): reading the cell back finds the same projects, not pieces of them."""
    project_ids = [str(r[0]) for r in demo.conn.execute(
        "SELECT id FROM projects ORDER BY id LIMIT ?", (len(tails),))]
    for project_id, base, tail in zip(project_ids, _BASES, tails, strict=False):
        demo.projects.set_field(project_id, "name", f"{base}{tail}")
    item_id = str(demo.scalar("SELECT id FROM plan_items ORDER BY id LIMIT 1"))
    demo.plans.set_projects(item_id, project_ids)
    exported = export_year(demo, YEAR, tmp_path_factory.mktemp("导出") / "导出.xlsx").path
    again = preview_file(demo, exported)
    assert [(r.sheet, r.label, r.detail) for r in again.results() if r.action != UNCHANGED] == []
