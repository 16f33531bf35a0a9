"""The catalogue as an Excel sheet: export, a dry run that changes nothing, an all-or-nothing
apply (backed up, audited, undoable), and sheets typed the way clerks type them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from excel_files import closed_digest, write_xlsx
from helpers import dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.catalogue_columns import COLUMN_BY_KEY
from core.cli import main
from core.default_catalogue import KINDS
from core.exchange.catalogue_sheet import export_catalogue, preview_catalogue
from core.exchange.excel_import import apply_import
from core.exchange.importers import CHANGED, NEW, REJECTED, UNCHANGED
from core.exchange.reading import ImportRefused
from core.ledger import Ledger
from core.periods import Period

HEAD = ["名称", "单位", "小数位数", "类型", "分组", "越大越好", "下限", "上限", "说明"]


def _plan(ledger: Ledger, tmp_path: Path, rows: list[list[object]], *,
          head: list[str] = HEAD, name: str = "目录.xlsx"):  # type: ignore[no-untyped-def]
    return preview_catalogue(ledger, write_xlsx(tmp_path / name, {"Sheet1": [head, *rows]}))


def test_round_trip_changes_nothing(demo: Ledger, tmp_path: Path) -> None:
    demo.catalogue.add("技改投资", unit="亿元", decimals=2, kind="amount", section="投资",
                       soft_min="0.5", description="  口径：技改项目  ")
    demo.catalogue.add("工业投资", unit="亿元", decimals=2, kind="amount", section="投资")
    demo.catalogue.add("技改投资占工业投资比重", unit="%", decimals=1, kind="share",
                       section="投资", numerator="技改投资", denominator="工业投资")
    demo.catalogue.retire(demo.catalogue.by_code("cloud_new").id)
    demo.catalogue.add("上云企业数", unit="家")  # an active namesake of the retired one
    path, rows = export_catalogue(demo, tmp_path / "指标目录.xlsx")
    assert rows == len(demo.catalogue.all(include_retired=True))
    plan = preview_catalogue(demo, path)
    assert plan.count(UNCHANGED) == rows and not plan.ops, plan.results(REJECTED)


def test_dry_run_lists_every_kind_of_row_and_writes_nothing(ledger: Ledger,
                                                            tmp_path: Path) -> None:
    before = dump(ledger.conn)
    plan = _plan(ledger, tmp_path, [
        ["研发经费投入强度", "%", 2, "占比", "科技创新", "是", 0, 100, "R&D 经费 ÷ GDP"],
        ["技术合同交易额", "亿元", 2, "金额/数量", "科技创新", "是", 0, None, None],  # 万元 before
        ["规上工业企业数", "家", 0, "计数", "绩效指标", "是", 0, None, None],
        ["坏的指标", "家", "两位", "计数", "绩效指标", "是", None, None, None],
    ])
    actions = [r.action for r in plan.results()]
    assert actions == [NEW, CHANGED, UNCHANGED, REJECTED]
    changed = plan.results(CHANGED)[0]
    assert "单位：万元 → 亿元" in changed.detail and "不会换算" not in changed.detail
    ledger.metrics.set("技术合同交易额", Period(2026, 6), "value", "3500")
    again = _plan(ledger, tmp_path, [["技术合同交易额", "亿元", 2, "金额", "科技创新"]],
                  name="再查.xlsx")
    assert "已填的数值按原数字保留，不会换算成新单位" in again.results(CHANGED)[0].detail
    before = dump(ledger.conn)
    refused = plan.results(REJECTED)[0]
    assert refused.row == 5 and "「小数位数」应为 0–6 的整数" in refused.detail
    assert dump(ledger.conn) == before
    assert not plan.can_apply  # all or nothing
    with pytest.raises(Exception, match="未通过检查"):
        apply_import(ledger, plan)
    assert dump(ledger.conn) == before


def test_apply_is_backed_up_audited_and_undoable(ledger: Ledger, tmp_path: Path) -> None:
    before = dump(ledger.conn)
    plan = _plan(ledger, tmp_path, [
        ["研发经费", "亿元", 2, "金额", "科技创新", "是", 0, None, None],
        ["地区生产总值", "亿元", 1, "金额", "科技创新", "是", 0, None, None],
        ["高新技术企业数", "家", 0, "计数", "科技创新", "是", 0, 5000, "有效期内"],
    ])
    result = apply_import(ledger, plan)
    assert result.backup.is_file() and (result.new, result.changed) == (2, 1)
    assert ledger.catalogue.find("研发经费") is not None
    assert ledger.catalogue.by_code("hitech_count").hard_max == 5000
    assert ledger.scalar("SELECT count(*) FROM audit WHERE label LIKE '%目录.xlsx%'") > 0
    ledger.revert(result.change)
    assert dump(ledger.conn, skip=("audit",)) == before


def test_ratio_columns_name_indicators_of_the_same_sheet(ledger: Ledger, tmp_path: Path) -> None:
    head = [*HEAD, "分子指标", "分母指标"]
    plan = _plan(ledger, tmp_path, [
        ["研发经费", "亿元", 2, "金额", "科技创新", "是", 0, None, None, None, None],
        ["地区生产总值", "亿元", 1, "金额", "科技创新", "是", 0, None, None, None, None],
        ["研发经费投入强度", "%", 2, "占比", "科技创新", "是", 0, 100, None, "研发经费",
         "地区生产总值"],
    ], head=head)
    assert plan.count(NEW) == 3, plan.results(REJECTED)
    apply_import(ledger, plan)
    period = Period(2026, 12)
    ledger.metrics.set("研发经费", period, "value", "9")
    ledger.metrics.set("地区生产总值", period, "value", "300")
    assert ledger.metrics.figure("研发经费投入强度", period).value == 3.0


# -- typed the way clerks type -------------------------------------------------------------------
def test_merged_group_cells_fill_every_row(ledger: Ledger, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEAD)
    sheet.append(["技改投资", "亿元", 2, "金额", "投资运行", "是"])
    sheet.append(["工业投资", "亿元", 2, "金额", None, "是"])
    sheet.append(["民间投资", "亿元", 2, "金额", None, "是"])
    sheet.merge_cells("E2:E4")
    path = tmp_path / "合并.xlsx"
    workbook.save(path)
    plan = preview_catalogue(ledger, path)
    assert plan.count(NEW) == 3
    apply_import(ledger, plan)
    assert {ledger.catalogue.find(n).section  # type: ignore[union-attr]
            for n in ("技改投资", "工业投资", "民间投资")} == {"投资运行"}
    assert any("合并" in note for note in plan.notes)


@pytest.mark.parametrize("typed, expected", [("是", True), ("√", True), ("否", False),
                                             ("×", False), (" 是 ", True), (1, True)])
def test_yes_no_as_clerks_type_it(ledger: Ledger, tmp_path: Path, typed: object,
                                  expected: bool) -> None:
    plan = _plan(ledger, tmp_path, [["单位能耗", "吨标煤", 2, "金额", "绩效指标", typed]])
    apply_import(ledger, plan)
    assert ledger.catalogue.find("单位能耗").higher_is_better is expected  # type: ignore[union-attr]


def test_full_width_digits_and_trailing_spaces(ledger: Ledger, tmp_path: Path) -> None:
    plan = _plan(ledger, tmp_path, [["技术合同成交额　", "万元 ", "２", " 金额/数量 ",
                                     "科技创新 ", "是", "０", "１０００００", " 登记额 "]])
    assert plan.count(NEW) == 1, plan.results(REJECTED)
    apply_import(ledger, plan)
    made = ledger.catalogue.find("技术合同成交额")
    assert made is not None
    assert (made.unit, made.decimals, made.section, made.hard_min, made.hard_max,
            made.description) == ("万元", 2, "科技创新", 0.0, 100000.0, "登记额")


def test_an_extra_column_is_named_and_left_out(ledger: Ledger, tmp_path: Path) -> None:
    plan = _plan(ledger, tmp_path, [["新指标甲", "家", 0, "计数", "绩效指标", "是", None, None,
                                     None, "王科长负责"]], head=[*HEAD, "责任人"])
    assert plan.count(NEW) == 1
    assert any("未导入的列：责任人" in note for note in plan.notes)


@pytest.mark.parametrize("cells, words", [
    ({"类型": "百分比"}, "「类型」应为 计数、金额/数量、增速、占比、排名、文字、名单 之一"),
    ({"越大越好": "可能"}, "「越大越好」应为“是”或“否”"),
    ({"小数位数": 9}, "「小数位数」应为 0–6 的整数"),
    ({"下限": "五十"}, "下限"),
    ({"类型": None}, "新指标须填写「类型」"),
    ({"名称": "含【括号】的名称"}, "不能含有"),
])
def test_bad_cells_are_refused_with_the_cell_named(ledger: Ledger, tmp_path: Path,
                                                   cells: dict[str, object], words: str) -> None:
    row: dict[str, object] = {"名称": "某指标", "单位": "家", "小数位数": 0, "类型": "计数",
                              "分组": "绩效指标", "越大越好": "是", "下限": None, "上限": None,
                              "说明": None}
    row.update(cells)
    plan = _plan(ledger, tmp_path, [[row[h] for h in HEAD]])
    refused = plan.results(REJECTED)
    assert len(refused) == 1 and refused[0].row == 2
    assert words in refused[0].detail


def test_two_rows_for_one_indicator_are_refused(ledger: Ledger, tmp_path: Path) -> None:
    plan = _plan(ledger, tmp_path, [["甲", "家", 0, "计数", "绩效指标"],
                                    ["甲", "个", 0, "计数", "绩效指标"]])
    assert [r.action for r in plan.results()] == [NEW, REJECTED]
    assert "第 2 行" in plan.results(REJECTED)[0].detail


def test_a_sheet_without_catalogue_columns_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "别的表.xlsx", {"Sheet1": [["企业名称", "地址"], ["甲", "乙"]]})
    with pytest.raises(ImportRefused, match="没有找到指标目录的列"):
        preview_catalogue(ledger, path)


def test_a_row_by_former_name_is_not_a_rename(ledger: Ledger, tmp_path: Path) -> None:
    ledger.catalogue.rename(ledger.catalogue.by_code("cloud_new").id, "新增上云企业数")
    plan = _plan(ledger, tmp_path, [["上云企业数", "家", 0, "计数", "工业经济"]])
    assert plan.count(UNCHANGED) == 1, plan.results()


# -- the command line ----------------------------------------------------------------------------
def test_cli_export_dry_run_and_apply(ledger_path: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    Ledger.open(ledger_path).close()
    out = io.StringIO()
    sheet = tmp_path / "导出" / "指标目录.xlsx"
    assert main(["catalogue", "export", "--db", str(ledger_path), "--out", str(sheet)], out) == 0
    assert "已导出指标目录" in out.getvalue()
    new = write_xlsx(tmp_path / "新增.xlsx", {"目录": [HEAD, ["技改投资", "亿元", 2, "金额",
                                                            "投资", "是", 0, None, None]]})
    with Ledger.open(ledger_path) as ledger:
        digest = closed_digest(ledger)
    out = io.StringIO()
    assert main(["catalogue", "import", "--db", str(ledger_path), str(new)], out) == 0
    assert "第 2 行 指标“技改投资”：新增" in out.getvalue() and "--apply" in out.getvalue()
    from helpers import file_digest

    assert file_digest(ledger_path) == digest
    out = io.StringIO()
    assert main(["catalogue", "import", "--db", str(ledger_path), str(new), "--apply"], out) == 0
    assert "已导入指标目录：新增 1 个" in out.getvalue()
    bad = write_xlsx(tmp_path / "坏.xlsx", {"目录": [HEAD, ["乙", "家", "x", "计数"]]})
    assert main(["catalogue", "import", "--db", str(ledger_path), str(bad), "--apply"],
                io.StringIO()) == 1
    assert "未作任何修改" in capsys.readouterr().err


# -- properties ---------------------------------------------------------------------------------
_SPACE = st.sampled_from(["", " ", "  ", "\u3000", "\t"])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(KINDS)), _SPACE, _SPACE, st.booleans())
def test_every_kind_reads_from_its_chinese_name_however_spaced(key: str, before: str, after: str,
                                                               wide: bool) -> None:
    import unicodedata

    label = KINDS[key]
    if wide:  # full-width slash of 金额／数量
        label = label.replace("/", "／")
    assert unicodedata.normalize("NFKC", label) == KINDS[key]
    assert COLUMN_BY_KEY["kind"].read(f"{before}{label}{after}", "类型") == key


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 6), _SPACE, st.booleans())
def test_decimals_read_in_any_digits(decimals: int, space: str, wide: bool) -> None:
    text = chr(0xFF10 + decimals) if wide else str(decimals)
    assert COLUMN_BY_KEY["decimals"].read(f"{space}{text}{space}", "小数位数") == decimals


_NAMES = st.text(alphabet="甲乙丙丁戊己庚辛壬癸科技投资率额数𠮷", min_size=1, max_size=8)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # a fresh ledger each
@given(st.lists(st.tuples(_NAMES, st.sampled_from(["家", "万元", "亿元", "%", ""]),
                          st.integers(0, 6), st.sampled_from(["count", "amount", "rate",
                                                              "share", "text"]),
                          st.sampled_from(["绩效指标", "新组", "科技 投入"]), st.booleans(),
                          st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
                          st.text(alphabet="说明口径 -=+", max_size=12)),
                min_size=1, max_size=4, unique_by=lambda t: t[0]))
def test_export_then_import_changes_nothing_property(tmp_path_factory: pytest.TempPathFactory,
                                                     rows: list[tuple]) -> None:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("往返")
    with Ledger.open(folder / "台账.db") as ledger:
        for name, unit, decimals, kind, section, higher, low, description in rows:
            ledger.catalogue.add(name, unit=unit, decimals=decimals, kind=kind, section=section,
                                 higher_is_better=higher, hard_min=low, description=description)
        path, _rows = export_catalogue(ledger, folder / "目录.xlsx")
        plan = preview_catalogue(ledger, path)
        assert not plan.ops and not plan.results(REJECTED), plan.results()



def test_rank_scopes_go_out_and_come_back_in_one_cell(ledger: Ledger, tmp_path: Path) -> None:
    """排名范围 holds every scope (全市、全省; the first is the default), both ways."""
    ledger.catalogue.add("工业增加值增速", unit="%", decimals=1, kind="rate", section="工业",
                         rank_scopes="全市、全省")
    path, _rows = export_catalogue(ledger, tmp_path / "目录.xlsx")
    plan = preview_catalogue(ledger, path)
    assert not plan.ops, plan.results(REJECTED)
    head = [*HEAD, "排名范围"]
    plan = _plan(ledger, tmp_path, [
        ["工业增加值增速", "%", 1, "增速", "工业", "是", None, None, None, "全省、全市、全国"],
    ], head=head, name="改.xlsx")
    assert plan.count(CHANGED) == 1, plan.results(REJECTED)
    apply_import(ledger, plan)
    indicator = ledger.catalogue.find("工业增加值增速")
    assert indicator is not None
    assert indicator.rank_scopes == ("全省", "全市", "全国")
    assert indicator.rank_scope == "全省"
