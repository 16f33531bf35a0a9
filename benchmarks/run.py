"""WorkLedger's performance targets, measured on a large and a 10× smaller ledger.

    python benchmarks/run.py [--quick] [--runs N] [--keep DIR] [--only packets …]

The large ledger is the demo's `--size large` (10 years × 300 indicators monthly, 5,000
projects, 2,000 enterprises, 50,000 service records, ~500 plan items); the small one has a
tenth of the records. Each figure is the median of several runs, and every floor it is compared
with (a bare PySide6 window, bare matplotlib, openpyxl alone) is measured in the same run, so
the ratios hold on a noisy machine. Each group runs in a fresh child process
(benchmarks/probes.py). `--quick` uses the normal demo ledger and fewer runs: it checks the
script works, not the targets. The last line reads `targets: N/M hold`; exit status 0 when all
hold.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from core.demo import LARGE, NORMAL, DemoSize, write_demo  # noqa: E402
from core.periods import Period  # noqa: E402
from tools.startup import seconds_to_window  # noqa: E402

PERIOD = Period(2026, 11)
# A tenth of the large ledger's records (the "10× more data" target compares the two).
SMALL = DemoSize(enterprises=200, projects=500, services_per_year=500, extra_indicators=0,
                 years=10, plan_years=11, extra_plan_items=0)
TINY = DemoSize(enterprises=60, projects=40, services_per_year=60, years=3)


@dataclass
class Target:
    figure: str
    measured: str
    goal: str
    holds: bool


def child_env(data: Path) -> dict[str, str]:
    env = {**os.environ, "WORKLEDGER_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a clerk's Python keeps its compiled modules
    return env


def probe(name: str, ledger: Path, runs: int, data: Path, *extra: Path) -> dict[str, Any]:
    """Run benchmarks/probes.py NAME in a fresh process; its last line is the JSON result."""
    result = subprocess.run([sys.executable, str(ROOT / "probes.py"), name, str(ledger),
                             str(runs), *map(str, extra)], capture_output=True, text=True,
                            encoding="utf-8", env=child_env(data), timeout=1800)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"probe {name} failed:\n{result.stderr[-3000:]}")
    return json.loads(lines[-1])


def start_seconds(command: list[str], data: Path) -> float:
    """From starting `command` to its window shown and responsive."""
    return seconds_to_window(command, data, child_env(data))


def startup(ledger: Path, runs: int, data: Path) -> tuple[float, float, float]:
    """Median seconds to the window: ours, the bare window, the bare window with a table."""
    commands = (
        [sys.executable, str(ROOT.parent / "main.py"), "--db", str(ledger)],
        [sys.executable, str(ROOT / "bare_window.py")],
        [sys.executable, str(ROOT / "bare_window.py"), "--table", str(ledger)],
    )
    for command in commands:  # warm the disk cache, the daily backup, the font cache
        start_seconds(command, data)
    samples: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):  # in turn, so a busy moment hurts all alike
        for command, seconds in zip(commands, samples, strict=True):
            seconds.append(start_seconds(command, data))
    ours, bare, table = (statistics.median(seconds) for seconds in samples)
    return ours, bare, table


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


GROUPS = ("startup", "gui", "edit", "report", "excel", "packets", "memory")


def evaluate(work: Path, quick: bool, runs: int, say: Callable[[str], None],
             only: tuple[str, ...] = GROUPS, ledgers: Path | None = None) -> list[Target]:
    data = work / "数据"
    if quick:  # a short run: smaller sheets and fewer packets too
        os.environ["WORKLEDGER_BENCH_ROWS"] = "1000"
        os.environ["WORKLEDGER_BENCH_PACKETS"] = "3"
        os.environ["WORKLEDGER_BENCH_PACKET_ROWS"] = "50"
    large, small = work / "大台账.db", work / "小台账.db"
    if ledgers is not None and (ledgers / large.name).exists():  # --keep'd by an earlier run
        say(f"the ledgers of {ledgers} …")
        shutil.copyfile(ledgers / large.name, large)
        shutil.copyfile(ledgers / small.name, small)
    else:
        say("writing the ledgers …")
        write_demo(large, period=PERIOD, size=NORMAL if quick else LARGE).close()
        write_demo(small, period=PERIOD, size=TINY if quick else SMALL).close()
    targets: list[Target] = []

    if "startup" in only:
        targets += _startup(large, runs, data, say)
    if "gui" in only or "edit" in only or "report" in only or "excel" in only:
        targets += _window_and_files(large, small, runs, data, say, only)
    if "packets" in only:
        targets.append(_packets(large, data, say))
    if "memory" in only:
        say("memory …")
        peak = probe("memory", large, 1, data)["peak"]
        targets.append(Target("peak memory: every tab, summary exported",
                              "unknown on this OS" if peak is None else f"{peak / 2**20:.0f} MB",
                              "≤ 250 MB", peak is not None and peak <= 250 * 2**20))
    return targets


def _startup(large: Path, runs: int, data: Path, say: Callable[[str], None]) -> list[Target]:
    targets: list[Target] = []
    say("start-up …")
    ours, bare, table = startup(large, runs, data)
    targets.append(Target("start → window shown, large ledger",
                          f"{ours:.2f} s ({ours / bare:.2f}× bare {bare:.2f} s; bare with a"
                          f" table of the indicators {table:.2f} s, {table / bare:.2f}×)",
                          "≤ 1.5 s and ≤ 1.5× bare", ours <= 1.5 and ours <= 1.5 * bare))
    return targets


def _window_and_files(large: Path, small: Path, runs: int, data: Path,
                      say: Callable[[str], None], only: tuple[str, ...]) -> list[Target]:
    del only  # these figures share their probes: measured together
    targets: list[Target] = []
    say("the window: tabs and filters …")
    gui_large = probe("gui", large, runs, data)
    gui_small = probe("gui", small, runs, data)
    worst_tab, worst = max(gui_large["switch"].items(), key=lambda item: item[1])
    targets.append(Target("switch to each tab, large ledger",
                          f"slowest {worst_tab} {ms(worst)} ("
                          + ", ".join(f"{k} {ms(v)}" for k, v in gui_large["switch"].items())
                          + ")", "≤ 150 ms", worst <= 0.150))
    worst_filter = max(gui_large["filter"].values())
    targets.append(Target("filter projects / service log by text",
                          ", ".join(f"{k} {ms(v)}" for k, v in gui_large["filter"].items()),
                          "≤ 100 ms", worst_filter <= 0.100))

    say("one edit …")
    edit = probe("edit", large, runs, data)
    targets.append(Target("one cell edit committed (with audit row)",
                          f"median {edit['edit'] * 1000:.2f} ms (new record "
                          f"{edit['add'] * 1000:.2f} ms)", "median ≤ 5 ms",
                          edit["edit"] <= 0.005))

    say("the summary …")
    report = probe("report", large, runs, data)
    targets.append(Target("summary with charts → PDF / → DOCX",
                          f"{report['.pdf']:.2f} s / {report['.docx']:.2f} s", "≤ 2 s each",
                          max(report[".pdf"], report[".docx"]) <= 2.0))
    ratio = report["charts"] / report["charts_bare"]
    targets.append(Target("chart drawing ÷ bare matplotlib",
                          f"{ratio:.2f} ({ms(report['charts'])} / {ms(report['charts_bare'])})",
                          "≤ 1.5", ratio <= 1.5))

    say("Excel …")
    excel = probe("excel", large, runs, data, small)
    read_ratio = excel["import"] / excel["read_floor"]
    write_ratio = excel["export"] / excel["write_floor"]
    targets.append(Target("10,000-row import (dry run + apply) ÷ openpyxl reading",
                          f"{read_ratio:.2f} ({excel['import']:.2f} s / "
                          f"{excel['read_floor']:.2f} s)", "≤ 1.5", read_ratio <= 1.5))
    targets.append(Target("full export ÷ openpyxl writing",
                          f"{write_ratio:.2f} ({excel['export']:.2f} s / "
                          f"{excel['write_floor']:.2f} s)", "≤ 1.5", write_ratio <= 1.5))

    hostile = probe("hostile_xlsx", small, min(runs, 3), data)
    peak_mb = None if hostile["peak"] is None else hostile["peak"] / 2**20
    targets.append(Target(
        f"dry run of the worst small xlsx ({hostile['size'] / 1024:.0f} KB, one long text in"
        " every row)",
        f"{hostile['seconds']:.2f} s, peak "
        + ("unknown on this OS" if peak_mb is None else f"{peak_mb:.0f} MB"),
        "≤ 5 s and ≤ 300 MB",
        hostile["seconds"] <= 5 and peak_mb is not None and peak_mb <= 300))

    open_ratio = gui_large["open"] / gui_small["open"]
    switch_ratio = worst / max(gui_small["switch"].values())
    targets.append(Target("10× more data: open / slowest tab switch",
                          f"{open_ratio:.2f}× / {switch_ratio:.2f}×", "≤ 2× each",
                          open_ratio <= 2 and switch_ratio <= 2))
    return targets


def _packets(large: Path, data: Path, say: Callable[[str], None]) -> Target:
    say("报送包 …")
    merge = probe("packets", large, 1, data)
    dry_ratio, apply_ratio = (merge["dry_run"] / merge["floor"], merge["apply"] / merge["floor"])
    return Target(
        f"merge {merge['packets']} return packets ({merge['values']:,} values,"
        f" {merge['records']:,} records): dry run / apply ÷ plain executemany",
        f"{dry_ratio:.2f} / {apply_ratio:.2f} ({merge['dry_run']:.2f} s / "
        f"{merge['apply']:.2f} s, of it the backup first {merge['backup']:.2f} s / "
        f"{merge['floor']:.2f} s)", "≤ 3 each",
        dry_ratio <= 3 and apply_ratio <= 3)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="WorkLedger's performance targets")
    parser.add_argument("--quick", action="store_true", help="small ledgers, few runs")
    parser.add_argument("--runs", type=int, help="runs per figure (default 7; --quick: 2)")
    parser.add_argument("--keep", type=Path, help="keep the ledgers in this folder (and take "
                        "them from there when an earlier run kept them)")
    parser.add_argument("--only", action="append", choices=GROUPS,
                        help="measure only these groups (may be given more than once)")
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 7)
    work = Path(tempfile.mkdtemp(prefix="性能"))
    try:
        targets = evaluate(work, args.quick, runs, lambda text: print(text, flush=True),
                           tuple(args.only or GROUPS), args.keep)
    finally:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for ledger in work.glob("*.db"):
                shutil.copy2(ledger, args.keep / ledger.name)
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(t.figure) for t in targets)
    print(f"\n{'figure'.ljust(width)} | measured | goal | holds")
    for target in targets:
        print(f"{target.figure.ljust(width)} | {target.measured} | {target.goal} | "
              f"{'yes' if target.holds else 'NO'}")
    held = sum(t.holds for t in targets)
    print(f"targets: {held}/{len(targets)} hold")
    return 0 if held == len(targets) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
