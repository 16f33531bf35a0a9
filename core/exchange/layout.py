"""The workbook layout shared by export and import, and how clerks' headers are recognised.

Each sheet lists its columns: the header we write (Chinese, with the unit), the key of the field
it holds, and the other headers clerks use for the same thing (企业名称 / 单位名称 / 公司名称 …).
Record sheets take their columns from the domain's FIELDS, so labels, units and decimals have
one source. A header is recognised after normalising (full-width → half-width, no spaces, a
trailing unit in brackets taken off and remembered: 总投资（万元） is 总投资 in 万元).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from core import units
from core.catalogue_columns import COLUMNS as CATALOGUE_COLUMNS
from core.catalogue_columns import REQUIRED as CATALOGUE_REQUIRED
from core.catalogue_columns import SHEET_TITLE as CATALOGUE_TITLE
from core.derived import ENTERPRISE_FLAGS
from core.enterprises import Enterprises, Honours
from core.fields import Field
from core.projects import Projects
from core.services import Services

ID_KEY = "id"  # the hidden 记录编号 column: a row's UUID, for exact matching on re-import
ID_HEADER = "记录编号"
INVEST_KEY = "invest_year"
# The one column of the project sheet that is not a project field: that year's investment.
INVEST_FIELD = Field(INVEST_KEY, "本年完成投资", kind="number", unit="亿元", decimals=2, minimum=0)
HEADER_SCAN_ROWS = 10  # a clerk's sheet may have a title and notes above its header row


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as exported
    kind: str = "text"  # text number int date year bool flag choice enterprise
    decimals: int = 0
    unit: str = ""  # the unit values are stored in (a header naming another unit converts)
    width: int = 10
    synonyms: tuple[str, ...] = ()
    importable: bool = True  # False: computed by the ledger (状态, 同比 …), ignored on import
    hidden: bool = False


@dataclass(frozen=True)
class Sheet:
    kind: str  # indicators projects enterprises honours services plans
    title: str
    columns: tuple[Column, ...]
    required: tuple[str, ...]  # keys without which a sheet is not of this kind

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _header(label: str, unit: str) -> str:
    return f"{label}（{unit}）" if unit else label


def _from_field(f: Field, synonyms: tuple[str, ...] = (), **overrides: Any) -> Column:
    header = _header(f.label, f.unit)
    if f.kind == "flag":
        header = f"{f.label}（年份）"
    values: dict[str, Any] = {"key": f.key, "header": header, "kind": f.kind,
                              "decimals": f.decimals, "unit": f.unit, "width": f.width,
                              "synonyms": synonyms}
    values.update(overrides)
    return Column(**values)


def _record_columns(fields: tuple[Field, ...], synonyms: dict[str, tuple[str, ...]]
                    ) -> tuple[Column, ...]:
    return tuple(_from_field(f, synonyms.get(f.key, ())) for f in fields)


_ID = Column(ID_KEY, ID_HEADER, width=38, hidden=True)
_FLAG_SYNONYMS = {
    "above_scale": ("规上企业", "规模以上", "规上工业企业", "纳统年份"),
    "hitech": ("高企", "高新企业", "高新技术企业认定年份", "高企认定年份"),
    "tech_sme": ("科小", "科技型中小企业入库年份"),
    "little_giant": ("专精特新小巨人", "小巨人企业"),
    "cloud": ("上云企业", "上云年份"),
    "platform": ("上平台企业", "上平台年份"),
}
assert set(_FLAG_SYNONYMS) == set(ENTERPRISE_FLAGS)

ENTERPRISES = Sheet("enterprises", "企业名录", (
    *_record_columns(Enterprises.FIELDS, {
        "name": ("单位名称", "公司名称", "企业全称", "企业", "名称", "公司"),
        "credit_code": ("社会信用代码", "信用代码", "统一代码", "纳税人识别号", "税号"),
        "industry": ("所属行业", "行业类别", "行业分类", "产业"),
        "note": ("说明",),
        **_FLAG_SYNONYMS,
    }),
    _ID,
), required=("name",))

HONOURS = Sheet("honours", "企业荣誉", (
    *_record_columns(Honours.FIELDS, {
        "enterprise": ("企业名称", "单位名称", "公司名称", "获奖企业", "获评企业", "获奖单位"),
        "name": ("荣誉", "奖项", "奖项名称", "称号", "荣誉称号", "获奖名称"),
        "category": ("荣誉类别", "奖项类别"),
        "level": ("等级", "层级", "荣誉级别"),
        "year": ("获评年份", "获奖年份", "认定年份", "年度"),
        "note": ("说明",),
    }),
    _ID,
), required=("name", "year"))

PROJECTS = Sheet("projects", "项目", (
    *_record_columns(Projects.FIELDS, {
        "name": ("项目", "名称"),
        "enterprise": ("项目单位", "业主单位", "建设单位", "企业名称", "企业", "投资主体",
                       "责任企业"),
        "signed_date": ("签约时间",),
        "start_date": ("开工时间", "实际开工时间", "开工"),
        "completion_date": ("竣工日期", "投产日期", "投产时间", "竣工时间", "竣工投产时间"),
        "total_investment": ("计划总投资", "项目总投资", "总投资额", "投资总额"),
        "tech_renovation": ("是否技改", "技改项目", "是否技改项目"),
        "industry_chain": ("所属产业链", "产业链条"),
        "note": ("说明",),
    }),
    _from_field(INVEST_FIELD, ("当年完成投资", "年度完成投资", "今年完成投资", "完成投资",
                               "本年度完成投资", "年内完成投资")),
    Column("status", "状态", width=8, synonyms=("项目状态", "建设状态"), importable=False),
    _ID,
), required=("name",))

SERVICES = Sheet("services", "服务记录", (
    *_record_columns(Services.FIELDS, {
        "date": ("服务日期", "走访日期", "时间", "服务时间", "走访时间"),
        "enterprise": ("企业名称", "服务企业", "单位名称", "公司名称", "走访企业"),
        "kind": ("服务类型", "事项类型", "类别"),
        "person_times": ("走访人次", "服务人次"),
        "problems": ("问题", "问题数", "解决问题", "解决问题数", "问题条数"),
        "amount": ("金额", "数量", "金额数量"),
        "amount_unit": ("计量单位", "金额单位"),
        "description": ("服务内容", "内容", "具体事项", "问题描述", "服务事项"),
        "status": ("办理状态", "办结情况", "办理情况"),
    }),
    _ID,
), required=("date", "kind"))

INDICATORS = Sheet("indicators", "指标", (
    Column("indicator", "指标", width=24, synonyms=("指标名称", "名称")),
    Column("section", "板块", width=8, importable=False),
    Column("unit", "单位", width=6, synonyms=("计量单位",)),
    Column("year", "年份", kind="year", width=6, synonyms=("年度",)),
    Column("months", "期间", width=8, synonyms=("月份", "时期", "统计期", "统计期间")),
    Column("value", "本期数值", kind="number", width=12,
           synonyms=("数值", "本期值", "完成值", "实际完成", "本期完成", "完成数", "指标值")),
    Column("source", "来源", width=8, synonyms=("数据来源",)),
    Column("month_value", "当月数值", kind="number", width=10,
           synonyms=("当月", "本月", "当月数", "本月数值", "单月数值")),
    Column("forecast", "预计值", kind="number", width=10,
           synonyms=("预计", "预测", "预测值", "预计完成", "上报数", "预计数值")),
    Column("target_committed", "确保目标", kind="number", width=10,
           synonyms=("目标", "年度目标", "目标值")),
    Column("target_stretch", "奋斗目标", kind="number", width=10),
    Column("completion", "完成确保目标", width=14, importable=False,
           synonyms=("完成率", "完成情况")),
    Column("last_year_value", "上年同期", kind="number", width=10,
           synonyms=("去年同期", "上年值", "上年")),
    Column("change", "同比", width=16, importable=False,
           synonyms=("比上年增减", "同比增减")),
    Column("official_growth", "公布增速", kind="number", width=9,
           synonyms=("统计局增速", "官方增速", "公布增速(%)", "增速（公布）", "公布同比")),
    Column("computed_change", "计算同比", width=16, importable=False),
    Column("rank", "排名", kind="int", width=6, synonyms=("位次", "名次")),
    Column("rank_scope", "排名范围", width=8),
    Column("other_ranks", "其他排名", width=16, synonyms=("其他范围排名",)),
    Column("refs", "参照值", width=20, synonyms=("参照", "对比值", "平均值")),
    Column("estimate", "预计数", kind="bool", width=6, synonyms=("是否预计",)),
    Column("note", "备注", width=24, synonyms=("说明",)),
    Column("reason", "超范围原因", width=16),
), required=("indicator", "value"))

# Also a clerk's own 重点工作任务分解表: 工作板块 | 重点任务 | 具体举措 | 牵头单位 | 完成时限.
PLANS = Sheet("plans", "工作计划", (
    Column("year", "计划年份", kind="year", width=8, synonyms=("计划年度", "年份", "年度")),
    Column("section", "部分", width=26,
           synonyms=("工作板块", "工作类别", "工作方面", "板块", "方面", "部分名称")),
    Column("narrative", "总体思路", width=40, synonyms=("工作思路", "总体要求", "思路")),
    Column("title", "事项", width=26,
           synonyms=("重点任务", "工作任务", "任务", "重点工作", "工作事项", "任务名称")),
    Column("text", "具体内容", width=36,
           synonyms=("具体措施", "具体举措", "工作措施", "主要措施", "工作内容", "主要内容")),
    Column("target_indicator", "目标指标", width=18, synonyms=("指标", "指标名称")),
    Column("target_value", "目标值", kind="number", width=8, synonyms=("目标", "预期目标")),
    Column("owner", "责任人", width=10,
           synonyms=("责任单位", "牵头单位", "责任科室", "责任股室", "负责人", "责任领导")),
    Column("deadline", "完成时限", kind="date", width=11,
           synonyms=("时间节点", "完成时间", "时限", "时限要求", "完成期限")),
    Column("result_status", "完成情况", width=8, synonyms=("完成状态", "进度")),
    Column("result_note", "情况说明", width=20, synonyms=("进展情况", "备注", "说明")),
    Column("projects", "推进项目", width=40, synonyms=("关联项目", "重点项目", "项目")),
    Column("co_offices", "配合科室", width=12, synonyms=("配合单位", "协办单位", "协办科室")),
    Column("done_on", "完成日期", kind="date", width=11, synonyms=("实际完成时间",)),
    # Written for reading only (an import leaves them): core.supervision's status that day,
    # and the evidence files by name — their contents stay in the ledger.
    Column("status", "督办状态", width=12),
    Column("evidence", "佐证材料", width=30),
), required=("section", "title"))

# The indicator catalogue itself (core.catalogue_columns): imported and exported on its own
# (core.exchange.catalogue_sheet), never guessed for a data workbook.
CATALOGUE = Sheet("catalogue", CATALOGUE_TITLE, tuple(
    Column(c.key, c.header, width=c.width, synonyms=c.synonyms, hidden=c.hidden)
    for c in CATALOGUE_COLUMNS), required=CATALOGUE_REQUIRED)

SHEETS: tuple[Sheet, ...] = (INDICATORS, PROJECTS, ENTERPRISES, HONOURS, SERVICES, PLANS)
SHEET_BY_KIND = {sheet.kind: sheet for sheet in (*SHEETS, CATALOGUE)}
# Import order: the catalogue and enterprises first, so that the other sheets of the same file
# may name them; plans after projects, whose new names their 推进项目 may give.
IMPORT_ORDER = ("catalogue", "enterprises", "projects", "honours", "services", "indicators",
                "plans")


# -- recognising headers -------------------------------------------------------------------------
_UNIT_IN_BRACKETS = re.compile(r"[（(\[【]([^（()）\]【】]*)[)）\]】]$")
_YEAR_INVEST = re.compile(r"^(\d{4})年度?完成投资$")
_KNOWN_UNITS = {*units.AMOUNT_UNITS, "%"}


@dataclass(frozen=True)
class HeaderText:
    """A header cell taken apart: its words, and a unit or year it names."""

    base: str
    unit: str = ""
    year: int | None = None


def read_header(value: Any) -> HeaderText:
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    text = "".join(text.split()).strip("*:：")
    unit = ""
    while (match := _UNIT_IN_BRACKETS.search(text)) is not None:  # 总投资（亿元） / 状态（2026年）
        inner = match.group(1)
        if inner in _KNOWN_UNITS and not unit:
            unit = inner
        text = text[: match.start()]
    year_match = _YEAR_INVEST.match(text)
    if year_match:
        return HeaderText(INVEST_FIELD.label, unit, int(year_match.group(1)))
    return HeaderText(text, unit)


def _base(text: str) -> str:
    return read_header(text).base


# normalised header → key, per sheet kind (the exported header and its synonyms)
_LOOKUP: dict[str, dict[str, str]] = {
    sheet.kind: {_base(name): column.key for column in sheet.columns
                 for name in (column.header, *column.synonyms)}
    for sheet in (*SHEETS, CATALOGUE)
}


@dataclass
class Mapping:
    """Which sheet kind a worksheet holds and which column is which field.

    `columns` maps a 0-based column index to a column key of the kind's Sheet; columns not in
    it are ignored. `units` and `years` keep what a header said (总投资（万元）, 2026年完成投资).
    """

    kind: str
    header_row: int  # 1-based row number of the header in the worksheet
    columns: dict[int, str] = field(default_factory=dict)
    units: dict[int, str] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)

    @property
    def sheet(self) -> Sheet:
        return SHEET_BY_KIND[self.kind]

    @property
    def complete(self) -> bool:
        return set(self.sheet.required) <= set(self.columns.values())


def map_headers(kind: str, headers: list[Any], header_row: int) -> Mapping:
    """The columns of `headers` recognised as fields of sheet `kind` (each field once)."""
    lookup = _LOOKUP[kind]
    mapping = Mapping(kind, header_row)
    for index, value in enumerate(headers):
        parsed = read_header(value)
        key = lookup.get(parsed.base)
        if key is None or key in mapping.columns.values():
            continue
        mapping.columns[index] = key
        if parsed.unit:
            mapping.units[index] = parsed.unit
        if parsed.year is not None:
            mapping.years[index] = parsed.year
    return mapping


def guess_mapping(rows: list[tuple[Any, ...]], title: str = "") -> Mapping | None:
    """The most likely kind and header row of a worksheet from its first rows (None: unknown).

    `rows` are the worksheet's first rows; a sheet named like one of ours (企业名录 …) is read
    as that kind when its headers allow.
    """
    best: tuple[tuple[int, int, int], Mapping] | None = None
    for offset, headers in enumerate(rows[:HEADER_SCAN_ROWS]):
        for sheet in SHEETS:
            mapping = map_headers(sheet.kind, list(headers), offset + 1)
            if not mapping.complete:
                continue
            score = (int(sheet.title == title.strip()), len(mapping.columns), -offset)
            if best is None or score > best[0]:
                best = (score, mapping)
    return best[1] if best else None


def guess_header_row(rows: list[tuple[Any, ...]]) -> int:
    """For an unrecognised sheet: the first row that looks like a header (most text cells)."""
    scored = [(sum(isinstance(v, str) and bool(v.strip()) for v in row), -index)
              for index, row in enumerate(rows[:HEADER_SCAN_ROWS])]
    if not scored:
        return 1
    return -max(scored)[1] + 1
