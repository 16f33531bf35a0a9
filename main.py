"""WorkLedger (工作台账): the window by default, headless sub-commands otherwise.

    python main.py [--db FILE] [--lang zh|en]     open the window
    python main.py demo|check|report|export|import|backup … --db FILE
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if argv and (not argv[0].startswith("-") or argv[0] in ("-h", "--help", "--version")):
        from core.cli import main as cli_main

        return cli_main(argv)
    from ui.app import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
