"""The benchmark suite runs (quickly, on small ledgers) so that it cannot rot unnoticed.

The targets themselves are measured by `python benchmarks/run.py` on the large ledger, not in
the test run: their figures depend on the machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_quick_benchmark_measures_every_target(tmp_path: Path) -> None:
    # A developer's tool: its table (≤, ×, ✓) is written in UTF-8 whatever the console's code page.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKLEDGER_DATA_DIR": str(tmp_path),
           "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--runs", "1"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=900,
    )
    assert result.returncode in (0, 1), result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    summary = re.fullmatch(r"targets: (\d+)/(\d+) hold", lines[-1])
    assert summary is not None, result.stdout[-2000:]
    held, total = map(int, summary.groups())
    assert total == 12 and 0 <= held <= total
    table = [line for line in lines if " | " in line]
    assert len(table) == total + 1  # the header and one row per target
    for row in table[1:]:
        figure, measured, goal, holds = (part.strip() for part in row.split(" | "))
        assert figure and measured and goal and holds in ("yes", "NO")
