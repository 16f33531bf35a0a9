"""tools/linux/target.py and its pins: the 信创 Linux bundle is built for the target's glibc."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tools import deb, glibc_check
from tools.linux.target import TARGETS, WRAPPER

ROOT = Path(__file__).resolve().parent.parent


def pins(target: str) -> dict[str, str]:
    text = (ROOT / "constraints" / f"{target}.txt").read_text(encoding="utf-8")
    return dict(line.split("==") for line in text.splitlines()
                if line and not line.startswith("#"))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_only_wheels_for_the_floor_or_older_are_fetched(name: str) -> None:
    target = TARGETS[name]
    minor = int(target.floor.split(".")[1])
    arch = target.triplet.split("-")[0]
    platforms = target.manylinux_platforms()
    assert f"manylinux_2_{minor}_{arch}" in platforms and f"manylinux2014_{arch}" in platforms
    newest = max(int(m.group(1)) for p in platforms if (m := re.match(r"manylinux_2_(\d+)_", p)))
    assert newest == minor  # a manylinux_2_29 wheel could need glibc 2.29
    assert target.floor == glibc_check.FLOORS[name][0]


# PySide6 6.10 and later ship manylinux_2_34 x86_64 wheels only: they cannot start on UOS 20;
# the newest manylinux_2_31 aarch64 wheel (Kylin V10) is 6.8.0.2
@pytest.mark.parametrize(("name", "pyside6"), [("linux-x86_64", "6.9.3"),
                                               ("linux-arm64", "6.8.0.2")])
def test_pyside6_is_pinned_to_the_newest_release_for_the_targets_glibc(
        name: str, pyside6: str) -> None:
    pinned = pins(name)
    assert pinned["pyside6-essentials"] == pinned["shiboken6"] == pyside6


def test_both_linux_targets_pin_the_same_versions_but_pyside6() -> None:
    # the arm64 folder runs what the x86_64 one and the suite were proven on
    x86, arm = pins("linux-x86_64"), pins("linux-arm64")
    assert x86.keys() == arm.keys()
    assert {k for k in x86 if x86[k] != arm[k]} == {"pyside6-essentials", "shiboken6"}


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_dependency_of_the_app_its_build_and_its_tests_is_pinned(target: str) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["build"] + [
        r for r in project["optional-dependencies"]["test"]
        if not r.startswith(("ruff", "mypy"))]  # lint and types run on the developer's Python
    pinned = pins(target)
    for requirement in wanted:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower().replace("_", "-")
        assert name in pinned, requirement


def test_the_deb_needs_the_glibc_its_folder_needs(tmp_path: Path) -> None:
    text = deb.control("amd64", 1000, "2.28")
    depends = next(line for line in text.splitlines() if line.startswith("Depends:"))
    assert depends.startswith("Depends: libc6 (>= 2.28), ")
    # the xcb helper libraries only Qt 6 needs are in the folder, not asked of the system
    assert "libxcb-cursor" not in depends and "libxcb-util" not in depends
    assert "libxkbcommon-x11-0" in depends


@pytest.mark.wine_gap("python.org's embeddable CPython (the Wine build's) has no venv module, "
                      "which run.py imports before it reads its arguments")
def test_an_unknown_target_is_named_with_the_known_ones() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "run.py"), "build", "--target", "mac"],
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 2
    assert "未知的目标平台：mac" in result.stderr and "linux-x86_64" in result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="a POSIX shell wrapper")
def test_the_compiler_wrapper_passes_every_argument_and_spells_soname_for_zig(
        tmp_path: Path) -> None:
    fake_zig = tmp_path / "zig 目录" / "zig"
    fake_zig.parent.mkdir()
    fake_zig.write_text('#!/bin/sh\nfor a; do printf "%s\\n" "$a"; done\n', encoding="utf-8")
    fake_zig.chmod(0o755)
    wrapper = tmp_path / "cc"
    wrapper.write_text(WRAPPER.format(zig=fake_zig, words="cc -target x86_64-linux-gnu.2.28"),
                       encoding="utf-8")
    wrapper.chmod(0o755)
    args = ["-shared", "-Wl,-hlibpython3.11.so.1.0", "-DNAME=\"a b\"", "-o", "台账 x.so", ""]
    result = subprocess.run([str(wrapper), *args], capture_output=True, text=True,
                            encoding="utf-8", check=True, timeout=30)
    assert result.stdout.split("\n")[:-1] == [
        "cc", "-target", "x86_64-linux-gnu.2.28", "-shared", "-Wl,-soname,libpython3.11.so.1.0",
        "-DNAME=\"a b\"", "-o", "台账 x.so", ""]


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("readelf") is None,
                    reason="reads Linux ELF files with binutils' readelf")
def test_the_arm64_check_fails_on_an_aarch64_file_that_needs_a_newer_glibc(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # tests/data/elf/: `int main(void){puts("x");}` compiled by zig 0.17.1 with
    # -target aarch64-linux-gnu.2.31 and .2.34 (its __libc_start_main@GLIBC_2.34): Kylin V10's
    # glibc 2.31 runs the first and refuses the second with a loader error
    bundle = tmp_path / "WorkLedger"
    (bundle / "_internal").mkdir(parents=True)
    fits = ROOT / "tests" / "data" / "elf" / "aarch64-glibc-2.31"
    shutil.copy(fits, bundle / "_internal" / "libfits.so")
    assert glibc_check.main([str(bundle), "--target", "linux-arm64"]) == 0
    assert "1 ELF files checked against GLIBC 2.31 / GLIBCXX 3.4.28: fits" in \
        capsys.readouterr().out
    shutil.copy(ROOT / "tests" / "data" / "elf" / "aarch64-glibc-2.34",
                bundle / "_internal" / "libnew.so")
    assert glibc_check.main([str(bundle), "--target", "linux-arm64"]) == 1
    out = capsys.readouterr().out
    assert "libnew.so needs GLIBC_2.34" in out and "libfits.so" not in out
    assert "does NOT fit (1 files too new)" in out


def test_the_arm64_deb_is_for_arm64_and_asks_for_what_qt_6_8s_xcb_library_links() -> None:
    text = deb.control("arm64", 1000, "2.31")
    assert "Architecture: arm64\n" in text
    depends = next(line for line in text.splitlines() if line.startswith("Depends:"))
    assert depends.startswith("Depends: libc6 (>= 2.31), ")
    # PySide6 6.8.0.2's libQt6XcbQpa needs libSM.so.6 / libICE.so.6 (6.9.3's does not)
    assert "libsm6" in depends and "libice6" in depends
    assert "libsm6" not in deb.control("amd64", 1000, "2.28")
