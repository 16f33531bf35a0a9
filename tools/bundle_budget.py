"""Measure the bundle against the packaging budgets, all figures from one run.

    python3 -m tools.bundle_budget [--bundle dist/WorkLedger] [--runs 5] [--keep-plain]
    python3 -m tools.bundle_budget --target windows     (dist/windows/WorkLedger, on Linux)
    python3 -m tools.bundle_budget --target linux-x86_64   (dist/linux-x86_64/WorkLedger)

Budgets (the packaging issue): onedir ≤ 140 MB (on Linux) and ≤ 0.55× a plain PyInstaller
bundle of the same dependencies with no trimming; zipped ≤ 60 MB; frozen start to first window
≤ 1.3× the same app run from source. The plain bundle is built here, with the interpreter that
runs this script (use the build environment: .venv-build), from the same main.py and
resources, with PyInstaller's defaults. Start times are medians of --runs starts each, frozen
and from source alternating, on the demo ledger, until the window reports its first tab shown
(WORKLEDGER_READY_FILE). The last line says how many budgets hold; exit status 0 when all do.

`--target windows` measures the Windows folder built under Wine (python3 run.py build --target
windows) from Linux: its two size budgets only, because start times under Wine say nothing
about a Windows PC and the plain bundle would need a second Wine build; `--target
linux-x86_64` (and linux-arm64) the 信创 folder (python3 run.py build --target linux-x86_64),
sizes only too. `run.py build --target X` ends with this check, so a folder over its budget
fails the build; the report then names the biggest files (what to look at first).
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from tools.startup import seconds_to_window

ROOT = Path(__file__).resolve().parent.parent

SUFFIX = ".exe" if os.name == "nt" else ""
MB = 1_000_000
# The packaging budgets of every target (issue 14), in MB of 10^6 bytes.
ONEDIR_BUDGET_MB = 140
ZIP_BUDGET_MB = 60
# The targets whose folders are measured by size only (built by `run.py build --target X`).
SIZE_TARGETS = ("windows", "linux-x86_64", "linux-arm64")
BIGGEST_SHOWN = 10


def folder_size(folder: Path) -> int:
    """Bytes of the files in `folder` (a symbolic link counts as the link, not its target)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def zipped_size(folder: Path, target: Path) -> int:
    """Size of the folder as a clerk would zip it (deflate, best compression, links kept)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder.parent).as_posix()
            if path.is_symlink():
                info = zipfile.ZipInfo(name)
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, os.readlink(path))
            elif path.is_file():
                archive.write(path, name)
    return target.stat().st_size


def build_plain(work: Path) -> Path:
    """PyInstaller's defaults on the same program: no excludes, no filtering, every backend."""
    separator = ";" if os.name == "nt" else ":"
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir", "--log-level", "WARN",
        "--name", "WorkLedgerPlain", "--distpath", str(work / "dist"),
        "--workpath", str(work / "build"), "--specpath", str(work),
        "--paths", str(ROOT), "--collect-submodules", "core", "--collect-submodules", "ui",
        "--add-data", f"{ROOT / 'resources'}{separator}resources",
        str(ROOT / "main.py"),
    ]
    subprocess.run(command, check=True, cwd=work)
    return work / "dist" / "WorkLedgerPlain"


