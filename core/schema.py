"""The ledger's schema as numbered migrations (PRAGMA user_version), oldest first.

Each migration runs in one transaction together with its user_version bump and its row in
`schema_migrations`; an error rolls all of it back. Never edit a released migration: add one.
Migrations get a sqlite-utils Database over the ledger's connection: its table API (create,
add_column, transform — the rebuild SQLite needs for most column changes) joins the open
transaction. sqlite-utils is imported only when a migration runs, never at start-up.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core import schema_locks
from core.catalogue_v1 import CATALOGUE_V1
from core.catalogue_v1 import FIELDS as V1_FIELDS
from core.changes import new_id, now_text

if TYPE_CHECKING:
    from sqlite_utils import Database

_REPLACED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
APPLICATION_ID = 0x574C4447  # "WLDG": marks a file as a WorkLedger ledger


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Database], None]


_TIMES = "created_at TEXT NOT NULL, updated_at TEXT NOT NULL"

_SCHEMA_1 = f"""
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    label TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE INDEX audit_row ON audit (tbl, row_id);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能删除'); END;

CREATE TABLE settings (
    id TEXT PRIMARY KEY,
    value TEXT,
    {_TIMES}
);

CREATE TABLE indicators (
    id TEXT PRIMARY KEY,
    code TEXT UNIQUE,
    name TEXT NOT NULL,
    former_names TEXT NOT NULL DEFAULT '[]',
    unit TEXT NOT NULL DEFAULT '',
    decimals INTEGER NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 6),
    kind TEXT NOT NULL
        CHECK (kind IN ('count', 'amount', 'rate', 'share', 'rank', 'text', 'list')),
    section TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    higher_is_better INTEGER NOT NULL DEFAULT 1 CHECK (higher_is_better IN (0, 1)),
    hard_min REAL, hard_max REAL, soft_min REAL, soft_max REAL,
    derivation TEXT,
    rank_scope TEXT,
    description TEXT NOT NULL DEFAULT '',
    retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    {_TIMES}
);
CREATE UNIQUE INDEX indicators_active_name ON indicators (name) WHERE retired = 0;

CREATE TABLE indicator_values (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES indicators (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12),
    value REAL,
    text_value TEXT,
    target_committed REAL,
    target_stretch REAL,
    last_year_value REAL,
    rank INTEGER CHECK (rank IS NULL OR rank >= 1),
    rank_scope TEXT,
    note TEXT NOT NULL DEFAULT '',
    follow_up INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1)),
    estimate INTEGER NOT NULL DEFAULT 0 CHECK (estimate IN (0, 1)),
    reason TEXT NOT NULL DEFAULT '',
    {_TIMES},
    UNIQUE (indicator_id, year, months)
);
CREATE INDEX indicator_values_period ON indicator_values (year, months);

CREATE TABLE enterprises (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    credit_code TEXT,
    industry TEXT NOT NULL DEFAULT '',
    above_scale_since INTEGER, above_scale_until INTEGER,
    hitech_since INTEGER, hitech_until INTEGER,
    tech_sme_since INTEGER, tech_sme_until INTEGER,
    little_giant_since INTEGER, little_giant_until INTEGER,
    cloud_since INTEGER, cloud_until INTEGER,
    platform_since INTEGER, platform_until INTEGER,
    note TEXT NOT NULL DEFAULT '',
    {_TIMES}
);
CREATE UNIQUE INDEX enterprises_name ON enterprises (name);
CREATE UNIQUE INDEX enterprises_credit_code ON enterprises (credit_code)
    WHERE credit_code IS NOT NULL;

CREATE TABLE honours (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT REFERENCES enterprises (id),
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    note TEXT NOT NULL DEFAULT '',
    {_TIMES}
);
CREATE INDEX honours_enterprise ON honours (enterprise_id);
CREATE INDEX honours_year ON honours (year, category);

CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    enterprise_id TEXT REFERENCES enterprises (id),
    signed_date TEXT,
    start_date TEXT,
    completion_date TEXT,
    total_investment REAL CHECK (total_investment IS NULL OR total_investment >= 0),
    tech_renovation INTEGER NOT NULL DEFAULT 0 CHECK (tech_renovation IN (0, 1)),
    industry_chain TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {_TIMES}
);
CREATE INDEX projects_enterprise ON projects (enterprise_id);
CREATE INDEX projects_start ON projects (start_date);
CREATE INDEX projects_completion ON projects (completion_date);
CREATE INDEX projects_signed ON projects (signed_date);

