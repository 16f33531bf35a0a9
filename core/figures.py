"""The figures a period still lacks, and the 39 figures of the reference summary.

What is missing for a period: every active indicator without a value (entered, or derived from
records that hold something for the period), the rank of every indicator whose catalogue entry
names a rank scope, and the settings the summary prints (区名, 单位).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.metrics import Figure
from core.periods import Period

if TYPE_CHECKING:
    from core.ledger import Ledger


@dataclass(frozen=True)
class SeedFigure:
    number: int
    code: str
    aspect: str = "value"  # "value", or "rank" for the rank field of the indicator


# reference/seed-figures.md, in its order.
SEED_FIGURES: tuple[SeedFigure, ...] = (
    SeedFigure(1, "above_scale_count"), SeedFigure(2, "above_scale_va_growth"),
    SeedFigure(3, "above_scale_va_growth", "rank"), SeedFigure(4, "above_scale_new"),
    SeedFigure(5, "hitech_va_share"), SeedFigure(6, "hitech_va_share", "rank"),
    SeedFigure(7, "yi_new_started"), SeedFigure(8, "yi_under_construction"),
    SeedFigure(9, "yi_completed"), SeedFigure(10, "yi_total_investment"),
    SeedFigure(11, "yi_invest_year"), SeedFigure(12, "tech_reno_share"),
    SeedFigure(13, "service_visits"), SeedFigure(14, "problems_solved"),
    SeedFigure(15, "materials_raised"), SeedFigure(16, "fee_relief"),
    SeedFigure(17, "tax_relief"), SeedFigure(18, "resumption_rate"),
    SeedFigure(19, "bank_loans"), SeedFigure(20, "policy_funds"),
    SeedFigure(21, "above_scale_output"), SeedFigure(22, "above_scale_output_growth"),
    SeedFigure(23, "little_giants_new"), SeedFigure(24, "contest_entries"),
    SeedFigure(25, "contest_entries", "rank"), SeedFigure(26, "contest_recommended"),
    SeedFigure(27, "cloud_new"), SeedFigure(28, "platform_new"),
    SeedFigure(29, "signed_projects"), SeedFigure(30, "hitech_count"),
    SeedFigure(31, "tech_sme_count"), SeedFigure(32, "tech_contract_turnover"),
    SeedFigure(33, "maker_spaces_new"), SeedFigure(34, "rd_subsidy_enterprises"),
    SeedFigure(35, "rd_subsidy_amount"), SeedFigure(36, "major_awards"),
    SeedFigure(37, "next_va_growth_target"), SeedFigure(38, "next_plan_sections"),
    SeedFigure(39, "next_plan_projects"),
)

REQUIRED_SETTINGS = {"district": "区名", "bureau": "单位名称"}
GENERIC_BUREAU = "区科工信局"  # a new ledger's 单位名称 until the clerk names the bureau


def bureau_name(ledger: Ledger) -> str:
    """单位名称 as printed: the setting; the generic 区科工信局 of a new ledger reads with the
    district's name (星河区科工信局), so that setting 区名 changes the title. '' when unknown."""
    bureau = str(ledger.setting("bureau", "") or "").strip()
    district = str(ledger.setting("district", "") or "").strip()
    if bureau == GENERIC_BUREAU:
        return f"{district}{bureau.removeprefix('区')}" if district else ""
    return bureau


@dataclass(frozen=True)
class Missing:
    """One thing the summary of a period would lack."""

    label: str  # what the clerk reads: 规上工业增加值增速（城区排名）
    indicator_id: str | None = None
    field: str = "value"  # value / rank / setting


def rank_label(figure: Figure) -> str:
    scope = figure.rank_scope or figure.indicator.rank_scope or ""
    return f"{figure.indicator.name}（{scope}排名）"


def missing_for(ledger: Ledger, period: Period, figures: list[Figure] | None = None
                ) -> list[Missing]:
    found: list[Missing] = []
    for key, label in REQUIRED_SETTINGS.items():
        value = bureau_name(ledger) if key == "bureau" else ledger.setting(key, "")
        if not str(value or "").strip():
            found.append(Missing(f"{label}（设置）", field="setting"))
    for figure in figures if figures is not None else ledger.metrics.figures(period):
        if figure.missing:
            found.append(Missing(figure.indicator.name, figure.indicator.id))
        if figure.indicator.rank_scope and figure.rank is None:
            found.append(Missing(rank_label(figure), figure.indicator.id, "rank"))
    return found


def override_notes(ledger: Ledger, period: Period) -> list[str]:
    """Each derived figure the clerk overrode, with both values: for the clerk (the 总结 tab's
    status line, `check`, the optional 【数据说明】), never printed in the body by default."""
    notes = []
    for figure in ledger.metrics.figures(period):
        if not figure.overridden or figure.entered is None or figure.derived_value is None:
            continue
        kind, indicator = figure.kind, figure.indicator
        entry = (f"{indicator.name}采用填报数{kind.with_unit(indicator, figure.entered)}，"
                 f"台账记录计算为{kind.with_unit(indicator, figure.derived_value)}")
        note = figure.note.strip().rstrip("。；;，, ")
        notes.append(f"{entry}，{note}" if note else entry)
    return notes
