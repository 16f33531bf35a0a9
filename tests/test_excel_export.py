"""Excel export: the year's data a sheet per tab, readable, printable, safe, and re-importable."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from excel_files import sheet_rows, without
from openpyxl import load_workbook

from core.cli import main
from core.errors import InputError, LedgerError
from core.exchange.excel_export import FORMULA_STARTS, display_width, export_year
from core.exchange.excel_import import apply_import, preview_file
from core.exchange.importers import NEW, UNCHANGED
from core.exchange.layout import SHEETS
from core.ledger import Ledger
from core.periods import Period

YEAR = 2026


@pytest.fixture
def exported(demo: Ledger, tmp_path: Path) -> Path:
    return export_year(demo, YEAR, tmp_path / "导出" / "星河区2026年台账.xlsx").path


def test_a_sheet_per_tab_with_units_frozen_headers_and_filters(exported: Path) -> None:
    workbook = load_workbook(exported)
    assert workbook.sheetnames == [sheet.title for sheet in SHEETS]
    for worksheet in workbook.worksheets:
        assert worksheet.freeze_panes == "A2"
        assert worksheet.auto_filter.ref.startswith("A1:")
        assert worksheet.print_title_rows == "$1:$1"
        assert all(cell.font.bold for cell in worksheet[1])
    headers = [cell.value for cell in workbook["项目"][1]]
    assert "总投资（亿元）" in headers and f"{YEAR}年完成投资（亿元）" in headers
    assert "问题(条)" in [cell.value for cell in workbook["服务记录"][1]]


def test_columns_fit_their_chinese_text(exported: Path) -> None:
    workbook = load_workbook(exported)
    for worksheet in workbook.worksheets:
        for column in worksheet.iter_cols():
            letter = column[0].column_letter
            width = worksheet.column_dimensions[letter].width
            header = str(column[0].value)
            assert width >= display_width(header) + 1, (worksheet.title, header)
    names = workbook["企业名录"]
    longest = max(display_width(str(c.value)) for c in names["A"][1:])
    assert names.column_dimensions["A"].width >= longest
    assert display_width("星河区") == 6 and display_width("A1") == 2


def test_numbers_are_numbers_and_dates_are_dates(demo: Ledger, exported: Path) -> None:
    workbook = load_workbook(exported)
    projects = workbook["项目"]
    headers = [cell.value for cell in projects[1]]
    invest, start = headers.index("总投资（亿元）"), headers.index("开工日期")
    rows = list(projects.iter_rows(min_row=2, values_only=True))
    assert all(isinstance(row[invest], float | int) for row in rows)
    assert any(isinstance(row[start], datetime) for row in rows)
    cell = projects.cell(row=2, column=invest + 1)
    assert cell.number_format == "0.00"
    services = workbook["服务记录"]
    assert all(isinstance(row[0], datetime) for row in services.iter_rows(min_row=2,
                                                                          values_only=True))
    stored = demo.scalar("SELECT count(*) FROM services WHERE date LIKE '2026-%'")
    assert services.max_row - 1 == stored


def test_the_indicator_sheet_holds_the_latest_period_or_every_period(demo: Ledger,
                                                                     tmp_path: Path) -> None:
    latest = export_year(demo, YEAR, tmp_path / "最近一期.xlsx")
    active = len(demo.catalogue.all())
    assert latest.period == demo.latest_period() and latest.rows["指标"] == active
    every = export_year(demo, YEAR, tmp_path / "每一期.xlsx", all_periods=True)
    months = demo.scalar("SELECT count(DISTINCT months) FROM indicator_values WHERE year = ?",
                         (YEAR,))
    assert every.rows["指标"] == active * months
    rows = sheet_rows(latest.path, "指标")
    growth = next(row for row in rows if row[0] == "规上工业增加值增速")
    figure = demo.metrics.figure("规上工业增加值增速", latest.period)
    assert growth[3:7] == (YEAR, latest.period.months_label, figure.value, "填报")


def test_text_that_looks_like_a_formula_stays_text(demo: Ledger, tmp_path: Path) -> None:
    tricky = ["=HYPERLINK(\"http://example.com\",\"点我\")", "+86 138 0000 0000", "-",
              "@SUM(A1:A9)", "\t缩进的备注", "\r回车开头"]
    for number, text in enumerate(tricky):
        change = demo.services.add(date=f"2026-03-{number + 1:02d}", kind="其他", description="x")
        with demo.write("备注以制表符开头") as writer:  # typing strips them; older data may not
            writer.update("services", change.inserted_ids("services")[0], {"description": text})
    out = export_year(demo, YEAR, tmp_path / "公式.xlsx").path
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)  # no formula anywhere in the file
    cells = {c.value: c for row in load_workbook(out)["服务记录"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)}
    for text in tricky:
        assert cells[text].data_type == "s" and cells[text].quotePrefix


def test_characters_a_workbook_cannot_hold_are_dropped_not_fatal(demo: Ledger,
                                                                 tmp_path: Path) -> None:
    change = demo.services.add(date="2026-04-01", kind="其他", description="x")
    with demo.write("早于输入规则的数据") as writer:  # typing refuses them now (core.text)
        writer.update("services", change.inserted_ids("services")[0],
                      {"description": "响铃\x07符与\x1b转\ufffe义\uffff"})
    out = export_year(demo, YEAR, tmp_path / "控制字符.xlsx").path
    descriptions = [row[7] for row in sheet_rows(out, "服务记录")]
    assert "响铃符与转义" in descriptions


def test_only_xlsx_and_never_a_half_written_file(demo: Ledger, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.xlsx"):
        export_year(demo, YEAR, tmp_path / "台账.xls")
    blocker = tmp_path / "是文件"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(LedgerError):
        export_year(demo, YEAR, blocker / "导出.xlsx")
    target = tmp_path / "旧的.xlsx"
    target.write_bytes(b"old")
    export_year(demo, YEAR, target)
    assert zipfile.is_zipfile(target)
    assert not list(tmp_path.glob("*.part"))


def test_export_command(demo_path: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "命令导出.xlsx"
    assert main(["export", "--db", str(demo_path), "--year", str(YEAR), "--out", str(target)],
                out=out) == 0
    assert str(target) in out.getvalue() and "企业名录 180 行" in out.getvalue()
    assert load_workbook(target).sheetnames[0] == "指标"


_TIMES = ("created_at", "updated_at")


def test_an_export_imported_into_an_empty_ledger_gives_the_same_records(
    demo: Ledger, exported: Path, tmp_path: Path
) -> None:
    period = Period(YEAR, demo.latest_period().months)  # type: ignore[union-attr]
    with Ledger.open(tmp_path / "新电脑" / "空台账.db") as empty:
        plan = preview_file(empty, exported)
        assert plan.can_apply and plan.count(NEW) > 0
        apply_import(empty, plan)
        assert preview_file(empty, exported).count(UNCHANGED) == len(plan.results())
        for table, where in (("enterprises", ""), ("projects", ""),
                             ("honours", f"WHERE year = {YEAR}"),
                             ("services", f"WHERE date LIKE '{YEAR}-%'"),
                             ("project_investments", f"WHERE year = {YEAR}")):
            sql = f"SELECT * FROM {table} {where}"
            original, copied = demo.query(sql), empty.query(sql)
            if table == "project_investments":  # new ids: compare by project
                original = without(original, "id", *_TIMES)
                copied = without(copied, "id", *_TIMES)
            assert without(copied, *_TIMES) == without(original, *_TIMES), table
        for figure in demo.metrics.figures(period):
            if figure.source in ("entered", "overridden"):
                again = empty.metrics.figure(figure.indicator.name, period)
                assert (again.value, again.target_committed, again.rank, again.note) == (
                    figure.value, figure.target_committed, figure.rank, figure.note)
        assert date.fromisoformat(empty.query("SELECT min(date) AS d FROM services")[0]["d"])
