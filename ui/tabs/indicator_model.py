"""The 指标 table: one row per indicator of the period, grouped under section header rows.

Each row shows core's `Figure` for the selected period; typed cells are written with
`Metrics.set` / `set_many` (a paste is one `set_many`, so one undo step). Values outside the soft
bounds raise NeedsReason, which the view answers by asking why.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from core.catalogue import Indicator
from core.kinds import GROWTH_DECIMALS, number_text, other_ranks_text
from core.metrics import SOURCE_LABELS, Figure
from core.pacing import gap_words, paced_gap
from core.periods import Period
from ui.i18n import tr
from ui.table.model import READONLY_BACKGROUND, CellEdit, Column, LedgerTableModel, Row, Write

# Column key → the field of core.metrics.VALUE_FIELDS it edits (None: shown only).
COLUMNS = (
    (Column("name", tr("指标"), 24, editable=False), None),
    (Column("value", tr("本期数值"), 11, numeric=True), "value"),
    (Column("unit", tr("单位"), 5, editable=False), None),
    (Column("target_committed", tr("确保目标"), 9, numeric=True), "target_committed"),
    (Column("target_stretch", tr("奋斗目标"), 9, numeric=True), "target_stretch"),
    (Column("completion", tr("完成情况"), 19, editable=False, numeric=True,
            tip="计数、金额：本期数值 ÷ 确保目标；增速、占比：高于/低于目标的百分点"), None),
    (Column("pacing", tr("序时进度"), 21, editable=False,
            tip="本期数值占“全年”确保目标的比例减去已过时间（月数/12）；越低越好的指标反过来算；"
                "只比较累计数"), None),
    (Column("last_year", tr("上年同期"), 9, numeric=True,
            tip="有上年同期记录时取自记录（只读）；没有时可直接填写，填写的数优先于台账计算"),
     "last_year_value"),
    (Column("change", tr("同比"), 15, editable=False,
            tip="计数和金额为增长/下降百分比；增速和占比为提高/回落的百分点；"
                "填了公布增速时用公布增速，标“（公布）”，计算的同比见“计算同比”"), None),
    (Column("official_growth", tr("公布增速"), 8, numeric=True,
            tip="统计局公布的增速（%），填写后同比一律用它；计数和金额才有"), "official_growth"),
    (Column("computed_change", tr("计算同比"), 13, editable=False,
            tip="填了公布增速时，按本期数值和上年同期计算的同比（仅供对照，总结用公布增速）"),
     None),
    (Column("month_value", tr("当月数值"), 9, numeric=True,
            tip="本期最后一个月的单月数（如1-5月的5月当月数）；不填时，计数和金额按"
                "累计数相减得出"), "month_value"),
    (Column("forecast", tr("预计值"), 9, numeric=True,
            tip="尚未统计完的预计数（预测、上报数）；实际数填入后总结用实际数，预计值保留，"
                "模板中用【名称.预计】打印"), "forecast"),
    (Column("rank", tr("排名"), 6, numeric=True, tip="可填 3、第3 或 第三"), "rank"),
    (Column("rank_scope", tr("排名范围"), 7, tip="如 城区、全市、全省"), "rank_scope"),
    (Column("other_ranks", tr("其他排名"), 17,
            tip="指标目录所列其他排名范围中的排名，如 全省第12、全国第30"), "other_ranks"),
    (Column("refs", tr("参照值"), 23,
            tip="全市平均、全省平均或标杆值，如 全市平均6.1、全省平均5.8（本指标的单位）"),
     "refs"),
    (Column("source", tr("来源"), 8, editable=False,
            tip="填报 / 自动计算（由台账记录得出）/ 手工修正（覆盖了自动计算值）/ 未填"), None),
    (Column("note", tr("备注"), 12), "note"),
    (Column("follow_up", tr("跟进"), 5, kind="bool", tip="需要跟进的指标打勾"), "follow_up"),
)
FIELD_OF = {column.key: field for column, field in COLUMNS}

GOOD, BAD = QColor("#1b7f3b"), QColor("#c62828")
OVERRIDDEN, DERIVED, MISSING = QColor("#1a56db"), QColor("#0f6e6e"), QColor("#b45309")
SECTION_BACKGROUND = QColor("#e8eef7")


def change_text(figure: Figure) -> str:
    """同比 in the kind's words (core.kinds), the same the summary prints; when it is the
    official growth rate, marked so, with the computed one beside it."""
    verdict = figure.versus
    if verdict is None:
        return ""
    return f"{verdict.words}（公布）" if figure.growth_source == "official" else verdict.words


def computed_change_text(figure: Figure) -> str:
    """The computed 同比 beside an official growth rate (blank when that is not used)."""
    if figure.growth_source != "official":
        return ""
    computed = figure.computed_versus
    return computed.words if computed is not None else "缺上年同期"


def history_text(figure: Figure) -> str:
    """The same period of the last years and this one, for tooltips and the detail panel."""
    indicator = figure.indicator
    parts = [f"{year}年：{indicator.format(value) if value is not None else '—'}"
             for year, value in figure.history]
    current = indicator.format(figure.value) if figure.value is not None else "未填"
    parts.append(f"{figure.period.year}年：{current}")
    return "；".join(parts)


class IndicatorsModel(LedgerTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([column for column, _field in COLUMNS], parent)
        self.period = Period(2000)
        self.search = ""
        self.only = ""  # "", "missing", "follow_up", "overridden"
        self._all: list[Row] = []

    # -- loading -------------------------------------------------------------------------------
    def reload(self, total: int | None = None) -> None:
        self._all = self._build() if self.ledger is not None else []
        super().reload(total)

    def _build(self) -> list[Row]:
        assert self.ledger is not None
        rows: list[Row] = []
        section = None
        for figure in self.ledger.metrics.figures(self.period, history_years=3):
            if not self._wanted(figure):
                continue
            if figure.indicator.section != section:
                section = figure.indicator.section
                rows.append({"id": f"section:{section}", "section": section})
            rows.append({"id": figure.indicator.id, "figure": figure})
        return rows

    def _wanted(self, figure: Figure) -> bool:
        text = self.search.strip()
        if text and text not in figure.indicator.name and text not in figure.note:
            return False
        if self.only == "missing":
            return figure.missing or (bool(figure.indicator.rank_scope) and figure.rank is None)
        if self.only == "follow_up":
            return figure.follow_up
        if self.only == "overridden":
            return figure.overridden
        return True

    def count(self) -> int:
        return len(self._all)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return self._all[offset:offset + limit]

    @staticmethod
    def figure_of(row: Row | None) -> Figure | None:
        return None if row is None else row.get("figure")

    def section_rows(self) -> list[int]:
        return [n for n, row in enumerate(self.rows) if "section" in row]

    # -- cells ---------------------------------------------------------------------------------
    def field_for(self, figure: Figure, column: Column) -> str | None:
        field = FIELD_OF[column.key]
        if field == "value" and figure.indicator.kind == "text":
            return "text_value"
        return field

    def cell_editable(self, row: Row, column: Column) -> bool:
        figure = self.figure_of(row)
        if figure is None or not column.editable:
            return False
        field = self.field_for(figure, column)
        if field is None:
            return False
        if field == "last_year_value" and figure.last_year_source == "record":
            return False
        return figure.kind.editable("value" if field == "text_value" else field)

    def paced(self, figure: Figure) -> float | None:
        return None if self.ledger is None else paced_gap(self.ledger, figure)

    def text(self, row: Row, column: Column) -> str:
        figure = self.figure_of(row)
        if figure is None:
            return tr(row["section"]) if column.key == "name" else ""
        indicator, key = figure.indicator, column.key
        if key == "name":
            return indicator.name
        if key == "value":
            if indicator.kind == "list":
                return "、".join(figure.items)
            if indicator.kind == "text":
                return figure.text
            if figure.value is None and figure.forecast is not None:
                return f"（预计{indicator.format(figure.forecast)}）"
            return indicator.format(figure.value)
        if key in ("month_value", "forecast"):
            return indicator.format(getattr(figure, key))
        if key == "official_growth":
            return number_text(figure.official_growth, GROWTH_DECIMALS)
        if key == "other_ranks":
            return other_ranks_text(dict(figure.other_ranks))
        if key == "refs":
            return figure.kind.references_text(indicator, dict(figure.refs))
        if key == "unit":
            return indicator.unit or ("名单" if indicator.kind == "list" else "")
        if key in ("target_committed", "target_stretch"):
            return indicator.format(getattr(figure, key))
        if key == "completion":
            return "" if figure.completion is None else figure.completion.words
        if key == "last_year":
            return indicator.format(figure.last_year)
        if key == "pacing":
            gap = self.paced(figure)
            return "" if gap is None else gap_words(gap)
        if key == "change":
            return change_text(figure)
        if key == "computed_change":
            return computed_change_text(figure)
        if key == "rank":
            return "" if figure.rank is None else f"第{figure.rank}"
        if key == "rank_scope":
            return figure.rank_scope
        if key == "source":
            return SOURCE_LABELS[figure.source]
        if key == "note":
            return figure.note
        return ""

    def edit_text(self, row: Row, column: Column) -> str:
        figure = self.figure_of(row)
        if figure is not None and column.key == "rank":
            return "" if figure.rank is None else str(figure.rank)
        if figure is not None and column.key == "follow_up":
            return "是" if figure.follow_up else ""
        return self.text(row, column)

    def checked(self, row: Row, column: Column) -> bool | None:
        figure = self.figure_of(row)
        return None if figure is None else figure.follow_up

    def foreground(self, row: Row, column: Column) -> QColor | None:
        figure = self.figure_of(row)
        if figure is None:
            return None
        if column.key == "value" and figure.value is None and figure.forecast is not None:
            return MISSING  # a forecast only: no actual yet
        if column.key in ("value", "source"):
            colour = {"overridden": OVERRIDDEN, "derived": DERIVED}.get(figure.source)
            if column.key == "source" and figure.missing:
                colour = MISSING
            return colour
        if column.key == "pacing" and (gap := self.paced(figure)) is not None \
                and round(gap, 1) != 0:
            return GOOD if gap > 0 else BAD
        verdict = figure.versus if column.key == "change" else (
            figure.completion if column.key == "completion" else None)
        if verdict is not None and verdict.good is not None and not verdict.level:
            return GOOD if verdict.good else BAD
        return None

    def background(self, row: Row, column: Column) -> QColor | None:
        if self.figure_of(row) is None:
            return SECTION_BACKGROUND
        return None if self.cell_editable(row, column) else READONLY_BACKGROUND

    def tooltip(self, row: Row, column: Column) -> str:
        figure = self.figure_of(row)
        if figure is None:
            return ""
        indicator = figure.indicator
        if column.key == "name":
            return indicator.description or indicator.name
        if column.key == "value":
            return self.value_tip(figure)
        if column.key == "last_year":
            return {"record": "取自上年同期的记录（只读）",
                    "entered": "手工填写的上年同期数",
                    "derived": "由上年台账记录计算（可直接填写覆盖）"}.get(figure.last_year_source,
                                                          column.tip)
        if column.key in ("target_committed", "target_stretch") \
                and figure.target_source == "annual":
            return "全年目标（本期未单独填写目标时，各期通用）；在此填写即为本期自己的目标"
        if column.key == "change" and figure.growth_source == "official":
            return "用的是公布增速（统计局数）；按本期数值和上年同期计算的同比见“计算同比”"
        if column.key == "note" and figure.note:
            return figure.note
        return column.tip

    def value_tip(self, figure: Figure) -> str:
        indicator = figure.indicator
        lines = []
        if indicator.kind == "list":
            lines += list(figure.items) or ["（本期没有）"]
        elif figure.overridden and figure.derived_value is not None:
            lines.append(f"自动计算值：{indicator.format(figure.derived_value)}{indicator.unit}"
                         "（右键可恢复）")
        if figure.derived is not None and figure.derived.basis:
            lines.append(figure.derived.basis)
        if indicator.is_numeric:
            lines.append(f"近三年同期　{history_text(figure)}")
        if figure.reason:
            lines.append(f"超范围原因：{figure.reason}")
        if figure.estimate:
            lines.append("本期数值为预计数")
        if figure.value is None and figure.forecast is not None:
            lines.append("尚无实际数，括号中为预计值；实际数填入后以实际数为准，预计值保留")
        return "\n".join(lines)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            row = self.record(index.row())
            if row is not None and "section" in row:
                font = QFont()
                font.setBold(True)
                return font
            return None
        return super().data(index, role)

    # -- writing -------------------------------------------------------------------------------
    def check(self, row: Row | None, column: Column, raw: str, reason: str) -> None:
        figure = self.figure_of(row)
        assert figure is not None and self.ledger is not None
        field = self.field_for(figure, column)
        assert field is not None
        self.ledger.metrics.parse_field(figure.indicator, field, raw, reason)

    def update_writes(self, edits: list[CellEdit], reason: str) -> list[Write]:
        assert self.ledger is not None
        metrics, period = self.ledger.metrics, self.period
        chosen: list[tuple[str | Indicator, Period, str, Any]] = []
        for edit in edits:
            figure = self.figure_of(self.record(edit.row or 0))
            assert figure is not None
            field = self.field_for(figure, self.columns[edit.column])
            assert field is not None
            chosen.append((figure.indicator, period, field, edit.raw))
        places = tuple(e.at for e in edits)
        if len(chosen) == 1:
            indicator, _period, field, raw = chosen[0]
            return [Write(lambda: metrics.set(indicator, period, field, raw, reason=reason),
                          places)]
        return [Write(lambda: metrics.set_many(chosen, reason=reason), places)]
