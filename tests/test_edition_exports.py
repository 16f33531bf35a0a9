"""Every export names its edition (草稿 / 第N版), read back from the file it wrote."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from core import editions
from core.cli import main as cli_main
from core.ledger import Ledger
from core.periods import Period
from core.report.writers.text import edition_line, periods_edition_line

PERIOD = Period(2026, 11)
EARLIER = Period(2026, 6)


def sheets_header(path: Path) -> tuple[set[str], str]:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    return {sheet.oddHeader.right.text for sheet in workbook.worksheets}, str(
        workbook.properties.title)


def test_the_edition_line_is_one_rule(demo: Ledger) -> None:
    assert periods_edition_line(demo, [PERIOD]) == edition_line("草稿") == "版本：草稿"
    editions.submit(demo, PERIOD)
    assert periods_edition_line(demo, [PERIOD]) == "版本：第1版（上报版）"
    assert periods_edition_line(demo, [EARLIER, PERIOD]) == (
        "版本：2026年1-6月草稿；2026年1-11月第1版（上报版）")
    assert periods_edition_line(demo, []) == "版本：草稿"


def test_excel_export_names_its_edition_on_every_sheet(demo: Ledger, tmp_path: Path) -> None:
    from core.exchange.excel_export import export_year
    from core.exchange.excel_import import preview_file
    from core.exchange.importers import REJECTED

    draft = export_year(demo, 2026, tmp_path / "草稿.xlsx")
    headers, title = sheets_header(draft.path)
    assert headers == {"版本：草稿"} and title == "2026年工作台账（版本：草稿）"
    assert len(headers) == 1 and draft.edition == "版本：草稿"
    editions.submit(demo, PERIOD, note="报区统计局")
    sent = export_year(demo, 2026, tmp_path / "上报.xlsx")
    headers, title = sheets_header(sent.path)
    assert headers == {"版本：第1版（上报版）"} and "第1版" in title
    every = export_year(demo, 2026, tmp_path / "各期.xlsx", all_periods=True)
    headers, _title = sheets_header(every.path)
    (line,) = headers
    assert "2026年1-11月第1版（上报版）" in line and "草稿" in line
    # row 1 is still the header row: the file re-imports as before
    plan = preview_file(demo, sent.path)
    assert plan.count(REJECTED) == 0


def test_cli_export_says_the_edition(demo_path: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    assert cli_main(["export", "--db", str(demo_path), "--year", "2026", "--out",
                     str(tmp_path / "表.xlsx")], out) == 0
    assert "版本：草稿" in out.getvalue()


def test_a_saved_chart_names_its_edition(demo: Ledger, tmp_path: Path) -> None:
    from PIL import Image

    from core.charts import CHARTS, render_png, save_png

    key = next(iter(CHARTS))
    path = save_png(demo, PERIOD, key, tmp_path / "图表 𠮷.png", dpi=60)
    with Image.open(path) as image:
        assert image.text["edition"] == "版本：草稿"  # type: ignore[attr-defined]
    editions.submit(demo, PERIOD)
    path = save_png(demo, PERIOD, key, tmp_path / "图表.png", dpi=60)
    with Image.open(path) as image:
        assert image.text["edition"] == "版本：第1版（上报版）"  # type: ignore[attr-defined]
    # the chart inside the summary leaves the edition to the summary's own line
    with Image.open(io.BytesIO(render_png(demo, PERIOD, key, dpi=60))) as image:
        assert "edition" not in image.text  # type: ignore[attr-defined]


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_the_compare_list_printout_names_its_edition(demo_path: Path, tmp_path: Path,
                                                     suffix: str) -> None:
    with Ledger.open(demo_path) as ledger:
        editions.submit(ledger, PERIOD)
        editions.unlock(ledger, PERIOD, "统计局反馈数据调整")
    out = tmp_path / f"与上报版比较{suffix}"
    assert cli_main(["period", "compare", "--db", str(demo_path), "--year", "2026",
                     "--months", "1-11", "--out", str(out)], io.StringIO()) == 0
    assert "（版本：草稿）" in out.read_text(encoding="utf-8-sig")
