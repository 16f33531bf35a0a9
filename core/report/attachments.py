"""附件: the ledger's registers as printable tables after the summary (GB/T 9704 §7.3.4, §8).

    【附件：指标完成情况表】  every numeric indicator: 本期, 确保目标, 完成情况, 上年同期, 同比
    【附件：项目推进表】      the period's projects: 建设单位, 总投资, 当年完成投资, 状态
    【附件：企业服务台账】    the period's service records, one row each

A template names them on lines of their own (anywhere: they are not printed in place), and the
总结 tab's checkboxes add them for every template (the ledger setting `summary_attachments`).
The builder puts the 附件说明 below the body and the attachments on pages of their own after
the 署名 (core.report.build).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.numbers import format_number
from core.report.document import Attachment, AttachmentNote, Paragraph, Run, Table

if TYPE_CHECKING:
    from core.ledger import Ledger
    from core.report.language import Context

ATTACHMENTS: dict[str, str] = {
    "指标完成情况表": "全部数值指标的本期、确保目标、完成情况、上年同期和同比",
    "项目推进表": "本期的项目：建设单位、总投资、当年完成投资和状态",
    "企业服务台账": "本期的企业服务记录，每条一行：日期、企业、类型、事项、数量、状态",
}
# The 附件说明's lines: 左空二字, then 附件： hanging, the names (and further lines) under the
# first name's first character — in characters of the body face, for every writer.
NOTE_LEFT, NOTE_HANG = 5.0, 3.0
SETTING = "summary_attachments"  # the names ticked in the 总结 tab
_NONE = "—"


def chosen(ledger: Ledger) -> list[str]:
    """The attachments ticked in the 总结 tab, in the standard order; unknown names ignored."""
    value = ledger.setting(SETTING, [])
    names = set(value) if isinstance(value, list) else set()
    return [name for name in ATTACHMENTS if name in names]


def pages(names: list[str], context: Context) -> tuple[AttachmentNote, list[Attachment]]:
    """The 附件说明 and the attachment pages for `names` (each once, in the order given)."""
    names = list(dict.fromkeys(names))
    single = len(names) == 1
    attachments = [Attachment("附件" if single else f"附件{number}", name, _body(name, context))
                   for number, name in enumerate(names, start=1)]
    return AttachmentNote(tuple(names)), attachments


def _body(name: str, context: Context) -> tuple[Table | Paragraph, ...]:
    if name == "指标完成情况表":
        from core.report.blocks import indicator_table

        return tuple(indicator_table(context, section=None, every=True, caption=""))
    rows = _project_rows(context) if name == "项目推进表" else _service_rows(context)
    header = _PROJECT_HEADER if name == "项目推进表" else _SERVICE_HEADER
    if not rows:
        what = "项目" if name == "项目推进表" else "企业服务记录"
        return (Paragraph((context.missing_run(f"{context.period.label}的{what}"),)),)
    return (Table("", header, tuple(rows)),)


_PROJECT_HEADER = ("序号", "项目名称", "建设单位", "总投资（亿元）", "当年完成投资（亿元）", "状态")


def project_values(row: dict[str, Any], number: int) -> dict[str, str]:
    """One project as the 项目推进表 prints it (also the rows of a clerk's Word template)."""
    return {"序号": str(number), "名称": str(row["name"]),
            "建设单位": _text(row["enterprise"]).text,
            "总投资": _amount(row["total_investment"]).text,
            "当年完成投资": _amount(row["invest_year"]).text, "状态": _text(row["status"]).text}


def _project_rows(context: Context) -> list[tuple[Run, ...]]:
    rows = context.ledger.projects.rows(context.period)
    columns = ("序号", "名称", "建设单位", "总投资", "当年完成投资", "状态")
    return [tuple(Run(project_values(row, number)[column]) for column in columns)
            for number, row in enumerate(rows, start=1)]


_SERVICE_HEADER = ("日期", "企业", "类型", "事项", "数量", "状态")


def _service_rows(context: Context) -> list[tuple[Run, ...]]:
    services = context.ledger.services
    rows = services.rows(start=context.period.start, end=context.period.end)
    rows.sort(key=lambda row: str(row["date"]))  # a register reads from the first day
    decimals = services.fields["amount"].decimals  # as the 企业服务 tab shows it

    def amounts(row: dict[str, Any]) -> str:
        """人次, 问题 and 金额/数量 in one cell (eight columns do not fit an A4 page). 人次 and
        问题 default to 0, which for a loan or a subsidy means "not counted": left out."""
        parts = [f"{row['person_times']}人次" if row["person_times"] else "",
                 f"问题{row['problems']}个" if row["problems"] else "",
                 "" if row["amount"] is None
                 else f"{format_number(row['amount'], decimals)}{services.amount_unit(row)}"]
        return "，".join(part for part in parts if part)

    return [(Run(str(row["date"])), _text(row["enterprise"]), Run(row["kind"]),
             _text(row["description"]), _text(amounts(row)), Run(row["status"]))
            for row in rows]


def _text(value: Any) -> Run:
    text = str(value or "").strip()
    return Run(text or _NONE)


def _amount(value: float | None) -> Run:
    return Run(_NONE if value is None else format_number(value, 2))
