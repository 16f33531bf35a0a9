"""core/ is the product; it must import and work with PySide6 unavailable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = r"""
import importlib, pkgutil, sys
sys.modules["PySide6"] = None          # any "import PySide6…" now raises ImportError
sys.modules["shiboken6"] = None
import core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
for name in names:
    importlib.import_module(name)
assert not any(k.startswith("PySide6.") for k in sys.modules), "PySide6 was imported"
print(len(names))
"""


def test_every_core_module_imports_without_pyside6() -> None:
    result = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 15  # every module was really imported


def test_no_pyside6_import_statement_in_core() -> None:
    offenders = [
        str(path.relative_to(ROOT)) for path in (ROOT / "core").rglob("*.py")
        if "PySide6" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
