"""The indicator catalogue a new ledger starts with: every figure of the annual summary.

The numbers in comments are those of reference/seed-figures.md. Three figures of that list are
ranks (#3, #6, #25): they are the rank fields of #2, #5 and #24, whose `rank_scope` says where
the rank applies. Codes are stable keys (templates and derivations may use them); names are what
the clerk sees and types in templates, and can be renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SECTIONS = ("绩效指标", "工业经济", "科技创新", "工作打算")

KINDS = {
    "count": "计数",
    "amount": "金额/数量",
    "rate": "增速",
    "share": "占比",
    "rank": "排名",
    "text": "文字",
    "list": "名单",
}


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    unit: str
    decimals: int
    kind: str
    section: str
    derivation: str | None = None
    rank_scope: str | None = None
    higher_is_better: bool = True
    hard_min: float | None = None
    hard_max: float | None = None
    soft_min: float | None = None
    soft_max: float | None = None
    description: str = ""


# Growth rates outside ±30 % are possible but rare enough to ask why.
_RATE: dict[str, Any] = {
    "hard_min": -100.0, "hard_max": 1000.0, "soft_min": -30.0, "soft_max": 30.0,
}
_SHARE: dict[str, Any] = {"hard_min": 0.0, "hard_max": 100.0}
_COUNT: dict[str, Any] = {"hard_min": 0.0}

DEFAULT_INDICATORS: tuple[IndicatorDef, ...] = (
    # 一(一) 绩效指标完成情况
    IndicatorDef("above_scale_count", "规上工业企业数", "家", 0, "count", "绩效指标",
                 derivation="enterprises.above_scale_count", **_COUNT,
                 description="年末在册的规模以上工业企业；可由企业名录中“规上”标记计算。"),
    IndicatorDef("above_scale_va_growth", "规上工业增加值增速", "%", 1, "rate", "绩效指标",
                 rank_scope="城区", **_RATE,
                 description="规模以上工业增加值同比增速，统计部门口径；排名为城区排名（#3）。"),
    IndicatorDef("above_scale_new", "新增规模工业企业数", "家", 0, "count", "绩效指标",
                 derivation="enterprises.above_scale_new", **_COUNT,
                 description="本年新纳入规模以上的工业企业；可由“规上”标记的起始年份计算。"),
    IndicatorDef("hitech_va_share", "高新技术产业增加值占GDP比重", "%", 2, "share", "绩效指标",
                 rank_scope="全市", **_SHARE,
                 description="排名为全市排名（#6）。"),
    IndicatorDef("yi_new_started", "新开工亿元项目数", "个", 0, "count", "绩效指标",
                 derivation="projects.yi_new_started", **_COUNT,
                 description="开工日期在本期内的亿元项目。"),
    IndicatorDef("yi_under_construction", "在建亿元项目数", "个", 0, "count", "绩效指标",
                 derivation="projects.yi_under_construction", **_COUNT,
                 description="本年以前开工、期末尚未竣工的亿元项目（续建）。"),
    IndicatorDef("yi_completed", "竣工投产亿元项目数", "个", 0, "count", "绩效指标",
                 derivation="projects.yi_completed", **_COUNT,
                 description="竣工投产日期在本期内的亿元项目。"),
    IndicatorDef("yi_total_investment", "亿元项目总投资", "亿元", 2, "amount", "绩效指标",
                 derivation="projects.yi_total_investment", **_COUNT,
                 description="新开工、在建、竣工投产亿元项目的计划总投资合计。"),
    IndicatorDef("yi_invest_year", "亿元项目当年完成投资", "亿元", 2, "amount", "绩效指标",
                 derivation="projects.yi_invest_year", **_COUNT,
                 description="上述亿元项目本年完成的投资合计。"),
    IndicatorDef("tech_reno_share", "技改投资占产业投资比重", "%", 1, "share", "绩效指标",
                 derivation="projects.tech_reno_share", **_SHARE,
                 description="技改项目本年完成投资 ÷ 全部产业项目本年完成投资。"),
    # 一(二) 工业经济
    IndicatorDef("service_visits", "到企业服务人次", "人次", 0, "count", "工业经济",
                 derivation="services.visits", **_COUNT,
                 description="服务记录中“走访”的人次合计。"),
    IndicatorDef("problems_solved", "解决企业问题数", "条", 0, "count", "工业经济",
                 derivation="services.problems_solved", **_COUNT,
                 description="服务记录中已办结的问题条数合计。"),
    IndicatorDef("materials_raised", "为企业筹集物资", "万个", 1, "amount", "工业经济",
                 derivation="services.materials", **_COUNT,
                 description="服务记录中“物资”的数量合计（如口罩）。"),
    IndicatorDef("fee_relief", "就业社保租金等减免", "万元", 0, "amount", "工业经济",
                 derivation="services.fee_relief", **_COUNT,
                 description="服务记录中“减免”的金额合计。"),
    IndicatorDef("tax_relief", "缓减免及抵退税收", "亿元", 2, "amount", "工业经济",
                 derivation="services.tax_relief", **_COUNT,
                 description="服务记录中“税收减免”的金额合计。"),
    IndicatorDef("resumption_rate", "规上工业企业复工复产率", "%", 0, "share", "工业经济",
                 **_SHARE),
    IndicatorDef("bank_loans", "为企业提供银行贷款", "亿元", 3, "amount", "工业经济",
                 derivation="services.loans", **_COUNT,
                 description="服务记录中“融资贷款”的金额合计。"),
    IndicatorDef("policy_funds", "争取上级政策资金", "万元", 0, "amount", "工业经济",
                 derivation="services.policy_funds", **_COUNT,
                 description="服务记录中“政策资金”和“研发奖补”的金额合计。"),
    IndicatorDef("above_scale_output", "规上工业总产值", "亿元", 1, "amount", "工业经济",
                 **_COUNT),
    IndicatorDef("above_scale_output_growth", "规上工业总产值增速", "%", 2, "rate", "工业经济",
                 derivation="growth.above_scale_output", **_RATE,
                 description="可由本期与上年同期的规上工业总产值计算。"),
    IndicatorDef("little_giants_new", "新增小巨人企业数", "家", 0, "count", "工业经济",
                 derivation="enterprises.little_giant_new", **_COUNT,
                 description="本年获评“小巨人”的企业。"),
    IndicatorDef("contest_entries", "双创大赛报名企业数", "家", 0, "count", "工业经济",
                 rank_scope="全省", **_COUNT,
                 description="排名为报名数在全省各县市区的位次（#25）。"),
    IndicatorDef("contest_recommended", "双创大赛推荐省赛企业", "", 0, "list", "工业经济",
                 derivation="honours.contest_recommended",
                 description="企业荣誉中本年“双创大赛推荐”的企业。"),
    IndicatorDef("cloud_new", "上云企业数", "家", 0, "count", "工业经济",
                 derivation="enterprises.cloud_new", **_COUNT,
                 description="本年实现上云的企业。"),
    IndicatorDef("platform_new", "上平台企业数", "家", 0, "count", "工业经济",
                 derivation="enterprises.platform_new", **_COUNT,
                 description="本年实现上平台的企业。"),
    IndicatorDef("signed_projects", "签约项目", "", 0, "list", "工业经济",
                 derivation="projects.signed",
                 description="签约日期在本期内的项目：企业、项目、投资额。"),
    # 一(三) 科技创新
    IndicatorDef("hitech_count", "高新技术企业数", "家", 0, "count", "科技创新",
                 derivation="enterprises.hitech_count", **_COUNT,
                 description="年末有效的高新技术企业。"),
    IndicatorDef("tech_sme_count", "科技型中小企业数", "家", 0, "count", "科技创新",
                 derivation="enterprises.tech_sme_count", **_COUNT,
                 description="年末入库的科技型中小企业。"),
    IndicatorDef("tech_contract_turnover", "技术合同交易额", "万元", 2, "amount", "科技创新",
                 **_COUNT, description="登记的技术合同交易额。"),
    IndicatorDef("maker_spaces_new", "新增省级众创空间", "", 0, "list", "科技创新",
                 derivation="honours.maker_spaces",
                 description="企业荣誉中本年获批的省级众创空间。"),
    IndicatorDef("rd_subsidy_enterprises", "获省级研发奖补企业数", "家", 0, "count", "科技创新",
                 derivation="services.rd_subsidy_enterprises", **_COUNT,
                 description="服务记录中有“研发奖补”的企业数。"),
    IndicatorDef("rd_subsidy_amount", "省级研发奖补金额", "万元", 0, "amount", "科技创新",
                 derivation="services.rd_subsidy_amount", **_COUNT,
                 description="服务记录中“研发奖补”的金额合计。"),
    IndicatorDef("major_awards", "重大项目及荣誉", "", 0, "list", "科技创新",
                 derivation="honours.awards",
                 description="本年获得的重大新产品、质量奖、科技奖和表彰。"),
    # 二 工作打算
    IndicatorDef("next_va_growth_target", "下年规上工业增加值增速目标", "%", 1, "rate", "工作打算",
                 derivation="plans.target.above_scale_va_growth", **_RATE,
                 description="下一年工作计划中以“规上工业增加值增速”为目标的条目。"),
    IndicatorDef("next_plan_sections", "下年工作打算", "", 0, "list", "工作打算",
                 derivation="plans.sections",
                 description="下一年工作计划的各部分及其条目。"),
    IndicatorDef("next_plan_projects", "下年推进项目", "", 0, "list", "工作打算",
                 derivation="plans.projects",
                 description="下一年工作计划条目关联的项目。"),
)
