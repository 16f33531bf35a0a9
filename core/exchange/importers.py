"""What one spreadsheet row means for the ledger: a new record, a change, nothing, or a refusal.

Values are read by the domain's own parsers (RecordTable.parse_row → Field.parse, and
Metrics.parse_field for indicators) and checked by its own row checks (check_row), so an import
accepts exactly what typing into the window accepts. Rows are matched to what the ledger holds
by their 记录编号 (the UUID our export carries) or else by a natural key (an enterprise's credit
code or name, a project's name, an honour's enterprise + name + year, an indicator + period).
A service record has no natural key: a row equal in every column to a stored record is already
there, any other row is new.

Each importer loads what it needs to match rows with one query per table, and resolves
enterprise names through one dictionary that also holds the enterprises added by the same file.
An empty cell never clears a stored value.
"""

from __future__ import annotations

import math
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from core.changes import new_id
from core.errors import InputError, LedgerError, NeedsReason
from core.exchange.layout import ID_KEY, INVEST_FIELD, INVEST_KEY, SHEET_BY_KIND
from core.exchange.reading import FORMULA_WITHOUT_VALUE, CellError
from core.exchange.unknown import UnknownName, created_text, offer_unknown
from core.fields import BatchError, parse_year
from core.metrics import VALUE_FIELDS, Figure
from core.numbers import format_number
from core.periods import Period, parse_cumulative
from core.records import RecordTable, Row

if TYPE_CHECKING:
    from core.catalogue import Indicator
    from core.ledger import Ledger

NEW, CHANGED, UNCHANGED, REJECTED = "new", "changed", "unchanged", "rejected"
ACTION_LABELS = {NEW: "新增", CHANGED: "修改", UNCHANGED: "无变化", REJECTED: "未通过"}


@dataclass(frozen=True)
class Op:
    """One row write of an import: an insert (with its id) or an update of some columns."""

    table: str
    row_id: str
    values: dict[str, Any]
    insert: bool


@dataclass(frozen=True)
class RowResult:
    sheet: str
    row: int  # the row number in the worksheet
    action: str  # NEW CHANGED UNCHANGED REJECTED
    label: str  # what the row is about, for the preview
    detail: str = ""  # why refused / what changes
    ops: tuple[Op, ...] = ()


@dataclass
class Context:
    """What the importers of one file share: the ledger, the year, the enterprise names."""

    ledger: Ledger
    year: int  # for 本年完成投资 and indicator rows without a year
    enterprise_names: dict[str, str] = field(default_factory=dict)  # name → id
    enterprise_codes: dict[str, str] = field(default_factory=dict)  # credit code → id
    new_projects: dict[str, str] = field(default_factory=dict)  # name → id, added by the file
    # Indicator names the catalogue lacks (core.exchange.unknown): the clerk's choice of those
    # to create (name → kind), and what the file said of each (name → guessed unit, rows).
    create: dict[str, str] = field(default_factory=dict)
    unknown: dict[str, UnknownName] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.ledger.query("SELECT id, name, credit_code FROM enterprises"):
            self.enterprise_names[row["name"]] = row["id"]
            if row["credit_code"]:
                self.enterprise_codes[row["credit_code"]] = row["id"]

    def clean_name(self, raw: Any) -> str:
        return str(self.ledger.enterprises.parse("name", raw)["name"])

    def enterprise_id(self, raw: Any) -> str:
        name = self.clean_name(raw)
        found = self.enterprise_names.get(name) or self.enterprise_codes.get(name.upper())
        if found is None:
            raise InputError(f"企业名录中没有“{name}”：请先添加该企业，"
                             "或在同一文件的“企业名录”表中列出")
        return found


def _problem_text(exc: LedgerError) -> str:
    if isinstance(exc, BatchError):
        return "；".join(message for _where, message in exc.problems)
    return exc.message


def _plain(number: float | int) -> str:
    return format(Decimal(repr(number)), "f")


def with_unit(value: Any, unit: str, field_unit: str) -> Any:
    """A number under a header naming another unit (总投资（万元）) as text the parser converts.

    A field without a unit of its own (a service's 金额/数量 has a 单位 beside it) is left alone.
    """
    if not unit or not field_unit or unit == field_unit:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{_plain(value)}{unit}"
    if isinstance(value, str) and value.strip()[-1:].isdigit():
        return value.strip() + unit
    return value


def same(a: Any, b: Any) -> bool:
    """Equal, for numbers up to the last digits a spreadsheet keeps (about 15)."""
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, int | float) and isinstance(b, int | float):
            return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return bool(a == b)


