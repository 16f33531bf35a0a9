"""The template syntax: lines, headings, fields, comments, and errors at their line and column."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import LedgerError
from core.report.build import build
from core.report.document import Document
from core.report.template import (
    HEADING1,
    HEADING2,
    TEXT,
    TITLE,
    FieldRef,
    Literal,
    TemplateError,
    parse,
)
from tests.conftest import DEMO_PERIOD


def test_lines_are_classified_as_the_clerk_types_them() -> None:
    lines = parse(
        "# 说明行\n"
        "\n"
        "【区名】工作总结\n"
        "　　一、完成情况\n"
        "（二）  绩效指标\n"
        "(三)半角括号也行\n"
        "一是推进项目，这是正文。\n"
    )
    assert [(line.number, line.kind) for line in lines] == [
        (3, TITLE), (4, HEADING1), (5, HEADING2), (6, HEADING2), (7, TEXT)]
    # The clerk's numbering is dropped: the builder numbers headings in order.
    assert lines[1].parts == (Literal("完成情况"),)
    assert lines[2].parts == (Literal("绩效指标"),)
    assert lines[4].parts == (Literal("一是推进项目，这是正文。"),)


def test_fields_split_into_name_and_option() -> None:
    [title, line] = parse("标题\n共有【规上工业企业数.同比】和【图表： 亿元项目推进情况 】。")
    assert title.parts == (Literal("标题"),)
    first, second = line.parts[1], line.parts[3]
    assert isinstance(first, FieldRef) and isinstance(second, FieldRef)
    assert (first.name, first.has_option, first.column) == ("规上工业企业数.同比", False, 3)
    assert (second.name, second.option, second.has_option) == ("图表", "亿元项目推进情况", True)
    assert second.source == "【图表：亿元项目推进情况】"


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ("标题\n正文【规上工业企业数", 2, 3, "没有配对的“】”"),
    ("标题\n正文】多余", 2, 3, "多余的“】”"),
    ("标题\n　　正文【】", 2, 5, "空的字段"),
    ("标题\n【甲【乙】", 2, 1, "没有配对的“】”"),
    ("标题\n{{ ledger.conn }}", 2, 1, "不能使用“{”"),
    ("标题\n正文\x07响铃", 2, 3, "控制字符"),
])
def test_syntax_errors_name_their_line_and_column(text: str, line: int, column: int,
                                                   words: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse(text)
    first = caught.value.problems[0]
    assert (first.line, first.column) == (line, column)
    assert words in first.message
    assert caught.value.message.startswith(f"模板第{line}行第{column}列")


def test_every_error_is_reported_at_once() -> None:
    with pytest.raises(TemplateError) as caught:
        parse("标题\n一】\n二\n三【未完")
    assert [p.line for p in caught.value.problems] == [2, 4]
    assert "共 2 处错误" in caught.value.message


@pytest.mark.parametrize("attempt", [
    "【__import__('os').system('echo pwned')】",
    "【ledger.conn.execute('DROP TABLE projects')】",
    "{{ config.__class__.__init__.__globals__ }}",
    "{% for x in range(10) %}x{% endfor %}",
    "${7*7}",
    "【{0.__class__}】",
])
def test_a_template_that_tries_to_run_code_is_rejected(demo, attempt: str) -> None:
    before = demo.scalar("SELECT count(*) FROM projects")
    with pytest.raises(TemplateError):
        build(demo, DEMO_PERIOD, f"标题\n{attempt}\n", render_chart=lambda key: b"")
    assert demo.scalar("SELECT count(*) FROM projects") == before


# Template-like text: brackets, dots, colons, headings, comments and arbitrary characters.
_pieces = st.sampled_from([
    "【", "】", "：", ":", ".", "。", "一、", "（一）", "#", "\n", "\r\n", "{", "}", "　",
    "【年份】", "【规上工业企业数.同比】", "【图表：近三年趋势】", "【亿元项目：在建】",
    "【工作打算】", "【工作打算：九】", "【数据说明】", "【指标表：科技创新】", "【荣誉：质量奖】",
    "【技术合同交易额.亿元】", "【签约项目.个数】", "【区名.排名】",
])
_template_text = st.lists(st.one_of(_pieces, st.text(max_size=8)), max_size=30).map("".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_template_text)
def test_any_text_gives_a_document_or_a_template_error(demo, text: str) -> None:
    try:
        document = build(demo, DEMO_PERIOD, text, render_chart=lambda key: b"")
    except TemplateError as error:
        assert error.problems and all(p.line >= 1 and p.column >= 1 for p in error.problems)
    except LedgerError as error:  # pragma: no cover - would be a bug: say which text
        raise AssertionError(f"{text!r} raised {type(error).__name__}: {error}") from error
    else:
        assert isinstance(document, Document)


def test_the_guide_names_every_field_the_builder_knows() -> None:
    from core.report.blocks import BLOCKS
    from core.report.guide import guide
    from core.report.language import FORMS, GENERAL, LISTS

    text = guide()
    for name in GENERAL:
        assert f"【{name}】" in text
    for form in FORMS:
        assert f".{form} " in text or not form
    for name in (*LISTS, *BLOCKS):
        assert f"【{name}" in text
