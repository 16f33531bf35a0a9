"""Template + ledger + period → the summary Document that every writer renders.

    document = build(ledger, Period(2026, 11), Templates(ledger).get("年度总结"))

The builder numbers what the clerk should not have to renumber: level-1 headings 一、二、…,
level-2 headings （一）（二）… (restarting under each level-1 heading, plan sections included),
tables 表1… and charts 图1…. A template with errors raises TemplateError listing all of them.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from core import clock
from core.figures import missing_for
from core.report import attachments, conditions, phrasing
from core.report.blocks import BLOCKS, block, chart_block
from core.report.document import (
    LEVEL1,
    LEVEL2,
    TITLE,
    Block,
    Chart,
    Closing,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
)
from core.report.language import ChartRenderer, Context, FieldProblem, inline
from core.report.store import Template
from core.report.template import (
    HEADING1,
    HEADING2,
    TEXT,
    FieldRef,
    Line,
    Literal,
    Problem,
    TemplateError,
    parse,
)

if TYPE_CHECKING:
    from core.ledger import Ledger
    from core.periods import Period

_LEVELS = {HEADING1: LEVEL1, HEADING2: LEVEL2}


def build(ledger: Ledger, period: Period, template: Template | str, *,
          render_chart: ChartRenderer | None = None, today: date | None = None) -> Document:
    """The summary of `period`; raises TemplateError (with every problem) for a bad template."""
    if isinstance(template, str):
        template = Template("", template)
    lines = parse(template.body)
    context = Context(ledger, period, render_chart or default_renderer(ledger, period),
                      today=today or clock.today())
    problems: list[Problem] = []
    blocks: list[Block] = []
    passages = conditions.Branches(context, problems)  # 【如果：…】 … on lines of their own
    for line in lines:
        lone = line.lone_field
        if line.kind == TEXT and lone is not None and lone.name in conditions.WORDS:
            missing = passages.mark(lone)
            if missing is not None:
                blocks.append(Paragraph((missing,)))
        elif passages.printing:
            blocks.extend(_line_blocks(line, context, problems))
    passages.close("文末")
    if problems:
        raise TemplateError(problems)
    # Charts chosen for the template and not placed by a 【图表：…】 line follow the text, then
    # the 附件说明, the 署名 (where 【落款】 stands, else nothing) and the attachments' pages.
    closing = next((n for n, item in enumerate(blocks) if isinstance(item, Closing)),
                   len(blocks))
    body, rest = blocks[:closing], blocks[closing:]
    after_text = [key for key in template.charts if key not in context.placed_charts]
    body.extend(chart_block(key, context) for key in after_text)
    names = [*context.attachments, *attachments.chosen(ledger)]
    if names:
        note, pages = attachments.pages(names, context)
        body.append(note)
        rest.extend(pages)
    from core.editions import edition_label

    return Document(tuple(_numbered(body + rest)), tuple(context.missing),
                    edition=edition_label(ledger, period))


def default_renderer(ledger: Ledger, period: Period) -> ChartRenderer:
    def render(key: str) -> bytes:
        from core.charts import render_png

        return render_png(ledger, period, key)
    return render


def what_is_missing(ledger: Ledger, period: Period, document: Document) -> list[str]:
    """What the clerk may still want to fill before printing: every figure the period lacks
    (core.figures.missing_for), then whatever else the template asked for and did not get."""
    labels = [item.label for item in missing_for(ledger, period)]
    return list(dict.fromkeys([*labels, *document.missing]))


def _line_blocks(line: Line, context: Context, problems: list[Problem]) -> list[Block]:
    lone = line.lone_field
    if line.kind == TEXT and lone is not None and lone.name in BLOCKS:
        try:
            return block(lone, context)
        except FieldProblem as exc:
            problems.append(exc.problem)
            return []
    runs: list[Run] = []
    phrases = conditions.Branches(context, problems)  # 【如果：…】…【结束】 inside the line
    for part in line.parts:
        if isinstance(part, FieldRef) and part.name in conditions.WORDS:
            missing = phrases.mark(part)
            if missing is not None:
                runs.append(missing)
        elif not phrases.printing:
            continue
        elif isinstance(part, Literal):
            runs.append(Run(part.text))
        elif part.name in BLOCKS:
            problems.append(part.problem(f"{part.source}要单独占一行"))
        else:
            try:
                runs.extend(inline(part, context))
            except FieldProblem as exc:
                problems.append(exc.problem)
    phrases.close("行末")
    if line.kind == TEXT:
        return [Paragraph(tuple(runs))]
    return [Heading(_LEVELS.get(line.kind, TITLE), tuple(runs))]


def _numbered(blocks: list[Block]) -> list[Block]:
    """Number headings, tables and charts in document order; merge adjacent plain runs."""
    level1 = level2 = tables = charts = 0
    numbered: list[Block] = []
    for item in blocks:
        if isinstance(item, Heading) and item.level == LEVEL1:
            level1, level2 = level1 + 1, 0
            item = Heading(LEVEL1, (Run(f"{phrasing.chinese_number(level1)}、"), *item.runs))
        elif isinstance(item, Heading) and item.level == LEVEL2:
            level2 += 1
            item = Heading(LEVEL2, (Run(f"（{phrasing.chinese_number(level2)}）"), *item.runs))
        elif isinstance(item, Table):
            tables += 1
            item = dataclasses.replace(item, caption=f"表{tables} {item.caption}")
        elif isinstance(item, Chart):
            charts += 1
            item = dataclasses.replace(item, caption=f"图{charts} {item.caption}")
        if isinstance(item, Heading | Paragraph):
            item = dataclasses.replace(item, runs=_merged(item.runs))
        numbered.append(item)
    return numbered


def _merged(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and not run.missing and not merged[-1].missing and run.mark is None \
                and merged[-1].mark is None:
            merged[-1] = Run(merged[-1].text + run.text)
        else:
            merged.append(run)
    return tuple(merged)
