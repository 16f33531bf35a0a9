"""Backups: consistent, verified copies kept for a year, listed with counts, restored exactly."""

from __future__ import annotations

import io
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import dump, file_digest

from benchmarks.stress_kill import start_writer
from core import schema
from core.backup import (
    BEFORE_RESTORE,
    COUNTED_TABLES,
    DAILY,
    KEEP_LATEST,
    KEEP_MONTHS,
    ORIGINAL,
    backup_into,
    list_backups,
    prune,
    record_counts,
    restore,
    restore_file,
)
from core.cli import main
from core.errors import BadFileError, InputError, LedgerError, LockedError
from core.ledger import Ledger
from core.paths import backups_dir_for
from core.periods import Period


def _read(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _dump_file(path: Path) -> dict[str, list[tuple]]:
    conn = _read(path)
    try:
        return dump(conn)
    finally:
        conn.close()


def _edit(ledger: Ledger) -> None:
    """A few edits of every kind, so a restore has something to undo."""
    ledger.services.add(date="2026-06-03", kind="走访", person_times=4, description="恢复后应消失")
    ledger.metrics.set("规上工业增加值增速", Period(2026, 11), "value", "9.9")
    enterprise = ledger.enterprises.rows(limit=1)[0]
    ledger.enterprises.set_field(enterprise["id"], "note", "恢复后应还原")
    project = ledger.projects.rows(Period(2026, 11), limit=1)[0]
    ledger.projects.delete(project["id"])


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


# -- automatic backups ---------------------------------------------------------------------------
def test_the_first_open_of_a_day_leaves_one_verified_backup(demo_path: Path) -> None:
    folder = backups_dir_for(demo_path)
    with Ledger.open(demo_path) as ledger:
        expected = dump(ledger.conn)
    copies = list_backups(demo_path)
    assert [c.reason for c in copies] == [DAILY]
    assert copies[0].path.parent == folder and copies[0].taken_at.date() == date.today()
    assert _dump_file(copies[0].path) == expected
    conn = _read(copies[0].path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    Ledger.open(demo_path).close()
    assert len(list_backups(demo_path)) == 1  # once a day, not at every open


def test_a_new_ledger_and_read_only_opens_leave_no_backup(ledger_path: Path) -> None:
    Ledger.open(ledger_path).close()
    Ledger.open(ledger_path, readonly=True).close()
    assert list_backups(ledger_path) == []


def test_a_failing_daily_backup_does_not_stop_the_clerk(demo_path: Path, data_dir: Path) -> None:
    blocker = backups_dir_for(demo_path)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("不是文件夹", encoding="utf-8")  # the backup folder cannot be made
    with Ledger.open(demo_path) as ledger:
        ledger.enterprises.add(name="备份失败时照常录入的企业")


def _fake_backup(folder: Path, when: datetime, reason: str = DAILY) -> Path:
    path = folder / f"台账-{when:%Y%m%d-%H%M%S}-{reason}.db"
    path.write_bytes(b"")
    return path


def test_pruning_keeps_the_last_30_and_one_per_month_for_a_year(tmp_path: Path) -> None:
    now = datetime(2026, 11, 20, 9, 0)
    daily = [_fake_backup(tmp_path, now - timedelta(days=n)) for n in range(45)]
    older = [_fake_backup(tmp_path, datetime(2026, 11, 1) - timedelta(days=30 * k + d))
             for k in range(1, 20) for d in (5, 10)]
    stranger = tmp_path / "同事放在这里的文件.db"
    stranger.write_bytes(b"")
    just_written = _fake_backup(tmp_path, datetime(2020, 1, 1), "导入前")
    removed = set(prune(tmp_path, keep=just_written, now=now))
    kept = {p for p in (*daily, *older) if p.exists()}
    assert set(daily[:KEEP_LATEST]) <= kept
    months = {(now.year * 12 + now.month - 1) - k for k in range(KEEP_MONTHS)}
    newest_of_month: dict[int, Path] = {}
    for path in sorted((*daily, *older), reverse=True):  # names sort by time
        stamp = datetime.strptime(path.name.split("-", 1)[1][:15], "%Y%m%d-%H%M%S")
        newest_of_month.setdefault(stamp.year * 12 + stamp.month - 1, path)
    expected = set(daily[:KEEP_LATEST]) | {p for m, p in newest_of_month.items() if m in months}
    assert kept == expected
    assert removed == (set(daily) | set(older)) - expected
    assert stranger.exists() and just_written.exists()


# -- copies on demand ----------------------------------------------------------------------------
def test_backup_command_copies_while_the_app_has_the_ledger_open(demo: Ledger, tmp_path: Path
                                                                 ) -> None:
    demo.enterprises.add(name="备份前刚录入的企业")
    code, out = _run("backup", "--db", str(demo.path), "--to", str(tmp_path / "U盘"))
    assert code == 0
    copy = Path(out.strip())
    assert copy.parent == tmp_path / "U盘" and copy.exists()
    assert _dump_file(copy) == dump(demo.conn)


def test_backups_are_consistent_while_another_process_writes(ledger_path: Path,
                                                            tmp_path: Path) -> None:
    Ledger.open(ledger_path).close()
    writer = start_writer(ledger_path, 1)
    assert writer.stdout is not None
    try:
        for _copy in range(5):
            writer.stdout.readline()
            code, out = _run("backup", "--db", str(ledger_path), "--to", str(tmp_path / "备份"))
            assert code == 0
            conn = _read(Path(out.strip()))
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            # The writer adds a service, then an enterprise: a snapshot is never between halves
            # of one edit, and the audit has a row for every row of the snapshot.
            audited = conn.execute("SELECT count(DISTINCT row_id) FROM audit"
                                   " WHERE tbl IN ('services', 'enterprises')").fetchone()[0]
            rows = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("services", "enterprises"))
            assert audited == rows
            conn.close()
    finally:
        writer.kill()
        writer.communicate()


def test_backup_into_a_file_instead_of_a_folder_is_refused(demo: Ledger, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "文件.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="不是文件夹"):
        backup_into(demo.conn, demo.path, not_a_folder)


# -- listing -------------------------------------------------------------------------------------
def test_the_list_shows_date_size_and_record_counts(demo: Ledger, tmp_path: Path) -> None:
    first = backup_into(demo.conn, demo.path, tmp_path)
    counts_then = record_counts(demo.conn)
    demo.services.add(date="2026-06-01", kind="走访", description="第二份备份才有")
    second = backup_into(demo.conn, demo.path, tmp_path)
    damaged = tmp_path / "坏的备份.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    listed = {info.path: info for info in list_backups(demo.path, tmp_path)}
    assert listed[first].counts == counts_then
    assert listed[second].counts == record_counts(demo.conn)
    assert listed[second].counts["services"] == counts_then["services"] + 1
    assert listed[first].size == first.stat().st_size
    assert listed[damaged].counts is None and listed[damaged].problem
    assert set(listed[first].counts) == set(COUNTED_TABLES)
    assert "企业 " in listed[first].summary


# -- restoring -----------------------------------------------------------------------------------
def test_restoring_reproduces_the_ledger_exactly(demo: Ledger, tmp_path: Path) -> None:
    original = dump(demo.conn)
    copy = backup_into(demo.conn, demo.path, tmp_path)
    _edit(demo)
    edited = dump(demo.conn)
    assert edited != original
    result = restore(demo, copy)
    assert dump(demo.conn) == original
    assert result.counts == record_counts(demo.conn)
    assert result.previous is not None and BEFORE_RESTORE in result.previous.name
    assert _dump_file(result.previous) == edited  # the replaced content was kept
    assert demo.integrity_problems() == []
    demo.enterprises.add(name="恢复之后照常录入的企业")  # still the same, writable ledger
    demo.close()
    with Ledger.open(demo.path, readonly=True) as reopened:
        assert reopened.scalar("SELECT count(*) FROM enterprises WHERE name = ?",
                               ("恢复之后照常录入的企业",)) == 1
        assert reopened.scalar("SELECT count(*) FROM audit WHERE label = '从备份恢复'") == 1


def _empty_sqlite(path: Path) -> None:
    """A valid SQLite file without a single table (not a ledger, yet not refused as foreign)."""
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE t (x); DROP TABLE t;")
    conn.close()


def _damaged_copy(source: Ledger, path: Path) -> None:
    backup_into(source.conn, source.path, path.parent).rename(path)
    data = bytearray(path.read_bytes())
    data[4096 * 3: 4096 * 4] = b"\xff" * 4096
    path.write_bytes(bytes(data))


def _newer_copy(source: Ledger, path: Path) -> None:
    backup_into(source.conn, source.path, path.parent).rename(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 1}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["text", "empty_sqlite", "damaged", "newer", "missing"])
def test_unusable_backups_are_refused_and_change_nothing(demo: Ledger, tmp_path: Path,
                                                         kind: str) -> None:
    bad = tmp_path / "备份" / f"{kind}.db"
    bad.parent.mkdir()
    if kind == "text":
        bad.write_text("企业名称,信用代码\n", encoding="utf-8")
    elif kind == "empty_sqlite":
        _empty_sqlite(bad)
    elif kind == "damaged":
        _damaged_copy(demo, bad)
    elif kind == "newer":
        _newer_copy(demo, bad)
    before = dump(demo.conn)
    with pytest.raises(BadFileError):
        restore(demo, bad)
    assert dump(demo.conn) == before
    assert [c.reason for c in list_backups(demo.path)] == [DAILY]  # no 恢复前 copy either


def test_the_ledger_itself_is_not_a_backup(demo: Ledger) -> None:
    with pytest.raises(InputError):
        restore(demo, demo.path)


def test_a_damaged_ledger_is_restored_from_its_backup(demo_path: Path, tmp_path: Path) -> None:
    with Ledger.open(demo_path) as ledger:
        copy = backup_into(ledger.conn, ledger.path, tmp_path / "备份")
        for number in range(400):
            ledger.enterprises.add(name=f"损坏前的企业{number:03d}", note="备注" * 30)
    data = bytearray(demo_path.read_bytes())
    data[4096 * 5: 4096 * 6] = b"\xff" * 4096
    demo_path.write_bytes(bytes(data))
    damaged_digest = file_digest(demo_path)
    with pytest.raises(BadFileError):
        Ledger.open(demo_path)
    code, out = _run("restore", "--db", str(demo_path), "--from", str(copy))
    assert code == 0 and "无法打开" in out and "原文件已原样保留" in out
    assert _dump_file(demo_path) == _dump_file(copy)
    kept = [c for c in list_backups(demo_path) if c.reason == ORIGINAL]
    assert len(kept) == 1 and file_digest(kept[0].path) == damaged_digest
    Ledger.open(demo_path).close()


def test_a_lost_ledger_is_recreated_from_its_backup(demo_path: Path, tmp_path: Path) -> None:
    with Ledger.open(demo_path) as ledger:
        copy = backup_into(ledger.conn, ledger.path, tmp_path / "备份")
    demo_path.unlink()
    result = restore_file(demo_path, copy)
    assert result.previous is None
    assert _dump_file(demo_path) == _dump_file(copy)


def test_restore_command_says_what_it_did(demo_path: Path, tmp_path: Path) -> None:
    with Ledger.open(demo_path) as ledger:
        original = dump(ledger.conn)
        copy = backup_into(ledger.conn, ledger.path, tmp_path / "备份")
        _edit(ledger)
    code, out = _run("restore", "--db", str(demo_path), "--from", str(copy))
    assert code == 0
    assert f"已从备份“{copy.name}”恢复" in out and "恢复前的台账已备份到" in out
    assert _dump_file(demo_path) == original


def test_restore_is_refused_while_someone_else_writes(demo: Ledger, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    copy = backup_into(demo.conn, demo.path, tmp_path / "备份")
    _edit(demo)
    before = dump(demo.conn)
    code, _out = _run("restore", "--db", str(demo.path), "--from", str(copy))
    assert code == 1 and "只读" in capsys.readouterr().err
    assert dump(demo.conn) == before
    with pytest.raises(LockedError):
        restore_file(demo.path, copy)


def test_restore_needs_a_writable_ledger(demo_path: Path, tmp_path: Path) -> None:
    with Ledger.open(demo_path) as ledger:
        copy = backup_into(ledger.conn, ledger.path, tmp_path / "备份")
    with Ledger.open(demo_path, readonly=True) as reader, pytest.raises(LedgerError):
        restore(reader, copy)


# -- the window ----------------------------------------------------------------------------------
def test_the_restore_dialog_lists_backups_and_restores_the_chosen_one(
    qtbot, demo: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import messages
    from ui.dialogs.backups import BackupDialog

    original = dump(demo.conn)
    _edit(demo)
    monkeypatch.setattr(messages, "confirm", lambda *_args: True)
    dialog = BackupDialog(demo)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(list_backups(demo.path)) == 1
    assert "企业 " in dialog.table.item(0, 3).text() and not dialog.empty.isVisibleTo(dialog)
    dialog.restore_button.click()
    assert dialog.restored is not None and dump(demo.conn) == original


def test_the_window_restores_from_its_menu_and_forgets_the_undo_history(
    qtbot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import messages
    from ui.app import create_window
    from ui.app_settings import AppSettings
    from ui.dialogs.backups import BackupDialog

    window = create_window(AppSettings())
    qtbot.addWidget(window)
    ledger = Ledger.open(demo_path)
    backup = list_backups(demo_path)[0].path
    window.set_ledger(ledger)
    window.ops.apply(lambda: ledger.enterprises.add(name="恢复后应消失的企业"))
    assert "恢复后应消失的企业" in window.undo_action.text()
    monkeypatch.setattr(messages, "confirm", lambda *_args: True)
    told: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _p, text, title="": told.append(text))

    def choose_first(dialog: BackupDialog) -> int:
        dialog.restore_selected()
        return dialog.result()

    monkeypatch.setattr(BackupDialog, "exec", choose_first)
    action = next(a for a in window.menus["文件"].actions() if a.text() == "从备份恢复…")
    action.trigger()
    # The backup's content, and what the window's tabs add to any ledger they show.
    seeded = ("audit", "templates")
    assert dump(ledger.conn, skip=seeded) == dump(_read(backup), skip=seeded)
    assert "恢复前的内容已备份到" in told[-1]
    stack = window.ops.stack  # the old history no longer fits the content: it is gone
    assert not any("恢复后应消失的企业" in stack.text(i) for i in range(stack.count()))
    window.close()


def test_backup_to_a_folder_from_the_menu(qtbot, demo_path: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import messages, safety_menu
    from ui.app import create_window
    from ui.app_settings import AppSettings

    window = create_window(AppSettings())
    qtbot.addWidget(window)
    window.set_ledger(Ledger.open(demo_path))
    monkeypatch.setattr(safety_menu, "ask_folder", lambda _w, _title: tmp_path / "U盘")
    monkeypatch.setattr(messages, "inform", lambda *_args: None)
    next(a for a in window.menus["文件"].actions() if a.text() == "备份到…").trigger()
    copies = list((tmp_path / "U盘").glob("*.db"))
    assert len(copies) == 1 and _dump_file(copies[0]) == dump(window.ledger.conn)
    window.close()


def test_a_locked_ledger_is_offered_read_only(qtbot, demo: Ledger,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import opening, safety_menu

    asked: list[str] = []

    def answer(_parent: object, error: LockedError) -> bool:
        asked.append(error.message)
        return True

    monkeypatch.setattr(safety_menu, "ask_read_only", answer)
    reader = opening.try_open(None, demo.path)
    assert reader is not None and reader.readonly and "另一处正在修改" in reader.readonly_reason
    assert "只读" in asked[0]
    reader.close()
    monkeypatch.setattr(safety_menu, "ask_read_only", lambda *_args: False)
    assert opening.try_open(None, demo.path) is None


def test_a_damaged_ledger_is_offered_its_backups_when_opened(
    qtbot, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import messages, opening
    from ui.dialogs import backups

    with Ledger.open(demo_path) as ledger:  # the first open of the day leaves a backup
        original = dump(ledger.conn)
    data = bytearray(demo_path.read_bytes())
    data[4096 * 3: 4096 * 4] = b"\xff" * 4096
    demo_path.write_bytes(bytes(data))
    questions: list[str] = []
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, text, title="": questions.append(text) or True)
    monkeypatch.setattr(messages, "inform", lambda *_args: None)
    monkeypatch.setattr(backups, "ask_backup_file",
                        lambda _p, folder: list_backups(demo_path)[0].path)
    ledger = opening.open_until_ok(None, demo_path)
    assert ledger is not None and dump(ledger.conn) == original
    assert "1 份自动备份" in questions[0]
    ledger.close()
