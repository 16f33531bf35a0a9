"""The short guide to the template language shown in the 总结 tab (built from the vocabulary,
so it never lists a field the builder does not know, nor misses one it does)."""

from __future__ import annotations

from core.report import conditions, number_forms, number_style, plan_fields, project_fields
from core.report.blocks import BLOCKS, NEEDS_OPTION
from core.report.language import FORMS, GENERAL, LISTS


def guide() -> str:
    lines = [
        "模板写法",
        "",
        "· 第一行是总结的标题。以 # 开头的行是说明，不打印。",
        "· 以“一、”开头的行是一级标题（黑体），以“（一）”开头的行是二级标题（楷体）；"
        "序号按顺序自动排好，删掉或增加一节后不用重新编号。",
        "· 其余每一行是一个段落，打印时首行缩进两字。",
        "· 【】中写字段，生成总结时由台账数据填写；台账中没有的数据显示为【未填：名称】，"
        "不会印成空白或 0。",
        "",
        "通用字段",
        *(f"  【{name}】 {description}" for name, description in GENERAL.items()),
        "",
        "指标：【指标名称】，或在名称后加“.”和写法，如【规上工业增加值增速.排名】",
        *(f"  .{form} {description}" if form else f"  【指标名称】 {description}"
          for form, description in FORMS.items()),
        "  .亿元 .万元 .万个 … 换算成另一个单位，如【技术合同交易额.亿元】",
        "  指标改名后，旧名称仍然可用。",
        "  占比指标（指标目录中填了分子、分母）与其他指标写法相同，如【R&D经费投入强度】"
        "【R&D经费投入强度.同比】；每期按分子 ÷ 分母计算，缺一项时显示为【未填】。",
        "  新指标在“指标目录”中新增，或用 目录 → 从 Excel 导入 一次加入多个，加入后即可写进模板。",
        f"  {number_style.DESCRIPTION}",
        "  另一个期间：.全年 .上半年 .一季度 .前三季度 .1-N月 .上期，"
        "如【规上工业总产值.全年.确保目标】",
        "",
        "指标的其他数：预计数、单月和单季、其他范围的排名、参照值",
        *(f"  .{form} {description}" for form, description in number_forms.FORMS.items()),
        *(f"  【{name}：…】 {description}" for name, description in number_forms.OPTIONS.items()),
        "  例：【工业投资.上半年.预计】【工业投资.当月.同比】【工业增加值增速.排名.全省】"
        "【工业增加值增速.比全市平均】",
        "",
        "名单：名称后加“：”和选项",
        *(f"  【{name}：…】 {description}" for name, description in LISTS.items()),
        f"  {project_fields.DESCRIPTION}",
        *(f"    .{form} {description}" for form, description in project_fields.FORMS.items()),
        "",
        "工作计划（按督办日期的完成情况）",
        *(f"  【{name}】 {description}" for name, description in plan_fields.GENERAL.items()),
        *(f"  【{name}：…】 {description}" for name, description in plan_fields.LISTS.items()),
        "",
        conditions.DESCRIPTION,
        "",
        "段落块：单独写在一行",
        *(f"  【{name}{'：…' if name in NEEDS_OPTION else ''}】 {description}"
          for name, description in BLOCKS.items()),
        "",
        "模板只是文字，不会执行任何程序；写错的字段会标出所在的行和列。",
    ]
    return "\n".join(lines)
