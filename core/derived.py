"""Figures the records can give, computed in SQL for any period.

Each derivation returns its value in its own natural unit (元, 个, 家 …) and says in Chinese how
it was computed; the metrics module converts it into the indicator's unit. A derivation whose
records hold nothing for the period reports `has_data = False`: the figure is then missing, never
a silent 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core import registers, units
from core.periods import Period

if TYPE_CHECKING:
    from core.ledger import Ledger


@dataclass(frozen=True)
class Derived:
    value: float | None
    unit: str = ""
    items: tuple[str, ...] = ()
    basis: str = ""
    has_data: bool = True
    rows: tuple[dict[str, object], ...] = ()  # list figures: the records behind `items`


Derivation = Callable[["Ledger", Period], Derived]
DERIVATIONS: dict[str, Derivation] = {}
ENTERPRISE_FLAGS = {
    "above_scale": "规上", "hitech": "高新技术企业", "tech_sme": "科技型中小企业",
    "little_giant": "小巨人", "cloud": "上云", "platform": "上平台",
}


def derivation(key: str) -> Callable[[Derivation], Derivation]:
    def register(func: Derivation) -> Derivation:
        DERIVATIONS[key] = func
        return func
    return register


# The tables each family of derivations reads: a result is kept until one of them is written
# (editing a figure in the 指标 tab does not make the records be read again).
DEPENDS_ON = {
    "enterprises": ("enterprises", "settings"),
    "projects": ("projects", "project_investments", "enterprises", "settings"),
    "services": ("services", "settings"),
    "honours": ("honours", "enterprises"),
    "plans": ("plan_sections", "plan_items", "plan_item_projects", "projects", "indicators"),
}


def compute(ledger: Ledger, key: str, period: Period) -> Derived:
    tables = DEPENDS_ON.get(key.split(".", 1)[0])
    if tables is None:  # growth: from other figures, which any write may change
        return _compute(ledger, key, period)
    return ledger.memo(("derived", key, period), lambda: _compute(ledger, key, period),
                       tables=tables)


def _compute(ledger: Ledger, key: str, period: Period) -> Derived:
    if key.startswith("growth."):
        return _growth(ledger, key.removeprefix("growth."), period)
    if key.startswith("plans.target."):
        return _plan_target(ledger, key.removeprefix("plans.target."), period)
    if key.startswith("ratio."):  # 占比 of two indicators (core.ratios)
        from core import ratios

        return ratios.compute(ledger, key, period)
    func = DERIVATIONS.get(key)
    if func is None:
        return Derived(None, basis=f"未知的计算方式 {key}", has_data=False)
    return func(ledger, period)


def is_known(key: str) -> bool:
    return key in DERIVATIONS or key.startswith(("growth.", "plans.target.", "ratio."))


# -- enterprises ----------------------------------------------------------------------------
def _enterprise_facts(ledger: Ledger, year: int) -> dict[str, int]:
    """Every flag's count for `year` (valid that year, and new that year) in one query."""
    def load() -> dict[str, int]:
        columns = ["count(*) AS total"]
        for flag in ENTERPRISE_FLAGS:
            columns.append(f"count(CASE WHEN {flag}_since <= :y AND ({flag}_until IS NULL"
                           f" OR {flag}_until >= :y) THEN 1 END) AS {flag}")
            columns.append(f"count(CASE WHEN {flag}_since = :y THEN 1 END) AS {flag}_new")
        return ledger.query(f"SELECT {', '.join(columns)} FROM enterprises", {"y": year})[0]
    return ledger.memo(("enterprise facts", year), load, tables=("enterprises",))


