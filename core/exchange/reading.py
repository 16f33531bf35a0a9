"""Reading a clerk's .xlsx safely: refuse what is not one, stay within limits, never evaluate.

Refused with one Chinese sentence (ImportRefused) before anything is parsed: a missing or empty
file, one over the size limit, an old .xls or WPS .et (OLE2), an encrypted workbook (also OLE2),
a web page or text saved as .xls, a damaged zip, a zip that is not a workbook or unpacks to an
unreasonable size. While reading: more rows than the limit.

Formulas are never evaluated: cells are read with openpyxl's data_only=True, which gives the
value Excel/WPS saved with the file. When the file has formulas, a second pass finds which cells
are formulas, so that one without a saved value becomes FORMULA_WITHOUT_VALUE (rejected later
with a reason) and the preview can say that saved values were used.
"""

from __future__ import annotations

import logging
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import zip_longest
from pathlib import Path
from typing import Any

from core.errors import LedgerError
from core.files import reason

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 100
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_TEXT_CHARS = 10_000_000  # all text of one import (a shared text counts in every cell)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ERROR_VALUES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                "#GETTING_DATA", "#SPILL!", "#CALC!"}
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_CELL = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]{2,3})\d+"[^>]*?(/?)>')
log = logging.getLogger("workledger.exchange")


class ImportRefused(LedgerError):
    """The file cannot be imported at all; nothing was read into the ledger."""


class ImportCancelled(LedgerError):
    """The clerk cancelled the reading or the dry run; nothing was changed."""


# progress(what, done, total) while a long import works (total 0: not known); it may raise
# ImportCancelled to stop the work (the window's 取消 button).
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 500  # rows between two calls


def no_progress(_what: str, _done: int, _total: int) -> None:
    return None


class _FormulaWithoutValue:
    """A formula cell the file holds no result of. Wherever it is shown (a row's label, a
    header, a message) it reads as the clerk would say it, never as an internal name."""

    def __str__(self) -> str:
        return "（公式，文件中没有保存计算结果）"

    def __repr__(self) -> str:
        return "FORMULA_WITHOUT_VALUE"


FORMULA_WITHOUT_VALUE = _FormulaWithoutValue()


@dataclass(frozen=True)
class CellError:
    """An error value saved in a cell (#DIV/0! …)."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass
class RawSheet:
    title: str
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)  # (row number, cells)
    formulas: int = 0  # formula cells whose saved value is used
    merged: list[str] = field(default_factory=list)  # merged ranges filled down ("B2:B4")
    wide: bool = False  # has values past MAX_COLUMNS (not read)

    def first_rows(self, count: int) -> list[tuple[Any, ...]]:
        """The first `count` rows of the worksheet as displayed (empty rows included)."""
        by_number = dict(self.rows[: count])
        return [by_number.get(number, ()) for number in range(1, count + 1)]

    def row(self, number: int) -> tuple[Any, ...]:
        return next((cells for n, cells in self.rows if n == number), ())


@dataclass
class RawWorkbook:
    path: Path
    sheets: list[RawSheet]

    @property
    def formulas(self) -> int:
        return sum(sheet.formulas for sheet in self.sheets)


def read_workbook(path: Path, progress: Progress = no_progress) -> RawWorkbook:
    """Every worksheet's non-empty rows; raises ImportRefused for files that are not fit."""
    path = Path(path)
    _check_file(path)
    scans = _scan_sheets(path)
    try:
        return RawWorkbook(path, _read_sheets(path, scans, progress))
    except (ImportRefused, ImportCancelled):
        raise
    except Exception as exc:  # openpyxl on a malformed workbook: many kinds of exceptions
        log.warning("unreadable workbook %s: %r", path.name, exc)
        raise ImportRefused(f"“{path.name}”已损坏或不是有效的 Excel 工作簿，无法读取") from exc


