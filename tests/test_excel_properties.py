"""The importer fed generated malformed workbooks: it never crashes and never half-writes.

Random headers (ours, clerks' synonyms, junk), random cells of every type (numbers, huge and
formula-like strings, dates, booleans, formulas without saved results), empty and multiple
sheets. Whatever comes in, either a Chinese refusal leaves the ledger exactly as it was, or the
whole valid import is applied as one Change whose revert gives the ledger back exactly.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from pathlib import Path
from typing import Any

from excel_files import write_xlsx
from helpers import dump
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.errors import LedgerError
from core.exchange.excel_import import apply_import, preview_file
from core.exchange.layout import SHEETS
from core.ledger import Ledger
from core.services import KINDS

_HEADERS = sorted({name for sheet in SHEETS for column in sheet.columns
                   for name in (column.header, *column.synonyms)})
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
_CELLS = st.one_of(
    st.none(),
    st.integers(-10**18, 10**18),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
    st.sampled_from(["江州属性测试企业有限公司", "星河属性测试科技有限公司", "2026-05-01",
                     "2026年3月", "1-11月", "全年", "是", "否", "3.5亿", "12%", "#N/A", "合计",
                     "91439901MA4L0QXB17", "2019-2023", *KINDS]),
    st.sampled_from(["=1+1", "=A1/0", "=SUM(B2:B9)", "+86", "-", "@x"]),  # formulas / lookalikes
    _TEXT.map(lambda text: (text or "长") * 2000),  # huge strings
    st.dates(date(1800, 1, 1), date(2300, 12, 31)),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
    st.booleans(),
)
_TITLES = st.sampled_from(["企业名录", "项目", "服务记录", "企业荣誉", "指标", "工作计划", "Sheet1",
                           "表二", "数据"])


@st.composite
def _sheet(draw: st.DrawFn) -> list[list[Any]]:
    headers = draw(st.lists(st.one_of(st.sampled_from(_HEADERS), _TEXT, st.none()), max_size=9))
    width = max(len(headers), 1)
    rows = draw(st.lists(st.lists(_CELLS, min_size=0, max_size=width), max_size=8))
    above = draw(st.lists(st.lists(_CELLS, max_size=3), max_size=2))  # titles above the header
    return [*above, headers, *rows]


_NAMES = st.text("江州星河瑞丰恒拓鼎新华璟科技电子有限公司", min_size=2, max_size=14)


@st.composite
def _plausible_sheet(draw: st.DrawFn) -> list[list[Any]]:
    """Mostly valid rows of a register, a service log or a plan, now and then a bad cell."""
    cell = st.one_of(_CELLS, _TEXT) if draw(st.booleans()) else st.nothing()
    kind = draw(st.sampled_from(["register", "services", "plan"]))
    if kind == "register":
        headers = ["企业名称", "行业", "备注"]
        row = st.tuples(_NAMES, _TEXT | cell, _TEXT | cell)
    elif kind == "plan":
        headers = ["计划年份", "部分", "总体思路", "事项", "完成时限", "目标指标", "目标值",
                   "推进项目"]
        row = st.tuples(st.sampled_from([2027, None, "2027年"]) | cell,
                        st.sampled_from(["一、稳增长", "二、促创新"]) | cell,
                        st.sampled_from([None, "思路甲"]) | cell, _NAMES | cell,
                        st.sampled_from([None, "2027年6月底前", "2027-12-31", "年内"]) | cell,
                        st.sampled_from([None, "规上工业增加值增速", "没有的指标"]) | cell,
                        st.floats(0, 100) | st.none() | cell,
                        st.sampled_from([None, "不在台账中的项目"]) | cell)
    else:
        headers = ["日期", "企业名称", "类型", "人次", "金额/数量", "事项"]
        row = st.tuples(st.dates(date(2020, 1, 1), date(2030, 12, 31)) | cell,
                        st.sampled_from(["", "不在名录中的企业"]) | cell,
                        st.sampled_from(KINDS) | cell, st.integers(0, 20) | cell,
                        st.floats(0, 1e6) | st.none() | cell, _TEXT)
    return [headers, *draw(st.lists(row.map(list), max_size=10))]


_WORKBOOKS = st.dictionaries(_TITLES, _sheet() | _plausible_sheet(), min_size=1, max_size=3)
_COUNTER = itertools.count()


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(book=_WORKBOOKS)
def test_malformed_workbooks_never_crash_nor_half_write(book: dict[str, list[list[Any]]],
                                                        demo: Ledger, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / f"生成的表{next(_COUNTER)}.xlsx", book)
    before = dump(demo.conn)
    try:
        plan = preview_file(demo, path)
        result = apply_import(demo, plan)
    except LedgerError as exc:  # refused: one sentence, and nothing written
        event(f"refused: {type(exc).__name__}")
        assert exc.message and "Traceback" not in exc.message
        assert dump(demo.conn) == before
        return
    event("applied")
    assert plan.can_apply and len(result.change.rows) == len(plan.ops)
    demo.revert(result.change)
    assert dump(demo.conn) == before