def _flag_count(flag: str, *, new_only: bool) -> Derivation:
    label = ENTERPRISE_FLAGS[flag]

    def count(ledger: Ledger, period: Period) -> Derived:
        facts = _enterprise_facts(ledger, period.year)
        if new_only:
            basis = f"由企业名录计算：{period.year}年新获“{label}”的企业"
        else:
            basis = f"由企业名录计算：{period.year}年有效“{label}”标记的企业"
        value = facts[f"{flag}_new" if new_only else flag]
        if not registers.covers(ledger, "enterprises", period.year, value):
            basis = f"{basis}：{registers.gap_basis('enterprises', period.year)}"
            return Derived(None, "家", basis=basis, has_data=False)
        return Derived(float(value), "家", basis=basis)
    return count


for _key, _flag, _new in (
    ("enterprises.above_scale_count", "above_scale", False),
    ("enterprises.above_scale_new", "above_scale", True),
    ("enterprises.hitech_count", "hitech", False),
    ("enterprises.tech_sme_count", "tech_sme", False),
    ("enterprises.little_giant_new", "little_giant", True),
    ("enterprises.cloud_new", "cloud", True),
    ("enterprises.platform_new", "platform", True),
):
    DERIVATIONS[_key] = _flag_count(_flag, new_only=_new)


# -- projects -------------------------------------------------------------------------------
# The groups of 亿元项目 in a period: started in it, started before it and still running at its
# end (续建), completed in it. A project started and completed in the same period is in both of
# those two; totals count it once.
def project_groups(prefix: str = "") -> dict[str, str]:
    """SQL conditions of the project groups; `prefix` qualifies the columns (e.g. "p.")."""
    p = prefix
    groups = {
        "new_started": f"{p}start_date BETWEEN :start AND :end",
        "under_construction": (
            f"{p}start_date < :start AND ({p}completion_date IS NULL OR {p}completion_date > :end)"
        ),
        "completed": f"{p}completion_date BETWEEN :start AND :end",
    }
    groups["active"] = "(" + " OR ".join(f"({c})" for c in groups.values()) + ")"
    return groups


# A project's status for a period: every stage whose condition holds, in this order (a project
# signed and started in the period reads 签约、新开工). The one rule behind the 项目 tab's status
# column, its filter and totals, the summary's lists and the 亿元项目 figures: the filter of a
# stage finds exactly the projects whose status names it.
STAGES = ("谋划", "已签约", "签约", "新开工", "在建", "竣工投产", "已投产")


def project_stages(prefix: str = "") -> dict[str, str]:
    """Stage → SQL condition over a project row and :start / :end of the period."""
    p = prefix
    groups = project_groups(prefix)
    not_started = f"({p}start_date IS NULL OR {p}start_date > :end)"
    return {
        "谋划": f"({p}signed_date IS NULL OR {p}signed_date > :end) AND {not_started}",
        "已签约": f"{p}signed_date < :start AND {not_started}",
        "签约": f"{p}signed_date BETWEEN :start AND :end",
        "新开工": groups["new_started"],
        "在建": groups["under_construction"],
        "竣工投产": groups["completed"],
        "已投产": f"{p}completion_date < :start",
    }


def stage_columns(prefix: str = "") -> str:
    """SELECT columns stage_0 … stage_6 (1 where the stage holds), for status_text()."""
    return ", ".join(f"({condition}) AS stage_{n}"
                     for n, condition in enumerate(project_stages(prefix).values()))


def status_text(row: dict[str, Any]) -> str:
    """The status of a row selected with stage_columns(): 新开工 / 签约、新开工 …"""
    return "、".join(stage for n, stage in enumerate(STAGES) if row.get(f"stage_{n}"))


GROUPS = project_groups()


def _project_params(ledger: Ledger, period: Period) -> dict[str, object]:
    return {"start": period.start, "end": period.end, "y": period.year,
            "threshold": ledger.yi_threshold}


