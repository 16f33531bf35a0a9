"""Excel import: a dry run first, all-or-nothing apply, clear refusals that change nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from excel_files import closed_digest, save_formula_results, write_xlsx
from helpers import dump, file_digest
from openpyxl import load_workbook

from core.backup import BEFORE_IMPORT, list_backups
from core.cli import main
from core.errors import ConflictError, InputError, ReadOnlyError
from core.exchange import reading
from core.exchange.excel_export import export_year
from core.exchange.excel_import import (
    EMPTY_CELLS_NOTE,
    apply_import,
    guess_mappings,
    preview,
    preview_file,
)
from core.exchange.importers import CHANGED, NEW, REJECTED, UNCHANGED
from core.exchange.layout import Mapping
from core.exchange.reading import ImportRefused, read_workbook
from core.ledger import Ledger
from core.periods import Period

CODE_OK = "91439901MA4L0QXB17"  # a valid 统一社会信用代码


def _enterprise_sheet(path: Path, rows: list[list[Any]]) -> Path:
    """A clerk's own register: a title row, a header with their words, a 序号 column."""
    return write_xlsx(path, {"2026年新增企业": [
        ["星河区2026年新增企业名单"],
        ["序号", "单位名称", "统一社会信用代码", "所属行业", "联系人", "规上企业"],
        *rows,
    ]})


def test_a_clerks_own_sheet_is_recognised_by_its_headers(ledger: Ledger, tmp_path: Path) -> None:
    path = _enterprise_sheet(tmp_path / "新增企业.xlsx", [
        [1, "江州启航电子科技有限公司", CODE_OK, "电子信息", "李四", 2026],
        [2, "星河云帆软件有限公司", None, "软件信息", "王五", None],
        ["合计", None, None, None, None, None],
    ])
    workbook = read_workbook(path)
    mapping = guess_mappings(workbook)["2026年新增企业"]
    assert mapping is not None and mapping.kind == "enterprises" and mapping.header_row == 2
    assert sorted(mapping.columns.values()) == ["above_scale", "credit_code", "industry", "name"]
    plan = preview(ledger, workbook)
    assert [r.action for r in plan.results()] == [NEW, NEW]
    notes = "\n".join(plan.notes)
    assert "序号" in notes and "联系人" in notes and "合计行" in notes and EMPTY_CELLS_NOTE in notes
    result = apply_import(ledger, plan)
    assert result.new == 2 and result.change.tables == {"enterprises"}
    row = ledger.query("SELECT * FROM enterprises WHERE credit_code = ?", (CODE_OK,))[0]
    assert (row["name"], row["industry"], row["above_scale_since"]) == (
        "江州启航电子科技有限公司", "电子信息", 2026)


def test_every_rejection_says_why_and_blocks_the_whole_import(ledger: Ledger,
                                                              tmp_path: Path) -> None:
    path = _enterprise_sheet(tmp_path / "有错的表.xlsx", [
        [1, "正常的企业有限公司", None, "装备制造", None, None],
        [2, "信用代码错了的企业", "91439901MA4L0QXB18", None, None, None],
        [3, None, None, "新材料", None, None],
        [4, "正常的企业有限公司", None, None, None, None],
        [5, "规上年份写错的企业", None, None, None, "去年"],
    ])
    before = dump(ledger.conn)
    plan = preview_file(ledger, path)
    rejected = {r.row: r.detail for r in plan.results(REJECTED)}
    assert set(rejected) == {4, 5, 6, 7}
    assert "校验位" in rejected[4]
    assert "企业名称" in rejected[5]
    assert "第 3 行" in rejected[6]  # the same enterprise twice in one file
    assert "认定年份" in rejected[7]
    assert not plan.can_apply
    with pytest.raises(InputError, match="4 行未通过"):
        apply_import(ledger, plan)
    assert dump(ledger.conn) == before
    digest = closed_digest(ledger)
    code = main(["import", "--db", str(ledger.path), str(path), "--apply"], out=io.StringIO())
    assert code == 1 and file_digest(ledger.path) == digest


