"""tools/deb.py: the .deb for UOS / Kylin, and its launcher's word on too old a system."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.deb import INSTALL_DIR, build_deb, launcher

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or not all(shutil.which(t) for t in ("dpkg-deb", "readelf", "sh")),
    reason="a Debian package, built with dpkg-deb on Linux")


def run_launcher(tmp_path: Path, floor: str) -> subprocess.CompletedProcess[str]:
    program = tmp_path / "WorkLedger"
    program.write_text('#!/bin/sh\necho "started $*"\n', encoding="utf-8")
    program.chmod(0o755)
    script = tmp_path / "workledger"
    script.write_text(launcher("WorkLedger", floor).replace(INSTALL_DIR, str(tmp_path)),
                      encoding="utf-8")
    return subprocess.run(["sh", str(script), "--db", "台账.db"], capture_output=True,
                          text=True, encoding="utf-8", timeout=30)


def test_a_new_enough_system_starts_the_program(tmp_path: Path) -> None:
    result = run_launcher(tmp_path, "2.17")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started --db 台账.db"


def test_too_old_a_system_gets_one_chinese_sentence(tmp_path: Path) -> None:
    result = run_launcher(tmp_path, "99.0")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "需要较新的系统" in lines[0] and "glibc 99.0" in lines[0]


def test_the_package_installs_the_folder_the_commands_and_the_menu_entry(tmp_path: Path) -> None:
    bundle = tmp_path / "WorkLedger"
    bundle.mkdir()
    for name in ("WorkLedger", "workledger-cli"):
        shutil.copy("/bin/true", bundle / name)
    deb = build_deb(bundle, "amd64", tmp_path / "out")
    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Architecture"],
                            capture_output=True, text=True, check=True).stdout
    assert "Package: workledger" in fields and "Architecture: amd64" in fields
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    for path in ("./opt/workledger/WorkLedger", "./usr/bin/workledger", "./usr/bin/workledger-cli",
                 "./usr/share/applications/workledger.desktop",
                 "./usr/share/icons/hicolor/256x256/apps/workledger.png"):
        assert path in listing, path
    assert "root/root" in listing  # owned by root, whoever built it
