"""Smoke test of the built bundle (dist/WorkLedger/), run by CI after `python run.py build`.

With the frozen executables only (no source tree, no venv on the path), in a folder with a
Chinese name and a character outside GBK (张𠮷, as a clerk's user name may have): write the
demo ledger, export the demo year's summary to PDF and Word, run `check`, and start the window
(offscreen on Linux without a screen) until it has shown its first tab, then close it.
Each step is checked; the first failure ends the run with exit status 1.

    python3 tools/smoke_frozen.py [DIST_FOLDER]     (standard library only)
"""

from __future__ import annotations

import codecs
import locale
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = ".exe" if os.name == "nt" else ""
YEAR, MONTHS = "2026", "1-11"


def frozen_output_encoding() -> str:
    """What a frozen program writes into pipes and files: on Windows the ANSI code page (GBK on
    a Chinese Windows; PYTHONUTF8 / PYTHONIOENCODING do not reach a frozen program), elsewhere
    the locale's encoding, where Python makes the C locale UTF-8."""
    encoding = locale.getencoding()
    if os.name != "nt" and codecs.lookup(encoding).name == "ascii":
        return "utf-8"
    return encoding


ENCODING = frozen_output_encoding()


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


class Smoke:
    def __init__(self, bundle: Path, work: Path) -> None:
        self.window = bundle / f"WorkLedger{SUFFIX}"
        self.cli = bundle / f"workledger-cli{SUFFIX}"
        self.work = work
        self.ledger = work / "张𠮷" / "桌面" / "演示台账.db"
        self.output = work / "输出"
        self.output.mkdir()
        # The bundle as a clerk starts it: none of this Python's settings (a frozen program
        # ignores PYTHONIOENCODING / PYTHONUTF8 anyway; the test says so by not relying on it).
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("PYTHONIOENCODING", "PYTHONUTF8")}
        self.env.update(WORKLEDGER_DATA_DIR=str(work / "数据"), PYTHONPATH="", PYTHONHOME="")
        if os.name == "nt":  # the window on Qt's own `windows` platform plugin, as a clerk sees it
            self.env.pop("QT_QPA_PLATFORM", None)
        elif not os.environ.get("DISPLAY"):
            self.env["QT_QPA_PLATFORM"] = "offscreen"

    def run_cli(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(self.cli), *args], capture_output=True, text=True,
                                encoding=ENCODING, errors="replace", env=self.env,
                                cwd=self.work, timeout=timeout)
        check("Traceback" not in result.stderr, f"traceback from {args[0]}:\n{result.stderr}")
        return result

    # -- the steps ------------------------------------------------------------------------------
    def version(self) -> str:
        result = self.run_cli("--version")
        check(result.returncode == 0 and "工作台账" in result.stdout, result.stderr)
        return result.stdout.strip()

    def demo(self) -> str:
        result = self.run_cli("demo", "--db", str(self.ledger), "--year", YEAR,
                              "--months", MONTHS)
        check(result.returncode == 0, f"demo failed: {result.stderr}")
        check(self.ledger.is_file(), "demo wrote no ledger")
        check("已生成演示台账" in result.stdout, f"demo said no readable word: {result.stdout!r}")
        return result.stdout.strip()

    def report_pdf(self) -> str:
        target = self.output / "工作总结.pdf"
        result = self.run_cli("report", "--db", str(self.ledger), "--year", YEAR,
                              "--months", MONTHS, "--out", str(target))
        check(result.returncode == 0, f"report to PDF failed: {result.stderr}")
        data = target.read_bytes()
        check(data.startswith(b"%PDF"), "the PDF does not start with %PDF")
        check(data.count(b"/FontFile2") >= 1, "the PDF embeds no TrueType font")
        check(b"/Image" in data, "the PDF has no chart image")
        return f"{target.name} {len(data) // 1024} KB"

    def report_docx(self) -> str:
        target = self.output / "工作总结.docx"
        result = self.run_cli("report", "--db", str(self.ledger), "--year", YEAR,
                              "--months", MONTHS, "--out", str(target))
        check(result.returncode == 0, f"report to Word failed: {result.stderr}")
        with zipfile.ZipFile(target) as docx:
            body = docx.read("word/document.xml").decode("utf-8")
            pictures = [n for n in docx.namelist() if n.startswith("word/media/")]
        check("工作总结" in body and "规上工业" in body, "the Word file lacks the summary text")
        check("w:eastAsia" in body or "eastAsia" in body, "no East Asian font in the Word file")
        check(bool(pictures), "the Word file has no charts")
        return f"{target.name} {target.stat().st_size // 1024} KB, {len(pictures)} charts"

    def check_ledger(self) -> str:
        result = self.run_cli("check", "--db", str(self.ledger), "--year", YEAR,
                              "--months", MONTHS)
        check(result.returncode == 0 and "完整性检查：通过" in result.stdout,
              f"check failed: {result.stdout}{result.stderr}")
        return result.stdout.strip().splitlines()[-1]

    def window_starts(self) -> str:
        ready = self.work / "ready.txt"
        env = {**self.env, "WORKLEDGER_READY_FILE": str(ready)}
        started = time.monotonic()
        process = subprocess.run([str(self.window), "--db", str(self.ledger)], env=env,
                                 cwd=self.work, capture_output=True, text=True,
                                 encoding=ENCODING, errors="replace", timeout=180)
        elapsed = time.monotonic() - started
        check("Traceback" not in process.stderr, f"traceback from the window:\n{process.stderr}")
        check(ready.is_file(), f"the window never showed its first tab:\n{process.stderr}")
        shown = ready.read_text(encoding="utf-8")
        check(shown.startswith("指标"), f"the first tab was {shown!r}")
        check("qt_zh=True" in shown, f"Qt's Chinese translations were not loaded: {shown!r}")
        check(process.returncode == 0, f"the window exited with {process.returncode}")
        return f"showed “{shown.split()[0]}” and closed cleanly in {elapsed:.1f} s ({shown})"


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]) if argv else ROOT / "dist" / "WorkLedger"
    if not (bundle / f"workledger-cli{SUFFIX}").is_file():
        print(f"没有找到打包结果：{bundle}（先运行 python run.py build）", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="工作台账冒烟") as folder:
        smoke = Smoke(bundle, Path(folder))
        steps: list[tuple[str, Callable[[], str]]] = [
            ("version", smoke.version), ("demo", smoke.demo), ("report → PDF", smoke.report_pdf),
            ("report → DOCX", smoke.report_docx), ("check", smoke.check_ledger),
            ("window", smoke.window_starts),
        ]
        for name, step in steps:
            started = time.monotonic()
            try:
                detail = step()
            except (SmokeFailure, OSError, subprocess.SubprocessError, KeyError,
                    zipfile.BadZipFile) as exc:
                print(f"✗ {name}: {exc}", file=sys.stderr)
                return 1
            print(f"✓ {name} ({time.monotonic() - started:.1f} s): {detail}", flush=True)
    print(f"smoke test of the bundle passed (output decoded as {ENCODING})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
