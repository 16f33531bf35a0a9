"""The phrasing rules: the words an official summary uses for numbers."""

from __future__ import annotations

import pytest

from core.report import phrasing


@pytest.mark.parametrize(("n", "words"), [
    (1, "一"), (2, "二"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九"),
    (100, "100"),
])
def test_chinese_numbers(n: int, words: str) -> None:
    assert phrasing.chinese_number(n) == words


def test_ranks_read_as_ordinals() -> None:
    assert phrasing.ordinal(1) == "第一"
    assert phrasing.ordinal(2) == "第二"


@pytest.mark.parametrize(("names", "joined"), [
    ([], ""), (["甲"], "甲"), (["甲", "乙"], "甲和乙"), (["甲", "乙", "丙"], "甲、乙和丙"),
])
def test_lists_are_joined_with_a_final_he(names: list[str], joined: str) -> None:
    assert phrasing.join_names(names) == joined


@pytest.mark.parametrize(("decimals", "source", "target", "expected"), [
    (2, "万元", "亿元", 2), (0, "万元", "亿元", 2), (2, "亿元", "万元", 0), (1, "个", "万个", 2),
])
def test_decimals_follow_a_change_of_unit(decimals: int, source: str, target: str,
                                          expected: int) -> None:
    assert phrasing.converted_decimals(decimals, source, target) == expected


def test_plan_items_are_enumerated() -> None:
    assert phrasing.enumerate_clauses(["推进甲项目。", "建设乙园区；", ""]) == (
        "一是推进甲项目；二是建设乙园区。")
    assert phrasing.enumerate_clauses([]) == ""
