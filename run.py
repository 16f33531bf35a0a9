"""Developer bootstrap: needs only Python 3.11+ (standard library).

    python3 run.py [app arguments]     run the app (creates .venv and installs what it needs;
                                       with no arguments and no ledger yet: the demo ledger)
    python3 run.py test [pytest args]  run the whole test suite (lint, types, tests)
    python3 run.py build               build dist/WorkLedger/ with PyInstaller (see below)
    python3 run.py smoke               smoke-test the built dist/WorkLedger/
    python3 run.py bench [args]        run benchmarks/run.py

  --target windows (Linux only: a Windows CPython under Wine, tools/wine/windows.py):
    python3 run.py build --target windows   dist/windows/WorkLedger/ + dist/windows/WorkLedger.zip
    python3 run.py smoke --target windows   the frozen smoke test, window on Qt's windows plugin
    python3 run.py test --target windows [pytest args]   the test suite under the Windows Python

  --target linux-x86_64 (统信 UOS 20 and later: glibc 2.28; tools/linux/target.py):
    python3 run.py build --target linux-x86_64   dist/linux-x86_64/WorkLedger/ + the .deb, built
                                                 by a CPython compiled here for glibc 2.28
    python3 run.py smoke --target linux-x86_64   the .deb in a clean Debian bullseye root
    python3 run.py test --target linux-x86_64 [pytest args]   the suite on the pinned versions

  --target linux-arm64 (银河麒麟 Kylin V10 on 飞腾/鲲鹏: glibc 2.31; needs qemu-user-static):
    python3 run.py build --target linux-arm64    dist/linux-arm64/WorkLedger/ + the arm64 .deb,
                                                 frozen in a bullseye arm64 root under qemu-user
    python3 run.py smoke --target linux-arm64    the .deb in a clean bullseye arm64 root (qemu)

  `build --target X` ends with tools/bundle_budget.py's size check of that folder (onedir ≤ 140 MB,
  zip ≤ 60 MB): over budget, the build fails and names the biggest files.

`.venv/` holds the development environment and is refreshed whenever the dependency lists in
pyproject.toml change. The bundle is built in its own `.venv-build/` with a lean NumPy: built
from source without BLAS/LAPACK and without per-CPU kernels, because matplotlib only ever
multiplies 3×3 matrices and the stock wheel's OpenBLAS (~30 MB) would be a fifth of the
bundle. That needs a C compiler (gcc on Linux; Visual Studio Build Tools on Windows) and a
few minutes once; without one the stock wheel is used and the bundle is larger.
"""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - says so plainly instead of failing on tomllib
    sys.exit("需要 Python 3.11 或更高版本 / Python 3.11+ is required")

import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tomllib  # noqa: E402
import venv  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent
DEV_VENV = ROOT / ".venv"
BUILD_VENV = ROOT / ".venv-build"
# NumPy built for the bundle: no BLAS/LAPACK (NumPy's own lapack_lite), no SIMD dispatch.
LEAN_NUMPY = ["-Csetup-args=-Dallow-noblas=true", "-Csetup-args=-Dblas=",
              "-Csetup-args=-Dlapack=", "-Csetup-args=-Dcpu-dispatch="]


def venv_python(folder: Path) -> Path:
    if os.name == "nt":
        return folder / "Scripts" / "python.exe"
    return folder / "bin" / "python"


def wanted_packages(extras: list[str]) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    packages = list(project["dependencies"])
    for extra in extras:
        packages += project["optional-dependencies"][extra]
    return packages


def pip(python: Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                    *args], check=True)


