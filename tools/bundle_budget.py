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
linux-x86_64` the 信创 folder (python3 run.py build --target linux-x86_64), sizes only too.
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
    parser.add_argument("--target", choices=("host", "windows", "linux-x86_64"),
                        default="host")
    args = parser.parse_args(argv)
    if args.target != "host" and not (args.target == "windows" and os.name == "nt"):
        return report(size_rows(args.bundle if "--bundle" in argv
                                else ROOT / "dist" / args.target / "WorkLedger",
                                ".exe" if args.target == "windows" else ""))
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
        ("onedir size", f"{onedir / MB:.1f} MB", "≤ 140 MB", onedir <= 140 * MB),
        ("onedir ÷ plain bundle", f"{onedir / plain:.2f} ({plain / MB:.1f} MB plain)",
         "≤ 0.55", onedir <= 0.55 * plain),
        ("zipped size", f"{zipped / MB:.1f} MB", "≤ 60 MB", zipped <= 60 * MB),
        ("start, frozen ÷ source", f"{frozen_s / source_s:.2f} ({frozen_s:.2f} s / "
         f"{source_s:.2f} s, median of {args.runs})", "≤ 1.3", frozen_s <= 1.3 * source_s),
    ]
    return report(rows)


Row = tuple[str, str, str, bool]


def size_rows(bundle: Path, suffix: str) -> list[Row]:
    """The two size budgets of a folder (any target's: sizes need no running)."""
    if not (bundle / f"WorkLedger{suffix}").is_file():
        raise SystemExit(f"没有找到打包结果：{bundle}")
    with tempfile.TemporaryDirectory(prefix="budget-") as work:
        onedir = folder_size(bundle)
        zipped = zipped_size(bundle, Path(work) / "WorkLedger.zip")
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    return [("onedir size", f"{onedir / MB:.1f} MB ({files} files)", "≤ 140 MB",
             onedir <= 140 * MB),
            ("zipped size", f"{zipped / MB:.1f} MB", "≤ 60 MB", zipped <= 60 * MB)]


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