def shown(value: Any) -> str:
    if value is None or value == "":
        return "空"
    if isinstance(value, float):
        return format_number(value, 6).rstrip("0").rstrip(".")
    return str(value)


class RowImporter:
    kind: ClassVar[str]

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ledger = ctx.ledger
        self.sheet = SHEET_BY_KIND[self.kind]
        self.headers = {c.key: c.header for c in self.sheet.columns}
        self.date_keys = {c.key for c in self.sheet.columns if c.kind == "date"}
        self.worksheet = self.sheet.title  # the worksheet being read (set by the caller)
        self.seen: dict[Any, tuple[str, int]] = {}  # a row's key → where it first came

    def read(self, number: int, values: dict[str, Any], units: dict[str, str],
             years: dict[str, int]) -> RowResult:
        """The outcome of one row; `values` holds its non-empty cells by column key."""
        bad = [self._cell_problem(key, value) for key, value in values.items()]
        if any(bad):
            return self.rejected(number, self._label_of(values), "；".join(filter(None, bad)))
        values = {key: self._as_typed(key, value) for key, value in values.items()}
        try:
            return self.row(number, values, units, years)
        except LedgerError as exc:
            return self.rejected(number, self._label_of(values), _problem_text(exc))

    def _cell_problem(self, key: str, value: Any) -> str:
        header = self.headers.get(key, key)
        if value is FORMULA_WITHOUT_VALUE:
            return (f"「{header}」是公式，但文件中没有保存计算结果（请在 Excel/WPS 中打开、"
                    "保存后再导入）")
        if isinstance(value, CellError):
            return f"「{header}」是错误值 {value.code}"
        return ""

    def _as_typed(self, key: str, value: Any) -> Any:
        """A date or time cell outside a date column reads as its text (as the clerk sees it),
        so that a number field says it wants a number instead of failing on a date object."""
        if isinstance(value, date | time | timedelta) and not (
                key in self.date_keys and isinstance(value, date)):
            return str(value)
        return value

    def _label_of(self, values: dict[str, Any]) -> str:
        return str(values.get("name") or values.get("indicator") or "")[:40]

    def rejected(self, number: int, label: str, why: str) -> RowResult:
        return RowResult(self.worksheet, number, REJECTED, label, why)

    def duplicate(self, key: Any, number: int) -> None:
        """Refuse a second row of the file for the same record (in any of its sheets)."""
        first = self.seen.setdefault(key, (self.worksheet, number))
        if first != (self.worksheet, number):
            sheet, row = first
            where = f"本表第 {row} 行" if sheet == self.worksheet else f"工作表“{sheet}”第 {row} 行"
            raise InputError(f"与{where}是同一条记录，请合并为一行")

    def row(self, number: int, values: dict[str, Any], units: dict[str, str],
            years: dict[str, int]) -> RowResult:
        raise NotImplementedError


class RecordImporter(RowImporter):
    """Rows of a RecordTable (enterprises, honours, projects, services)."""

    def __init__(self, ctx: Context, table: RecordTable) -> None:
        super().__init__(ctx)
        self.table = table
        self.stored = {row["id"]: row for row in self.ledger.query(
            f'SELECT * FROM "{table.table}"')}
        labels = {}
        for f in table.FIELDS:
            columns = {"flag": (f"{f.key}_since", f"{f.key}_until"),
                       "enterprise": ("enterprise_id",)}.get(f.kind, (f.key,))
            labels.update({column: f.label for column in columns})
        self.labels = labels

    def parse(self, values: dict[str, Any], units: dict[str, str]) -> Row:
        fields = self.table.fields
        plain = {key: with_unit(value, units.get(key, ""), fields[key].unit)
                 for key, value in values.items()
                 if key in fields and fields[key].kind != "enterprise"}
        columns = self.table.parse_row(plain) if plain else {}
        for key, value in values.items():
            if key in fields and fields[key].kind == "enterprise":
                columns["enterprise_id"] = self.ctx.enterprise_id(value)
        return columns

    def given_id(self, values: dict[str, Any]) -> str | None:
        raw = values.get(ID_KEY)
        if raw is None:
            return None
        try:
            return str(uuid.UUID(str(raw).strip()))
        except ValueError as exc:
            raise InputError(f"「{self.headers[ID_KEY]}」不是本软件导出的编号，请清空该格") from exc

    def require_fields(self, values: dict[str, Any]) -> None:
        for f in self.table.FIELDS:
            if f.required and f.key not in values:
                raise InputError(f"「{f.label}」不能为空")

    def new(self, number: int, label: str, row: Row, row_id: str | None) -> RowResult:
        """A new record; it keeps the 记录编号 it came with (records merged from another PC)."""
        if row_id:
            self.duplicate(("id", row_id), number)
        values = {k: v for k, v in row.items() if k != "id"}
        return RowResult(self.worksheet, number, NEW, label,
                         ops=(Op(self.table.table, row_id or new_id(), values, True),))

    def update(self, number: int, label: str, stored: Row, columns: Row,
               extra: tuple[Op, ...] = (), extra_detail: str = "") -> RowResult:
        merged = {**stored, **columns}
        self.table.check_row(merged)  # may also fill in defaults (the unit of an amount)
        changes = {k: v for k, v in merged.items() if not same(stored.get(k), v)}
        details = [f"{self.labels.get(k, k)}：{shown(stored.get(k))} → {shown(v)}"
                   for k, v in changes.items()]
        if extra_detail:
            details.append(extra_detail)
        if not changes and not extra:
            return RowResult(self.worksheet, number, UNCHANGED, label)
        ops = (Op(self.table.table, stored["id"], changes, False),) if changes else ()
        return RowResult(self.worksheet, number, CHANGED, label, "；".join(details),
                         (*ops, *extra))


