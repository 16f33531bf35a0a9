"""A .deb of the Linux folder, as UOS / Kylin clerks install programs (双击安装 or apt).

    python3 -m tools.deb [--bundle dist/WorkLedger] [--arch amd64|arm64] [--out dist]

Installs the folder as /opt/workledger/, the commands `workledger` (window) and
`workledger-cli`, a menu entry (办公 / Office) with the icon. The ledger, settings and logs live
in ~/.local/share/WorkLedger/ (the per-user data folder; nothing is written under /opt). The
launchers first compare the system's glibc with the newest one the folder needs (read from its
ELF files by tools/glibc_check.py): on too old a system the clerk gets one Chinese sentence
(also as a desktop notification when started from the menu), not a loader error.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from core import APP_TITLE, __version__
from tools.glibc_check import elf_files, needed_versions

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "workledger"
INSTALL_DIR = f"/opt/{PACKAGE}"

LAUNCHER = """#!/bin/sh
# {title}：先确认本机 glibc 不低于 {floor}，再启动（tools/deb.py 生成）。
need={floor}
have=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{{print $2}}')
oldest=$(printf '%s\\n%s\\n' "$need" "$have" | sort -V | head -n 1)
if [ -n "$have" ] && [ "$oldest" != "$need" ]; then
    msg="{title}需要较新的系统（glibc $need 或更高），本机为 glibc $have，无法启动，\
请联系信息中心升级系统或获取适配版本。"
    echo "$msg" >&2
    if [ ! -t 2 ] && command -v notify-send >/dev/null 2>&1; then
        notify-send "{title}" "$msg" || true
    fi
    exit 1
fi
exec {install_dir}/{program} "$@"
"""

# What the folder takes from the system: an X desktop's own libraries, which UOS's and Kylin's
# Qt 5 desktops have (their Qt 5 xcb plugin needs the same), so apt finds them on any of them.
# The xcb helper libraries only Qt 6 needs (libxcb-cursor, and libxcb-util.so.1, which UOS 20's
# Debian 10 base names .so.0) are in the folder itself (build.spec LINUX_BUNDLED).
DEPENDS = ("libx11-6", "libx11-xcb1", "libxcb1", "libxcb-randr0",
           "libxcb-render0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0",
           "libxcb-xkb1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1",
           "libfreetype6", "libglib2.0-0", "libdbus-1-3", "libegl1", "libgl1")
# PySide6 6.8 (the arm64 pin, constraints/linux-arm64.txt) builds Qt's xcb library with X
# session management: it links libSM and libICE, which every X desktop has (Qt 5's xcb plugin,
# Kylin's own desktop's, links them too); 6.9's (x86_64) does not.
ARCH_DEPENDS = {"arm64": ("libsm6", "libice6")}


def depends(arch: str) -> tuple[str, ...]:
    """What the folder takes from the system on `arch` (the .deb's Depends after libc6)."""
    return (*DEPENDS, *ARCH_DEPENDS.get(arch, ()))

DESKTOP = f"""[Desktop Entry]
Type=Application
Name={APP_TITLE}
Name[zh_CN]={APP_TITLE}
GenericName=Work ledger
Comment=指标、项目、企业服务与工作计划台账，生成年度工作总结
Exec={PACKAGE} %f
Icon={PACKAGE}
Terminal=false
Categories=Office;
StartupWMClass=WorkLedger
"""


def glibc_floor(bundle: Path) -> str:
    """The newest GLIBC_ version any ELF file of the folder needs."""
    highest: tuple[int, ...] = (2, 17)
    for path in elf_files(bundle):
        output = subprocess.run(["readelf", "-V", "-W", str(path)], capture_output=True,
                                text=True, check=True).stdout
        highest = max(highest, needed_versions(output).get("GLIBC", highest))
    return ".".join(map(str, highest))


def launcher(program: str, floor: str) -> str:
    return LAUNCHER.format(title=APP_TITLE, floor=floor, install_dir=INSTALL_DIR,
                           program=program)


def control(arch: str, installed_kb: int, floor: str) -> str:
    return (f"Package: {PACKAGE}\nVersion: {__version__}\nArchitecture: {arch}\n"
            "Maintainer: WorkLedger\nSection: misc\nPriority: optional\n"
            f"Installed-Size: {installed_kb}\n"
            f"Depends: libc6 (>= {floor}), {', '.join(depends(arch))}\n"
            f"Description: {APP_TITLE} WorkLedger\n"
            " 区科工信局的指标、项目、企业服务与工作计划台账，自动生成年度工作总结。\n")


def build_deb(bundle: Path, arch: str, out: Path) -> Path:
    floor = glibc_floor(bundle)
    with tempfile.TemporaryDirectory(prefix="deb-") as work:
        root = Path(work) / "root"
        shutil.copytree(bundle, root / INSTALL_DIR.lstrip("/"), symlinks=True)
        bin_dir = root / "usr" / "bin"
        bin_dir.mkdir(parents=True)
        for command, program in ((PACKAGE, "WorkLedger"), (f"{PACKAGE}-cli", "workledger-cli")):
            script = bin_dir / command
            script.write_text(launcher(program, floor), encoding="utf-8")
            script.chmod(0o755)
        applications = root / "usr" / "share" / "applications"
        applications.mkdir(parents=True)
        (applications / f"{PACKAGE}.desktop").write_text(DESKTOP, encoding="utf-8")
        icons = root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
        icons.mkdir(parents=True)
        shutil.copy(ROOT / "resources" / "icons" / "workledger.png", icons / f"{PACKAGE}.png")
        size = sum(p.lstat().st_size for p in root.rglob("*") if p.is_file()) // 1024
        (root / "DEBIAN").mkdir()
        (root / "DEBIAN" / "control").write_text(control(arch, size, floor), encoding="utf-8")
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{PACKAGE}_{__version__}_{arch}.deb"
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root),
                        str(target)], check=True, capture_output=True)
    print(f"{target} ({target.stat().st_size / 1e6:.1f} MB; needs glibc ≥ {floor})")
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "WorkLedger")
    parser.add_argument("--arch", choices=("amd64", "arm64"), default="amd64")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    if not (args.bundle / "WorkLedger").is_file():
        print(f"没有找到打包结果：{args.bundle}（先运行 python3 run.py build）", file=sys.stderr)
        return 1
    build_deb(args.bundle, args.arch, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