def start_time(command: list[str], ledger: Path, data: Path) -> float:
    """Seconds from starting `command` until the window has shown its first tab."""
    env = {**os.environ, "WORKLEDGER_DATA_DIR": str(data)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # from source, as a developer runs it: with .pyc
    if os.name != "nt" and not os.environ.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return seconds_to_window([*command, "--db", str(ledger)], data, env)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "WorkLedger")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep-plain", action="store_true", help="keep the plain bundle")
    parser.add_argument("--target", choices=("host", *SIZE_TARGETS), default="host")
    args = parser.parse_args(argv)
    if args.target != "host":  # that target's folder, by size, on whatever system runs this
        bundle = args.bundle if "--bundle" in argv else ROOT / "dist" / args.target / "WorkLedger"
        return size_check(bundle, ".exe" if args.target == "windows" else "")
    bundle = args.bundle.resolve()
    if not (bundle / f"WorkLedger{SUFFIX}").is_file():
        print(f"没有找到打包结果：{bundle}（先运行 python run.py build）", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="budget-"))
    try:
        onedir = folder_size(bundle)
        zipped = zipped_size(bundle, work / "WorkLedger.zip")
        print("building the plain bundle for comparison …", flush=True)
        plain = folder_size(build_plain(work))

        data = work / "数据"
        ledger = work / "演示台账.db"
        subprocess.run([str(bundle / f"workledger-cli{SUFFIX}"), "demo", "--db", str(ledger)],
                       check=True, env={**os.environ, "WORKLEDGER_DATA_DIR": str(data)},
                       stdout=subprocess.DEVNULL)
        frozen_cmd = [str(bundle / f"WorkLedger{SUFFIX}")]
        source_cmd = [sys.executable, str(ROOT / "main.py")]
        for command in (frozen_cmd, source_cmd):  # warm caches (files, fonts) once each
            start_time(command, ledger, data)
        frozen, source = [], []
        for _ in range(args.runs):
            frozen.append(start_time(frozen_cmd, ledger, data))
            source.append(start_time(source_cmd, ledger, data))
        frozen_s, source_s = statistics.median(frozen), statistics.median(source)
    finally:
        if args.keep_plain:
            print(f"plain bundle kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    rows = [
        onedir_row(onedir, sum(1 for p in bundle.rglob("*") if p.is_file())),
        ("onedir ÷ plain bundle", f"{onedir / plain:.2f} ({plain / MB:.1f} MB plain)",
         "≤ 0.55", onedir <= 0.55 * plain),
        zip_row(zipped),
        ("start, frozen ÷ source", f"{frozen_s / source_s:.2f} ({frozen_s:.2f} s / "
         f"{source_s:.2f} s, median of {args.runs})", "≤ 1.3", frozen_s <= 1.3 * source_s),
    ]
    return report(rows)


Row = tuple[str, str, str, bool]


def onedir_row(onedir: int, files: int) -> Row:
    return ("onedir size", f"{onedir / MB:.1f} MB ({files} files)", f"≤ {ONEDIR_BUDGET_MB} MB",
            onedir <= ONEDIR_BUDGET_MB * MB)


def zip_row(zipped: int) -> Row:
    return ("zipped size", f"{zipped / MB:.1f} MB", f"≤ {ZIP_BUDGET_MB} MB",
            zipped <= ZIP_BUDGET_MB * MB)


def size_rows(bundle: Path, suffix: str) -> list[Row]:
    """The two size budgets of a folder (any target's: sizes need no running)."""
    if not (bundle / f"WorkLedger{suffix}").is_file():
        raise SystemExit(f"没有找到打包结果：{bundle}")
    with tempfile.TemporaryDirectory(prefix="budget-") as work:
        onedir = folder_size(bundle)
        zipped = zipped_size(bundle, Path(work) / "WorkLedger.zip")
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    return [onedir_row(onedir, files), zip_row(zipped)]


def biggest_files(bundle: Path, count: int = BIGGEST_SHOWN) -> list[tuple[int, str]]:
    """The `count` biggest files of the folder (bytes, path inside it), biggest first."""
    sizes = [(p.lstat().st_size, p.relative_to(bundle).as_posix()) for p in bundle.rglob("*")
             if p.is_file() and not p.is_symlink()]
    return sorted(sizes, key=lambda item: (-item[0], item[1]))[:count]


def size_check(bundle: Path, suffix: str) -> int:
    """A target's size budgets, with its biggest files; exit status 1 when one is exceeded,
    with a message that says which budget and what to look at."""
    rows = size_rows(bundle, suffix)
    print(f"\n{bundle}: the {BIGGEST_SHOWN} biggest files")
    for size, name in biggest_files(bundle):
        print(f"  {size / MB:6.1f} MB  {name}")
    report(rows)
    code = 0
    top = ", ".join(f"{name} ({size / MB:.1f} MB)" for size, name in biggest_files(bundle, 5))
    for name, measured, goal, holds in rows:
        if holds:
            continue
        print(f"OVER BUDGET: {bundle}: {name} {measured}, budget {goal}. Biggest "
              f"contributors: {top} (build.spec decides what the folder holds).",
              file=sys.stderr)
        code = 1
    return code


def report(rows: list[Row]) -> int:
    width = max(len(r[0]) for r in rows)
    print(f"\n{'figure'.ljust(width)}  measured / goal / holds")
    for name, measured, goal, holds in rows:
        print(f"{name.ljust(width)}  {measured} / {goal} / {'yes' if holds else 'NO'}")
    held = sum(1 for row in rows if row[3])
    print(f"budgets: {held}/{len(rows)} hold")
    return 0 if held == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