class EnterpriseImporter(RecordImporter):
    kind = "enterprises"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, ctx.ledger.enterprises)
        self.by_name = {row["name"]: row for row in self.stored.values()}
        self.by_code = {row["credit_code"]: row for row in self.stored.values()
                        if row["credit_code"]}

    def row(self, number: int, values: dict[str, Any], units: dict[str, str],
            years: dict[str, int]) -> RowResult:
        row_id = self.given_id(values)
        columns = self.parse(values, units)
        name, code = columns.get("name") or "", columns.get("credit_code")
        label = f"企业“{name or code or ''}”"
        by_code = self.by_code.get(code) if code else None
        by_name = self.by_name.get(name) if name else None
        if by_code and by_name and by_code["id"] != by_name["id"]:
            raise InputError(f"名称“{name}”与信用代码 {code} 分属台账中两家不同的企业，请核对")
        stored = self.stored.get(row_id or "") or by_code or by_name
        if stored is None:
            self.require_fields(values)
            self.duplicate(("name", name), number)
            if code:
                self.duplicate(("code", code), number)
            row = {**self.table.defaults(), **columns}
            self.table.check_row(row)
            result = self.new(number, label, row, row_id)
            self._register(result.ops[0].row_id, name, code)
            return result
        self.duplicate(("id", stored["id"]), number)
        result = self.update(number, label, stored, columns)
        self._register(stored["id"], columns.get("name"), code)
        return result

    def _register(self, enterprise_id: str, name: str | None, code: str | None) -> None:
        """Later rows of this file (and its other sheets) may name this enterprise."""
        if name:
            self.ctx.enterprise_names[name] = enterprise_id
        if code:
            self.ctx.enterprise_codes[code] = enterprise_id


class HonourImporter(RecordImporter):
    kind = "honours"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, ctx.ledger.enterprises.honours)
        self.by_key = {self._key(row): row for row in self.stored.values()}

    @staticmethod
    def _key(row: Row) -> tuple[Any, ...]:
        return (row.get("enterprise_id"), row.get("name"), row.get("year"))

    def row(self, number: int, values: dict[str, Any], units: dict[str, str],
            years: dict[str, int]) -> RowResult:
        row_id = self.given_id(values)
        columns = self.parse(values, units)
        label = f"荣誉“{columns.get('name', '')}”（{columns.get('year') or ''}）"
        stored = self.stored.get(row_id or "") or self.by_key.get(self._key(columns))
        if stored is None:
            self.require_fields(values)
            self.duplicate(self._key(columns), number)
            row = {**self.table.defaults(), **columns}
            self.table.check_row(row)
            return self.new(number, label, row, row_id)
        self.duplicate(("id", stored["id"]), number)
        return self.update(number, label, stored, columns)


