"""WorkLedger's window (PySide6): a thin view over core/.

Importing this package loads QtCore and makes PySide6's import hook cheaper (see below): every
module of the window is imported after it.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (loads shibokensupport.feature, patched below)


def _quicker_feature_scan() -> None:
    """Answer PySide6's question about each imported module without inspect.getsource.

    Once QtCore is loaded, PySide6 asks of every module imported after it whether its source
    mentions "PySide6" (to know which modules may use `from __feature__ import …`), through
    inspect.getsource, which walks all of sys.modules for each module: about 30 ms of a 330 ms
    start. Reading the file gives the same answer. Anything unexpected keeps PySide6's own
    function.
    """
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "reads_file", False):
        return

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    mod_uses_pyside.reads_file = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[union-attr]


_quicker_feature_scan()
