"""How long a program takes to show its window: the one start-up timer of the benchmarks and
the bundle budgets.

The app (and benchmarks/bare_window.py) writes the file named by WORKLEDGER_READY_FILE once the
window is shown, its first tab filled and the event loop running, then quits.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

READY_VARIABLE = "WORKLEDGER_READY_FILE"
TIMEOUT_S = 120


def seconds_to_window(command: list[str], data: Path, env: dict[str, str] | None = None) -> float:
    """From starting `command` to its window reported shown (a file in the folder `data`)."""
    ready = data / "ready.txt"
    ready.unlink(missing_ok=True)
    env = {**(os.environ if env is None else env), READY_VARIABLE: str(ready)}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    while not ready.exists():
        if process.poll() is not None and not ready.exists():
            raise RuntimeError(f"{command[0]} exited ({process.returncode}) without a window")
        if time.perf_counter() - started > TIMEOUT_S:
            process.kill()
            raise RuntimeError(f"{command[0]} showed no window within {TIMEOUT_S} s")
        time.sleep(0.002)
    elapsed = time.perf_counter() - started
    process.wait(timeout=60)
    return elapsed
