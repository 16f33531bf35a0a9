"""Template + ledger → Document: every figure from data, phrased right, gaps marked."""

from __future__ import annotations

import pytest

from core.kinds import growth_words
from core.numbers import format_number
from core.report import phrasing
from core.report.build import build, what_is_missing
from core.report.document import LEVEL1, LEVEL2, Chart, Heading, Paragraph, Table
from core.report.store import Template, Templates
from core.report.template import TemplateError
from tests.conftest import DEMO_PERIOD
from tests.report_support import document_text, expected_figures, missing_figures, tiny_png


def _build(ledger, body: str, **kwargs):
    return build(ledger, DEMO_PERIOD, body, render_chart=tiny_png, **kwargs)


def _default(ledger):
    return Templates(ledger).get("年度总结")


def test_the_default_template_prints_every_seed_figure_from_the_ledger(demo) -> None:
    document = build(demo, DEMO_PERIOD, _default(demo), render_chart=tiny_png)
    assert missing_figures(document_text(document), expected_figures(demo, DEMO_PERIOD)) == {}
    assert document.missing == ()
    assert what_is_missing(demo, DEMO_PERIOD, document) == []


def test_the_default_template_has_the_structure_of_the_reference(demo) -> None:
    document = build(demo, DEMO_PERIOD, _default(demo), render_chart=tiny_png)
    headings = [(b.level, b.text) for b in document.blocks if isinstance(b, Heading)]
    bureau = demo.setting("bureau")
    assert headings[0] == (0, f"{bureau}{DEMO_PERIOD.year}年工作总结")
    level1 = [text for level, text in headings if level == LEVEL1]
    assert level1 == [f"一、{DEMO_PERIOD.year}年工作完成情况",
                      f"二、{DEMO_PERIOD.year + 1}年工作打算"]
    level2 = [text[:3] for level, text in headings if level == LEVEL2]
    assert level2 == ["（一）", "（二）", "（三）", "（一）", "（二）", "（三）"]
    assert document.title == headings[0][1]
    assert sum(isinstance(b, Chart) for b in document.blocks) == 4


def test_a_negative_growth_reads_xiajiang(demo) -> None:
    figure = demo.metrics.figure("tech_contract_turnover", DEMO_PERIOD)
    assert figure.growth is not None and figure.growth < 0  # the demo's declining figure
    text = document_text(_build(demo, "标题\n【技术合同交易额.同比】"))
    assert text.endswith(f"同比下降{format_number(-figure.growth, 1)}%")
    assert "增长" not in text


