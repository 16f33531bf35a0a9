"""Fail when any ELF file of a Linux bundle needs a newer glibc / libstdc++ than the target has.

    python3 -m tools.glibc_check [--glibc 2.28] [--glibcxx 3.4.25] [BUNDLE]

The floors are those of the 信创 systems: 统信 UOS 20 has glibc 2.28 and GCC 8's libstdc++
(GLIBCXX_3.4.25), 银河麒麟 Kylin V10 glibc 2.31. A loader error on the clerk's PC
("version `GLIBC_2.34' not found") is what this check turns into a failed build. Reads the
symbol versions each file needs (`.gnu.version_r`) with binutils' readelf. Exit status 0 when
every file fits, 1 otherwise (the offending files and versions are listed), 2 on bad input.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

FLOORS = {"linux-x86_64": ("2.28", "3.4.25"), "linux-arm64": ("2.31", "3.4.28")}
_NEEDED = re.compile(r"Name: (GLIBC|GLIBCXX)_([0-9.]+)")


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(4) == b"\x7fELF"
    except OSError:
        return False


def needed_versions(readelf_output: str) -> dict[str, tuple[int, ...]]:
    """The highest GLIBC_ and GLIBCXX_ version in `readelf -V` output (absent: not needed)."""
    highest: dict[str, tuple[int, ...]] = {}
    for kind, number in _NEEDED.findall(readelf_output):
        highest[kind] = max(highest.get(kind, ()), version(number))
    return highest


def elf_files(bundle: Path) -> Iterator[Path]:
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink() and is_elf(path):
            yield path


def too_new(files: Iterable[Path], glibc: str, glibcxx: str) -> list[tuple[Path, str]]:
    floors = {"GLIBC": version(glibc), "GLIBCXX": version(glibcxx)}
    problems = []
    for path in files:
        output = subprocess.run(["readelf", "-V", "-W", str(path)], capture_output=True,
                                text=True, check=True).stdout
        for kind, needed in sorted(needed_versions(output).items()):
            if needed > floors[kind]:
                problems.append((path, f"{kind}_{'.'.join(map(str, needed))}"))
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, nargs="?", default=Path("dist") / "WorkLedger")
    parser.add_argument("--target", choices=sorted(FLOORS), default="linux-x86_64")
    parser.add_argument("--glibc", help="highest GLIBC_ version allowed (default: the target's)")
    parser.add_argument("--glibcxx", help="highest GLIBCXX_ version allowed")
    args = parser.parse_args(argv)
    glibc = args.glibc or FLOORS[args.target][0]
    glibcxx = args.glibcxx or FLOORS[args.target][1]
    if not args.bundle.is_dir():
        print(f"没有找到打包结果：{args.bundle}", file=sys.stderr)
        return 2
    files = list(elf_files(args.bundle))
    problems = too_new(files, glibc, glibcxx)
    for path, needed in problems:
        print(f"{path.relative_to(args.bundle)} needs {needed}")
    verdict = "fits" if not problems else f"does NOT fit ({len(problems)} files too new)"
    print(f"{len(files)} ELF files checked against GLIBC {glibc} / GLIBCXX {glibcxx}: {verdict}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