class ProjectImporter(RecordImporter):
    kind = "projects"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, ctx.ledger.projects)
        self.by_name: dict[str, list[Row]] = {}
        for row in self.stored.values():
            self.by_name.setdefault(row["name"], []).append(row)
        self.investments = {(r["project_id"], r["year"]): r for r in self.ledger.query(
            "SELECT id, project_id, year, amount FROM project_investments")}

    def row(self, number: int, values: dict[str, Any], units: dict[str, str],
            years: dict[str, int]) -> RowResult:
        row_id = self.given_id(values)
        invest_raw = values.pop(INVEST_KEY, None)
        columns = self.parse(values, units)
        invest_year = years.get(INVEST_KEY, self.ctx.year)
        amount = (INVEST_FIELD.parse(with_unit(invest_raw, units.get(INVEST_KEY, ""),
                                               INVEST_FIELD.unit))
                  if invest_raw is not None else None)
        name = columns.get("name") or ""
        label = f"项目“{name}”"
        stored = self.stored.get(row_id or "")
        if stored is None and name in self.by_name:
            namesakes = self.by_name[name]
            if len(namesakes) > 1:
                raise InputError(f"台账中有 {len(namesakes)} 个名为“{name}”的项目，无法确定是"
                                 "哪一个；请使用本软件导出的表格（带记录编号）修改")
            stored = namesakes[0]
        if stored is None:
            self.require_fields(values)
            self.duplicate(name, number)
            row = {**self.table.defaults(), **columns}
            self.table.check_row(row)
            result = self.new(number, label, row, row_id)
            project_id = result.ops[0].row_id
            self.ctx.new_projects[name] = project_id  # the file's 工作计划 may name it
            if amount is not None:
                invest = Op("project_investments", new_id(),
                            {"project_id": project_id, "year": invest_year, "amount": amount},
                            True)
                result = RowResult(result.sheet, number, NEW, label, ops=(*result.ops, invest))
            return result
        self.duplicate(("id", stored["id"]), number)
        extra: tuple[Op, ...] = ()
        detail = ""
        if amount is not None:
            current = self.investments.get((stored["id"], invest_year))
            if current is None:
                extra = (Op("project_investments", new_id(), {
                    "project_id": stored["id"], "year": invest_year, "amount": amount}, True),)
            elif not same(current["amount"], amount):
                extra = (Op("project_investments", current["id"], {"amount": amount}, False),)
            if extra:
                before = current["amount"] if current else None
                detail = f"{invest_year}年完成投资：{shown(before)} → {shown(amount)}"
        return self.update(number, label, stored, columns, extra, detail)


class ServiceImporter(RecordImporter):
    kind = "services"
    _SAME = ("date", "enterprise_id", "kind", "person_times", "problems", "amount",
             "amount_unit", "description", "status")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, ctx.ledger.services)
        self.signatures = Counter(self._signature(row) for row in self.stored.values())

    def _signature(self, row: Row) -> tuple[Any, ...]:
        return tuple(round(value, 9) if isinstance(value, float) else value
                     for value in (row.get(column) for column in self._SAME))

    def _label_of(self, values: dict[str, Any]) -> str:
        return f"{values.get('date', '')} {values.get('kind', '')}".strip()

    def row(self, number: int, values: dict[str, Any], units: dict[str, str],
            years: dict[str, int]) -> RowResult:
        row_id = self.given_id(values)
        if "amount" in values and "amount_unit" not in values and units.get("amount"):
            values["amount_unit"] = units["amount"]  # 金额（万元）: the header gives the unit
        columns = self.parse(values, units)
        label = f"服务记录 {columns.get('date') or ''} {columns.get('kind') or ''}".strip()
        stored = self.stored.get(row_id or "")
        if stored is not None:
            self.duplicate(("id", stored["id"]), number)
            return self.update(number, label, stored, columns)
        self.require_fields(values)
        row = {**self.table.defaults(), **columns}
        self.table.check_row(row)
        signature = self._signature(row)
        if self.signatures[signature] > 0:  # the same record is already in the ledger
            self.signatures[signature] -= 1
            return RowResult(self.worksheet, number, UNCHANGED, label, "台账中已有相同的记录")
        return self.new(number, label, row, row_id)


