"""Kill a process that is committing edits, at random moments; count the edits that were lost.

    python benchmarks/stress_kill.py [TRIALS] [--seed N] [--keep DIR]

A child process opens a ledger through the core API and commits edits in a loop: a service
record added, an enterprise added, an indicator note changed, in turn. It prints each edit's tag
after the write returned (and flushes), so every printed tag is an edit the app acknowledged.
The parent kills the child (Popen.kill: SIGKILL on POSIX, TerminateProcess on Windows) after a
random number of acknowledged edits, then opens the ledger read-only and checks that every
acknowledged insert is there, that the note holds the last acknowledged value (or a later one
the child committed before it died) and that `PRAGMA integrity_check` says ok. tests/
test_crash_safety.py runs the same trials, fewer of them.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE_INDICATOR = "规上工业增加值增速"
NOTE_PERIOD = (2026, 11)

CHILD = r"""
import sys
from core.ledger import Ledger
from core.periods import Period

ledger = Ledger.open(sys.argv[1])
trial = sys.argv[2]
period = Period(int(sys.argv[3]), int(sys.argv[4]))
number = 0
while True:
    number += 1
    tag = f"{trial}-{number}"
    if number % 3 == 1:
        ledger.services.add(date="2026-05-01", kind="走访", person_times=1, description=tag)
    elif number % 3 == 2:
        ledger.enterprises.add(name=f"压测企业{tag}")
    else:
        ledger.metrics.set(sys.argv[5], period, "note", tag)
    print(tag, flush=True)
"""


@dataclass
class Outcome:
    trials: int = 0
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # integrity failures, child errors

    @property
    def ok(self) -> bool:
        return not self.lost and not self.problems

    def summary(self) -> str:
        return (f"{self.trials} trials, {self.acknowledged} acknowledged edits, "
                f"{len(self.lost)} lost, {len(self.problems)} other problems")


def new_ledger(path: Path) -> None:
    """An empty ledger to hammer (created by the core, like the app does)."""
    from core.ledger import Ledger

    Ledger.open(path).close()


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def start_writer(path: Path, trial: int) -> subprocess.Popen[str]:
    """The child that commits edits until it is killed."""
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(trial), *map(str, NOTE_PERIOD),
         NOTE_INDICATOR],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        cwd=ROOT, env=child_env(),
    )


def run_trial(path: Path, trial: int, kill_after: int, delay: float, outcome: Outcome) -> None:
    child = start_writer(path, trial)
    acknowledged: list[str] = []
    assert child.stdout is not None
    while len(acknowledged) < kill_after:
        line = child.stdout.readline()
        if not line:
            break
        acknowledged.append(line.strip())
    # Not a wait for anything: a random offset (about one edit long) so that kills land at
    # every stage of the next edit — parsing, writing, COMMIT, the fsync of the WAL.
    until = time.perf_counter() + delay
    while time.perf_counter() < until:
        pass
    child.kill()
    rest, errors = child.communicate()
    acknowledged += [line.strip() for line in rest.splitlines() if line.strip()]
    if len(acknowledged) < kill_after:  # the child died by itself: that is a failure too
        outcome.problems.append(f"trial {trial}: writer stopped early: {errors.strip()[-500:]}")
    outcome.trials += 1
    outcome.acknowledged += len(acknowledged)
    check(path, trial, acknowledged, outcome)


def check(path: Path, trial: int, acknowledged: list[str], outcome: Outcome) -> None:
    """Every acknowledged edit of `trial` is in the ledger, and the file is healthy."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchall()
        if verdict != [("ok",)]:
            outcome.problems.append(f"trial {trial}: integrity_check {verdict[:3]}")
        services = {r[0] for r in conn.execute(
            "SELECT description FROM services WHERE description LIKE ?", (f"{trial}-%",))}
        enterprises = {r[0] for r in conn.execute(
            "SELECT name FROM enterprises WHERE name LIKE ?", (f"压测企业{trial}-%",))}
        note = conn.execute(
            "SELECT v.note FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id"
            " WHERE i.name = ? AND v.year = ? AND v.months = ?", (NOTE_INDICATOR, *NOTE_PERIOD)
        ).fetchone()
    finally:
        conn.close()
    last_note = 0
    for tag in acknowledged:
        number = int(tag.rsplit("-", 1)[1])
        kind = number % 3
        if kind == 1 and tag not in services or kind == 2 and f"压测企业{tag}" not in enterprises:
            outcome.lost.append(tag)
        elif kind == 0:
            last_note = number
    if last_note:
        stored = note[0] if note else ""
        if not stored.startswith(f"{trial}-") or int(stored.rsplit("-", 1)[1]) < last_note:
            outcome.lost.append(f"{trial}-{last_note} (note is {stored!r})")


def run_trials(path: Path, trials: int, *, seed: int = 0, max_edits: int = 40,
               first_trial: int = 1) -> Outcome:
    """`trials` kill trials on the ledger at `path` (created when missing)."""
    if not path.exists():
        new_ledger(path)
    rng = random.Random(seed)
    outcome = Outcome()
    for trial in range(first_trial, first_trial + trials):
        # Now and then kill during start-up (opening, the daily backup), mostly mid-edit.
        kill_after = 0 if rng.random() < 0.1 else rng.randrange(1, max_edits + 1)
        run_trial(path, trial, kill_after, rng.uniform(0, 0.002), outcome)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trials", nargs="?", type=int, default=200)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--keep", type=Path, help="folder for the ledger (kept afterwards)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="stress-kill-") as scratch:
        folder = args.keep or Path(scratch) / "张三"
        folder.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("WORKLEDGER_DATA_DIR", str(Path(scratch) / "用户数据"))
        started = time.perf_counter()
        outcome = run_trials(folder / "台账.db", args.trials, seed=args.seed)
        elapsed = time.perf_counter() - started
    print(f"seed {args.seed}: {outcome.summary()} in {elapsed:.1f} s")
    for item in (outcome.lost + outcome.problems)[:20]:
        print(f"  {item}")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
