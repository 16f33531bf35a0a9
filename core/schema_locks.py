"""上报 locks a period where SQLite enforces it: the triggers of migrations 6 and 7 (core.schema)
that refuse every write to a locked period's figures, as they stood at those migrations."""

from __future__ import annotations

from core.changes import PERIOD_LOCKED

# The one place a locked period is enforced: every write to its figures (any tab, an import,
# a packet merge, an undo) reaches SQLite, and these refuse it there. core.changes turns the
# marker into the clerk's sentence (core.editions.locked_message).
_LOCKED_VALUE = ("EXISTS (SELECT 1 FROM period_locks l WHERE l.year = {row}.year"
                 " AND l.months = {row}.months)")
_LOCKED_SERVICE = ("EXISTS (SELECT 1 FROM period_locks l WHERE l.year ="
                   " CAST(substr({row}.date, 1, 4) AS INTEGER)"
                   " AND CAST(substr({row}.date, 6, 2) AS INTEGER) <= l.months)")


# each write event and the rows its trigger tests: the new row, both, the old one
_EVENTS = (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))


def _trigger(table: str, event: str, when: str, of: str = "") -> str:
    """The trigger refusing `event` on `table` when `when` holds (`of`: ' OF columns')."""
    return (f"CREATE TRIGGER IF NOT EXISTS {table}_period_lock_{event.lower()}"
            f" BEFORE {event}{of} ON {table} WHEN {when}"
            f" BEGIN SELECT RAISE(ABORT, '{PERIOD_LOCKED}'); END")


def triggers_6() -> list[str]:
    """Migration 6's: indicator values and service records of a locked period."""
    statements = []
    for table, test in (("indicator_values", _LOCKED_VALUE), ("services", _LOCKED_SERVICE)):
        for event, rows in _EVENTS:
            statements.append(_trigger(table, event, " OR ".join(test.format(row=row)
                                                                 for row in rows)))
    return statements


# Migration 7: the lock reaches every table the period's figures are read from (core.derived,
# core.metrics), written out here as they stood at this migration. `{lock}` is a period_locks
# row l; a 1-N月 period runs from l's year's 1 January to the end of month N ('-31' is after
# every day of a month in ISO text).
_LOCK_START = "printf('%04d-01-01', l.year)"
_LOCK_END = "printf('%04d-%02d-31', l.year, l.months)"
_LOCKED_BY_YEAR = "EXISTS (SELECT 1 FROM period_locks l WHERE l.year = {row}.year)"
# a project is a record of every period it is signed, started, running or completed in
_LOCKED_PROJECT = (
    "EXISTS (SELECT 1 FROM period_locks l WHERE"
    f" {{row}}.signed_date BETWEEN {_LOCK_START} AND {_LOCK_END}"
    f" OR {{row}}.start_date BETWEEN {_LOCK_START} AND {_LOCK_END}"
    f" OR {{row}}.completion_date BETWEEN {_LOCK_START} AND {_LOCK_END}"
    f" OR ({{row}}.start_date < {_LOCK_START} AND ({{row}}.completion_date IS NULL"
    f" OR {{row}}.completion_date > {_LOCK_END})))")
# a period's summary reads next year's plan (工作打算): its sections, items and their projects
_LOCKED_PLAN_YEAR = "EXISTS (SELECT 1 FROM period_locks l WHERE l.year + 1 = {year})"
_LOCKED_SECTION = _LOCKED_PLAN_YEAR.format(year="{row}.year")
_LOCKED_ITEM = _LOCKED_PLAN_YEAR.format(
    year="(SELECT s.year FROM plan_sections s WHERE s.id = {row}.section_id)")
_LOCKED_ITEM_LINK = _LOCKED_PLAN_YEAR.format(
    year="(SELECT s.year FROM plan_items i JOIN plan_sections s ON s.id = i.section_id"
         " WHERE i.id = {row}.item_id)")
_FLAGS_7 = ("above_scale", "hitech", "tech_sme", "little_giant", "cloud", "platform")


def _member(row: str, flag: str) -> str:
    """1 when the enterprise `row` counts under `flag` in l's year, or is new under it."""
    return (f"(coalesce({row}.{flag}_since <= l.year AND ({row}.{flag}_until IS NULL"
            f" OR {row}.{flag}_until >= l.year), 0) + 2 * coalesce({row}.{flag}_since = l.year,"
            " 0))")


def _locked_enterprise(rows: tuple[str, ...]) -> str:
    """An enterprise's flags are counted per year: a write is locked when it changes what a
    locked year counts (an update of a flag of 2015 → 2014 changes no 2026 figure)."""
    if len(rows) == 1:
        counts = " OR ".join(f"{_member(rows[0], f)} > 0" for f in _FLAGS_7)
    else:
        counts = " OR ".join(f"{_member('OLD', f)} <> {_member('NEW', f)}" for f in _FLAGS_7)
    return f"EXISTS (SELECT 1 FROM period_locks l WHERE {counts})"


# table → (its lock test, the columns an update is tested on: None for every column)
_LOCKED_7: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "project_investments": (_LOCKED_BY_YEAR, None),
    "projects": (_LOCKED_PROJECT, ("name", "enterprise_id", "signed_date", "start_date",
                                   "completion_date", "total_investment", "tech_renovation")),
    "honours": (_LOCKED_BY_YEAR, None),
    "plan_sections": (_LOCKED_SECTION, ("year", "position", "heading", "narrative")),
    "plan_items": (_LOCKED_ITEM, ("section_id", "position", "title", "text",
                                  "target_indicator_id", "target_value")),
    "plan_item_projects": (_LOCKED_ITEM_LINK, None),
}


def triggers_7() -> list[str]:
    """Migration 7's: every other table the period's figures are read from."""
    statements = []
    for table, (test, columns) in _LOCKED_7.items():
        for event, rows in _EVENTS:
            when = " OR ".join(f"({test.format(row=row)})" for row in rows)
            of = f" OF {', '.join(columns)}" if event == "UPDATE" and columns else ""
            statements.append(_trigger(table, event, when, of))
    flags = [f"{f}_{end}" for f in _FLAGS_7 for end in ("since", "until")]
    for event, rows in _EVENTS:
        of = f" OF {', '.join(flags)}" if event == "UPDATE" else ""
        statements.append(_trigger("enterprises", event, _locked_enterprise(rows), of))
    return statements
