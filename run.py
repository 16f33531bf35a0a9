"""Developer bootstrap: needs only Python 3.11+ (standard library).

    python run.py [app arguments]     run the app (creates .venv and installs what it needs)
    python run.py test [pytest args]  run the whole test suite (lint, types, tests)
    python run.py build               build dist/WorkLedger/ with PyInstaller
    python run.py bench [args]        run benchmarks/run.py

The virtual environment lives in `.venv/` beside this file and is refreshed whenever the
dependency lists in pyproject.toml change.
"""

from __future__ import annotations

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
VENV = ROOT / ".venv"
STAMP = VENV / "workledger-deps.json"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def wanted_packages(extras: list[str]) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    packages = list(project["dependencies"])
    for extra in extras:
        packages += project["optional-dependencies"][extra]
    return packages


def ensure_venv(extras: list[str]) -> Path:
    python = venv_python()
    if not python.exists():
        print(f"创建虚拟环境 {VENV} …", flush=True)
        venv.create(VENV, with_pip=True, clear=True)
    packages = wanted_packages(extras)
    digest = hashlib.sha256(json.dumps(sorted(packages)).encode()).hexdigest()
    installed = json.loads(STAMP.read_text(encoding="utf-8")) if STAMP.exists() else {}
    if digest not in installed.get("digests", []):
        print("安装依赖 …", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *packages],
            check=True,
        )
        installed.setdefault("digests", []).append(digest)
        STAMP.write_text(json.dumps(installed), encoding="utf-8")
    return python


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "test":
        python = ensure_venv(["test"])
        env = {**os.environ, "PYTHONUTF8": "1"}
        steps = [
            [str(python), "-m", "ruff", "check", "."],
            [str(python), "-m", "mypy"],
            [str(python), "-m", "pytest", *argv[1:]],
        ]
        for step in steps:
            result = subprocess.run(step, cwd=ROOT, env=env)
            if result.returncode:
                return result.returncode
        return 0
    if command == "build":
        python = ensure_venv(["build"])
        return subprocess.run(
            [str(python), "-m", "PyInstaller", "--noconfirm", "build.spec", *argv[1:]], cwd=ROOT
        ).returncode
    if command == "bench":
        python = ensure_venv(["build", "test"])
        return subprocess.run(
            [str(python), str(ROOT / "benchmarks" / "run.py"), *argv[1:]], cwd=ROOT
        ).returncode
    python = ensure_venv([])
    return subprocess.run([str(python), str(ROOT / "main.py"), *argv]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