def ensure_venv(extras: list[str], folder: Path = DEV_VENV, lean_numpy: bool = False) -> Path:
    python = venv_python(folder)
    if not python.exists():
        print(f"创建虚拟环境 {folder} …", flush=True)
        venv.create(folder, with_pip=True, clear=True)
    packages = wanted_packages(extras)
    stamp = folder / "workledger-deps.json"
    digest = hashlib.sha256(json.dumps([sorted(packages), lean_numpy]).encode()).hexdigest()
    installed = json.loads(stamp.read_text(encoding="utf-8")) if stamp.exists() else {}
    if digest not in installed.get("digests", []):
        if lean_numpy:
            install_lean_numpy(python)
        print("安装依赖 …", flush=True)
        pip(python, *packages)
        installed.setdefault("digests", []).append(digest)
        stamp.write_text(json.dumps(installed), encoding="utf-8")
    return python


def install_lean_numpy(python: Path) -> None:
    check = subprocess.run([str(python), "-c", "import numpy; print(numpy.show_config('dicts')"
                            ".get('Build Dependencies', {}).get('blas', {}).get('found', False))"],
                           capture_output=True, text=True)
    if check.returncode == 0 and check.stdout.strip() == "False":
        return  # already the lean build
    print("编译精简版 NumPy（不含 BLAS，约需数分钟）…", flush=True)
    try:
        pip(python, "--no-binary", "numpy", "numpy", *LEAN_NUMPY)
    except subprocess.CalledProcessError:
        print("警告：未能编译精简版 NumPy（需要 C 编译器），改用官方预编译包，打包体积会更大",
              flush=True)


def run_steps(python: Path, steps: list[list[str]]) -> int:
    env = {**os.environ, "PYTHONUTF8": "1"}
    for step in steps:
        result = subprocess.run([str(python), *step], cwd=ROOT, env=env)
        if result.returncode:
            return result.returncode
    return 0


def split_target(argv: list[str]) -> tuple[str, list[str]]:
    """`--target NAME` anywhere after the command; the rest is passed on."""
    rest, target = list(argv), ""
    for i, arg in enumerate(rest):
        if arg == "--target" and i + 1 < len(rest):
            target = rest[i + 1]
            del rest[i:i + 2]
            break
        if arg.startswith("--target="):
            target = arg.split("=", 1)[1]
            del rest[i]
            break
    return target, rest


# Each target's tool, and the words it takes before the command.
TARGET_TOOLS = {"windows": ["tools.wine.windows"],
                "linux-x86_64": ["tools.linux.target", "linux-x86_64"],
                "linux-arm64": ["tools.linux.target", "linux-arm64"]}


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command in ("test", "build", "smoke"):
        target, rest = split_target(argv[1:])
        if target:
            if target not in TARGET_TOOLS:
                print(f"未知的目标平台：{target}（可选：{'、'.join(TARGET_TOOLS)}）",
                      file=sys.stderr)
                return 2
            module, *words = TARGET_TOOLS[target]
            code = subprocess.run([sys.executable, "-m", module, *words, command, *rest],
                                  cwd=ROOT).returncode
            if command == "build" and code == 0:  # a folder over its size budget fails the build
                code = subprocess.run([sys.executable, "-m", "tools.bundle_budget", "--target",
                                       target], cwd=ROOT).returncode
            return code
    if command == "test":
        python = ensure_venv(["test"])
        return run_steps(python, [["-m", "ruff", "check", "."], ["-m", "mypy"],
                                  ["-m", "pytest", *argv[1:]]])
    if command == "build":
        python = ensure_venv(["build"], BUILD_VENV, lean_numpy=True)
        return run_steps(python, [["-m", "PyInstaller", "--noconfirm", "build.spec",
                                   *argv[1:]]])
    if command == "smoke":
        return run_steps(venv_python(BUILD_VENV), [["-m", "tools.smoke_frozen", *argv[1:]]])
    if command == "bench":
        python = ensure_venv(["test"])
        return run_steps(python, [["benchmarks/run.py", *argv[1:]]])
    python = ensure_venv([])
    # With nothing said, a developer sees the demo ledger when there is no ledger of their own.
    options = argv or ["--demo-if-none"]
    return subprocess.run([str(python), str(ROOT / "main.py"), *options]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
