"""Issue 18 #8 and #12: nothing is silently reinterpreted, and every bound sits in the parser
of its kind, so that the window, a paste and an import refuse alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.exchange.excel_export import MAX_CELL_TEXT, export_year
from core.exchange.excel_import import preview_file
from core.exchange.importers import REJECTED, UNCHANGED
from core.fields import MAX_RANK, parse_date, parse_rank, parse_year
from core.ledger import Ledger
from core.numbers import normalise, parse_number
from tests.conftest import DEMO_PERIOD
from tests.excel_files import write_xlsx

TWENTY_DIGITS = "12345678901234567890"


def _rank_indicator(ledger: Ledger):  # type: ignore[no-untyped-def]
    return next(i for i in ledger.catalogue.all() if i.kind not in ("text", "list"))


def test_a_twenty_digit_rank_is_refused_in_the_window(demo: Ledger) -> None:
    indicator = _rank_indicator(demo)
    with pytest.raises(InputError, match=f"1 到 {MAX_RANK}"):
        demo.metrics.set(indicator, DEMO_PERIOD, "rank", TWENTY_DIGITS)


def test_a_twenty_digit_rank_is_rejected_by_the_dry_run(demo: Ledger, tmp_path: Path) -> None:
    indicator = _rank_indicator(demo)
    path = write_xlsx(tmp_path / "排名.xlsx", {"指标": [
        ("指标", "年份", "期间", "本期数值", "排名"),
        (indicator.name, DEMO_PERIOD.year, DEMO_PERIOD.months_label, None, TWENTY_DIGITS)]})
    plan = preview_file(demo, path)
    first = plan.results()[0]
    assert first.action == REJECTED and f"1 到 {MAX_RANK}" in first.detail
    assert not plan.can_apply


@settings(max_examples=60, deadline=None)
@given(st.integers())
def test_every_rank_is_refused_or_fits(number: int) -> None:
    for raw in (number, str(number), f"第{number}名"):
        try:
            parsed = parse_rank(raw, field="排名")
        except InputError:
            assert not 1 <= number <= MAX_RANK
        else:
            assert parsed == number and 1 <= number <= MAX_RANK


@pytest.mark.parametrize("typed", ["10²", "①②", "𝟓", "٣", "Ⅻ", "½"])
def test_look_alike_digits_are_refused_not_read_as_other_numbers(typed: str) -> None:
    with pytest.raises(InputError):
        parse_number(typed, field="数值")
    with pytest.raises(InputError):
        parse_rank(typed, field="排名")
    with pytest.raises(InputError):
        parse_year(typed, field="年份")


def test_full_width_input_is_still_understood() -> None:
    assert parse_number("１２．５％", field="增速", unit="%") == 12.5
    assert parse_number("－３", field="增速", unit="%") == -3
    assert normalise("　１，２３４　") == "1,234"
    assert parse_rank("第３名", field="排名") == 3


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", date(1, 1, 1), date(9999, 1, 1),
                                   "1899-12-31"])
def test_a_service_date_outside_1900_2200_is_refused(typed: object, ledger: Ledger) -> None:
    with pytest.raises(InputError, match="1900–2200"):
        parse_date(typed, field="日期")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        ledger.services.add(date=typed, kind="走访")
    assert ledger.scalar("SELECT count(*) FROM services") == 0


def test_text_cut_by_the_export_is_not_proposed_as_a_change(demo: Ledger, tmp_path: Path
                                                            ) -> None:
    row_id = demo.scalar("SELECT id FROM projects LIMIT 1")
    long_note = "很长的备注" * (MAX_CELL_TEXT // 5 + 10)
    with demo.write("早于长度上限的数据") as writer:  # typing refuses such a text now
        writer.update("projects", row_id, {"note": long_note})
    result = export_year(demo, DEMO_PERIOD.year, tmp_path / "导出.xlsx")
    assert result.cut == 1 and "32,767" in result.notes[0]
    plan = preview_file(demo, result.path)
    project_rows = [r for r in plan.results() if r.sheet == "项目"]
    assert all(r.action == UNCHANGED for r in project_rows), [
        (r.action, r.detail[:80]) for r in project_rows if r.action != UNCHANGED]
    assert any("32,767" in note for note in plan.notes)
