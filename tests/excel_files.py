"""Building .xlsx files for the Excel tests: clerks' sheets, saved formula results, bad files."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from core.ledger import Ledger


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """A workbook with one worksheet per entry, rows as given (strings starting = are formulas)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(list(row))
    workbook.save(path)
    return path


def save_formula_results(path: Path, results: dict[str, str]) -> None:
    """Give formula cells (by coordinate, first worksheet) the value Excel would have saved.

    openpyxl writes formulas without a result, like a file never opened in Excel; this adds the
    result, as Excel/WPS do on saving. An error result (#DIV/0!) is saved as an error cell.
    """
    temporary = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for coordinate, value in results.items():
                    error = ' t="e"' if value.startswith("#") else ""
                    text, count = re.subn(
                        rf'<c r="{coordinate}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
                        rf'<c r="{coordinate}"\1{error}><f>\2</f><v>{value}</v>', text)
                    assert count == 1, coordinate
                data = text.encode("utf-8")
            target.writestr(item, data)
    shutil.move(temporary, path)


def closed_digest(ledger: Ledger) -> str:
    """The ledger file's digest, taken with the ledger closed (WAL folded back)."""
    from helpers import file_digest

    ledger.close()
    return file_digest(ledger.path)


def sheet_rows(path: Path, title: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in workbook[title].iter_rows(values_only=True)]
    finally:
        workbook.close()


def without(rows: Iterable[dict[str, Any]], *columns: str) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in row.items() if k not in columns} for row in rows), key=repr)
