"""The summary's document model as JSON (`report --out F.json`): every printed figure with its
source, and what each chart shows, so that a program can check what is printed.

    {"title": …, "period": …, "missing": [...],
     "figures": [{"indicator", "code", "period", "form", "value", "unit", "source", "text",
                  "block"}, …],
     "blocks": [{"type": "heading" | "paragraph" | "table" | "chart" | "closing" |
                 "attachment_note" | "attachment",
                 "text" / "rows" / …}],
     "charts": [{"key", "title", "period", "labels", "series": [{"name", "unit", "values",
                                                               "labels"}], "note"}]}

Every figure a run prints is listed once per place it is printed, with its text exactly as
the PDF, Word, HTML and text writers print it.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from core.report.document import (
    Attachment,
    AttachmentNote,
    Chart,
    Closing,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
    plain,
)


def _figure(run: Run, block: int) -> dict[str, Any]:
    assert run.mark is not None
    return {**dataclasses.asdict(run.mark), "text": run.text, "missing": run.missing,
            "block": block}


def _chart(block: Chart) -> dict[str, Any] | None:
    data = block.data
    if data is None:
        return None
    return {
        "key": data.key, "title": data.title, "caption": block.caption,
        "period": data.period_label, "labels": list(data.labels),
        "series": [{"name": s.name, "unit": s.unit, "kind": s.kind, "axis": s.axis,
                    "values": list(s.values), "labels": list(s.labels)} for s in data.series],
        "note": data.note, "empty": data.empty,
    }


def _rows(part: Table | Paragraph) -> list[tuple[Run, ...]]:
    return list(part.rows) if isinstance(part, Table) else [part.runs]


def model(document: Document) -> dict[str, Any]:
    """The document as plain data (what write() saves)."""
    figures: list[dict[str, Any]] = []
    blocks: list[dict[str, Any]] = []
    charts: list[dict[str, Any]] = []
    for number, block in enumerate(document.blocks):
        runs: list[Run] = []
        if isinstance(block, Heading):
            blocks.append({"type": "heading", "level": block.level, "text": block.text})
            runs = list(block.runs)
        elif isinstance(block, Paragraph):
            blocks.append({"type": "paragraph", "text": block.text})
            runs = list(block.runs)
        elif isinstance(block, Table):
            blocks.append({"type": "table", "caption": block.caption,
                           "header": list(block.header),
                           "rows": [[cell.text for cell in row] for row in block.rows]})
            runs = [cell for row in block.rows for cell in row]
        elif isinstance(block, Chart):
            chart = _chart(block)
            blocks.append({"type": "chart", "caption": block.caption})
            if chart is not None:
                charts.append({**chart, "block": number})
        elif isinstance(block, Closing):
            blocks.append({"type": "closing", "name": block.name.text, "date": block.date.text})
        elif isinstance(block, AttachmentNote):
            blocks.append({"type": "attachment_note", "text": block.text})
        elif isinstance(block, Attachment):
            blocks.append({"type": "attachment", "label": block.label, "title": block.title,
                           "text": "\n".join(plain(cells) for part in block.body
                                              for cells in _rows(part))})
            runs = [cell for part in block.body for cells in _rows(part) for cell in cells]
        figures += [_figure(run, number) for run in runs if run.mark is not None]
    return {"title": document.title, "edition": document.edition,
            "missing": list(document.missing), "figures": figures,
            "blocks": blocks, "charts": charts}


def write(document: Document, path: Path) -> None:
    text = json.dumps(model(document), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
