"""Opening ledger files: new ones, bad ones (refused untouched), read-only ones, migrations."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import CHILD_ENCODING, file_digest
from sqlite_utils import Database

from core import registers, schema, storage
from core.default_catalogue import DEFAULT_INDICATORS
from core.errors import BadFileError, ReadOnlyError
from core.ledger import Ledger
from core.periods import Period

ROOT = Path(__file__).resolve().parent.parent


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path) -> None:
    path.write_text("规上工业企业数,56\n这是一个表格导出的文本文件\n", encoding="utf-8")


def _picture(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三', '123')")
    conn.commit()
    conn.close()


def _newer_version(path: Path) -> None:
    Ledger.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 1}")
    conn.commit()
    conn.close()


def _damaged(path: Path) -> None:
    """A real ledger with a page in the middle overwritten."""
    ledger = Ledger.open(path)
    for number in range(300):
        ledger.enterprises.add(name=f"测试企业{number:03d}有限公司", note="备注" * 20)
    ledger.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[3 * page: 4 * page] = b"\xff" * page
    path.write_bytes(bytes(data))


def _truncated(path: Path) -> None:
    _damaged(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3 + 100])


BAD_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (_empty, "是空文件"),
    "text": (_text, "不是工作台账文件（也不是 SQLite 数据库）"),
    "picture": (_picture, "不是工作台账文件（也不是 SQLite 数据库）"),
    "foreign-sqlite": (_foreign_sqlite, "是其他程序的 SQLite 数据库"),
    "newer-version": (_newer_version, "由更新版本的工作台账创建"),
    "damaged": (_damaged, "已损坏"),
    "truncated": (_truncated, "已损坏"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_files_are_refused_untouched(kind: str, ledger_path: Path) -> None:
    make, message = BAD_FILES[kind]
    make(ledger_path)
    before = file_digest(ledger_path)
    for readonly in (False, True):
        with pytest.raises(BadFileError) as caught:
            Ledger.open(ledger_path, readonly=readonly)
        assert message in caught.value.message
        assert "\n" not in caught.value.message
    assert file_digest(ledger_path) == before
    assert not ledger_path.with_name(ledger_path.name + "-wal").exists()


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_cli_reports_bad_files_in_one_line(kind: str, ledger_path: Path) -> None:
    make, message = BAD_FILES[kind]
    make(ledger_path)
    before = file_digest(ledger_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check", "--db", str(ledger_path)],
        capture_output=True, text=True, encoding=CHILD_ENCODING, timeout=60,
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert file_digest(ledger_path) == before


def test_a_folder_is_not_a_ledger(tmp_path: Path) -> None:
    with pytest.raises(BadFileError, match="是文件夹"):
        Ledger.open(tmp_path)


def test_missing_file_is_created_with_the_whole_schema(ledger_path: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        assert ledger.created
        assert ledger.scalar("PRAGMA user_version") == schema.LATEST_VERSION
        assert ledger.scalar("PRAGMA application_id") == schema.APPLICATION_ID
        assert ledger.scalar("PRAGMA journal_mode") == "wal"
        assert ledger.scalar("PRAGMA foreign_keys") == 1
        assert ledger.scalar("PRAGMA synchronous") == 2  # FULL
        assert ledger.scalar("PRAGMA busy_timeout") >= 1000
        applied = [r[0] for r in ledger.conn.execute(
            "SELECT version FROM schema_migrations ORDER BY version")]
        assert applied == [m.version for m in schema.MIGRATIONS]
        # A new, empty ledger already knows every figure of the summary.
        codes = {i.code for i in ledger.catalogue.all()}
        assert codes == {d.code for d in DEFAULT_INDICATORS}
    with Ledger.open(ledger_path) as again:
        assert not again.created


def test_missing_file_is_not_created_when_reading(ledger_path: Path) -> None:
    with pytest.raises(BadFileError, match="找不到台账文件"):
        Ledger.open(ledger_path, readonly=True)
    assert not ledger_path.exists()


def test_readonly_open_reads_but_never_writes(demo_path: Path) -> None:
    with Ledger.open(demo_path) as ledger:
        count = ledger.scalar("SELECT count(*) FROM enterprises")
    before = file_digest(demo_path)
    with Ledger.open(demo_path, readonly=True) as ledger:
        assert ledger.readonly
        assert ledger.scalar("SELECT count(*) FROM enterprises") == count
        assert ledger.metrics.figure("above_scale_count", Period(2026, 11)).value
        with pytest.raises(ReadOnlyError, match="只读"):
            ledger.enterprises.add(name="新企业有限公司")
    assert file_digest(demo_path) == before


def test_a_file_we_may_not_write_opens_read_only(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file (or folder) is opened for reading, with the reason said."""
    before = file_digest(demo_path)
    # Tests may run as root, for whom permission bits do not stop writes: ask the OS check.
    monkeypatch.setattr(storage.os, "access", lambda path, mode: mode != storage.os.W_OK)
    with Ledger.open(demo_path) as ledger:
        assert ledger.readonly
        assert ledger.readonly_reason == "文件为只读"
        with pytest.raises(ReadOnlyError, match="文件为只读"):
            ledger.metrics.set("above_scale_va_growth", Period(2026, 11), "value", "7")
    assert file_digest(demo_path) == before


