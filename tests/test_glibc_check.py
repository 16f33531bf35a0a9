"""tools/glibc_check.py: the build fails when a bundled ELF file needs a newer glibc."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tools.glibc_check import main, needed_versions, too_new

READELF = """
Version needs section '.gnu.version_r' contains 3 entries:
 Addr: 0x0000000000000a38  Offset: 0x000a38  Link: 6 (.dynstr)
  000000: Version: 1  File: libstdc++.so.6  Cnt: 2
  0x0010:   Name: GLIBCXX_3.4.9  Flags: none  Version: 5
  0x0020:   Name: GLIBCXX_3.4.29  Flags: none  Version: 4
  0x0030: Version: 1  File: libc.so.6  Cnt: 3
  0x0040:   Name: GLIBC_2.2.5  Flags: none  Version: 3
  0x0050:   Name: GLIBC_2.34  Flags: none  Version: 2
  0x0060:   Name: GLIBC_2.17  Flags: none  Version: 6
"""


def test_the_highest_version_of_each_library_is_what_counts() -> None:
    assert needed_versions(READELF) == {"GLIBC": (2, 34), "GLIBCXX": (3, 4, 29)}
    assert needed_versions("  0x0010:   Name: GLIBC_2.2.5  Flags: none") == {"GLIBC": (2, 2, 5)}
    assert needed_versions("no version section") == {}


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("readelf") is None,
                    reason="reads Linux ELF files with binutils' readelf")
def test_a_bundle_with_a_too_new_file_fails(tmp_path: Path, capsys) -> None:
    bundle = tmp_path / "WorkLedger"
    bundle.mkdir()
    python = Path(sys.executable).resolve()
    shutil.copy(python, bundle / "python")
    (bundle / "readme.txt").write_text("not an ELF file", encoding="utf-8")
    needs = too_new([bundle / "python"], "2.0", "3.4.0")
    assert needs and needs[0][1].startswith("GLIBC_2.")
    assert main([str(bundle), "--glibc", "2.0"]) == 1
    assert "python needs GLIBC_2." in capsys.readouterr().out
    assert main([str(bundle), "--glibc", "99.0", "--glibcxx", "99.0"]) == 0
    assert "1 ELF files checked" in capsys.readouterr().out