def test_formulas_use_saved_results_and_a_formula_without_one_is_rejected(
    demo: Ledger, tmp_path: Path
) -> None:
    enterprise = demo.enterprises.names()[0]
    path = write_xlsx(tmp_path / "服务.xlsx", {"走访记录": [
        ["日期", "企业名称", "类型", "人次", "事项"],
        ["2026-05-06", enterprise, "走访", "=2+3", "公式有保存的结果"],
        ["2026-05-07", enterprise, "走访", "=2*3", "公式没有保存结果"],
        ["2026-05-08", enterprise, "走访", "=1/0", "公式结果是错误值"],
    ]})
    save_formula_results(path, {"D2": "5", "D4": "#DIV/0!"})
    plan = preview_file(demo, path)
    assert plan.formulas == 3
    assert any("公式" in note and "保存的计算结果" in note for note in plan.notes)
    results = {r.row: r for r in plan.results()}
    assert results[2].action == NEW and results[2].ops[0].values["person_times"] == 5
    assert results[3].action == REJECTED and "没有保存计算结果" in results[3].detail
    assert results[4].action == REJECTED and "#DIV/0!" in results[4].detail


def test_units_in_headers_are_converted(demo: Ledger, tmp_path: Path) -> None:
    enterprise = demo.enterprises.names()[1]
    path = write_xlsx(tmp_path / "项目.xlsx", {"重点项目": [
        ["项目名称", "项目单位", "计划总投资（万元）", "开工时间", "本年完成投资(万元)",
         "是否技改"],
        ["星河新建智能工厂项目", enterprise, 35000, "2026/3/15", "12000", "是"],
    ]})
    plan = preview_file(demo, path, year=2026)
    assert plan.count(NEW) == 1 and plan.can_apply
    apply_import(demo, plan)
    project = demo.query("SELECT * FROM projects WHERE name = '星河新建智能工厂项目'")[0]
    assert project["total_investment"] == pytest.approx(3.5)
    assert project["start_date"] == "2026-03-15" and project["tech_renovation"] == 1
    assert demo.projects.investments(project["id"]) == {2026: pytest.approx(1.2)}


def test_an_edited_export_changes_exactly_what_was_edited_and_undoes(demo: Ledger,
                                                                     tmp_path: Path) -> None:
    out = export_year(demo, 2026, tmp_path / "导出.xlsx").path
    workbook = load_workbook(out)
    projects = workbook["项目"]
    headers = [c.value for c in projects[1]]
    column = headers.index("总投资（亿元）") + 1
    old_total = projects.cell(row=2, column=column).value
    projects.cell(row=2, column=column).value = old_total + 1
    name = projects.cell(row=2, column=1).value
    register = workbook["企业名录"]
    register.cell(row=3, column=10).value = "导出后补充的备注"
    workbook.save(out)
    before = dump(demo.conn)
    plan = preview_file(demo, out)
    changed = plan.results(CHANGED)
    assert {r.label for r in changed} == {f"项目“{name}”", f"企业“{register.cell(3, 1).value}”"}
    assert any("总投资" in r.detail for r in changed)
    assert plan.count(NEW) == 0 and plan.count(REJECTED) == 0
    result = apply_import(demo, plan)
    assert demo.scalar("SELECT total_investment FROM projects WHERE name = ?", (name,)) == (
        pytest.approx(old_total + 1))
    backups = [b for b in list_backups(demo.path) if b.reason == BEFORE_IMPORT]
    assert len(backups) == 1 and backups[0].path == result.backup
    backup = Ledger.open(result.backup, readonly=True)
    assert dump(backup.conn) == before
    backup.close()
    demo.revert(result.change)  # one Change: the window's undo takes the whole import back
    assert dump(demo.conn) == before


