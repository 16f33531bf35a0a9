"""The window's own words, in Chinese (the source language) or English.

    label = tr("撤销")

Chinese is written in the code; `tr` looks the text up in the English dictionary when English
was chosen in 设置 and returns it unchanged otherwise, so a missing entry shows Chinese, never an
empty label. The language is picked once at start-up (before any widget is built); messages
that come from core/ (one Chinese sentence each) stay Chinese.
"""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}

_language = "zh"

ENGLISH: dict[str, str] = {
    # window, tabs, period
    "工作台账": "WorkLedger",
    "指标": "Indicators",
    "项目": "Projects",
    "企业服务": "Enterprise services",
    "工作计划": "Work plans",
    "总结": "Summary",
    "统计期：": "Period:",
    "全年": "Full year",
    "只读": "read-only",
    "已保存": "Saved",
    "台账：": "Ledger: ",
    # menus and actions
    "文件": "File",
    "编辑": "Edit",
    "帮助": "Help",
    "新建台账…": "New ledger…",
    "打开…": "Open…",
    "另存为…": "Save as…",
    "最近打开": "Open recent",
    "（无）": "(none)",
    "设置…": "Settings…",
    "退出": "Quit",
    "撤销": "Undo",
    "重做": "Redo",
    "复制": "Copy",
    "粘贴": "Paste",
    "删除": "Delete",
    "查找": "Find",
    "使用说明": "User guide",
    "关于": "About",
    # common buttons and filters
    "确定": "OK",
    "取消": "Cancel",
    "关闭": "Close",
    "全部": "All",
    "筛选：": "Filter:",
    "输入文字筛选": "Type to filter",
    "仅亿元项目": "100M+ projects only",
    "新增": "Add",
    "上移": "Move up",
    "下移": "Move down",
    "恢复自动计算值": "Restore computed value",
    "清除内容": "Clear cells",
    # indicators
    "指标目录…": "Indicator catalogue…",
    "本期数值": "Value",
    "单位": "Unit",
    "确保目标": "Committed target",
    "奋斗目标": "Stretch target",
    "完成率": "Completion",
    "上年同期": "Last year",
    "同比": "Year on year",
    "排名": "Rank",
    "排名范围": "Rank scope",
    "当月数值": "This month alone",
    "预计值": "Forecast",
    "公布增速": "Official growth",
    "计算同比": "Computed year on year",
    "其他排名": "Other ranks",
    "参照值": "Reference values",
    "来源": "Source",
    "备注": "Note",
    "跟进": "Follow up",
    "指标详情": "Indicator details",
    "近三年": "Last three years",
    "说明": "Description",
    "计算方式": "How it is computed",
    "名单": "List",
    # projects
    "状态": "Status",
    "本年完成投资（亿元）": "Invested this year (100M yuan)",
    "新增项目": "Add project",
    "删除项目": "Delete project",
    "分年投资…": "Investment by year…",
    "项目状态：": "Status:",
    "本期相关": "Active in period",
    # enterprise services
    "企业名录": "Enterprise register",
    "服务记录": "Service log",
    "标记：": "Flag:",
    "荣誉": "Honours",
    "删除企业": "Delete enterprise",
    "删除荣誉": "Delete honour",
    "删除记录": "Delete record",
    "日期：": "Dates:",
    "本期": "This period",
    "本年": "This year",
    "自定义": "Custom",
    "类型：": "Kind:",
    "企业：": "Enterprise:",
    "全部类型": "All kinds",
    # plans
    "计划年份：": "Plan year:",
    "以上年计划为底稿": "Start from last year's plan",
    "新增部分": "Add section",
    "删除部分": "Delete section",
    "新增条目": "Add item",
    "删除条目": "Delete item",
    "关联项目…": "Linked projects…",
    "标题": "Heading",
    "总体思路": "Narrative",
    "关联项目": "Linked projects",
    # settings and first run
    "设置": "Settings",
    "语言": "Language",
    "区名": "District",
    "单位名称": "Bureau",
    "亿元项目标准（亿元）": "100M-yuan project threshold (100M yuan)",
    "欢迎使用工作台账": "Welcome to WorkLedger",
    "新建空台账": "New empty ledger",
    "打开演示台账": "Open the demo ledger",
    "打开已有台账…": "Open an existing ledger…",
}


def set_language(language: str) -> None:
    """'zh' or 'en'; anything else means Chinese."""
    global _language
    _language = language if language in LANGUAGES else "zh"


def language() -> str:
    return _language


def tr(text: str) -> str:
    """`text` in the chosen language (Chinese when there is no English for it)."""
    if _language == "en":
        return ENGLISH.get(text, text) or text
    return text