def _check_file(path: Path) -> None:
    name = path.name
    if path.is_dir():
        raise ImportRefused(f"“{name}”是文件夹，请选择 Excel 文件（.xlsx）")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError as exc:
        raise ImportRefused(f"找不到文件“{name}”") from exc
    except OSError as exc:
        raise ImportRefused(f"无法读取“{name}”（{reason(exc)}），"
                            "如果它正在 Excel/WPS 中打开，请先关闭") from exc
    if size == 0:
        raise ImportRefused(f"“{name}”是空文件（0 字节）")
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"“{name}”有 {size / 1024 / 1024:.1f} MB，超过导入上限 {MAX_FILE_BYTES // 1024 // 1024}"
            " MB；请删去无关的工作表和图片，或拆成几个文件分别导入")
    if head.startswith(OLE2_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in path.read_bytes():
            raise ImportRefused(f"“{name}”设置了打开密码（已加密），请在 Excel/WPS 中取消密码、"
                                "另存为 .xlsx 后再导入")
        raise ImportRefused(f"“{name}”是旧版 Excel（.xls）或 WPS 表格（.et）格式，"
                            "请在 Excel/WPS 中“另存为” Excel 工作簿（.xlsx）后再导入")
    if not head.startswith(ZIP_MAGICS):
        kind = "网页或文本" if head.lstrip()[:1] in (b"<", b"{") or _is_text(head) else "其他"
        raise ImportRefused(f"“{name}”不是 Excel 工作簿（.xlsx），而是{kind}格式的文件；"
                            "请在 Excel/WPS 中打开后“另存为” .xlsx 再导入")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(f"“{name}”已损坏（不是完整的 .xlsx 文件），无法读取") from exc
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused(f"“{name}”不是 Excel 工作簿（可能是 Word 文档或其他压缩包）")
    if any(member.flag_bits & 0x1 for member in members):
        raise ImportRefused(f"“{name}”已加密，请在 Excel/WPS 中取消密码后再导入")
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise ImportRefused(f"“{name}”解压后过大，超过导入上限；请拆成几个文件分别导入")


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class _Scan:
    """What a cheap look at a worksheet's raw XML finds."""

    formulas: bool = False
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # col, row, col, row
    wide: bool = False  # a cell with content past MAX_COLUMNS


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def column_name(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _scan_sheets(path: Path) -> dict[str, _Scan]:
    """Per worksheet (by archive name): formulas, merged ranges, columns past the limit."""
    found: dict[str, _Scan] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                name = member.filename
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    found[name] = _scan(archive, member)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError) as exc:
        raise ImportRefused(f"“{path.name}”已损坏（压缩数据有误），无法读取") from exc
    return found


def _scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> _Scan:
    scan = _Scan()
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            if not scan.formulas and _FORMULA_TAG.search(text):
                scan.formulas = True
            if not scan.wide:
                scan.wide = any(not closed and column_index(letters.decode()) > MAX_COLUMNS
                                for letters, closed in _CELL.findall(text))
            scan.merges += [(column_index(c1.decode()), int(r1), column_index(c2.decode()),
                             int(r2)) for c1, r1, c2, r2 in _MERGE.findall(chunk)]
            tail = chunk[-64:]  # a tag cut in two by the chunk boundary
    if len(scan.merges) != len(set(scan.merges)):  # one seen again across a boundary
        scan.merges = list(dict.fromkeys(scan.merges))
    return scan


def _read_sheets(path: Path, scans: dict[str, _Scan], progress: Progress) -> list[RawSheet]:
    from openpyxl import load_workbook

    sheets: list[RawSheet] = []
    budget = _Budget(path.name)
    with_formulas = any(scan.formulas for scan in scans.values())
    with warnings.catch_warnings():  # openpyxl warns about features it drops (validation …)
        warnings.simplefilter("ignore")
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False) if with_formulas else None
        try:
            for worksheet in values.worksheets:
                scan = scans.get(_archive_name(worksheet))
                formula_sheet = None
                if formulas is not None and (scan is None or scan.formulas):
                    formula_sheet = formulas[worksheet.title]
                sheet = _read_sheet(worksheet, formula_sheet, budget, progress)
                if scan is not None:
                    _fill_merged(sheet, scan.merges)
                    sheet.wide = scan.wide
                sheets.append(sheet)
        finally:
            values.close()
            if formulas is not None:
                formulas.close()
    return sheets


class _Budget:
    """What one import may read: rows with values and characters of text, over all sheets."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.rows = 0
        self.chars = 0

    def take(self, cells: tuple[Any, ...]) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise _too_many(self.file_name)
        self.chars += sum(len(value) for value in cells if isinstance(value, str))
        if self.chars > MAX_TEXT_CHARS:
            raise ImportRefused(
                f"“{self.file_name}”中的文字超过导入上限（{MAX_TEXT_CHARS // 10_000:,} 万字）："
                "可能有很长的文字复制到了许多行；请删去这些内容，或拆成几个文件分别导入")


def _archive_name(worksheet: Any) -> str:
    """The worksheet's part in the archive ('' if openpyxl does not say: then look anyway)."""
    return str(getattr(worksheet, "_worksheet_path", "")).lstrip("/")