CREATE TABLE project_investments (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    amount REAL NOT NULL CHECK (amount >= 0),
    {_TIMES},
    UNIQUE (project_id, year)
);
CREATE INDEX project_investments_year ON project_investments (year);

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    date TEXT NOT NULL,
    enterprise_id TEXT REFERENCES enterprises (id),
    kind TEXT NOT NULL,
    person_times INTEGER NOT NULL DEFAULT 0 CHECK (person_times >= 0),
    problems INTEGER NOT NULL DEFAULT 0 CHECK (problems >= 0),
    amount REAL,
    amount_unit TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '办结' CHECK (status IN ('办结', '跟进中')),
    {_TIMES}
);
CREATE INDEX services_date ON services (date);
CREATE INDEX services_kind_date ON services (kind, date);
CREATE INDEX services_enterprise ON services (enterprise_id);

CREATE TABLE plan_sections (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    position INTEGER NOT NULL DEFAULT 0,
    heading TEXT NOT NULL,
    narrative TEXT NOT NULL DEFAULT '',
    {_TIMES}
);
CREATE INDEX plan_sections_year ON plan_sections (year, position);

CREATE TABLE plan_items (
    id TEXT PRIMARY KEY,
    section_id TEXT NOT NULL REFERENCES plan_sections (id),
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    target_indicator_id TEXT REFERENCES indicators (id),
    target_value REAL,
    owner TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    result_status TEXT NOT NULL DEFAULT ''
        CHECK (result_status IN ('', '未开始', '推进中', '已完成', '未完成')),
    result_note TEXT NOT NULL DEFAULT '',
    {_TIMES}
);
CREATE INDEX plan_items_section ON plan_items (section_id, position);

CREATE TABLE plan_item_projects (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES plan_items (id),
    project_id TEXT NOT NULL REFERENCES projects (id),
    position INTEGER NOT NULL DEFAULT 0,
    {_TIMES},
    UNIQUE (item_id, project_id)
);
CREATE INDEX plan_item_projects_project ON plan_item_projects (project_id);
"""

DEFAULT_SETTINGS = {
    "district": "",            # 区名, e.g. 星河区
    "bureau": "区科工信局",     # 单位名称
    "yi_threshold": 1.0,       # 亿元项目: total investment ≥ this many 亿元
}


def _migration_1(db: Database) -> None:
    # Plain SQL: the first schema's CHECK constraints and triggers say more than the table API.
    conn = db.conn
    for statement in _split(_SCHEMA_1):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    stamp = now_text()
    conn.executemany(
        "INSERT INTO settings (id, value, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [(key, json.dumps(value, ensure_ascii=False), stamp, stamp)
         for key, value in DEFAULT_SETTINGS.items()],
    )
    conn.executemany(
        "INSERT INTO indicators (id, code, name, unit, decimals, kind, section, position,"
        " higher_is_better, hard_min, hard_max, soft_min, soft_max, derivation, rank_scope,"
        " description, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (new_id(), d["code"], d["name"], d["unit"], d["decimals"], d["kind"], d["section"],
             position, int(bool(d["higher_is_better"])), d["hard_min"], d["hard_max"],
             d["soft_min"], d["soft_max"], d["derivation"], d["rank_scope"], d["description"],
             stamp, stamp)
            for position, d in enumerate(
                (dict(zip(V1_FIELDS, row, strict=True)) for row in CATALOGUE_V1), start=1)
        ],
    )


def _split(script: str) -> list[str]:
    """Split a schema script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.strip().splitlines():
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement: {buffer!r}")
    return statements


def _migration_2(db: Database) -> None:
    """Summary templates (core.report.store): the clerk's own wording, by name; `charts` is a
    JSON list of chart keys printed after the text. Without rows the bundled defaults apply."""
    templates = db.table("templates")
    templates.create(
        {"id": str, "name": str, "body": str, "charts": str, "created_at": str,
         "updated_at": str},
        pk="id", not_null={"name", "body", "charts", "created_at", "updated_at"},
        defaults={"charts": "[]"},
    )
    templates.create_index(["name"], unique=True)


_SCHEMA_3 = f"""
ALTER TABLE plan_items ADD COLUMN co_offices TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_items ADD COLUMN done_on TEXT;

CREATE TABLE plan_milestones (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES plan_items (id),
    position INTEGER NOT NULL DEFAULT 0,
    what TEXT NOT NULL,
    due TEXT NOT NULL,
    done_on TEXT,
    {_TIMES}
);
CREATE INDEX plan_milestones_item ON plan_milestones (item_id, position);

CREATE TABLE plan_progress (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES plan_items (id),
    date TEXT NOT NULL,
    text TEXT NOT NULL,
    who TEXT NOT NULL DEFAULT '',
    {_TIMES}
);
CREATE INDEX plan_progress_item ON plan_progress (item_id, date);

CREATE TABLE evidence_blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL CHECK (size >= 0),
    data BLOB NOT NULL
);

CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES plan_items (id),
    name TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL REFERENCES evidence_blobs (sha256),
    added_by TEXT NOT NULL DEFAULT '',
    {_TIMES}
);
CREATE INDEX evidence_item ON evidence (item_id);
"""