class IndicatorImporter(RowImporter):
    kind = "indicators"
    _FIELDS = ("value", "target_committed", "target_stretch", "last_year_value", "rank",
               "rank_scope", "estimate", "note", "reason", "month_value", "forecast",
               "official_growth", "other_ranks", "refs")
    _NUMERIC = ("value", "target_committed", "target_stretch", "last_year_value",
                "month_value", "forecast")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.indicators: dict[str, Indicator] = {}
        for indicator in self.ledger.catalogue.all():
            for name in (*indicator.former_names, indicator.code, indicator.name):
                if name:
                    self.indicators[name] = indicator
        self.stored = {(r["indicator_id"], r["year"], r["months"]): r for r in self.ledger.query(
            "SELECT * FROM indicator_values")}
        self.latest = {r["year"]: r["months"] for r in self.ledger.query(
            "SELECT year, max(months) AS months FROM indicator_values GROUP BY year")}
        self._figures: dict[Period, dict[str, Figure]] = {}

    def figure(self, indicator: Indicator, period: Period) -> Figure:
        """The figure as the ledger shows it now (computed once per period)."""
        if period not in self._figures:
            self._figures[period] = {f.indicator.id: f
                                     for f in self.ledger.metrics.figures(period)}
        # an indicator this file creates has nothing yet
        return self._figures[period].get(indicator.id) or Figure(indicator, period)

    def period_of(self, values: dict[str, Any]) -> Period:
        year = parse_year(values.get("year"), field="年份") or self.ctx.year
        raw = values.get("months")
        months = parse_cumulative(str(raw)) if raw is not None else self.latest.get(year, 12)
        return Period(year, months)

    def row(self, number: int, values: dict[str, Any], units: dict[str, str],
            years: dict[str, int]) -> RowResult:
        name = str(values.get("indicator", "")).strip()
        indicator = self.indicators.get(name)
        created: tuple[Op, ...] = ()
        if indicator is None and name:
            indicator, created = offer_unknown(self, name, number, values, units)
        if indicator is None:
            raise InputError(f"指标目录中没有“{name}”（可选择新建该指标）" if name
                             else "「指标」不能为空")
        period = self.period_of(values)
        label = f"{indicator.name}（{period.label}）"
        fields = self.parse(indicator, period, values)
        key = (indicator.id, period.year, period.months)
        self.duplicate(key, number)
        stored = self.stored.get(key)
        if stored is None:
            if not fields and not created:
                return RowResult(self.worksheet, number, UNCHANGED, label)
            values_row = {"indicator_id": indicator.id, "year": period.year,
                          "months": period.months, **fields}
            detail = f"新建指标“{indicator.name}”（{created_text(indicator)}）" if created else ""
            return RowResult(self.worksheet, number, NEW, label, detail,
                             ops=(*created, Op("indicator_values", new_id(), values_row, True)))
        changes = {k: v for k, v in fields.items() if not same(stored.get(k), v)}
        if not changes:
            return RowResult(self.worksheet, number, UNCHANGED, label)
        detail = "；".join(f"{VALUE_FIELDS.get(k, '文字内容')}：{shown(stored.get(k))} → {shown(v)}"
                          for k, v in changes.items())
        return RowResult(self.worksheet, number, CHANGED, label, detail,
                         (Op("indicator_values", stored["id"], changes, False),))

    def parse(self, indicator: Indicator, period: Period, values: dict[str, Any]) -> Row:
        """The value fields of the row, parsed by Metrics.parse_field; what the ledger already
        shows (a derived value, last year's record, the catalogue's rank scope) is left out."""
        metrics = self.ledger.metrics
        computed = str(values.get("source", "")).strip() == "自动计算"
        unit = str(values.get("unit") or "").strip()
        reason = str(values.get("reason") or "")
        figure = self.figure(indicator, period)
        fields: Row = {}
        problems: list[tuple[Any, str]] = []
        for key in self._FIELDS:
            if key not in values or key == "value" and (computed or indicator.kind == "list"):
                continue
            name = "text_value" if key == "value" and indicator.kind == "text" else key
            raw = values[key]
            if name in self._NUMERIC:
                raw = with_unit(raw, unit, indicator.unit)
            try:
                parsed = metrics.parse_field(indicator, name, raw, reason)
            except NeedsReason as exc:
                problems.append((key, f"{exc.message}（可在“超范围原因”列注明）"))
                continue
            except InputError as exc:
                problems.append((key, exc.message))
                continue
            if not self._already_shown(figure, name, parsed):
                fields[name] = parsed
        if problems:
            raise BatchError(problems)
        return fields

    @staticmethod
    def _already_shown(figure: Figure, name: str, parsed: Any) -> bool:
        """A value the exported sheet showed without the ledger storing it (re-import no-op)."""
        shown = {"last_year_value": (figure.last_year,
                                     figure.last_year_source in ("record", "derived")),
                 "rank_scope": (figure.indicator.rank_scope, figure.rank_scope ==
                                figure.indicator.rank_scope),
                 "value": (figure.derived_value, figure.entered is None)}
        if name not in shown:
            return False
        value, only_shown = shown[name]
        return only_shown and same(parsed, value)