def _project_facts(ledger: Ledger, period: Period) -> dict[str, Any]:
    """The 亿元项目 groups of `period`: how many in each, their total investment (one query)."""
    def load() -> dict[str, Any]:
        counts = ", ".join(f"count(CASE WHEN total_investment >= :threshold AND ({where})"
                           f" THEN 1 END) AS {name}" for name, where in GROUPS.items())
        return ledger.query(
            f"SELECT count(*) AS total, {counts}, coalesce(sum(CASE WHEN total_investment >="
            f" :threshold AND {GROUPS['active']} THEN total_investment END), 0) AS investment"
            " FROM projects", _project_params(ledger, period))[0]
    return ledger.memo(("project facts", period), load,
                       tables=("projects", "settings"))


def _yi_count(group: str, what: str) -> Derivation:
    def count(ledger: Ledger, period: Period) -> Derived:
        facts = _project_facts(ledger, period)
        basis = f"由项目台账计算：总投资≥{ledger.yi_threshold:g}亿元、{what}的项目"
        return _covered(ledger, period, facts[group], "个", basis)
    return count


def _covered(ledger: Ledger, period: Period, value: float, unit: str, basis: str, *,
             found: float | None = None) -> Derived:
    """A figure from the project table: missing when no project qualifies and the table is not
    marked complete for the year (core.registers)."""
    if not registers.covers(ledger, "projects", period.year, value if found is None else found):
        return Derived(None, unit, has_data=False,
                       basis=f"{basis}：{registers.gap_basis('projects', period.year)}")
    return Derived(float(value), unit, basis=basis)


DERIVATIONS["projects.yi_new_started"] = _yi_count("new_started", "开工日期在本期内")
DERIVATIONS["projects.yi_under_construction"] = _yi_count(
    "under_construction", "本年以前开工且期末未竣工"
)
DERIVATIONS["projects.yi_completed"] = _yi_count("completed", "竣工投产日期在本期内")


@derivation("projects.yi_total_investment")
def _yi_total(ledger: Ledger, period: Period) -> Derived:
    facts = _project_facts(ledger, period)
    return _covered(ledger, period, facts["investment"], "亿元",
                    "由项目台账计算：新开工、在建、竣工投产亿元项目的总投资合计",
                    found=facts["active"])


@derivation("projects.yi_invest_year")
def _yi_invest_year(ledger: Ledger, period: Period) -> Derived:
    value = ledger.scalar(
        "SELECT coalesce(sum(i.amount), 0) FROM project_investments i"
        " JOIN projects p ON p.id = i.project_id"
        " WHERE i.year = :y AND p.total_investment >= :threshold"
        f" AND {project_groups('p.')['active']}",
        _project_params(ledger, period),
    )
    return _covered(ledger, period, value, "亿元",
                    f"由项目台账计算：上述亿元项目{period.year}年完成投资合计", found=value)


@derivation("projects.tech_reno_share")
def _tech_reno_share(ledger: Ledger, period: Period) -> Derived:
    row = ledger.conn.execute(
        "SELECT coalesce(sum(CASE WHEN p.tech_renovation = 1 THEN i.amount END), 0),"
        " coalesce(sum(i.amount), 0) FROM project_investments i"
        " JOIN projects p ON p.id = i.project_id WHERE i.year = ?",
        (period.year,),
    ).fetchone()
    tech, total = float(row[0]), float(row[1])
    if total <= 0:
        return Derived(None, "%", has_data=False, basis="项目台账中本年没有完成投资")
    if not registers.covers(ledger, "projects", period.year, 0):
        return Derived(None, "%", has_data=False, basis=(
            f"由项目台账计算：{registers.gap_basis('projects', period.year)}"))
    return Derived(tech / total * 100, "%",
                   basis=f"由项目台账计算：技改项目{period.year}年完成投资 ÷ 全部项目完成投资")


@derivation("projects.signed")
def _signed(ledger: Ledger, period: Period) -> Derived:
    rows = ledger.conn.execute(
        "SELECT coalesce(e.name, ''), p.name, p.total_investment FROM projects p"
        " LEFT JOIN enterprises e ON e.id = p.enterprise_id"
        " WHERE p.signed_date BETWEEN ? AND ? ORDER BY p.signed_date, p.name",
        (period.start, period.end),
    ).fetchall()
    items = tuple(
        f"{company}投资{_short_number(amount)}亿元的{name}" if amount is not None and company
        else f"{company}{name}"
        for company, name, amount in rows
    )
    records = tuple({"enterprise": c, "project": n, "amount": a} for c, n, a in rows)
    return Derived(float(len(items)), "个", items=items, has_data=bool(items), rows=records,
                   basis="由项目台账计算：签约日期在本期内的项目")