def test_a_missing_figure_reads_weitian_and_never_zero(demo) -> None:
    demo.metrics.set("resumption_rate", DEMO_PERIOD, "value", None)
    document = _build(demo, "标题\n复工复产率达到【规上工业企业复工复产率】。")
    [paragraph] = [b for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraph.text == "复工复产率达到【未填：规上工业企业复工复产率】。"
    assert [run.missing for run in paragraph.runs] == [False, True, False]
    assert "0%" not in paragraph.text
    assert document.missing == ("规上工业企业复工复产率",)
    assert "规上工业企业复工复产率" in what_is_missing(demo, DEMO_PERIOD, document)


def test_a_clerk_adds_a_sentence_and_removes_a_section(demo) -> None:
    body = _default(demo).body
    lines = body.splitlines()
    start = lines.index("（二）工业经济稳中有进")
    end = next(i for i, line in enumerate(lines) if line.startswith("（三）"))
    edited = lines[:start] + lines[end:]  # section (二) removed
    edited.insert(edited.index("（三）科技创新持续发力") + 1,
                  "全区上云企业【上云企业数】，【上云企业数.同比】。")
    document = _build(demo, "\n".join(edited))
    text = document_text(document)
    cloud = demo.metrics.figure("cloud_new", DEMO_PERIOD)
    words = growth_words(cloud.growth)
    assert f"全区上云企业{format_number(cloud.value, 0)}家，同比{words}。" in text
    assert "工业经济稳中有进" not in text
    assert "（二）科技创新持续发力" in text  # renumbered
    assert "（三）科技创新持续发力" not in text


def test_forms_of_an_indicator(demo) -> None:
    figure = demo.metrics.figure("above_scale_va_growth", DEMO_PERIOD)
    output = demo.metrics.figure("above_scale_output", DEMO_PERIOD)
    turnover = demo.metrics.figure("tech_contract_turnover", DEMO_PERIOD)
    share = demo.metrics.figure("hitech_va_share", DEMO_PERIOD)
    body = ("标题\n"
            "【规上工业增加值增速.数值】|【规上工业增加值增速.目标】|【规上工业增加值增速.奋斗目标】|"
            "【规上工业增加值增速.完成率】|【规上工业增加值增速.上年】|"
            "【规上工业增加值增速.排名范围】【规上工业增加值增速。排名】|"
            "【规上工业总产值.同比】|【技术合同交易额.亿元】|【高新技术产业增加值占GDP比重.增减】|"
            "【规上工业增加值增速.增减】|【签约项目.个数】")
    [_title, paragraph] = _build(demo, body).blocks
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text.split("|") == [
        format_number(figure.value, 1),
        f"{format_number(figure.target_committed, 1)}%",
        f"{format_number(figure.target_stretch, 1)}%",
        f"{'高于' if figure.value > figure.target_committed else '低于'}目标"
        f"{format_number(abs(figure.value - figure.target_committed), 1)}个百分点",
        f"{format_number(figure.last_year, 1)}%",
        f"{figure.rank_scope}{phrasing.ordinal(figure.rank)}",
        f"同比增长{format_number(output.growth, 1)}%",
        f"{format_number(turnover.value / 10_000, 2)}亿元",
        f"提高{format_number(share.change, 2)}个百分点",
        f"增长{format_number(figure.value, 1)}%",
        str(len(demo.metrics.figure("signed_projects", DEMO_PERIOD).items)),
    ]


def test_general_fields_and_lists(demo) -> None:
    body = ("【区名】\n【年份】|【上年】|【下年】|【期间】|【月份】|"
            "【亿元项目：竣工投产】|【荣誉：质量奖】")
    document = _build(demo, body)
    assert document.title == demo.setting("district")
    completed = [row["name"] for row in demo.projects.rows(DEMO_PERIOD, status="竣工投产",
                                                           yi_only=True)]
    awards = [row for row in demo.enterprises.honours.rows(year=DEMO_PERIOD.year)
              if row["category"] == "质量奖"]
    assert document.blocks[1].text.split("|") == [
        "2026", "2025", "2027", "2026年1-11月", "1-11月", phrasing.join_names(completed),
        phrasing.join_names([f"{row['enterprise']}（{row['name']}）" for row in awards]),
    ]


def test_a_renamed_indicator_keeps_working_under_its_former_name(demo) -> None:
    indicator = demo.catalogue.by_code("above_scale_count")
    demo.catalogue.update(indicator.id, name="规模以上工业企业数")
    old = _build(demo, "标题\n【规上工业企业数】").blocks[1]
    new = _build(demo, "标题\n【规模以上工业企业数】").blocks[1]
    assert old == new
    assert old.text == f"{format_number(demo.metrics.figure(indicator.id, DEMO_PERIOD).value, 0)}家"


def test_a_missing_setting_is_marked(demo) -> None:
    demo.set_setting("district", "")
    document = _build(demo, "【区名】科工信局总结")
    assert document.title == "【未填：区名（设置）】科工信局总结"
    assert document.missing == ("区名（设置）",)


@pytest.mark.parametrize(("body", "line", "words"), [
    ("标题\n正文\n共有【不存在的指标】家", 3, "不存在的指标"),
    ("标题\n【规上工业企业数.增长率】", 2, "不是可用的写法"),
    ("标题\n【规上工业企业数.亿元】", 2, "不能换算为亿元"),
    ("标题\n如图【图表：近三年趋势】", 2, "要单独占一行"),
    ("标题\n【图表：没有这个图】", 2, "没有名为“没有这个图”的图表"),
    ("标题\n【亿元项目：已拆除】", 2, "项目状态应为"),
    ("标题\n【签约项目.同比】", 2, "名单或文字"),
    ("标题\n【工作打算：甲】", 2, "部分的序号"),
    ("标题\n【指标表：不存在的分组】", 2, "指标分组应为"),
])
def test_fields_that_mean_nothing_are_errors_at_their_line(demo, body: str, line: int,
                                                           words: str) -> None:
    with pytest.raises(TemplateError) as caught:
        _build(demo, body)
    [problem] = caught.value.problems
    assert problem.line == line and words in problem.message


def test_the_plan_block_lists_sections_items_and_linked_projects(demo) -> None:
    year = DEMO_PERIOD.year + 1
    outline = demo.plans.outline(year)
    document = _build(demo, "标题\n二、打算\n【工作打算】")
    headings = [b.text for b in document.blocks if isinstance(b, Heading)][2:]
    assert headings == [f"（{phrasing.chinese_number(i)}）{s['heading']}"
                        for i, s in enumerate(outline, 1)]
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    second = outline[1]
    assert paragraphs[1].startswith(second["narrative"])
    for number, item in enumerate(second["items"], 1):
        assert f"{phrasing.chinese_number(number)}是{item['title']}" in paragraphs[1]
        for project in item["projects"]:
            assert project["name"] in paragraphs[1]
    assert paragraphs[1].endswith("。") and "；二是" in paragraphs[1]
    only_second = _build(demo, "标题\n【工作打算：二】")
    assert [b.text for b in only_second.blocks[1:] if isinstance(b, Heading)] == [
        f"（一）{second['heading']}"]


def test_the_data_note_lists_overridden_figures_with_both_values(demo) -> None:
    figure = demo.metrics.figure("above_scale_count", DEMO_PERIOD)
    assert figure.overridden
    [_title, note] = _build(demo, "标题\n【数据说明】").blocks
    assert note.text.startswith(
        f"数据说明：规上工业企业数采用填报数{format_number(figure.entered, 0)}家，"
        f"台账记录计算为{format_number(figure.derived_value, 0)}家")
    demo.metrics.clear_override("above_scale_count", DEMO_PERIOD)
    assert len(_build(demo, "标题\n【数据说明】").blocks) == 1  # nothing to say: no paragraph


def test_the_indicator_table(demo) -> None:
    demo.metrics.set("tech_contract_turnover", DEMO_PERIOD, "value", None)
    [_title, table] = _build(demo, "标题\n【指标表】").blocks
    assert isinstance(table, Table) and table.caption == "表1 主要指标完成情况"
    with_targets = [f for f in demo.metrics.figures(DEMO_PERIOD)
                    if f.target_committed is not None and f.indicator.kind not in ("list", "text")]
    assert [row[0].text for row in table.rows] == [f.indicator.name for f in with_targets]
    turnover = next(row for row in table.rows if row[0].text == "技术合同交易额")
    assert turnover[1].missing and turnover[1].text == "【未填：技术合同交易额】"


def test_charts_chosen_for_the_template_follow_the_text_once(demo) -> None:
    rendered: list[str] = []

    def render(key: str) -> bytes:
        rendered.append(key)
        return tiny_png()

    template = Template("试用", "标题\n正文\n【图表：近三年趋势】", charts=("trend", "pipeline"))
    document = build(demo, DEMO_PERIOD, template, render_chart=render)
    assert [b.caption for b in document.blocks if isinstance(b, Chart)] == [
        "图1 近三年趋势", "图2 亿元项目推进情况"]
    assert rendered == ["trend", "pipeline"]


def test_what_is_missing_adds_the_templates_own_needs(demo) -> None:
    document = _build(demo, "标题\n【规上工业企业数.确保目标】")
    assert document.missing == ("规上工业企业数确保目标",)
    assert what_is_missing(demo, DEMO_PERIOD, document) == ["规上工业企业数确保目标"]
