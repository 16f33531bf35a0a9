"""A clerk of a new bureau, as a new user would go: a ledger from the 区科技局 starter, a catalogue
sheet adding three indicators, a figures sheet naming one more the catalogue lacks (offered and
created), the template edited to use them, the summary printed — no code change, no indicator
retired by hand."""

from __future__ import annotations

import io
from pathlib import Path

from excel_files import write_xlsx

from core.cli import main
from core.ledger import Ledger
from core.report.store import DEFAULT_NAME, Templates


def _run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out) == 0, out.getvalue()
    return out.getvalue()


def test_a_new_bureau_from_starter_to_printed_summary(tmp_path: Path) -> None:
    folder = tmp_path / "李四" / "桌面"
    folder.mkdir(parents=True)
    db = str(folder / "科技局台账.db")
    _run("new", "--db", db, "--starter", "区科技局")

    # 1. the catalogue sheet the clerk typed: three indicators of the bureau's own
    catalogue = write_xlsx(folder / "新增指标.xlsx", {"指标目录": [
        ["名称", "单位", "小数位数", "类型", "分组", "越大越好", "说明"],
        ["在孵企业数", "家", 0, "计数", "创新平台", "是", "科技企业孵化器内的在孵企业"],
        ["科技型企业贷款余额", "亿元", 2, "金额/数量", "科技金融", "√", None],
        ["科技成果转化项目数", "项", 0, "计数", "成果转化", "是", None],
    ]})
    dry = _run("catalogue", "import", "--db", db, str(catalogue))
    assert dry.count("：新增——") == 3 and "--apply" in dry
    _run("catalogue", "import", "--db", db, str(catalogue), "--apply")

    # 2. the figures sheet: last year and this year, one indicator the catalogue lacks
    figures = write_xlsx(folder / "2026年数据.xlsx", {"指标": [
        ["指标名称", "年份", "期间", "本期数值", "单位"],
        ["在孵企业数", 2025, "1-12月", 112, "家"],
        ["在孵企业数", 2026, "1-12月", 128, "家"],
        ["科技型企业贷款余额", 2025, "1-12月", 40, "亿元"],
        ["科技型企业贷款余额", 2026, "1-12月", 46.5, "亿元"],
        ["科技成果转化项目数", 2026, "1-12月", 37, "项"],
        ["全社会R&D经费支出", 2026, "1-12月", 18.4, "亿元"],
        ["地区生产总值", 2026, "1-12月", 690.0, "亿元"],
        ["新型研发机构数", 2026, "1-12月", 4, "家"],
    ]})
    out = io.StringIO()
    assert main(["import", "--db", db, str(figures)], out) == 1  # refused: one name unknown
    assert "指标目录中没有 1 个指标：“新型研发机构数”" in out.getvalue()
    _run("import", "--db", db, str(figures), "--create-unknown", "新型研发机构数=计数",
         "--apply")

    # 3. the template edited to use them (the 总结 tab's editor saves through Templates)
    with Ledger.open(db) as ledger:
        templates = Templates(ledger)
        body = templates.get(DEFAULT_NAME).body.replace(
            "二、【下年】年工作打算",
            "（五）新增工作\n全区在孵企业达到【在孵企业数】，【在孵企业数.同比】；科技型企业贷款余额"
            "【科技型企业贷款余额】，【科技型企业贷款余额.同比】；实施科技成果转化项目"
            "【科技成果转化项目数】，新建新型研发机构【新型研发机构数】。"
            "R&D经费投入强度为【R&D经费投入强度】。\n二、【下年】年工作打算")
        templates.save(DEFAULT_NAME, body)
        # nothing retired by hand: the starter's catalogue plus the four the clerk added
        assert not ledger.scalar("SELECT count(*) FROM audit WHERE label LIKE '停用%'")

    # 4. print
    target = folder / "总结.txt"
    _run("report", "--db", db, "--year", "2026", "--months", "1-12", "--out", str(target))
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "区科技局2026年工作总结"
    assert ("全区在孵企业达到128家，同比增长14.3%；科技型企业贷款余额46.50亿元，同比增长16.3%；"
            "实施科技成果转化项目37项，新建新型研发机构4家。R&D经费投入强度为2.67%。") in text