def _migration_3(db: Database) -> None:
    """督办: milestones (节点), a dated progress log (进展), evidence files kept inside the
    ledger (so they travel in backups), cooperating offices and the day an item was done.
    `owner` stays the lead office (牵头科室). Evidence contents live in `evidence_blobs` by
    hash: an undone attachment leaves its bytes there, so redo needs nothing from disk."""
    conn = db.conn
    for statement in _split(_SCHEMA_3):
        conn.execute(statement)
    stamp = now_text()
    conn.execute(
        "INSERT OR IGNORE INTO settings (id, value, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ("plan_warn_days", json.dumps(DEFAULT_WARN_DAYS), stamp, stamp))


def _migration_4(db: Database) -> None:
    """Text no document can hold (control characters pasted from Word …, see core.text) is
    cleaned in every table but the append-only audit: line breaks unified, the rest dropped.
    Where dropping would make a name equal another one, the character becomes U+FFFD instead."""
    from core.text import needs_scrub, scrub

    conn = db.conn
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT IN ('audit', 'schema_migrations')")]
    for table in tables:
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')
                   if str(r[2]).upper() in ("TEXT", "")]
        for column in columns:
            rows = conn.execute(
                f'SELECT rowid, "{column}" FROM "{table}" WHERE typeof("{column}") = \'text\''
            ).fetchall()
            for rowid, value in rows:
                if not needs_scrub(value):
                    continue
                try:
                    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                                 (scrub(value), rowid))
                except sqlite3.IntegrityError:
                    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                                 (scrub(_REPLACED.sub("\ufffd", value)), rowid))


_COLUMNS_5 = (
    ("indicator_values", "month_value", "REAL"),
    ("indicator_values", "forecast", "REAL"),
    ("indicator_values", "official_growth", "REAL"),
    ("indicator_values", "other_ranks", "TEXT NOT NULL DEFAULT ''"),
    ("indicator_values", "refs", "TEXT NOT NULL DEFAULT ''"),
    ("indicators", "rank_scopes", "TEXT NOT NULL DEFAULT ''"),
)


def _migration_5(db: Database) -> None:
    """More than one number per figure (issue 13): the single month N's value beside the
    1-N月 one (month_value), a forecast kept beside the actual (forecast), the statistics
    bureau's official growth rate (official_growth, in %), ranks in further scopes
    (other_ranks: JSON scope → rank) and reference values such as 全市平均 (refs: JSON name →
    value). The catalogue names an indicator's rank scopes (rank_scopes, "全市、全省"; the
    first is the default), filled from its one rank_scope. A column already there (a file
    whose version number was set back by hand) is left as it is."""
    conn = db.conn
    for table, column, declaration in _COLUMNS_5:
        existing = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        if column not in existing:
            conn.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {declaration}')
    conn.execute("UPDATE indicators SET rank_scopes = rank_scope WHERE rank_scopes = ''"
                 " AND rank_scope IS NOT NULL AND rank_scope != ''")


_SCHEMA_6 = f"""
CREATE TABLE IF NOT EXISTS filing_units (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '科室' CHECK (kind IN ('科室', '街道', '园区', '其他')),
    note TEXT NOT NULL DEFAULT '',
    {_TIMES}
);
CREATE UNIQUE INDEX IF NOT EXISTS filing_units_name ON filing_units (name);

CREATE TABLE IF NOT EXISTS filing_assignments (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES filing_units (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12),
    indicator_id TEXT REFERENCES indicators (id),
    tbl TEXT CHECK (tbl IS NULL OR tbl IN ('services')),
    due TEXT,
    {_TIMES},
    CHECK ((indicator_id IS NULL) <> (tbl IS NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS filing_assignments_what ON filing_assignments
    (unit_id, year, months, coalesce(indicator_id, ''), coalesce(tbl, ''));
CREATE INDEX IF NOT EXISTS filing_assignments_period ON filing_assignments (year, months);

CREATE TABLE IF NOT EXISTS packets_issued (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES filing_units (id),
    year INTEGER NOT NULL,
    months INTEGER NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    issued_by TEXT NOT NULL DEFAULT '',
    due TEXT,
    {_TIMES}
);
CREATE INDEX IF NOT EXISTS packets_issued_unit ON packets_issued (unit_id, year, months);

CREATE TABLE IF NOT EXISTS packets_received (
    id TEXT PRIMARY KEY,
    packet_id TEXT NOT NULL REFERENCES packets_issued (id),
    sha256 TEXT NOT NULL,
    returned_by TEXT NOT NULL DEFAULT '',
    returned_at TEXT NOT NULL DEFAULT '',
    applied INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    conflicts INTEGER NOT NULL DEFAULT 0,
    {_TIMES}
);
CREATE UNIQUE INDEX IF NOT EXISTS packets_received_sha256 ON packets_received (sha256);

CREATE TABLE IF NOT EXISTS packet_base (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS editions (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12),
    number INTEGER NOT NULL CHECK (number >= 1),
    made_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    audit_mark INTEGER NOT NULL DEFAULT 0,
    snapshot TEXT NOT NULL DEFAULT '[]',
    {_TIMES},
    UNIQUE (year, months, number)
);

CREATE TABLE IF NOT EXISTS period_locks (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    months INTEGER NOT NULL,
    edition_id TEXT NOT NULL REFERENCES editions (id),
    locked_by TEXT NOT NULL DEFAULT '',
    {_TIMES},
    UNIQUE (year, months)
);
"""

