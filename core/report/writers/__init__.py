"""Writers of the summary document, chosen by the output file's suffix.

Plain text, HTML and Word are written here (python-docx is imported only when a .docx is asked
for). PDF and printing go through Qt, which core/ may not import: the window and main.py register
ui.report_pdf's writer with `register(".pdf", …)` before they need it.

Every file is written beside its target under a temporary name and renamed into place, so a
failure (a full USB stick, the file open in WPS) never leaves a half-written file behind.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from core.errors import InputError, LedgerError
from core.files import reason, write_atomically
from core.report.document import Document

DocumentWriter = Callable[[Document, Path], None]

# suffix → what the clerk calls the format
FORMATS: dict[str, str] = {".pdf": "PDF", ".docx": "Word", ".html": "网页", ".txt": "纯文本",
                           ".json": "JSON（每个数字及其来源，供程序核对）"}
_BUILT_IN = {
    ".txt": "core.report.writers.text", ".html": "core.report.writers.html",
    ".docx": "core.report.writers.docx", ".json": "core.report.writers.figures_json",
}
_REGISTERED: dict[str, DocumentWriter] = {}


def register(suffix: str, writer: DocumentWriter) -> None:
    """Make `writer` write files ending in `suffix` (used for the Qt PDF writer)."""
    _REGISTERED[suffix.lower()] = writer


def writer_for(path: Path) -> DocumentWriter:
    suffix = path.suffix.lower()
    if suffix in _REGISTERED:
        return _REGISTERED[suffix]
    if suffix in _BUILT_IN:
        module = importlib.import_module(_BUILT_IN[suffix])
        writer: DocumentWriter = module.write
        return writer
    if suffix in FORMATS:  # .pdf without Qt
        raise LedgerError(f"此处无法生成{FORMATS[suffix]}文件，请在工作台账窗口中导出")
    raise InputError(f"不支持“{path.suffix or path.name}”格式，"
                     f"请用 {' '.join(FORMATS)} 之一作为文件扩展名")


def save(document: Document, path: str | Path) -> Path:
    """Write `document` to `path` in the format its suffix names."""
    target = Path(path)
    writer = writer_for(target)
    return replace_atomically(target, lambda partial: writer(document, partial))


def replace_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """Let `write` fill a temporary file beside `target`, then rename it over `target`."""
    folder = target.parent
    if not folder.is_dir():
        raise LedgerError(f"文件夹“{folder}”不存在")
    try:
        return write_atomically(target, write)
    except OSError as exc:
        raise LedgerError(f"未能保存“{target.name}”：{reason(exc)}") from exc
