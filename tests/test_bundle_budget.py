"""tools/bundle_budget.py: a target's folder over its size budget fails the build, and says
which budget and which files are the biggest."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tools import bundle_budget
from tools.bundle_budget import MB, ONEDIR_BUDGET_MB, ZIP_BUDGET_MB, biggest_files, main


def fake_bundle(folder: Path, suffix: str = ".exe") -> Path:
    bundle = folder / "WorkLedger"
    (bundle / "_internal" / "PySide6").mkdir(parents=True)
    for name in (f"WorkLedger{suffix}", f"workledger-cli{suffix}"):
        (bundle / name).write_bytes(b"MZ" + os.urandom(2000))
    (bundle / "_internal" / "python312.dll").write_bytes(os.urandom(5000))
    return bundle


def sparse_file(path: Path, size: int) -> None:
    """A file of `size` bytes that takes no disk space (and zips to almost nothing)."""
    with path.open("wb") as file:
        file.truncate(size)


def test_a_folder_within_its_budgets_passes(tmp_path: Path, capsys) -> None:
    bundle = fake_bundle(tmp_path)
    assert main(["--target", "windows", "--bundle", str(bundle)]) == 0
    out = capsys.readouterr()
    assert "budgets: 2/2 hold" in out.out
    assert "OVER BUDGET" not in out.err


def test_a_folder_over_the_onedir_budget_fails_naming_its_biggest_file(
        tmp_path: Path, monkeypatch, capsys) -> None:
    bundle = fake_bundle(tmp_path, suffix="")
    # the rule with a 2 MB budget (the real 141 MB of zeros take seconds to zip)
    monkeypatch.setattr(bundle_budget, "ONEDIR_BUDGET_MB", 2)
    sparse_file(bundle / "_internal" / "PySide6" / "Qt6Quick.so", 3 * MB)
    assert main(["--target", "linux-x86_64", "--bundle", str(bundle)]) == 1
    out = capsys.readouterr()
    assert "onedir size" in out.out and "/ NO" in out.out
    assert "OVER BUDGET" in out.err and "onedir size 3.0 MB (4 files), budget ≤ 2 MB" in out.err
    assert "_internal/PySide6/Qt6Quick.so (3.0 MB)" in out.err
    assert "zipped size" not in out.err  # the zip of zeros is within its budget: not named


def test_a_folder_over_the_zip_budget_fails(tmp_path: Path, monkeypatch, capsys) -> None:
    bundle = fake_bundle(tmp_path, suffix="")
    (bundle / "_internal" / "incompressible.bin").write_bytes(os.urandom(3 * MB))
    # the real budget's 60 MB of random bytes would take seconds to zip: the same rule, 2 MB
    monkeypatch.setattr(bundle_budget, "ZIP_BUDGET_MB", 2)
    assert main(["--target", "linux-x86_64", "--bundle", str(bundle)]) == 1
    err = capsys.readouterr().err
    assert "zipped size 3.0 MB, budget ≤ 2 MB" in err and "onedir size" not in err
    assert ZIP_BUDGET_MB == 60 and ONEDIR_BUDGET_MB == 140  # the budgets


def test_the_biggest_files_come_first_and_links_are_not_counted_twice(tmp_path: Path) -> None:
    bundle = fake_bundle(tmp_path)
    (bundle / "_internal" / "big.dll").write_bytes(b"x" * 9000)
    if os.name != "nt":
        (bundle / "workledger-link").symlink_to("_internal/big.dll")
    names = [name for _size, name in biggest_files(bundle, 3)]
    assert names == ["_internal/big.dll", "_internal/python312.dll", "WorkLedger.exe"]


def test_no_folder_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="没有找到打包结果"):
        main(["--target", "windows", "--bundle", str(tmp_path / "nothing")])


RUN_PY_GAP = ("python.org's embeddable CPython (the Wine build's) has no venv module, which "
              "run.py imports")


@pytest.mark.wine_gap(RUN_PY_GAP)
@pytest.mark.parametrize("budget_code", [0, 1])
def test_a_target_build_ends_with_the_budget_check(monkeypatch, budget_code: int) -> None:
    import run

    calls: list[list[str]] = []

    def fake_run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
        calls.append(command[1:])
        code = budget_code if "tools.bundle_budget" in command else 0
        return subprocess.CompletedProcess(command, code)

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    assert run.main(["build", "--target", "windows"]) == budget_code
    assert calls == [["-m", "tools.wine.windows", "build"],
                     ["-m", "tools.bundle_budget", "--target", "windows"]]


@pytest.mark.wine_gap(RUN_PY_GAP)
def test_a_failed_build_is_not_measured(monkeypatch) -> None:
    import run

    calls: list[list[str]] = []

    def fake_run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 3)

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    assert run.main(["build", "--target", "linux-x86_64"]) == 3
    assert len(calls) == 1


@pytest.mark.parametrize("target", bundle_budget.SIZE_TARGETS)
def test_every_target_over_a_budget_fails(tmp_path: Path, monkeypatch, capsys,
                                          target: str) -> None:
    """No target is excused: Windows and linux-arm64 were held at ceilings above the budget
    while they shipped numpy's OpenBLAS; now every folder over 140 MB or 60 MB fails."""
    suffix = ".exe" if target == "windows" else ""
    bundle = fake_bundle(tmp_path, suffix=suffix)
    monkeypatch.setattr(bundle_budget, "ONEDIR_BUDGET_MB", 2)
    sparse_file(bundle / "_internal" / "numpy.libs", 3 * MB)
    assert main(["--target", target, "--bundle", str(bundle)]) == 1
    out = capsys.readouterr()
    assert "budgets: 1/2 hold" in out.out
    assert "OVER BUDGET" in out.err and "budget ≤ 2 MB" in out.err
