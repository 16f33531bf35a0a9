"""督办通报 and the plan's forms in templates: counts, lists and the grouped table, on a day."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import DEMO_PERIOD
from test_report_writers import pdf_text

from core import clock
from core.cli import main
from core.errors import InputError
from core.ledger import Ledger
from core.report.build import build
from core.report.document import Heading, Table
from core.report.plan_fields import SUPERVISION_HEADER
from core.report.store import Templates
from core.supervision import STATUSES
from ui.report_pdf import register_pdf_writer

YEAR = DEMO_PERIOD.year
DAY = date(YEAR, 11, 28)


def tables(document) -> list[Table]:
    return [block for block in document.blocks if isinstance(block, Table)]


def test_the_table_lists_every_item_grouped_by_status_then_office(demo: Ledger):
    document = build(demo, DEMO_PERIOD, Templates(demo).get("督办通报"), today=DAY)
    tracked = demo.plans.tracked(YEAR, DAY)
    printed = [(row[1].text, row[2].text.split("（")[0], row[5].text)
               for table in tables(document) for row in table.rows]
    assert sorted(printed) == sorted((i["title"], i["owner"], s.text) for i, s in tracked)
    assert all(table.header == SUPERVISION_HEADER for table in tables(document))
    groups = [block.text for block in document.blocks if isinstance(block, Heading)
              and "事项（" in block.text]
    assert groups == ["（一）超期未完成事项（1项）", "（二）临期事项（1项）",
                      "（三）正常推进事项（2项）", "（四）已完成事项（4项）"]
    order = [s.label for table in tables(document) for _row in table.rows
             for s in [dict((i["title"], st) for i, st in tracked)[_row[1].text]]]
    assert order == sorted(order, key=STATUSES.index)
    for table in tables(document):  # within a group: by lead office, then deadline
        keys = [(row[2].text.split("（")[0], row[3].text) for row in table.rows]
        assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    assert not document.missing
    opening = next(b.text for b in document.blocks if b.text.startswith(f"{YEAR}年，我局年初"))
    assert ("年初部署重点工作8项。截至2026年11月28日，已完成4项（其中逾期完成2项），正在推进4项，"
            "尚未启动0项；其中临期1项，超期未完成1项。") in opening


def test_a_past_date_gives_what_the_table_said_then(demo: Ledger):
    template = "标题\n【计划完成数】【计划超期数】【计划临期数】\n【督办表】"
    document = build(demo, DEMO_PERIOD, template, today=date(YEAR, 9, 25))
    # Done by then: the two due 6月30日; due soon: the two due 9月30日 and one whose 节点 is.
    assert document.blocks[1].text == "2项0项3项"
    progress = [row[4].text for table in tables(document) for row in table.rows]
    assert all(re.match(r"[3-9]月\d+日：|暂无进展记录", text) for text in progress)
    assert not any(text.startswith(("10月", "11月")) for text in progress)


def test_plan_to_result_counts_and_lists_in_the_summary(demo: Ledger):
    with clock.fixed(date(YEAR + 1, 1, 6)):  # the year-end summary, written in January
        document = build(demo, DEMO_PERIOD.shifted(0), "标题\n年初部署【计划事项数】、"
                         "已完成【计划完成数】、推进中【计划推进中数】。"
                         "\n完成：【计划事项：已完成】。\n未完成：【计划事项：未完成】。")
    counts = demo.plans.result_counts(YEAR, date(YEAR + 1, 1, 6))
    assert counts == {"部署": 8, "已完成": 4, "未完成": 4, "未开始": 0, "推进中": 4,
                      "逾期完成": 2}
    assert document.blocks[1].text == "年初部署8项、已完成4项、推进中4项。"
    done = [i["title"] for i, s in demo.plans.tracked(YEAR, date(YEAR + 1, 1, 6)) if s.done]
    assert document.blocks[2].text == f"完成：{'、'.join(done[:-1])}和{done[-1]}。"
    assert "深化产学研合作" in document.blocks[3].text


def test_a_year_without_a_plan_is_missing_not_zero(ledger: Ledger):
    document = build(ledger, DEMO_PERIOD, "标题\n部署【计划事项数】\n【督办表】")
    assert document.blocks[1].text == f"部署【未填：{YEAR}年工作计划】"
    assert document.missing == (f"{YEAR}年工作计划",)


def test_next_years_plan_starts_from_this_years_unfinished_items(demo: Ledger):
    unfinished = [(i["title"], i["owner"]) for i, s in demo.plans.tracked(YEAR, DAY)
                  if not s.done]
    target = YEAR + 2  # no plan yet
    change = demo.plans.carry_over(YEAR, target, DAY)
    outline = demo.plans.outline(target)
    assert [(i["title"], i["owner"]) for s in outline for i in s["items"]] == unfinished
    assert all(i["done_on"] is None and i["milestones"] == [] for s in outline
               for i in s["items"])
    with pytest.raises(InputError, match="已全部"):  # a second time adds nothing, says so
        demo.plans.carry_over(YEAR, target, DAY)
    with pytest.raises(InputError, match="已全部"):  # next year's demo plan has them all
        demo.plans.carry_over(YEAR, YEAR + 1, DAY)
    demo.revert(change)
    assert demo.plans.outline(target) == []


def test_the_pdf_table_matches_the_items(qapp, demo_path: Path, tmp_path: Path, capsys):
    register_pdf_writer()
    out = tmp_path / "督办 通报" / "督办通报.pdf"
    out.parent.mkdir()
    code = main(["report", "--db", str(demo_path), "--year", str(YEAR), "--months", "11",
                 "--template", "督办通报", "--date", "2026年11月28日", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.strip() == f"已生成{YEAR}年1-11月督办通报（截至2026-11-28）：{out}"
    text = re.sub(r"\s+", "", pdf_text(out))
    with Ledger.open(demo_path, readonly=True) as ledger:
        tracked = ledger.plans.tracked(YEAR, DAY)
    assert "截至2026年11月28日" in text
    for item, status in tracked:
        assert text.count(item["title"]) >= 1 and status.text.replace("（", "(")[:2] in text
    for header in SUPERVISION_HEADER:
        assert header in text
    assert text.index("深化产学研合作") < text.index("保持规模工业增加值平稳增长") \
        < text.index("推进重点续建项目") < text.index("实施高新技术企业倍增计划")  # grouped
    assert text.count("超期28天") == 1 and text.count("临期(剩7天)") + text.count(
        "临期（剩7天）") == 1


def test_a_bad_date_is_refused_in_chinese(demo_path: Path, tmp_path: Path, capsys):
    assert main(["report", "--db", str(demo_path), "--template", "督办通报", "--date", "月底",
                 "--out", str(tmp_path / "x.txt")]) == 2
    assert "截至日期" in capsys.readouterr().err


def test_in_a_crowded_table_the_short_columns_keep_their_width(qapp):
    """Long text in several columns (the 督办表): 序号 and 状态 never break, the text wraps."""
    from core.report.document import Run
    from ui.page_formats import TEXT_WIDTH
    from ui.report_pdf import _shares

    long = "赴企业现场调度，协调解决用地和资金问题，推动项目尽快开工建设" * 2
    row = (Run("1"), Run("推动签约项目落地开工"), Run("科技股（综合股、企业服务中心）"),
           Run("12月31日"), Run(long), Run("已完成（逾期）"))
    short = _shares(Table("表", SUPERVISION_HEADER, (row,)))
    alone = _shares(Table("表", ("状态",), ((Run("已完成（逾期）"),),)))
    assert sum(short) == pytest.approx(100)
    status_width = short[-1] * TEXT_WIDTH / 100
    from PySide6.QtGui import QFontMetricsF

    from ui.page_formats import TABLE_PT, layout_device, print_font
    needed = QFontMetricsF(print_font("body", TABLE_PT), layout_device()).horizontalAdvance(
        "已完成（逾期）")
    assert status_width >= needed and alone == [100.0]


def test_plan_counts_carry_where_they_come_from(demo: Ledger):
    document = build(demo, DEMO_PERIOD, "标题\n【计划事项数】【计划超期数】", today=DAY)
    marks = [run.mark for run in document.blocks[1].runs]
    assert [(m.indicator, m.value, m.unit, m.source) for m in marks] == [
        ("计划事项数", 8.0, "项", "derived"), ("计划超期数", 1.0, "项", "derived")]
