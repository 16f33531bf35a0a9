"""督办: item and milestone status through a year, on a fixed clock (core.clock)."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import dump
from hypothesis import given, settings
from hypothesis import strategies as st

from core import clock
from core.errors import InputError
from core.ledger import Ledger
from core.periods import Period, current_period
from core.report.build import build
from core.supervision import (
    DONE,
    DUE_SOON,
    NOT_STARTED,
    ON_TRACK,
    OVERDUE,
    Status,
    item_status,
    opening_line,
    status_of,
)

YEAR = 2027
ROOT = Path(__file__).resolve().parent.parent


# -- the clock ---------------------------------------------------------------------------------
def test_no_core_module_reads_the_calendar_but_the_clock():
    """date.today() anywhere in core but core/clock.py would make a rule depend on the day."""
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        if path.name == "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr == "today"
                    and isinstance(node.value, ast.Name) and node.value.id == "date"):
                offenders.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    # the daily backup and the day a ledger was last checked go by the real calendar
    assert sorted(o.split(":")[0] for o in offenders) == ["core/backup.py", "core/storage.py"], \
        offenders


def test_the_clock_drives_the_period_and_the_reports_date(ledger: Ledger):
    with clock.fixed(date(2027, 3, 9)):
        assert current_period() == Period(2027, 3)
        document = build(ledger, Period(2027, 3), "标题\n今天是【日期】。")
    assert document.blocks[1].text == "今天是2027年3月9日。"


# -- the rule, alone ---------------------------------------------------------------------------
ITEM = {"deadline": f"{YEAR}-06-30", "done_on": None, "result_status": ""}
STEP = {"what": "完成方案", "due": f"{YEAR}-03-31", "done_on": None}


def at(month: int, day: int, *, item=ITEM, milestones=(STEP,), progress=()) -> Status:
    return item_status(item, milestones, progress, on=date(YEAR, month, day), warn_days=7)


def test_an_item_through_the_year():
    logged = [{"date": f"{YEAR}-02-01", "text": "召开协调会"}]
    reached = [{**STEP, "done_on": f"{YEAR}-03-28"}]
    assert at(1, 10).label == NOT_STARTED
    assert at(2, 15, progress=logged).label == ON_TRACK
    assert at(1, 31, progress=logged).label == NOT_STARTED  # logged in February: not yet
    soon = at(3, 26, progress=logged)  # the milestone is due in 5 days
    assert (soon.label, soon.text, soon.mark) == (DUE_SOON, "临期（剩5天）", "yellow")
    late_step = at(4, 2, progress=logged)  # a missed 节点 makes the item late before June
    assert (late_step.label, late_step.text, late_step.mark) == (OVERDUE, "超期2天", "red")
    assert at(4, 10, milestones=reached).label == ON_TRACK
    assert at(6, 30, milestones=reached).text == "临期（今日到期）"
    assert at(7, 5, milestones=reached).text == "超期5天"
    late = at(7, 20, item={**ITEM, "done_on": f"{YEAR}-07-10"}, milestones=reached)
    assert (late.label, late.done_late, late.text, late.mark) == (DONE, True, "已完成（逾期）",
                                                                  "green")
    on_time = at(7, 20, item={**ITEM, "done_on": f"{YEAR}-06-20"}, milestones=reached)
    assert (on_time.label, on_time.done_late, on_time.text) == (DONE, False, "已完成")
    # As of 6月10日 the item done on 6月20日 was not done yet.
    assert at(6, 10, item={**ITEM, "done_on": f"{YEAR}-06-20"}, milestones=reached).label \
        == ON_TRACK


def test_a_milestone_through_the_year():
    assert status_of(STEP["due"], None, started=False, on=date(YEAR, 1, 5),
                     warn_days=7).label == NOT_STARTED
    assert status_of(STEP["due"], None, started=True, on=date(YEAR, 2, 5),
                     warn_days=7).label == ON_TRACK
    assert status_of(STEP["due"], None, started=True, on=date(YEAR, 3, 24),
                     warn_days=7).label == DUE_SOON
    assert status_of(STEP["due"], None, started=True, on=date(YEAR, 4, 1),
                     warn_days=7).label == OVERDUE
    late = status_of(STEP["due"], f"{YEAR}-04-03", started=True, on=date(YEAR, 4, 5),
                     warn_days=7)
    assert late.done and late.done_late


def test_checked_off_without_a_date_is_done_and_never_late():
    old = {"deadline": f"{YEAR}-12-31", "done_on": None, "result_status": "已完成"}
    status = item_status(old, [], [], on=date(YEAR + 1, 3, 1), warn_days=7)
    assert status.done and not status.done_late


def test_the_opening_line():
    statuses = [Status(DUE_SOON, days_left=3)] * 3 + [Status(OVERDUE, days_left=-2),
                                                      Status(ON_TRACK), Status(DONE)]
    assert opening_line(statuses) == "临期3项，超期1项"
    assert opening_line([Status(OVERDUE)]) == "超期1项"
    assert opening_line([Status(DONE), Status(NOT_STARTED)]) == ""


days = st.integers(min_value=-400, max_value=400)
ORDER = {NOT_STARTED: 0, ON_TRACK: 0, DUE_SOON: 1, OVERDUE: 2}


@settings(max_examples=150, deadline=None)
@given(due=days, done=st.none() | days, warn=st.integers(0, 30), started=st.booleans(),
       a=days, b=days)
def test_the_rule_as_days_pass(due, done, warn, started, a, b):
    """Done only once done; done late iff after the deadline; an open task only gets worse."""
    base = date(YEAR, 7, 1)
    deadline, done_on = base + timedelta(due), None if done is None else base + timedelta(done)
    early, later = sorted((base + timedelta(a), base + timedelta(b)))
    first = status_of(deadline, done_on, started=started, on=early, warn_days=warn)
    second = status_of(deadline, done_on, started=started, on=later, warn_days=warn)
    for status, on in ((first, early), (second, later)):
        assert status.done == (done_on is not None and done_on <= on)
        if status.done:
            assert status.done_late == (done_on > deadline)
        elif on > deadline:
            assert status.label == OVERDUE and status.days_left == (deadline - on).days
        elif (deadline - on).days <= warn:
            assert status.label == DUE_SOON
        else:
            assert status.label == (ON_TRACK if started else NOT_STARTED)
    if not first.done and not second.done:
        assert ORDER[first.label] <= ORDER[second.label]


# -- through the ledger ------------------------------------------------------------------------
@pytest.fixture
def item_id(ledger: Ledger) -> str:
    section = ledger.plans.add_section(YEAR, "推动产业项目建设").inserted_ids("plan_sections")[0]
    return ledger.plans.add_item(section, "推动中试基地建成投用", owner="工业股",
                                 co_offices="科技股、招商中心",
                                 deadline=f"{YEAR}年6月底").inserted_ids("plan_items")[0]


def test_progress_reaching_a_milestone_is_one_undo_step(ledger: Ledger, item_id: str):
    plans = ledger.plans
    step = plans.add_milestone(item_id, "完成设备招标", f"{YEAR}年3月").inserted_ids(
        "plan_milestones")[0]
    assert plans.item(item_id)["milestones"][0]["due"] == f"{YEAR}-03-31"
    before = dump(ledger.conn)
    with clock.fixed(date(YEAR, 3, 26)):
        assert plans.status(plans.item(item_id)).label == DUE_SOON
        change = plans.log_progress(item_id, "设备招标完成，签订采购合同", milestone_id=step)
        item = plans.item(item_id)
        assert item["progress"][0]["date"] == f"{YEAR}-03-26"
        assert item["progress"][0]["who"]  # the OS user
        assert item["milestones"][0]["done_on"] == f"{YEAR}-03-26"
        assert plans.status(item).label == ON_TRACK
        assert plans.status(item, on=date(YEAR, 3, 25)).label == DUE_SOON  # as of the day before
    ledger.revert(change)
    assert dump(ledger.conn) == before


def test_a_done_date_in_the_future_is_refused_and_nothing_changes(ledger: Ledger, item_id: str):
    before = dump(ledger.conn)
    with clock.fixed(date(YEAR, 5, 1)), pytest.raises(InputError, match="不能晚于今天"):
        ledger.plans.items.set_field(item_id, "done_on", f"{YEAR}-05-02")
    with clock.fixed(date(YEAR, 5, 1)), pytest.raises(InputError, match="进展情况"):
        ledger.plans.log_progress(item_id, "  ")
    assert dump(ledger.conn) == before


def test_deleting_an_item_takes_its_milestones_and_progress_and_undo_brings_them_back(
        ledger: Ledger, item_id: str):
    plans = ledger.plans
    plans.add_milestone(item_id, "完成土建", f"{YEAR}-04-30")
    with clock.fixed(date(YEAR, 2, 1)):
        plans.log_progress(item_id, "开工")
    before = dump(ledger.conn)
    change = plans.items.delete(item_id)
    assert ledger.scalar("SELECT count(*) FROM plan_progress") == 0
    ledger.revert(change)
    assert dump(ledger.conn) == before


def test_the_warning_days_are_a_ledger_setting(ledger: Ledger, item_id: str):
    plans = ledger.plans
    with clock.fixed(date(YEAR, 6, 15)):  # 15 days before the deadline
        assert plans.status(plans.item(item_id)).label == NOT_STARTED
        plans.set_warn_days("15天")
        assert plans.status(plans.item(item_id)).label == DUE_SOON
    with pytest.raises(InputError, match="临期天数"):
        plans.set_warn_days("半个月")
    assert plans.warn_days() == 15


def test_a_ledger_from_before_milestones_opens_with_its_plan_intact(ledger_path: Path):
    import sqlite3

    from core import schema

    conn = sqlite3.connect(ledger_path, isolation_level=None)
    for migration in schema.MIGRATIONS[:2]:
        schema.run_migration(conn, migration)
    stamp = "2026-01-01T00:00:00.000+08:00"
    conn.execute("INSERT INTO plan_sections VALUES ('s', 2026, 1, '项目建设', '', ?, ?)",
                 (stamp, stamp))
    conn.execute("INSERT INTO plan_items (id, section_id, title, owner, deadline, result_status,"
                 " created_at, updated_at) VALUES ('i', 's', '推进项目', '工业股', '2026-12-31',"
                 " '已完成', ?, ?)", (stamp, stamp))
    conn.close()
    with Ledger.open(ledger_path) as opened:
        item = opened.plans.item("i")
        assert (item["owner"], item["co_offices"], item["done_on"]) == ("工业股", "", None)
        assert opened.plans.status(item, on=date(2027, 1, 5)).done  # ticked 已完成 at year end
        assert opened.plans.warn_days() == 7
