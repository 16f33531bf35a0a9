"""Issue 13, done when: a fictional 区工信局 prints its half-year summary at 1-5月 and its monthly
经济运行 bulletin from data only.

The ledger is built through the real APIs (catalogue, Metrics.set_many, settings): annual
targets, values for 2025 and 2026, forecasts for 上半年, an official growth rate, two ranks
(全市/全省) and a city average. The templates hold no figure at all (no digit): every number is
the ledger's, worded by core.kinds, and each sentence is asserted exactly.
"""

from __future__ import annotations

import re

import pytest

from core.ledger import Ledger
from core.periods import Period
from core.report.build import build
from core.report.document import Paragraph

P = Period(2026, 5)
OUTPUT, GROWTH, INVEST, TECH, FIXED, RETAIL, NEW_FIRMS = (
    "规上工业产值", "工业增加值增速", "工业投资", "技改投资", "固定资产投资",
    "社会消费品零售总额", "新增规上企业")

HALF_YEAR = """【单位】【年份】年上半年工作总结
一、上半年主要指标完成情况
【月份】，全区规上工业产值【规上工业产值】，【规上工业产值.同比】，【规上工业产值.完成年任务】，\
【规上工业产值.序时进度】，【规上工业产值.比全市平均】；预计上半年完成【规上工业产值.上半年.预计】，\
【规上工业产值.上半年.预计.同比】，【规上工业产值.上半年.预计.时间过半】。
其中【当月】当月完成【规上工业产值.当月】，【规上工业产值.当月.同比】；\
上月为【规上工业产值.上月】。
规上工业增加值【工业增加值增速.增减】，【工业增加值增速.较上期】，【工业增加值增速.连续增长】，\
【工业增加值增速.比全市平均】、【工业增加值增速.比全省平均】；全市排名【工业增加值增速.排名】，\
【工业增加值增速.位次变化】；全省排名【工业增加值增速.排名.全省】，【工业增加值增速.位次变化.全省】。
工业投资完成【工业投资】，【工业投资.同比】，【工业投资.拉动.固定资产投资】；技改投资【技改投资】，\
【技改投资.同比】，两项投资【均：工业投资、技改投资】。
社会消费品零售总额【社会消费品零售总额】，【社会消费品零售总额.同比】；\
预计上半年【社会消费品零售总额.上半年.预计】，【社会消费品零售总额.上半年.预计.同比】。
新增规上企业【新增规上企业】，【新增规上企业.完成年任务】，【新增规上企业.序时进度】。
"""

BULLETIN = """【区名】经济运行情况（【期间】）
【期间】，全区规上工业增加值【工业增加值增速.增减】，【工业增加值增速.较上期】，\
【工业增加值增速.连续增长】，全市排名【工业增加值增速.排名】，【工业增加值增速.位次变化】。
【当月】当月规上工业产值【规上工业产值.当月】，【规上工业产值.当月.同比】；\
累计【规上工业产值】，【规上工业产值.同比】。
社会消费品零售总额【社会消费品零售总额】，【社会消费品零售总额.同比】。
"""


@pytest.fixture
def bureau(ledger: Ledger) -> Ledger:
    """青岚区工业和信息化局 (fictional): its catalogue and its figures, entered as a clerk does."""
    ledger.set_setting("district", "青岚区")
    ledger.set_setting("city", "云州市")
    ledger.set_setting("bureau", "青岚区工业和信息化局")
    add = ledger.catalogue.add
    add(OUTPUT, unit="亿元", decimals=2, kind="amount", section="工业经济")
    add(GROWTH, unit="%", decimals=1, kind="rate", section="工业经济", rank_scopes="全市、全省")
    add(INVEST, unit="亿元", decimals=2, kind="amount", section="投资")
    add(TECH, unit="亿元", decimals=2, kind="amount", section="投资")
    add(FIXED, unit="亿元", decimals=2, kind="amount", section="投资")
    add(RETAIL, unit="亿元", decimals=2, kind="amount", section="商贸")
    add(NEW_FIRMS, unit="家", kind="count", section="企业培育")
    edits: list[tuple[str, Period, str, str]] = []

    def put(name: str, year: int, months: int, **fields: str) -> None:
        edits.extend((name, Period(year, months), key, raw) for key, raw in fields.items())

    # annual targets, set once on the 全年 row
    put(OUTPUT, 2026, 12, target_committed="1000")
    put(NEW_FIRMS, 2026, 12, target_committed="20")
    # 规上工业产值: cumulative values, the official growth rate, the city average, a forecast
    put(OUTPUT, 2025, 4, value="320")
    put(OUTPUT, 2025, 5, value="400")
    put(OUTPUT, 2025, 6, value="480")
    put(OUTPUT, 2026, 3, value="262")
    put(OUTPUT, 2026, 4, value="352")
    put(OUTPUT, 2026, 5, value="446", official_growth="8.6", refs="全市平均400")
    put(OUTPUT, 2026, 6, forecast="540")
    # 工业增加值增速: a rate each month, two ranks, the averages
    for months, rate in ((1, "5.2"), (2, "5.8"), (3, "6.1"), (4, "6.5")):
        put(GROWTH, 2026, months, value=rate)
    put(GROWTH, 2026, 4, rank="5", other_ranks="全省第十五")
    put(GROWTH, 2026, 5, value="6.8", rank="第3", other_ranks="全省第12",
        refs="全市平均6.1、全省平均6.8")
    # investment
    put(INVEST, 2025, 5, value="45")
    put(INVEST, 2026, 5, value="50")
    put(TECH, 2025, 5, value="10")
    put(TECH, 2026, 5, value="12")
    put(FIXED, 2025, 5, value="200")
    put(FIXED, 2026, 5, value="210")
    # commerce: an official growth rate, a forecast of the half year
    put(RETAIL, 2025, 5, value="82")
    put(RETAIL, 2025, 6, value="99")
    put(RETAIL, 2026, 5, value="88.5", official_growth="7.2")
    put(RETAIL, 2026, 6, forecast="107")
    put(NEW_FIRMS, 2026, 5, value="9")
    ledger.metrics.set_many(edits, label="录入青岚区1-5月数据")
    return ledger


