"""Helpers for the summary tests: what each of the 39 figures must read like, from the ledger."""

from __future__ import annotations

import struct
import zlib

from core.figures import SEED_FIGURES
from core.ledger import Ledger
from core.numbers import format_number
from core.periods import Period
from core.report import phrasing
from core.report.document import Chart, Document, Heading, Paragraph, Table, plain


def expected_figures(ledger: Ledger, period: Period) -> dict[int, list[str]]:
    """Seed figure number → the strings the summary must contain for it, worked out from the
    ledger (value with the catalogue's decimals and unit, a rank as 第N, every item of a list)."""
    expected: dict[int, list[str]] = {}
    for seed in SEED_FIGURES:
        figure = ledger.metrics.figure(seed.code, period)
        indicator = figure.indicator
        if seed.aspect == "rank":
            assert figure.rank is not None, seed
            expected[seed.number] = [phrasing.ordinal(figure.rank)]
        elif indicator.kind == "list":
            assert figure.items, seed
            expected[seed.number] = list(figure.items)
        else:
            assert figure.value is not None, seed
            expected[seed.number] = [f"{format_number(figure.value, indicator.decimals)}"
                                     f"{indicator.unit}"]
    return expected


def squash(text: str) -> str:
    """Text without any whitespace: PDF line breaks fall anywhere inside a sentence."""
    return "".join(text.split())


def missing_figures(text: str, expected: dict[int, list[str]]) -> dict[int, list[str]]:
    flat = squash(text)
    return {number: [s for s in strings if squash(s) not in flat]
            for number, strings in expected.items()
            if any(squash(s) not in flat for s in strings)}


def document_text(document: Document) -> str:
    parts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts += ["\t".join(block.header), *("\t".join(plain((c,)) for c in row)
                                                 for row in block.rows)]
        elif isinstance(block, Chart):
            parts.append(block.caption)
    return "\n".join(parts)


def tiny_png(key: str = "") -> bytes:
    """A valid 2 × 1 PNG (stands in for a chart where the chart itself is not under test)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b"")