def _short_number(amount: float) -> str:
    """6.28 → '6.28', 12.0 → '12' (amounts inside a sentence)."""
    from core.numbers import format_number

    return format_number(amount, 2).rstrip("0").rstrip(".")


# -- services -------------------------------------------------------------------------------
def _service_facts(ledger: Ledger, period: Period) -> dict[str, dict[str, float]]:
    """Per kind of service record in `period`: how many, person-times, problems solved,
    amount in the base unit (元, 个 …) and enterprises — one GROUP BY query."""
    def load() -> dict[str, dict[str, float]]:
        rows = ledger.query(
            "SELECT kind, count(*) AS records, coalesce(sum(person_times), 0) AS person_times,"
            " coalesce(sum(CASE WHEN status = '办结' THEN problems END), 0) AS solved,"
            f" coalesce(sum({units.sql_to_base('amount', 'amount_unit')}), 0) AS amount,"
            " count(DISTINCT enterprise_id) AS enterprises"
            " FROM services WHERE date BETWEEN ? AND ? GROUP BY kind",
            (period.start, period.end))
        return {row.pop("kind"): row for row in rows}
    return ledger.memo(("service facts", period), load, tables=("services",))


def _service_sum(kinds: tuple[str, ...], column: str, unit: str, what: str) -> Derivation:
    def total(ledger: Ledger, period: Period) -> Derived:
        facts = _service_facts(ledger, period)
        chosen = [facts[kind] for kind in kinds if kind in facts]
        basis = f"由服务记录计算：本期“{'、'.join(kinds)}”记录的{what}合计"
        return _services_covered(ledger, period, float(sum(row[column] for row in chosen)),
                                 unit, basis)
    return total


DERIVATIONS["services.visits"] = _service_sum(("走访",), "person_times", "人次", "人次")
DERIVATIONS["services.materials"] = _service_sum(("物资",), "amount", "个", "数量")
DERIVATIONS["services.fee_relief"] = _service_sum(("减免",), "amount", "元", "金额")
DERIVATIONS["services.tax_relief"] = _service_sum(("税收减免",), "amount", "元", "金额")
DERIVATIONS["services.loans"] = _service_sum(("融资贷款",), "amount", "元", "金额")
DERIVATIONS["services.policy_funds"] = _service_sum(
    ("政策资金", "研发奖补"), "amount", "元", "金额"
)
DERIVATIONS["services.rd_subsidy_amount"] = _service_sum(("研发奖补",), "amount", "元", "金额")
DERIVATIONS["services.rd_subsidy_enterprises"] = _service_sum(
    ("研发奖补",), "enterprises", "家", "企业数"
)


@derivation("services.problems_solved")
def _problems(ledger: Ledger, period: Period) -> Derived:
    facts = _service_facts(ledger, period).values()
    return _services_covered(ledger, period, float(sum(row["solved"] for row in facts)), "条",
                             "由服务记录计算：本期已办结记录的问题条数合计")


def _services_covered(ledger: Ledger, period: Period, value: float, unit: str, basis: str
                      ) -> Derived:
    """A sum over the service log: missing when it finds nothing and the log is not marked
    complete for the year (core.registers)."""
    if not registers.covers(ledger, "services", period.year, value):
        return Derived(None, unit, has_data=False,
                       basis=f"{basis}：{registers.gap_basis('services', period.year)}")
    return Derived(value, unit, basis=basis)