def _sentences(ledger: Ledger, template: str) -> list[str]:
    assert not re.search(r"\d", template), "a template names figures, it never types them"
    document = build(ledger, P, template)
    return [block.text for block in document.blocks if isinstance(block, Paragraph)]


def test_the_half_year_summary_at_may_prints_every_form_from_data(bureau: Ledger) -> None:
    assert _sentences(bureau, HALF_YEAR) == [
        "1-5月，全区规上工业产值446.00亿元，同比增长8.6%，完成年任务的44.6%，"
        "超序时进度2.9个百分点，高于全市平均11.5%；预计上半年完成540.00亿元，同比增长12.5%，"
        "实现“时间过半、任务过半”。",
        "其中5月当月完成94.00亿元，同比增长17.5%；上月为90.00亿元。",
        "规上工业增加值增长6.8%，增速较1-4月提高0.3个百分点，连续5个月保持正增长，"
        "高于全市平均0.7个百分点、与全省平均持平；全市排名第三，位次较1-4月提升2位；"
        "全省排名第十二，位次较1-4月提升3位。",
        "工业投资完成50.00亿元，同比增长11.1%，拉动增长2.5个百分点；技改投资12.00亿元，"
        "同比增长20.0%，两项投资均实现增长。",
        "社会消费品零售总额88.50亿元，同比增长7.2%；预计上半年107.00亿元，同比增长8.1%。",
        "新增规上企业9家，完成年任务的45.0%，超序时进度3.3个百分点。",
    ]


def test_the_official_growth_rate_is_printed_and_the_computed_one_kept(bureau: Ledger) -> None:
    figure = bureau.metrics.figure(OUTPUT, P)
    assert figure.versus is not None and figure.versus.words == "增长8.6%"
    assert figure.computed_versus is not None and figure.computed_versus.words == "增长11.5%"


def test_when_the_half_years_actual_arrives_it_is_printed_and_the_forecast_kept(
        bureau: Ledger) -> None:
    bureau.metrics.set(OUTPUT, Period(2026, 6), "value", "530")
    body = "标题\n【规上工业产值.上半年】|【规上工业产值.上半年.预计】"
    document = build(bureau, P, body)
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == [
        "530.00亿元|540.00亿元"]


def test_the_monthly_bulletin_for_the_same_ledger(bureau: Ledger) -> None:
    assert _sentences(bureau, BULLETIN) == [
        "2026年1-5月，全区规上工业增加值增长6.8%，增速较1-4月提高0.3个百分点，"
        "连续5个月保持正增长，全市排名第三，位次较1-4月提升2位。",
        "5月当月规上工业产值94.00亿元，同比增长17.5%；累计446.00亿元，同比增长8.6%。",
        "社会消费品零售总额88.50亿元，同比增长7.2%。",
    ]


def test_a_gap_in_the_ledger_is_printed_as_missing_never_as_zero(bureau: Ledger) -> None:
    """The same bulletin a month on, before June's figures are in: every gap says so."""
    document = build(bureau, Period(2026, 6), BULLETIN)
    text = "".join(b.text for b in document.blocks if isinstance(b, Paragraph))
    assert "【未填：工业增加值增速】" in text
    assert "【未填：规上工业产值（6月）】" in text and "0.00亿元" not in text


@pytest.mark.parametrize("field, printed", [
    (f"【{OUTPUT}.比全市平均】", "高于全市平均11.5%"),
    (f"【{OUTPUT}.比全市平均：整数】", "高于全市平均12%"),
    (f"【{GROWTH}.比全市平均：2位小数】", "高于全市平均0.70个百分点"),
    (f"【{GROWTH}.比全省平均：不补零】", "与全省平均持平"),
    (f"【{GROWTH}.参照.全市平均：2位小数】", "6.10%"),
    (f"【{INVEST}.拉动.{FIXED}：2位小数】", "拉动增长2.50个百分点"),
    (f"【{GROWTH}.排名.全省：阿拉伯数字】", "第12"),
    (f"【{GROWTH}.排名.全省】", "第十二"),
])
def test_a_number_style_reaches_the_further_numbers(bureau: Ledger, field: str, printed: str
                                                    ) -> None:
    """The style after the ： is applied to 比全市平均, 参照, 拉动 and 排名.全省 too — never
    silently ignored."""
    [sentence] = [b.text for b in build(bureau, P, f"标题\n{field}").blocks
                  if isinstance(b, Paragraph)]
    assert sentence == printed
