"""WorkLedger (工作台账): the window by default, headless sub-commands otherwise.

    python main.py [--db FILE] [--lang zh|en]     open the window
    python main.py demo|check|report|export|import|backup … --db FILE

In the bundle, `WorkLedger` is the window and `workledger-cli` always runs sub-commands (on
Linux a symbolic link to `WorkLedger`: one program, dispatching on the name it was started by).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CLI_EXECUTABLE = "workledger-cli"


def prepare_frozen() -> None:
    """Start-up fixes that only the PyInstaller bundle needs."""
    if not getattr(sys, "frozen", False):
        return
    from core.paths import log_dir, mpl_config_dir

    # The frozen default is a temporary folder: the font cache would be rebuilt at every start.
    os.environ.setdefault("MPLCONFIGDIR", str(mpl_config_dir()))
    if sys.stdout is None or sys.stderr is None:  # the windowed executable has no console
        stream = open(log_dir() / "console.log", "a", encoding="utf-8", buffering=1)  # noqa: SIM115
        sys.stdout = sys.stdout or stream
        sys.stderr = sys.stderr or stream


def invoked_as_cli() -> bool:
    """The frozen program started as `workledger-cli`: on Windows its own console executable;
    on Linux a symbolic link to the one executable (build.spec: one program, two names). For a
    link, PyInstaller keeps the name it was started by in sys.argv[0], while sys.executable is
    the program it points to."""
    if not getattr(sys, "frozen", False):
        return False
    names = (Path(sys.executable).stem, Path(sys.argv[0]).stem if sys.argv else "")
    return any(name.lower() == CLI_EXECUTABLE for name in names)


def wants_cli(argv: list[str]) -> bool:
    if invoked_as_cli():
        return True
    return bool(argv) and (not argv[0].startswith("-") or argv[0] in ("-h", "--help", "--version"))


def lend_qt_writers(argv: list[str]) -> None:
    """`report --out F.pdf` writes through Qt, which core/ may not import: register the writer."""
    if argv[:1] == ["report"] and any(arg.lower().endswith(".pdf") for arg in argv[1:]):
        from ui.report_pdf import register_pdf_writer

        register_pdf_writer()


def main(argv: list[str]) -> int:
    prepare_frozen()
    if wants_cli(argv):
        from core.cli import main as cli_main

        lend_qt_writers(argv)
        return cli_main(argv)
    from ui.app import run

    return run(argv)


def window_entry() -> None:
    """`workledger` after `pip install .`: the window, or sub-commands when given."""
    sys.exit(main(sys.argv[1:]))


def cli_entry() -> None:
    """`workledger-cli` after `pip install .`: always the sub-commands, as in the bundle."""
    from core.cli import main as cli_main

    argv = sys.argv[1:]
    lend_qt_writers(argv)
    sys.exit(cli_main(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
