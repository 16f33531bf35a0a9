"""Issue 18: clerks' sheets read wrongly without a word, or at a big cost — merged cells (#2),
a formatted empty cell at Excel's last row (#5), a small file holding a gigabyte of text (#10),
columns past the limit (#12)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from benchmarks.hostile_xlsx import SERVICE_HEADER, one_long_text_in_every_row, write_raw_xlsx
from core.exchange.excel_import import apply_import, preview_file
from core.exchange.importers import NEW, REJECTED
from core.exchange.reading import MAX_COLUMNS, ImportRefused
from core.ledger import Ledger

ENTERPRISE = "星河精密制造有限公司"


@pytest.fixture
def with_enterprise(ledger: Ledger) -> Ledger:
    ledger.enterprises.add(name=ENTERPRISE)
    ledger.enterprises.add(name="云帆科技有限公司")
    return ledger


def test_an_enterprise_merged_over_three_rows_belongs_to_each(with_enterprise: Ledger,
                                                              tmp_path: Path) -> None:
    rows = [(1, SERVICE_HEADER),
            (2, ("2026-03-05", ENTERPRISE, "走访", 2, "了解用工")),
            (3, ("2026-03-12", None, "走访", 1, "协调用电")),
            (4, ("2026-03-19", None, "政策资金", 1, "兑现补贴")),
            (5, ("2026-03-20", "云帆科技有限公司", "走访", 1, "座谈"))]
    path = write_raw_xlsx(tmp_path / "合并单元格.xlsx", rows, merges=["B2:B4", "A1:A1"])
    plan = preview_file(with_enterprise, path)
    assert [r.action for r in plan.results()] == [NEW] * 4
    assert any("B2:B4" in note and "合并" in note for note in plan.notes), plan.notes
    apply_import(with_enterprise, plan)
    names = [row["name"] for row in with_enterprise.query(
        "SELECT e.name FROM services s JOIN enterprises e ON e.id = s.enterprise_id"
        " ORDER BY s.date")]
    assert names == [ENTERPRISE, ENTERPRISE, ENTERPRISE, "云帆科技有限公司"]


def test_a_formatted_empty_cell_at_the_last_row_is_not_a_million_rows(with_enterprise: Ledger,
                                                                       tmp_path: Path) -> None:
    rows = [(1, SERVICE_HEADER), (2, ("2026-03-05", ENTERPRISE, "走访", 2, "了解用工")),
            (3, ("2026-03-06", ENTERPRISE, "走访", 1, "回访"))]
    path = write_raw_xlsx(tmp_path / "格式到底.xlsx", rows, styled_cells=["A1048576", "E1048576"])
    started = time.perf_counter()
    plan = preview_file(with_enterprise, path)
    assert [r.action for r in plan.results()] == [NEW, NEW]
    assert time.perf_counter() - started < 3.0


def test_a_small_file_with_one_long_text_in_every_row_is_refused_quickly(ledger: Ledger,
                                                                        tmp_path: Path) -> None:
    path = one_long_text_in_every_row(tmp_path / "小文件.xlsx")
    assert path.stat().st_size < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(ImportRefused, match="文字超过导入上限"):
        preview_file(ledger, path)
    assert time.perf_counter() - started < 10.0  # was 166 s
    assert ledger.scalar("SELECT count(*) FROM services") == 0


def test_a_cell_over_the_text_limit_is_rejected_with_its_field(with_enterprise: Ledger,
                                                              tmp_path: Path) -> None:
    from core.text import MAX_TEXT_CHARS

    rows = [(1, SERVICE_HEADER),
            (2, ("2026-03-05", ENTERPRISE, "走访", 2, "很" * (MAX_TEXT_CHARS + 1)))]
    plan = preview_file(with_enterprise, write_raw_xlsx(tmp_path / "长.xlsx", rows))
    [result] = plan.results()
    assert result.action == REJECTED and "「事项」过长" in result.detail


def test_columns_past_the_limit_are_named_in_the_dry_run(with_enterprise: Ledger,
                                                         tmp_path: Path) -> None:
    header = (*SERVICE_HEADER, *([None] * (MAX_COLUMNS + 5 - len(SERVICE_HEADER))), "备注")
    data = ("2026-03-05", ENTERPRISE, "走访", 2, "了解用工",
            *([None] * (MAX_COLUMNS + 5 - len(SERVICE_HEADER))), "第 106 列的内容")
    path = write_raw_xlsx(tmp_path / "很宽.xlsx", [(1, header), (2, data)])
    plan = preview_file(with_enterprise, path)
    assert any(f"超过 {MAX_COLUMNS} 列" in note for note in plan.notes), plan.notes
