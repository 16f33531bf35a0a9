"""Every kind of write is audited and reverts exactly; reverting the revert redoes it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

import pytest
from helpers import dump

from core.changes import Change, os_user
from core.errors import ConflictError
from core.ledger import Ledger
from core.periods import Period

P = Period(2026, 11)


def _enterprise(ledger: Ledger, name: str = "星河测试电气有限公司") -> str:
    return ledger.enterprises.add(name=name, above_scale="2020").inserted_ids("enterprises")[0]


def _project(ledger: Ledger) -> str:
    _enterprise(ledger)
    return ledger.projects.add(
        name="测试智能化改造项目", enterprise="星河测试电气有限公司", start_date="2026-3",
        total_investment="2.5亿",
    ).inserted_ids("projects")[0]


def _section(ledger: Ledger) -> str:
    return ledger.plans.add_section(2027, "做强产业项目", "坚持项目为王").inserted_ids(
        "plan_sections")[0]


def _item(ledger: Ledger) -> str:
    section = _section(ledger)
    return ledger.plans.add_item(section, "推进重点项目").inserted_ids("plan_items")[0]


def _indicator(ledger: Ledger) -> str:
    return ledger.catalogue.add("营商环境评价得分", unit="分", decimals=1,
                                kind="amount").inserted_ids("indicators")[0]


# (what is prepared without being the write under test, the write under test)
WRITES: dict[str, tuple[Callable[[Ledger], object], Callable[[Ledger, object], Change]]] = {
    "catalogue.add": (lambda lg: None,
                      lambda lg, _: lg.catalogue.add("新指标", unit="家", kind="count")),
    "catalogue.rename": (_indicator, lambda lg, i: lg.catalogue.rename(i, "营商环境得分")),
    "catalogue.update": (_indicator, lambda lg, i: lg.catalogue.update(i, decimals=2, hard_min=0)),
    "catalogue.retire": (lambda lg: lg.catalogue.by_code("resumption_rate").id,
                         lambda lg, i: lg.catalogue.retire(i)),
    "catalogue.delete-unused": (_indicator, lambda lg, i: lg.catalogue.retire(i)),
    "catalogue.restore": (
        lambda lg: (lg.catalogue.retire(lg.catalogue.by_code("resumption_rate").id),
                   lg.catalogue.by_code("resumption_rate").id)[1],
        lambda lg, i: lg.catalogue.restore(i)),
    "metrics.set-new": (lambda lg: None,
                        lambda lg, _: lg.metrics.set("above_scale_va_growth", P, "value", "6.8%")),
    "metrics.set-existing": (
        lambda lg: lg.metrics.set("above_scale_va_growth", P, "value", "6.8"),
        lambda lg, _: lg.metrics.set("above_scale_va_growth", P, "target_committed", "7")),
    "metrics.set-with-reason": (
        lambda lg: None,
        lambda lg, _: lg.metrics.set("above_scale_va_growth", P, "value", "45", reason="新投产")),
    "metrics.set_many": (lambda lg: None, lambda lg, _: lg.metrics.set_many([
        ("above_scale_va_growth", P, "value", "6.8"),
        ("hitech_va_share", P, "value", "26.35"),
        ("hitech_va_share", P, "rank", "第一"),
    ])),
    "metrics.override": (lambda lg: _enterprise(lg),
                         lambda lg, _: lg.metrics.set("above_scale_count", P, "value", "57")),
    "metrics.clear_override": (
        lambda lg: (_enterprise(lg), lg.metrics.set("above_scale_count", P, "value", "57")),
        lambda lg, _: lg.metrics.clear_override("above_scale_count", P)),
    "enterprises.add": (lambda lg: None, lambda lg, _: lg.enterprises.add(
        name="星河瑞丰新材料有限公司", credit_code="91110000600037341L", hitech="2019-2023")),
    "enterprises.set_field": (_enterprise,
                              lambda lg, e: lg.enterprises.set_field(e, "tech_sme", "2025")),
    "enterprises.delete-with-honours": (
        lambda lg: (e := _enterprise(lg), lg.enterprises.honours.add_for(
            e, name="省长质量奖", category="质量奖", level="省级", year="2026"))[0],
        lambda lg, e: lg.enterprises.delete(e)),
    "honours.add": (_enterprise, lambda lg, e: lg.enterprises.honours.add(
        enterprise="星河测试电气有限公司", name="省级众创空间", category="众创空间", level="省级",
        year="2026")),
    "projects.add": (lambda lg: _enterprise(lg), lambda lg, _: lg.projects.add(
        name="新建厂房项目", enterprise="星河测试电气有限公司", signed_date="2026年2月",
        total_investment="12000万")),
    "projects.set_fields": (_project, lambda lg, p: lg.projects.set_fields([
        (p, "completion_date", "2026-10-31"), (p, "tech_renovation", "是")])),
    "projects.set_investment": (_project, lambda lg, p: lg.projects.set_investment(p, 2026, "1.2")),
    "projects.delete-with-children": (
        lambda lg: (p := _project(lg), lg.projects.set_investment(p, 2026, "1.2"),
                   lg.plans.set_projects(_item(lg), [p]))[0],
        lambda lg, p: lg.projects.delete(p)),
    "services.add_many": (lambda lg: _enterprise(lg), lambda lg, _: lg.services.add_many([
        {"date": "2026-3-5", "kind": "走访", "enterprise": "星河测试电气有限公司",
         "person_times": "6"},
        {"date": "2026-3-6", "kind": "融资贷款", "amount": "3000"},
    ])),
    "services.delete_many": (
        lambda lg: lg.services.add_many([{"date": "2026-3-5", "kind": "走访"},
                                       {"date": "2026-3-6", "kind": "其他"}]
                                      ).inserted_ids("services"),
        lambda lg, ids: lg.services.delete_many(ids)),
    "plans.add_section": (lambda lg: None, lambda lg, _: lg.plans.add_section(2027, "加强创新")),
    "plans.add_item": (_section, lambda lg, s: lg.plans.add_item(
        s, "保持增速", target_indicator="规上工业增加值增速", target_value="7%")),
    "plans.move": (
        lambda lg: (s := _section(lg), lg.plans.add_item(s, "一"), lg.plans.add_item(s, "二"),
                   lg.plans.add_item(s, "三"))[0],
        lambda lg, s: lg.plans.move("plan_items", lg.plans.outline(2027)[0]["items"][2]["id"], -2)),
    "plans.set_projects": (lambda lg: (_project(lg), _item(lg)),
                           lambda lg, ids: lg.plans.set_projects(ids[1], [ids[0]])),
    "plans.delete_section": (
        lambda lg: (i := _item(lg), lg.plans.set_projects(i, [_project(lg)]))[0],
        lambda lg, _: lg.plans.sections.delete(lg.plans.outline(2027)[0]["id"])),
    "plans.copy_year": (lambda lg: _item(lg), lambda lg, _: lg.plans.copy_year(2027, 2028)),
    "settings.set": (lambda lg: None, lambda lg, _: lg.set_setting("district", "星河区")),
    "settings.new-key": (lambda lg: None, lambda lg, _: lg.set_setting("city", "江州市")),
}


@pytest.mark.parametrize("kind", list(WRITES))
def test_write_is_audited_and_reverts_exactly(kind: str, ledger: Ledger) -> None:
    prepare, write = WRITES[kind]
    prepared = prepare(ledger)
    before = dump(ledger.conn)
    audit_before = ledger.scalar("SELECT max(id) FROM audit") or 0

    change = write(ledger, prepared)
    assert not change.is_empty and change.label
    after = dump(ledger.conn)
    assert after != before

    # The audit trail names every changed row and field, with the OS user.
    audit = ledger.query("SELECT * FROM audit WHERE id > ? ORDER BY id", (audit_before,))
    assert audit and all(a["user"] == os_user() and a["label"] == change.label for a in audit)
    for row in change.rows:
        entries = [a for a in audit if (a["tbl"], a["row_id"], a["action"])
                   == (row.table, row.row_id, row.action)]
        assert entries, f"no audit row for {row.action} of {row.table} {row.row_id}"
        if row.action == "update":
            assert set(row.changed_fields()) <= {a["field"] for a in entries}
            for name in row.changed_fields():
                logged = [a for a in entries if a["field"] == name][-1]
                assert json.loads(logged["old"]) == row.before[name]  # type: ignore[index]
                assert json.loads(logged["new"]) == row.after[name]  # type: ignore[index]
        else:
            snapshot = row.after if row.action == "insert" else row.before
            logged = [json.loads(a["new" if row.action == "insert" else "old"])
                      for a in entries if a["field"] == "*"]
            assert snapshot in logged

    undo = ledger.revert(change)
    assert dump(ledger.conn) == before
    assert undo.label.startswith("撤销")

    ledger.revert(undo)  # redo
    assert dump(ledger.conn) == after


def test_the_audit_table_is_append_only(ledger: Ledger) -> None:
    ledger.set_setting("district", "星河区")
    for statement in ("UPDATE audit SET user = 'x'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.DatabaseError, match="审计记录只能追加"):
            ledger.conn.execute(statement)


def test_revert_refuses_when_the_row_changed_since(ledger: Ledger) -> None:
    enterprise = _enterprise(ledger)
    first = ledger.enterprises.set_field(enterprise, "industry", "电气")
    ledger.enterprises.set_field(enterprise, "industry", "装备制造")
    before = dump(ledger.conn)
    with pytest.raises(ConflictError, match="又被修改过"):
        ledger.revert(first)
    assert dump(ledger.conn) == before


def test_a_failed_write_leaves_nothing_behind(ledger: Ledger) -> None:
    before = dump(ledger.conn, skip=())
    with pytest.raises(ZeroDivisionError), ledger.write("半途而废") as writer:
        writer.insert("enterprises", {"name": "写了一半的企业"})
        raise ZeroDivisionError
    assert dump(ledger.conn, skip=()) == before


def test_rows_carry_uuid_and_times(ledger: Ledger) -> None:
    enterprise = _enterprise(ledger)
    row = ledger.enterprises.get(enterprise)
    assert len(row["id"]) == 36 and row["id"].count("-") == 4
    assert row["created_at"] == row["updated_at"]
    ledger.enterprises.set_field(enterprise, "note", "新备注")
    changed = ledger.enterprises.get(enterprise)
    assert changed["created_at"] == row["created_at"]
    assert changed["updated_at"] >= row["updated_at"]


def test_a_batch_is_one_transaction_and_one_change(ledger: Ledger) -> None:
    project = _project(ledger)
    before = dump(ledger.conn)
    change = ledger.batch("粘贴 3 处", [
        lambda: ledger.projects.set_field(project, "total_investment", "3"),
        lambda: ledger.projects.add(name="粘贴新增项目"),
        lambda: ledger.metrics.set("above_scale_va_growth", P, "value", "6.8"),
    ])
    assert change.label == "粘贴 3 处"
    assert change.tables == {"projects", "indicator_values"}
    labels = {r[0] for r in ledger.conn.execute(
        "SELECT DISTINCT label FROM audit WHERE id > (SELECT max(id) - 3 FROM audit)")}
    assert labels == {"粘贴 3 处"}
    ledger.revert(change)
    assert dump(ledger.conn) == before


def test_a_batch_with_one_refused_write_leaves_nothing(ledger: Ledger) -> None:
    project = _project(ledger)
    before = dump(ledger.conn, skip=())
    with pytest.raises(ConflictError):
        ledger.batch("粘贴", [
            lambda: ledger.projects.set_field(project, "total_investment", "3"),
            lambda: ledger.enterprises.delete(ledger.enterprises.id_for_name(
                "星河测试电气有限公司")),  # still used by the project: refused
        ])
    assert dump(ledger.conn, skip=()) == before
    assert not ledger.conn.in_transaction
