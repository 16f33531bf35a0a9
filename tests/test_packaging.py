"""`pip install .`: the wheel holds the app, its resources and both commands."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_has_the_packages_the_resources_and_both_commands(tmp_path: Path) -> None:
    source = tmp_path / "源码"  # a copy: building writes build/ and *.egg-info beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "main.py"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("core", "ui", "resources"):
        shutil.copytree(ROOT / folder, source / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-q", "-w", str(tmp_path / "wheel"),
                    str(source)], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "wheel").glob("workledger-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode("utf-8") for n in names
                            if n.endswith(".dist-info/entry_points.txt"))
    for expected in ("main.py", "core/cli.py", "core/report/commands.py", "ui/app.py",
                     "resources/templates/年度总结.txt", "resources/icons/workledger.png",
                     "resources/starters/区科技局.json", "resources/starters/区科技局.txt"):
        assert expected in names, expected
    assert any(n.startswith("resources/fonts/") and n.endswith(".ttf") for n in names)
    assert not any(n.startswith(("tests/", "tools/", "benchmarks/")) for n in names)
    assert "workledger-cli = main:cli_entry" in entry_points
    assert "workledger = main:window_entry" in entry_points


@pytest.mark.parametrize(("executable", "argv0", "frozen", "cli"), [
    # Windows: two executables, the console one is the CLI
    ("工作台账/workledger-cli.exe", "工作台账/workledger-cli.exe", True, True),
    ("工作台账/WorkLedger.exe", "WorkLedger", True, False),
    # Linux: one program; `workledger-cli` is a symbolic link to it (sys.executable resolved)
    ("/opt/workledger/WorkLedger", "/opt/workledger/workledger-cli", True, True),
    ("/opt/workledger/WorkLedger", "/opt/workledger/WorkLedger", True, False),
    # from source the name says nothing (python main.py)
    ("/usr/bin/python3", "workledger-cli", False, False),
])
def test_the_frozen_program_is_the_cli_when_started_by_that_name(
        monkeypatch, executable: str, argv0: str, frozen: bool, cli: bool) -> None:
    import main as entry

    monkeypatch.setattr(sys, "frozen", frozen, raising=False)
    monkeypatch.setattr(sys, "executable", str(Path(executable)))  # the platform's separators
    monkeypatch.setattr(sys, "argv", [str(Path(argv0))])
    assert entry.invoked_as_cli() is cli
    assert entry.wants_cli([]) is cli  # no arguments: the window, unless started as the CLI