def _read_sheet(worksheet: Any, formula_sheet: Any, budget: _Budget,
                progress: Progress = no_progress) -> RawSheet:
    sheet = RawSheet(str(worksheet.title))
    last_row = int(worksheet.max_row or 0)
    what = f"正在读取工作表“{sheet.title}”"
    # openpyxl pads every row to this width: the sheet's own, at most MAX_COLUMNS.
    width = min(worksheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
    rows = worksheet.iter_rows(max_col=width, values_only=True)
    shadow = (formula_sheet.iter_rows(max_col=width, values_only=True)
              if formula_sheet is not None else None)
    pairs = zip_longest(rows, shadow) if shadow is not None else ((r, None) for r in rows)
    for number, (cells, formula_cells) in enumerate(pairs, start=1):
        if number % PROGRESS_EVERY == 0:
            progress(what, number, last_row)
        # empty rows (a formatted cell at row 1,048,576 makes a million of them) cost nothing
        if not cells or cells.count(None) == len(cells):
            if formula_cells is None or formula_cells.count(None) == len(formula_cells):
                continue
        cells = cells or ()
        if formula_cells is not None:
            cells, count = _resolve_formulas(cells, formula_cells)
            sheet.formulas += count
        cleaned = _trimmed(tuple(_clean(value) for value in cells))
        if cleaned:
            budget.take(cleaned)
            sheet.rows.append((number, cleaned))
    return sheet


def _fill_merged(sheet: RawSheet, merges: list[tuple[int, int, int, int]]) -> None:
    """A value merged over several rows (企业 over its three service records) belongs to each
    of them, as the clerk sees it: it is filled down its column (a merge across columns
    keeps its value in the first one, where the sheet shows it)."""
    tall = [(c1, r1, r2) for c1, r1, _c2, r2 in merges if r2 > r1]
    if not tall:
        return
    rows = dict(sheet.rows)
    for column, first, last in sorted(tall, key=lambda merge: merge[1]):
        top = rows.get(first, ())
        value = top[column - 1] if column - 1 < len(top) else None
        if value is None or column > MAX_COLUMNS:
            continue
        for number in range(first + 1, last + 1):
            cells = list(rows.get(number, ()))
            cells += [None] * (column - len(cells))
            if cells[column - 1] is None:
                cells[column - 1] = value
                rows[number] = tuple(cells)
        sheet.merged.append(f"{column_name(column)}{first}:{column_name(column)}{last}")
    sheet.rows = sorted(rows.items())


def _trimmed(cells: tuple[Any, ...]) -> tuple[Any, ...]:
    """Without the empty cells at the end (openpyxl pads rows to the sheet's width)."""
    end = len(cells)
    while end and cells[end - 1] is None:
        end -= 1
    return cells[:end]


def _too_many(file_name: str) -> ImportRefused:
    return ImportRefused(f"“{file_name}”的数据超过导入上限 {MAX_ROWS:,} 行，"
                         "请拆成几个文件分别导入")


def _resolve_formulas(cells: tuple[Any, ...], formula_cells: tuple[Any, ...]
                      ) -> tuple[tuple[Any, ...], int]:
    """Mark formula cells without a saved value; count the formula cells."""
    resolved = list(cells) + [None] * (len(formula_cells) - len(cells))
    count = 0
    for index, formula in enumerate(formula_cells):
        is_formula = (isinstance(formula, str) and formula.startswith("=")
                      and formula != resolved[index]) or type(formula).__name__ in (
                          "ArrayFormula", "DataTableFormula")
        if is_formula:
            count += 1
            if resolved[index] is None:
                resolved[index] = FORMULA_WITHOUT_VALUE
    return tuple(resolved), count


def _clean(value: Any) -> Any:
    """A cell as the importer sees it: empty text is None, whole floats are ints, errors marked."""
    if isinstance(value, str):
        if not value.strip():
            return None
        if value.strip() in ERROR_VALUES:
            return CellError(value.strip())
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date()
    return value