def test_indicator_values_with_periods_reasons_and_overrides(demo: Ledger, tmp_path: Path
                                                             ) -> None:
    path = write_xlsx(tmp_path / "指标.xlsx", {"指标": [
        ["指标名称", "年份", "期间", "本期数值", "确保目标", "备注", "超范围原因"],
        ["规上工业增加值增速", 2026, "1-12月", 6.9, 6.5, "全年快报", None],
        ["技术合同交易额", 2026, "全年", "4.1亿", None, None, None],
        ["高新技术产业增加值占GDP比重", 2026, 12, 35.5, None, None, None],
        ["规上工业增加值增速", 2025, "1-12月", 45, None, None, None],
        ["规上工业增加值增速", 2024, "1-12月", 45, None, None, "统计口径调整"],
        ["不存在的指标", 2026, 12, 1, None, None, None],
    ]})
    plan = preview_file(demo, path)
    results = {r.row: r for r in plan.results()}
    assert results[2].action == NEW and results[3].action == NEW
    assert results[3].ops[0].values["value"] == pytest.approx(41000)  # 亿 → 万元
    assert results[5].action == REJECTED and "超范围原因" in results[5].detail
    assert results[6].action == CHANGED and "统计口径调整" in results[6].detail
    assert results[7].action == REJECTED and "指标目录中没有" in results[7].detail


def test_a_stale_plan_or_a_read_only_ledger_is_refused(demo: Ledger, demo_path: Path,
                                                       tmp_path: Path) -> None:
    path = _enterprise_sheet(tmp_path / "企业.xlsx", [[1, "后来的企业有限公司", None, None, None,
                                                      None]])
    plan = preview_file(demo, path)
    demo.enterprises.add(name="检查之后录入的企业")
    before = dump(demo.conn)
    with pytest.raises(ConflictError, match="重新检查"):
        apply_import(demo, plan)
    assert dump(demo.conn) == before
    demo.close()
    with Ledger.open(demo_path, readonly=True) as reader:
        plan = preview_file(reader, path)  # a dry run only reads
        assert plan.can_apply
        with pytest.raises(ReadOnlyError):
            apply_import(reader, plan)


def test_the_clerk_may_correct_the_mapping(ledger: Ledger, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "自制表.xlsx", {"表一": [
        ["公司", "代码", "说明文字"],
        ["映射调整后导入的企业", CODE_OK, "从说明列导入备注"],
    ]})
    workbook = read_workbook(path)
    guessed = guess_mappings(workbook)["表一"]
    assert guessed is not None and 2 not in guessed.columns
    corrected = Mapping("enterprises", 1, {0: "name", 1: "credit_code", 2: "note"})
    plan = preview(ledger, workbook, mappings={"表一": corrected})
    apply_import(ledger, plan)
    assert ledger.query("SELECT note, credit_code FROM enterprises")[0] == {
        "note": "从说明列导入备注", "credit_code": CODE_OK}


def test_services_already_in_the_ledger_are_not_doubled(demo: Ledger, tmp_path: Path) -> None:
    out = export_year(demo, 2026, tmp_path / "导出.xlsx").path
    workbook = load_workbook(out)
    services = workbook["服务记录"]
    services.delete_cols(services.max_column)  # without the 记录编号: matched by content
    copy = list(services.iter_rows(min_row=2, max_row=2, values_only=True))[0]
    services.append(copy)  # one more visit, the same as an existing one
    workbook.save(out)
    plan = preview_file(demo, out)
    rows = [r for r in plan.results() if r.sheet == "服务记录"]
    assert sum(r.action == UNCHANGED for r in rows) == len(rows) - 1
    assert [r.action for r in rows if r.action != UNCHANGED] == [NEW]


# -- refused files: a clear message and a ledger byte-for-byte unchanged ------------------------
def _xlsx_bytes(tmp_path: Path) -> bytes:
    return write_xlsx(tmp_path / "好的.xlsx", {"企业": [["企业名称"], ["某企业"]]}).read_bytes()


def _refused_file(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / f"{kind}.xlsx"
    if kind == "text":
        path.write_text("企业名称,信用代码\n某企业,123\n", encoding="utf-8")
    elif kind == "html_as_xls":
        path = tmp_path / "系统导出.xls"
        path.write_text("<html><table><tr><td>企业名称</td></tr></table></html>", "utf-8")
    elif kind == "old_xls":
        path = tmp_path / "旧表.xls"
        path.write_bytes(reading.OLE2_MAGIC + bytes(4096))
    elif kind == "encrypted":
        path.write_bytes(reading.OLE2_MAGIC + bytes(512) + "EncryptionInfo".encode("utf-16-le"))
    elif kind == "damaged":
        path.write_bytes(_xlsx_bytes(tmp_path)[:1500])
    elif kind == "not_a_workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "missing":
        pass
    elif kind == "too_big":
        monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)
        path.write_bytes(_xlsx_bytes(tmp_path))
    elif kind == "too_many_rows":
        monkeypatch.setattr(reading, "MAX_ROWS", 50)
        write_xlsx(path, {"企业": [["企业名称"], *([f"企业{n}"] for n in range(60))]})
    elif kind == "no_known_columns":
        write_xlsx(path, {"杂项": [["甲", "乙"], [1, 2]], "空表": []})
    return path