def _migration_6(db: Database) -> None:
    """报送: 填报单位 and what each fills per period, fill-in packets issued and returned (a
    packet file keeps its base as issued in `packet_base`), 上报 editions with their snapshot,
    and locked periods (enforced by triggers). Every ledger gets a `ledger_id`, so a packet
    knows which ledger it belongs to. Written to run again on a file that has it (a file whose
    version number was set back)."""
    conn = db.conn
    for statement in [*_split(_SCHEMA_6), *schema_locks.triggers_6()]:
        conn.execute(statement)
    stamp = now_text()
    conn.execute(
        "INSERT OR IGNORE INTO settings (id, value, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ("ledger_id", json.dumps(new_id()), stamp, stamp))


def _migration_7(db: Database) -> None:
    """上报 locks every tab: the period lock of migration 6 covered indicator values and
    service records; now also projects (signed, started, running or completed in the period)
    and their yearly investment, honours of the year, next year's plan (sections, items, their
    projects; not the 督办 progress, milestones and evidence, nor an item's result, which are
    kept while the plan runs) and the enterprise flags a locked year counts. A unit may be
    assigned projects and plans to fill, beside services."""
    conn = db.conn
    # filing_assignments' record tables: projects and plans beside services (SQLite changes a
    # CHECK only by rebuilding the table)
    conn.execute("DROP TABLE IF EXISTS filing_assignments_7")
    conn.execute(f"""CREATE TABLE filing_assignments_7 (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES filing_units (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12),
    indicator_id TEXT REFERENCES indicators (id),
    tbl TEXT CHECK (tbl IS NULL OR tbl IN ('services', 'projects', 'plans')),
    due TEXT,
    {_TIMES},
    CHECK ((indicator_id IS NULL) <> (tbl IS NULL))
)""")
    conn.execute("INSERT INTO filing_assignments_7 (id, unit_id, year, months, indicator_id,"
                 " tbl, due, created_at, updated_at) SELECT id, unit_id, year, months,"
                 " indicator_id, tbl, due, created_at, updated_at FROM filing_assignments")
    conn.execute("DROP TABLE filing_assignments")
    conn.execute("ALTER TABLE filing_assignments_7 RENAME TO filing_assignments")
    conn.execute("CREATE UNIQUE INDEX filing_assignments_what ON filing_assignments"
                 " (unit_id, year, months, coalesce(indicator_id, ''), coalesce(tbl, ''))")
    conn.execute("CREATE INDEX filing_assignments_period ON filing_assignments (year, months)")
    for statement in schema_locks.triggers_7():
        conn.execute(statement)


DEFAULT_WARN_DAYS = 7  # 临期: an open deadline this many days away or fewer

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "台账初始结构与默认指标目录", _migration_1),
    Migration(2, "工作总结模板", _migration_2),
    Migration(3, "工作计划督办：节点、进展、佐证材料", _migration_3),
    Migration(4, "清除文字中无法打印的控制字符", _migration_4),
    Migration(5, "指标的当月数、预计数、公布增速、多个排名和参照值", _migration_5),
    Migration(6, "填报单位、报送包、上报版本与期间锁定", _migration_6),
    Migration(7, "上报锁定扩展到项目、荣誉、工作计划和企业标识", _migration_7),
)

LATEST_VERSION = MIGRATIONS[-1].version


def pending(current_version: int) -> list[Migration]:
    return [m for m in MIGRATIONS if m.version > current_version]


def run_migration(conn: sqlite3.Connection, migration: Migration) -> None:
    """Apply one migration in its own exclusive transaction, all or nothing."""
    from sqlite_utils import Database

    db = Database(conn, recursive_triggers=False)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        migration.apply(db)
        conn.execute(
            "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.description, now_text()),
        )
        conn.execute(f"PRAGMA user_version = {migration.version}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