# -- honours --------------------------------------------------------------------------------
def _honour_list(categories: tuple[str, ...], level: str | None, style: str, what: str
                 ) -> Derivation:
    marks = ", ".join("?" for _ in categories)

    def listing(ledger: Ledger, period: Period) -> Derived:
        sql = (
            "SELECT coalesce(e.name, ''), h.name FROM honours h"
            " LEFT JOIN enterprises e ON e.id = h.enterprise_id"
            f" WHERE h.year = ? AND h.category IN ({marks})"
            + (" AND h.level = ?" if level else "") + " ORDER BY h.category, e.name, h.name"
        )
        params: tuple[object, ...] = (period.year, *categories, *((level,) if level else ()))
        items: list[str] = []
        records: list[dict[str, object]] = []
        for company, honour in ledger.conn.execute(sql, params):
            if style == "company":
                items.append(company or honour)
            else:
                items.append(f"{company}（{honour}）" if company else honour)
            records.append({"enterprise": company, "honour": honour})
        return Derived(float(len(items)), "项", items=tuple(items), has_data=bool(items),
                       rows=tuple(records), basis=f"由企业荣誉计算：{period.year}年的{what}")
    return listing


DERIVATIONS["honours.contest_recommended"] = _honour_list(
    ("双创大赛推荐",), None, "company", "双创大赛推荐省赛企业"
)
DERIVATIONS["honours.maker_spaces"] = _honour_list(("众创空间",), "省级", "company", "省级众创空间")
DERIVATIONS["honours.awards"] = _honour_list(
    ("重大新产品", "质量奖", "科技奖", "表彰"), None, "detail", "重大项目与荣誉"
)


# -- growth from last year ------------------------------------------------------------------
def _growth(ledger: Ledger, code: str, period: Period) -> Derived:
    base = ledger.catalogue.by_code(code)
    current = ledger.metrics.figure(base, period).value
    previous = ledger.metrics.figure(base, period.previous_year()).value
    basis = f"由“{base.name}”本期与上年同期计算"
    if current is None or previous is None or previous == 0:
        return Derived(None, "%", basis=basis, has_data=False)
    return Derived((current - previous) / abs(previous) * 100, "%", basis=basis)


# -- plans ----------------------------------------------------------------------------------
def _plan_target(ledger: Ledger, code: str, period: Period) -> Derived:
    row = ledger.conn.execute(
        "SELECT i.target_value FROM plan_items i JOIN plan_sections s ON s.id = i.section_id"
        " JOIN indicators ind ON ind.id = i.target_indicator_id"
        " WHERE s.year = ? AND ind.code = ? AND i.target_value IS NOT NULL"
        " ORDER BY s.position, i.position LIMIT 1",
        (period.year + 1, code),
    ).fetchone()
    basis = f"由{period.year + 1}年工作计划中以该指标为目标的条目计算"
    if row is None:
        return Derived(None, basis=basis, has_data=False)
    return Derived(float(row[0]), basis=basis)


@derivation("plans.sections")
def _plan_sections(ledger: Ledger, period: Period) -> Derived:
    headings = tuple(r[0] for r in ledger.conn.execute(
        "SELECT heading FROM plan_sections WHERE year = ? ORDER BY position", (period.year + 1,)
    ))
    return Derived(float(len(headings)), "项", items=headings, has_data=bool(headings),
                   basis=f"{period.year + 1}年工作计划的各部分")


@derivation("plans.projects")
def _plan_projects(ledger: Ledger, period: Period) -> Derived:
    names = tuple(r[0] for r in ledger.conn.execute(
        "SELECT p.name FROM plan_item_projects l JOIN plan_items i ON i.id = l.item_id"
        " JOIN plan_sections s ON s.id = i.section_id JOIN projects p ON p.id = l.project_id"
        " WHERE s.year = ? ORDER BY s.position, i.position, l.position", (period.year + 1,)
    ))
    return Derived(float(len(names)), "个", items=names, has_data=bool(names),
                   basis=f"{period.year + 1}年工作计划条目关联的项目")
