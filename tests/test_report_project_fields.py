"""One named project's figures in a template: 【项目：名称.总投资】 and the other forms."""

from __future__ import annotations

import pytest

from core.periods import Period
from core.report.build import build
from core.report.document import Paragraph
from core.report.template import TemplateError
from tests.report_support import tiny_png

PERIOD = Period(2026, 9)


def _line(ledger, field: str, period: Period = PERIOD) -> tuple[str, tuple[str, ...]]:
    document = build(ledger, period, f"标题\n{field}", render_chart=tiny_png)
    [paragraph] = [b for b in document.blocks if isinstance(b, Paragraph)]
    return paragraph.text, document.missing


@pytest.fixture
def projects(ledger):
    ledger.enterprises.add(name="星河新材料有限公司")
    ledger.projects.add(name="年产5万吨新材料项目（一期）", enterprise="星河新材料有限公司",
                        signed_date="2025-11-20", start_date="2026-03-05",
                        total_investment="12.5", industry_chain="新材料")
    project_id = ledger.projects.names()[0][0]
    ledger.projects.set_investment(project_id, 2025, "1.2")
    ledger.projects.set_investment(project_id, 2026, "3.25")
    ledger.projects.add(name="智造园.二期", total_investment="0")
    return ledger


@pytest.mark.parametrize("field, printed", [
    ("【项目：年产5万吨新材料项目（一期）.总投资】", "12.50亿元"),
    ("【项目：年产5万吨新材料项目（一期）.本年投资】", "3.25亿元"),
    ("【项目：年产5万吨新材料项目（一期）.累计投资】", "4.45亿元"),
    ("【项目：年产5万吨新材料项目（一期）.投资完成率】", "35.6%"),
    ("【项目：年产5万吨新材料项目（一期）.状态】", "新开工"),  # started within 1-9月
    ("【项目：年产5万吨新材料项目（一期）.开工日期】", "2026年3月5日"),
    ("【项目：年产5万吨新材料项目（一期）.签约日期】", "2025年11月20日"),
    ("【项目：年产5万吨新材料项目（一期）.实施企业】", "星河新材料有限公司"),
    ("【项目：年产5万吨新材料项目（一期）.产业链】", "新材料"),
    ("【项目：智造园.二期.总投资】", "0.00亿元"),  # a name that holds a dot
])
def test_a_named_projects_figures(projects, field: str, printed: str) -> None:
    assert _line(projects, field) == (printed, ())


def test_the_status_follows_the_period(projects) -> None:
    field = "【项目：年产5万吨新材料项目（一期）.状态】"
    assert _line(projects, field, Period(2025, 12))[0] == "签约"
    assert _line(projects, field, Period(2026, 3))[0] == "新开工"
    assert _line(projects, field, Period(2025, 10))[0] == "谋划"
    assert _line(projects, field, Period(2027, 6))[0] == "在建"


def test_what_the_register_lacks_is_missing_never_zero(projects) -> None:
    text, missing = _line(projects, "【项目：智造园.二期.本年投资】")
    assert text == "【未填：项目“智造园.二期”2026年完成投资】" and missing
    assert _line(projects, "【项目：智造园.二期.投资完成率】")[0] == \
        "【未填：项目“智造园.二期”完成投资】"
    assert _line(projects, "【项目：智造园.二期.竣工日期】")[0] == \
        "【未填：项目“智造园.二期”竣工日期】"
    assert _line(projects, "【项目：年产5万吨新材料项目（一期）.累计投资】",
                 Period(2024, 12))[0] == "【未填：项目“年产5万吨新材料项目（一期）”完成投资】"


def test_the_status_lists_still_work(projects) -> None:
    assert _line(projects, "【项目：新开工】")[0] == "年产5万吨新材料项目（一期）"


@pytest.mark.parametrize("field, message", [
    ("【项目：没有的项目.总投资】", "项目台账中没有名为“没有的项目”"),
    ("【项目：年产5万吨新材料项目（一期）.产能】", "不是项目的写法"),
    ("【项目：年产5万吨新材料项目（一期）】", "请写【项目：状态】"),
])
def test_a_field_that_names_no_project_or_form_is_reported(projects, field: str, message: str
                                                           ) -> None:
    with pytest.raises(TemplateError) as caught:
        build(projects, PERIOD, f"标题\n{field}", render_chart=tiny_png)
    assert message in caught.value.problems[0].message


def test_two_projects_of_one_name_are_not_guessed(projects) -> None:
    projects.projects.add(name="智造园.二期", total_investment="3")
    with pytest.raises(TemplateError, match="有 2 个名为"):
        build(projects, PERIOD, "标题\n【项目：智造园.二期.总投资】", render_chart=tiny_png)
