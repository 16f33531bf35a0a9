"""The summary as a format-neutral document: what every writer (print, PDF, Word, HTML, text) gets.

A document is a flat sequence of blocks — headings, paragraphs, tables and charts. Text is made
of runs; a run knows whether it stands for a figure the ledger lacks, so each writer can mark it
(red in print, highlighted in Word and HTML) while its text always reads 【未填：名称】.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.text import scrub

TITLE, LEVEL1, LEVEL2 = 0, 1, 2  # heading levels: the title, 一、…, （一）…


@dataclass(frozen=True)
class FigureMark:
    """Where a printed figure comes from (for `report --out F.json` and checks by program)."""

    indicator: str  # the indicator's name (or the list / setting a field names)
    code: str | None  # the indicator's stable code, when it has one
    period: str  # 2026年1-11月
    form: str  # "" (the value), 确保目标, 同比, 完成率, 排名 …
    value: float | None  # the number behind the text (None: none, or not a number)
    unit: str  # of `value`: the indicator's unit, "%", "个百分点", "位" …
    source: str  # entered / derived / overridden / missing (core.metrics.Figure.source)


@dataclass(frozen=True)
class Run:
    text: str
    missing: bool = False  # a figure the ledger lacks: `text` is then 【未填：名称】
    mark: FigureMark | None = None  # the figure this run prints, if it prints one

    def __post_init__(self) -> None:  # no writer may meet a character it cannot hold
        object.__setattr__(self, "text", scrub(self.text))


def missing_run(label: str) -> Run:
    return Run(f"【未填：{label}】", missing=True)


def plain(runs: tuple[Run, ...]) -> str:
    return "".join(run.text for run in runs)


@dataclass(frozen=True)
class Heading:
    level: int  # TITLE, LEVEL1 or LEVEL2; the numbering (一、 （一）) is part of the runs
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass(frozen=True)
class Table:
    caption: str  # 表1 主要指标完成情况
    header: tuple[str, ...]
    rows: tuple[tuple[Run, ...], ...]  # one run per cell

    def __post_init__(self) -> None:
        object.__setattr__(self, "caption", scrub(self.caption))
        object.__setattr__(self, "header", tuple(scrub(cell) for cell in self.header))


@dataclass(frozen=True)
class Chart:
    caption: str  # 图1 亿元项目推进情况
    png: bytes  # at print resolution (≥ 200 dpi), width = the text width of an A4 page
    data: Any = None  # the chart's core.charts.data.ChartData: what the picture shows

    def __post_init__(self) -> None:
        object.__setattr__(self, "caption", scrub(self.caption))


@dataclass(frozen=True)
class Closing:
    """署名 and 成文日期 after the body (GB/T 9704-2012 §7.3.5.3, no seal): one blank line, then
    the 署名 and under it the date, each set from the right margin by core.report.closing."""

    name: Run  # 单位名称 (a 【未填：单位名称（设置）】 run when the setting is empty)
    date: Run  # 2026年12月1日

    @property
    def text(self) -> str:
        return f"{self.name.text}\n{self.date.text}"


@dataclass(frozen=True)
class AttachmentNote:
    """附件说明 (GB/T 9704-2012 §7.3.4): one blank line below the body, then 左空二字
    附件：名称, or with several 附件：1.名称 and each further name under the first's first
    character; no punctuation after a name."""

    names: tuple[str, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        if len(self.names) == 1:
            return (f"附件：{self.names[0]}",)
        return tuple(f"{'附件：' if n == 1 else ''}{n}.{name}"
                     for n, name in enumerate(self.names, start=1))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Attachment:
    """One attachment, on a page of its own (GB/T 9704 §8): 附件N in 黑体 flush left on the
    first line, its title centred on the second, then what it holds (a table, or the run that
    says it is missing)."""

    label: str  # 附件1 (附件 when there is only one)
    title: str  # 指标完成情况表
    body: tuple[Table | Paragraph, ...]


Block = Heading | Paragraph | Table | Chart | Closing | AttachmentNote | Attachment


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    missing: tuple[str, ...] = ()  # labels of the 【未填：…】 runs, in order, each once
    edition: str = ""  # 草稿 / 第N版 (core.editions): every writer names it; '' names nothing

    @property
    def title(self) -> str:
        for block in self.blocks:
            if isinstance(block, Heading) and block.level == TITLE:
                return block.text
        return ""
