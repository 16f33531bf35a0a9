"""Whether a register covers a year: the rule that lets a computed figure be 0.

A figure computed from the enterprise register, the project table or the service log is only as
good as the register: two firms typed in make neither "科技型中小企业0家" nor "高新技术企业1家"
true, and one loan record does not make "解决问题0条". So a figure computed from the 企业名录 or
the 项目台账 is printed only once the clerk has marked that register complete for the year
(“2026年已录全”: what is not in it is not there); until then it is *missing*, never 0 or an
undercount. The 服务记录 is the bureau's own log of what it did: a sum that finds records is a
figure; one that finds none is missing until the log is marked complete.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.changes import Change

if TYPE_CHECKING:
    from core.ledger import Ledger

SETTING = "complete_registers"  # {"enterprises": [2025, 2026], "projects": [2026]}
REGISTERS = {"enterprises": "企业名录", "projects": "项目台账", "services": "服务记录"}


def complete_years(ledger: Ledger, register: str) -> frozenset[int]:
    marks = ledger.setting(SETTING) or {}
    if not isinstance(marks, dict):
        return frozenset()
    return frozenset(int(year) for year in marks.get(register, []) if str(year).isdigit())


def is_complete(ledger: Ledger, register: str, year: int) -> bool:
    return year in complete_years(ledger, register)


def set_complete(ledger: Ledger, register: str, year: int, complete: bool) -> Change:
    """Mark `register` complete (or not) for `year`; undoable like any setting."""
    if register not in REGISTERS:
        raise ValueError(f"unknown register {register}")
    marks = ledger.setting(SETTING) or {}
    marks = dict(marks) if isinstance(marks, dict) else {}
    years = set(complete_years(ledger, register))
    (years.add if complete else years.discard)(year)
    marks[register] = sorted(years)
    name = REGISTERS[register]
    label = f"标记{year}年{name}{'已录全' if complete else '未录全'}"
    return ledger.set_setting(SETTING, marks, label=label)


# The service log is the bureau's own record of what it did: a sum of what was logged is a
# figure (累计服务N人次). The enterprise register and the project table list the world: a count
# from a register still being typed in is an undercount, so it needs the clerk's mark.
COUNTS_WHAT_IT_FINDS = frozenset({"services"})


def covers(ledger: Ledger, register: str, year: int, found: float) -> bool:
    """Whether a figure computed from `register` for `year` may be printed: the clerk marked
    the register complete for the year — or, for the service log, it found something."""
    if register in COUNTS_WHAT_IT_FINDS and found > 0:
        return True
    return is_complete(ledger, register, year)


def gap_basis(register: str, year: int) -> str:
    """Why a computed figure is missing, and what the clerk can do (the 指标 tab says it)."""
    name = REGISTERS[register]
    if register in COUNTS_WHAT_IT_FINDS:
        return (f"{name}中没有符合条件的记录；{year}年{name}未标记为“已录全”，所以不按0计。"
                f"如确为0，请直接填写0，或在{name}中勾选“{year}年已录全”")
    return (f"{year}年{name}未标记为“已录全”，由它计算的数可能偏少，所以不作为数据。"
            f"名录录完后请在{name}中勾选“{year}年已录全”，或直接填写统计数")