REFUSALS = {
    "text": "不是 Excel 工作簿", "html_as_xls": "网页或文本", "old_xls": ".xls",
    "encrypted": "密码", "damaged": "损坏", "not_a_workbook": "不是 Excel 工作簿",
    "empty": "空文件", "missing": "找不到", "too_big": "超过导入上限",
    "too_many_rows": "50 行", "no_known_columns": "没有找到可识别的列",
}


@pytest.mark.parametrize("kind", sorted(REFUSALS))
def test_unfit_files_are_refused_and_the_ledger_is_untouched(
    kind: str, demo: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _refused_file(kind, tmp_path, monkeypatch)
    with pytest.raises(ImportRefused) as caught:
        preview_file(demo, path)
    assert REFUSALS[kind] in caught.value.message
    digest = closed_digest(demo)
    code = main(["import", "--db", str(demo.path), str(path), "--apply"], out=io.StringIO())
    error = capsys.readouterr().err
    assert code == 1 and REFUSALS[kind] in error and "Traceback" not in error
    assert file_digest(demo.path) == digest


def test_import_command_dry_run_then_apply(ledger: Ledger, tmp_path: Path) -> None:
    path = _enterprise_sheet(tmp_path / "企业.xlsx", [
        [1, "命令行导入的企业有限公司", CODE_OK, "装备制造", None, 2025]])
    ledger.close()
    digest = file_digest(ledger.path)
    out = io.StringIO()
    assert main(["import", "--db", str(ledger.path), str(path)], out=out) == 0
    assert "新增 1 条" in out.getvalue() and "--apply" in out.getvalue()
    assert file_digest(ledger.path) == digest  # the dry run wrote nothing
    out = io.StringIO()
    assert main(["import", "--db", str(ledger.path), str(path), "--apply"], out=out) == 0
    assert "已导入：新增 1 条" in out.getvalue()
    with Ledger.open(ledger.path, readonly=True) as reopened:
        assert reopened.enterprises.names() == ["命令行导入的企业有限公司"]
        assert reopened.latest_period() is None or isinstance(reopened.latest_period(), Period)


def test_an_apply_cancelled_at_any_step_leaves_the_ledger_exactly_as_it_was(
    ledger: Ledger, tmp_path: Path
) -> None:
    """Issue 18 #10: the apply reports progress and may be cancelled until just before the
    commit; a companion connection (the worker's) writes, the window's sees it afterwards."""
    path = write_xlsx(tmp_path / "大表.xlsx", {"企业": [["企业名称"]] + [
        [f"取消测试企业{n:04d}"] for n in range(1200)]})
    plan = preview(ledger, read_workbook(path))
    before = dump(ledger.conn)
    calls: list[tuple[str, int, int]] = []
    plan_ops = len(plan.ops)

    def count(what: str, done: int, total: int) -> None:
        calls.append((what, done, total))

    companion = Ledger.companion(ledger.path)
    try:
        for stop in range(4):  # backup, start of writing, after 500, after 1000 rows
            seen: list[int] = []

            def cancel_at(what: str, done: int, total: int, stop: int = stop,
                          seen: list[int] = seen) -> None:
                seen.append(done)
                if len(seen) > stop:
                    raise reading.ImportCancelled("已取消")

            with pytest.raises(reading.ImportCancelled):
                apply_import(companion, plan, cancel_at)
            assert dump(ledger.conn) == before
        apply_import(companion, plan, count)
    finally:
        companion.close()
    assert calls[0][0] == "正在备份台账"
    assert [c[1] for c in calls[1:]] == [0, 500, 1000, 1200] and calls[-1][2] == plan_ops
    ledger.invalidate()
    assert ledger.scalar("SELECT count(*) FROM enterprises") == 1200
