"""Record tables: typed fields in, strict rows out, all-or-nothing batches, safe deletes."""

from __future__ import annotations

import pytest
from helpers import dump

from core.errors import ConflictError, InputError
from core.fields import BatchError, parse_date, parse_year_span
from core.ledger import Ledger
from core.periods import Period


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2025-3-5", "2025-03-05"), ("2025/03/05", "2025-03-05"), ("2025.3.5", "2025-03-05"),
     ("2025年3月5日", "2025-03-05"), ("20250305", "2025-03-05"), ("2025-3", "2025-03-01"),
     ("2025年3月", "2025-03-01"), ("２０２５－３－５", "2025-03-05"),
     ("2025-03-05 00:00:00", "2025-03-05")],
)
def test_dates_as_clerks_type_them(typed: str, stored: str) -> None:
    assert parse_date(typed, field="开工日期") == stored


@pytest.mark.parametrize("typed", ["2025-2-30", "三月", "2025", "25-3-5", "2025-13-01"])
def test_bad_dates_are_refused(typed: str) -> None:
    with pytest.raises(InputError, match="开工日期"):
        parse_date(typed, field="开工日期")


def test_flag_year_spans() -> None:
    assert parse_year_span("2019", field="规上") == (2019, None)
    assert parse_year_span("2019-2023", field="规上") == (2019, 2023)
    assert parse_year_span("2019年至2023年", field="规上") == (2019, 2023)
    assert parse_year_span("", field="规上") == (None, None)
    for bad in ("是", "2023-2019", "19"):
        with pytest.raises(InputError, match="规上"):
            parse_year_span(bad, field="规上")


def test_enterprise_names_and_codes_are_unique(ledger: Ledger) -> None:
    ledger.enterprises.add(name="星河瑞丰（江州）有限公司", credit_code="91110000600037341L")
    with pytest.raises(InputError, match="已有"):
        ledger.enterprises.add(name="星河瑞丰(江州)有限公司")  # half-width brackets: same name
    with pytest.raises(InputError, match="已属于"):
        ledger.enterprises.add(name="另一家有限公司", credit_code="91110000600037341l")
    with pytest.raises(InputError, match="校验位不符"):
        ledger.enterprises.add(name="第三家有限公司", credit_code="91110000600037341K")


def test_records_refer_to_enterprises_by_name(ledger: Ledger) -> None:
    with pytest.raises(InputError, match="企业名录中没有“未登记公司”"):
        ledger.services.add(date="2026-1-1", kind="走访", enterprise="未登记公司")
    ledger.enterprises.add(name="已登记有限公司")
    change = ledger.services.add(date="2026-1-1", kind="走访", enterprise="已登记有限公司")
    row = ledger.services.get(change.inserted_ids("services")[0])
    assert ledger.services.display(row, "enterprise") == "已登记有限公司"


def test_project_dates_must_be_in_order(ledger: Ledger) -> None:
    with pytest.raises(InputError, match="早于「签约日期」"):
        ledger.projects.add(name="甲", signed_date="2026-5-1", start_date="2026-4-1")
    with pytest.raises(InputError, match="请同时填写「开工日期」"):
        ledger.projects.add(name="乙", completion_date="2026-5-1")
    project = ledger.projects.add(name="丙", start_date="2026-4-1").inserted_ids("projects")[0]
    with pytest.raises(InputError, match="早于「开工日期」"):
        ledger.projects.set_field(project, "completion_date", "2026-3-1")


def test_project_status_follows_its_dates(ledger: Ledger) -> None:
    period = Period(2026, 11)
    cases = [
        ({}, "谋划"), ({"signed_date": "2026-02-01"}, "签约"),
        ({"signed_date": "2026-12-01"}, "谋划"), ({"signed_date": "2025-02-01"}, "已签约"),
        ({"start_date": "2026-03-01"}, "新开工"), ({"start_date": "2025-03-01"}, "在建"),
        ({"signed_date": "2026-01-05", "start_date": "2026-03-01"}, "签约、新开工"),
        ({"start_date": "2025-03-01", "completion_date": "2026-06-01"}, "竣工投产"),
        ({"start_date": "2026-03-01", "completion_date": "2026-06-01"}, "新开工、竣工投产"),
        ({"start_date": "2025-03-01", "completion_date": "2026-12-20"}, "在建"),
        ({"start_date": "2023-03-01", "completion_date": "2024-06-01"}, "已投产"),
    ]
    ledger.projects.add_many([{"name": f"项目{n}", **dates} for n, (dates, _s) in
                              enumerate(cases)])
    shown = {row["name"]: row["status"] for row in ledger.projects.rows(period)}
    assert shown == {f"项目{n}": status for n, (_d, status) in enumerate(cases)}


def test_a_batch_edit_with_one_bad_cell_writes_nothing(ledger: Ledger) -> None:
    ids = ledger.projects.add_many([{"name": "甲"}, {"name": "乙"}]).inserted_ids("projects")
    before = dump(ledger.conn)
    with pytest.raises(BatchError) as caught:
        ledger.projects.set_fields([
            (ids[0], "total_investment", "3.5亿"),
            (ids[1], "total_investment", "很多"),
            (ids[1], "start_date", "明年"),
        ])
    assert [index for index, _m in caught.value.problems] == [1, 2]
    assert dump(ledger.conn) == before
    with pytest.raises(BatchError) as caught:
        ledger.projects.add_many([{"name": "丙"}, {"name": ""}, {"total_investment": "1"}])
    assert {index for index, _m in caught.value.problems} == {1, 2}
    assert dump(ledger.conn) == before


def test_an_amount_gets_its_usual_unit(ledger: Ledger) -> None:
    change = ledger.services.add(date="2026-3-1", kind="物资", amount="5000")
    row = ledger.services.get(change.inserted_ids("services")[0])
    assert row["amount_unit"] == "个"
    ledger.services.set_field(row["id"], "kind", "融资贷款")
    ledger.services.set_field(row["id"], "amount_unit", "")
    assert ledger.services.get(row["id"])["amount_unit"] == "万元"


def test_an_enterprise_still_used_is_not_deleted(ledger: Ledger) -> None:
    enterprise = ledger.enterprises.add(name="在用有限公司").inserted_ids("enterprises")[0]
    ledger.projects.add(name="甲项目", enterprise="在用有限公司")
    before = dump(ledger.conn)
    with pytest.raises(ConflictError, match="还有 1 个项目"):
        ledger.enterprises.delete(enterprise)
    assert dump(ledger.conn) == before


def test_listing_filters(ledger: Ledger) -> None:
    ledger.enterprises.add_many([
        {"name": "甲电气有限公司", "above_scale": "2020", "industry": "输变电"},
        {"name": "乙软件有限公司", "hitech": "2026"},
    ])
    assert [r["name"] for r in ledger.enterprises.rows(text="电气")] == ["甲电气有限公司"]
    assert ledger.enterprises.count(flag="hitech", year=2026) == 1
    assert ledger.enterprises.count(flag="hitech", year=2025) == 0
    ledger.services.add_many([
        {"date": "2026-01-05", "kind": "走访", "enterprise": "甲电气有限公司",
         "description": "协调用电"},
        {"date": "2026-02-05", "kind": "融资贷款", "amount": "500"},
    ])
    assert ledger.services.count(kind="走访") == 1
    assert ledger.services.count(text="甲电气") == 1
    assert ledger.services.count(start="2026-02-01", end="2026-02-28") == 1
    assert ledger.services.totals()["money_wan"] == pytest.approx(500)
