"""Every acknowledged edit survives the process being killed at any moment; so does a restore.

The kill trials are those of benchmarks/stress_kill.py (which runs many more of them).
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import dump

from benchmarks.stress_kill import ROOT, child_env, run_trials
from core.backup import backup_into
from core.ledger import Ledger

KILL_TRIALS = 24


def test_every_acknowledged_edit_survives_a_kill(
    ledger_path: Path, record_property: pytest.RecordProperty
) -> None:
    seed = random.randrange(1_000_000)
    outcome = run_trials(ledger_path, KILL_TRIALS, seed=seed)
    report = f"kill test (seed {seed}): {outcome.summary()}"
    print(report)
    record_property("kill_trials", outcome.trials)
    record_property("acknowledged_edits", outcome.acknowledged)
    record_property("lost_edits", len(outcome.lost))
    assert outcome.trials >= 20
    assert outcome.acknowledged > outcome.trials  # the kills really fell among edits
    assert outcome.lost == [], report
    assert outcome.problems == [], report


_RESTORE_CHILD = r"""
import sys
from core.backup import restore
from core.ledger import Ledger

ledger = Ledger.open(sys.argv[1])
print("restoring", flush=True)
restore(ledger, sys.argv[2])
print("restored", flush=True)
"""


def _state(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return dump(conn)
    finally:
        conn.close()


def test_a_killed_restore_leaves_the_old_or_the_new_ledger(demo_path: Path, tmp_path: Path
                                                           ) -> None:
    with Ledger.open(demo_path) as ledger:
        backup = backup_into(ledger.conn, ledger.path, tmp_path / "备份")
        for number in range(300):
            ledger.services.add(date="2026-06-01", kind="走访", description=f"恢复后应消失{number}")
    before, restored = _state(demo_path), _state(backup)
    assert before != restored
    template = tmp_path / "恢复前.db"
    shutil.copyfile(demo_path, template)
    rng = random.Random()
    outcomes = []
    for _trial in range(8):
        for leftover in ("-wal", "-shm"):  # the killed child's WAL belongs to its trial
            demo_path.with_name(demo_path.name + leftover).unlink(missing_ok=True)
        shutil.copyfile(template, demo_path)
        child = subprocess.Popen([sys.executable, "-c", _RESTORE_CHILD, str(demo_path),
                                  str(backup)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, encoding="utf-8", cwd=ROOT, env=child_env())
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "restoring"
        until = time.perf_counter() + rng.uniform(0, 0.03)  # a random moment of the restore
        while time.perf_counter() < until:
            pass
        child.kill()
        out, errors = child.communicate()
        state = _state(demo_path)
        assert state in (before, restored), errors
        outcomes.append("restored" if state == restored else "before")
        if "restored" in out:
            assert state == restored
    print(f"killed restores: {outcomes}")