def test_creating_in_a_read_only_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.os, "access", lambda path, mode: mode != storage.os.W_OK)
    target = tmp_path / "只读" / "台账.db"
    target.parent.mkdir()
    with pytest.raises(BadFileError, match="为只读，无法新建台账"):
        Ledger.open(target)
    assert not target.exists()


def _with_migration(monkeypatch: pytest.MonkeyPatch, apply: Callable[[Database], None]
                    ) -> schema.Migration:
    extra = schema.Migration(schema.LATEST_VERSION + 1, "测试用迁移", apply)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, extra))
    monkeypatch.setattr(schema, "LATEST_VERSION", extra.version)
    return extra


def test_migrations_run_after_a_backup_copy(
    ledger_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger.open(ledger_path) as ledger:
        ledger.enterprises.add(name="迁移前企业有限公司")
        old_version = ledger.scalar("PRAGMA user_version")
    extra = _with_migration(monkeypatch, lambda db: db.table("enterprises").add_column(
        "town", str, not_null_default=""))
    with Ledger.open(ledger_path) as ledger:
        assert ledger.migrated_from == old_version
        assert ledger.scalar("PRAGMA user_version") == extra.version
        assert ledger.scalar("SELECT town FROM enterprises") == ""
    backups = list((data_dir / "backups").rglob("*.db"))
    assert len(backups) == 1 and f"升级前v{old_version}" in backups[0].name
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == old_version
    assert conn.execute("SELECT name FROM enterprises").fetchone()[0] == "迁移前企业有限公司"
    conn.close()


def test_a_failing_migration_changes_nothing(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger.open(ledger_path) as ledger:
        ledger.enterprises.add(name="某企业有限公司")
        version = ledger.scalar("PRAGMA user_version")

    def broken(db: Database) -> None:
        db.table("enterprises").add_column("town", str)
        db.conn.execute("THIS IS NOT SQL")

    _with_migration(monkeypatch, broken)
    with pytest.raises(sqlite3.OperationalError):
        Ledger.open(ledger_path)
    monkeypatch.undo()
    with Ledger.open(ledger_path) as ledger:
        assert ledger.scalar("PRAGMA user_version") == version
        columns = [r[1] for r in ledger.conn.execute("PRAGMA table_info(enterprises)")]
        assert "town" not in columns
        assert ledger.scalar("SELECT count(*) FROM enterprises") == 1


def test_an_empty_sqlite_file_left_by_an_interrupted_creation_is_initialised(
    ledger_path: Path,
) -> None:
    sqlite3.connect(ledger_path).execute("PRAGMA journal_mode = WAL").fetchall()
    assert ledger_path.stat().st_size > 0
    with Ledger.open(ledger_path) as ledger:
        assert ledger.scalar("PRAGMA user_version") == schema.LATEST_VERSION


def test_closing_folds_the_wal_back_into_the_file(ledger_path: Path) -> None:
    ledger = Ledger.open(ledger_path)
    ledger.enterprises.add(name="某企业有限公司")
    ledger.close()
    wal = ledger_path.with_name(ledger_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    conn = sqlite3.connect(f"{ledger_path.as_uri()}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM enterprises").fetchone()[0] == 1
    conn.close()


# -- files written by earlier versions (Electrum style: real files, kept in the repository) ------
OLD_VERSIONS = Path(__file__).resolve().parent / "data"


RELEASED = sorted(path.name for path in OLD_VERSIONS.glob("ledger-v*.db"))


def test_a_file_of_every_released_schema_version_is_kept() -> None:
    """Every schema version a release wrote (CHANGELOG.md) has a real file under tests/data;
    the latest one too, once released, so that the next version must open it."""
    versions = {int(name.removeprefix("ledger-v").removesuffix(".db")) for name in RELEASED}
    assert versions >= set(range(1, schema.LATEST_VERSION))


@pytest.mark.parametrize("name", RELEASED)
def test_files_of_earlier_versions_still_open(name: str, tmp_path: Path, data_dir: Path) -> None:
    old = tmp_path / "张三" / name
    old.parent.mkdir()
    old.write_bytes((OLD_VERSIONS / name).read_bytes())
    version = int(name.removeprefix("ledger-v").removesuffix(".db"))
    with Ledger.open(old) as ledger:
        assert (ledger.migrated_from is not None) == (version < schema.LATEST_VERSION)
        assert ledger.scalar("PRAGMA user_version") == schema.LATEST_VERSION
        assert ledger.integrity_problems() == []
        assert ledger.setting("district") == "星河区"
        assert ledger.enterprises.rows()[0]["name"] == "旧版企业有限公司"
        # A register of an older version is not known to be complete: marked, it counts.
        assert ledger.metrics.figure("yi_new_started", Period(2025, 12)).missing
        registers.set_complete(ledger, "projects", 2025, True)
        assert ledger.metrics.figure("yi_new_started", Period(2025, 12)).value == 1
        assert ledger.metrics.figure("above_scale_va_growth", Period(2025, 12)).value == 6.1
    if version < schema.LATEST_VERSION:
        assert list((data_dir / "backups").rglob(f"*升级前v{version}.db")), "a copy first"


def test_reading_commands_upgrade_an_older_ledger_first(tmp_path: Path) -> None:
    import io

    from core.cli import main as cli_main

    old = tmp_path / "旧台账.db"
    old.write_bytes((OLD_VERSIONS / "ledger-v1.db").read_bytes())
    with pytest.raises(BadFileError, match="需要升级数据格式"):
        Ledger.open(old, readonly=True)
    out = io.StringIO()
    assert cli_main(["check", "--db", str(old), "--year", "2025"], out=out) == 0
    assert "完整性检查：通过" in out.getvalue()
    with Ledger.open(old, readonly=True) as ledger:
        assert ledger.scalar("PRAGMA user_version") == schema.LATEST_VERSION


def test_a_file_closed_cleanly_is_not_checked_again_until_it_changes(ledger_path: Path) -> None:
    import os

    Ledger.open(ledger_path).close()
    assert storage.recently_checked(ledger_path)
    stat = ledger_path.stat()
    os.utime(ledger_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert not storage.recently_checked(ledger_path)  # touched by something else: check it
    with Ledger.open(ledger_path, readonly=True):
        pass
    assert storage.recently_checked(ledger_path)  # checked on that open, and unchanged
