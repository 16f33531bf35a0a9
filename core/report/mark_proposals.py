"""Last year's summary (.docx) → a Word template: propose 【字段】 marks, the clerk confirms.

    proposals = propose(ledger, period, Path("2025年总结.docx"))     # what could be marked
    write_marked(ledger, period, source, out, {1: 0, 3: 1})          # proposal → chosen field

A number in the text is proposed where it reads exactly as a figure of that period prints: the
same function that fills a template (core.report.language.inline) prints every candidate field —
【名称】 167.02亿元, 【名称.上年】, 【名称.确保目标】, 【名称.同比】 同比增长5.9%, the 万/亿 scaled
forms 【名称.万元】 …, 【年份】 2025 — so a proposal is exactly what the template will print for
that year. Each proposal names its paragraph (正文第3段, 表格1第2行第1列, 第1节页眉第1段) and
the text around it. A number two figures print alike is offered with both, and is never marked
without the clerk's pick. Numbers that match nothing stay as they are.

Marking reuses the template filler's run joining (core.report.docx_template.gather): the number
is moved into the run holding its first character, so the mark keeps that run's formatting, and
nothing else in the file changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import InputError
from core.report.docx_template import _open, _Place, _places, gather
from core.report.writers import replace_atomically

if TYPE_CHECKING:
    from core.ledger import Ledger
    from core.periods import Period

# the forms proposed for a numeric indicator (a bare 【名称.数值】 only for a number that is not
# too short to be told from any other digit in the text)
_FORMS = ("", "上年", "确保目标", "奋斗目标", "同比", "增减", "完成率", "完成年任务")
_GENERAL = ("年份", "上年", "下年")
_CONTEXT = 14  # characters either side shown with a proposal
_DIGIT_BEFORE = re.compile(r"[0-9０-９.．,]$")  # 1,234 / 0.5: part of another number
_DIGIT_AFTER = re.compile(r"^([0-9０-９]|[.．][0-9])")


@dataclass(frozen=True)
class Choice:
    field: str  # 【规上工业增加值.同比】
    printed: str  # what it prints for the period: 同比增长5.9%


@dataclass(frozen=True)
class Proposal:
    number: int  # 1-based, what the clerk picks by
    where: str  # 正文第3段
    found: str  # the text to be marked
    context: str  # …全区规上工业增加值〔同比增长5.9%〕，高于全市…
    choices: tuple[Choice, ...]  # more than one: the clerk must pick

    @property
    def ambiguous(self) -> bool:
        return len(self.choices) > 1


@dataclass
class _Span:
    start: int
    end: int
    choices: list[Choice]


def candidates(ledger: Ledger, period: Period) -> list[Choice]:
    """Every field that prints a figure of `period`, with what it prints (longest first)."""
    from core.report.language import Context, FieldProblem, inline
    from core.report.template import field_ref
    from core.units import units_of_dimension

    context = Context(ledger, period, lambda _key: b"")
    names: list[str] = list(_GENERAL)
    for indicator in ledger.catalogue.all():
        forms = [*_FORMS, "数值"]
        forms += [u for u in units_of_dimension(indicator.unit) if u != indicator.unit]
        names += [f"{indicator.name}.{form}" if form else indicator.name for form in forms]
    found: list[Choice] = []
    for name in names:
        ref = field_ref(name)
        assert ref is not None
        try:
            runs = inline(ref, context)
        except FieldProblem:
            continue
        if any(run.missing for run in runs):
            continue
        printed = "".join(run.text for run in runs).strip()
        if not re.search(r"[0-9]", printed):  # a list of names, a text: not a number
            continue
        if name.endswith(".数值") and len(re.sub(r"[^0-9]", "", printed)) < 3:
            continue  # "12" alone would be proposed at every 12 of the text
        found.append(Choice(f"【{name}】", printed))
    unique = {(c.field, c.printed): c for c in found}
    return sorted(unique.values(), key=lambda c: (-len(c.printed), c.field))


def _spans(text: str, choices: list[Choice]) -> list[_Span]:
    """Where `choices` print exactly as `text` reads: the longest first; a number inside a
    longer match (66 inside 66家) is not proposed again; equal spans offer every field."""
    spans: list[_Span] = []
    taken: list[tuple[int, int]] = []
    by_span: dict[tuple[int, int], _Span] = {}
    for choice in choices:
        start = text.find(choice.printed)
        while start >= 0:
            end = start + len(choice.printed)
            whole = not _DIGIT_BEFORE.search(text[:start]) and not (
                choice.printed[-1].isdigit() and _DIGIT_AFTER.search(text[end:]))
            key = (start, end)
            if whole and key in by_span:
                if choice not in by_span[key].choices:
                    by_span[key].choices.append(choice)
            elif whole and not any(s < end and start < e for s, e in taken):
                span = _Span(start, end, [choice])
                by_span[key] = span
                spans.append(span)
                taken.append(key)
            start = text.find(choice.printed, start + 1)
    for span in spans:  # the figure itself before its other forms (上年, 目标 …)
        span.choices.sort(key=lambda c: ("." in c.field, c.field))
    return sorted(spans, key=lambda s: s.start)


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - _CONTEXT):start]
    after = text[end:end + _CONTEXT]
    return (("…" if start > _CONTEXT else "") + before + f"〔{text[start:end]}〕" + after
            + ("…" if end + _CONTEXT < len(text) else ""))


def _walk(word: Any, choices: list[Choice]) -> list[tuple[_Place, _Span, Proposal]]:
    found: list[tuple[_Place, _Span, Proposal]] = []
    for place in _places(word):
        text = "".join(run.text for run in place.paragraph.runs)
        if not text or not re.search(r"[0-9]", text):
            continue
        for span in _spans(text, choices):
            proposal = Proposal(len(found) + 1, place.where, text[span.start:span.end],
                                _context(text, span.start, span.end), tuple(span.choices))
            found.append((place, span, proposal))
    return found


def propose(ledger: Ledger, period: Period, source: Path) -> list[Proposal]:
    """What could be marked in `source`, in reading order (body, tables, headers, footers)."""
    word = _open(Path(source))
    return [proposal for _place, _span, proposal in _walk(word, candidates(ledger, period))]


def parse_accept(text: str, proposals: list[Proposal]) -> dict[int, int]:
    """--accept all | 1,3,5 | 4:2 (the 2nd field of proposal 4) | all,4:2 → {proposal: choice
    index}. `all` takes every proposal with one field; an ambiguous one only with its pick."""
    text = text.strip().replace("，", ",").replace("：", ":")
    by_number = {p.number: p for p in proposals}
    chosen: dict[int, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if part.lower() in ("all", "全部"):  # may stand with picks: all,4:2
            chosen.update({p.number: 0 for p in proposals
                           if not p.ambiguous and p.number not in chosen})
            continue
        number_text, _sep, pick_text = part.partition(":")
        if not number_text.isdigit() or (pick_text and not pick_text.isdigit()):
            raise InputError(f"--accept 中的“{part}”看不懂：应为 all，或编号如 1,3,5，"
                             "或 编号:第几种 如 4:2")
        number = int(number_text)
        if number not in by_number:
            raise InputError(f"没有第 {number} 处建议（共 {len(proposals)} 处）")
        proposal = by_number[number]
        if not pick_text:
            if proposal.ambiguous:
                raise InputError(_ambiguous_text(proposal))
            chosen[number] = 0
            continue
        pick = int(pick_text)
        if not 1 <= pick <= len(proposal.choices):
            raise InputError(f"第 {number} 处建议只有 {len(proposal.choices)} 种字段可选")
        chosen[number] = pick - 1
    return chosen


def _ambiguous_text(proposal: Proposal) -> str:
    options = "；".join(f"{proposal.number}:{i} 为 {c.field}"
                       for i, c in enumerate(proposal.choices, 1))
    return (f"第 {proposal.number} 处“{proposal.found}”与 {len(proposal.choices)} 个数字相同，"
            f"请指定是哪一个：{options}")


@dataclass(frozen=True)
class Marked:
    path: Path
    marked: int
    skipped: tuple[str, ...]  # why a chosen proposal could not be marked (a picture in it …)


def write_marked(ledger: Ledger, period: Period, source: Path, out: Path,
                 chosen: dict[int, int]) -> Marked:
    """`source` with the chosen proposals replaced by their fields, written to `out` (atomic).
    Proposals are worked out again from the file and the ledger, so a number is marked only
    where it still reads as that figure."""
    source, out = Path(source), Path(out)
    if out.resolve() == source.resolve():
        raise InputError("生成的模板不能覆盖去年的总结，请换一个文件名")
    word = _open(source)
    found = _walk(word, candidates(ledger, period))
    by_number = {proposal.number: (place, span, proposal) for place, span, proposal in found}
    unknown = sorted(set(chosen) - set(by_number))
    if unknown:
        raise InputError(f"没有第 {unknown[0]} 处建议（共 {len(found)} 处）")
    per_place: dict[int, tuple[_Place, list[tuple[_Span, str]]]] = {}
    for number, pick in sorted(chosen.items()):
        place, span, proposal = by_number[number]
        if not 0 <= pick < len(proposal.choices):
            raise InputError(f"第 {number} 处建议只有 {len(proposal.choices)} 种字段可选")
        entry = per_place.setdefault(id(place.paragraph._p), (place, []))
        entry[1].append((span, proposal.choices[pick].field))
    skipped: list[str] = []
    marked = 0
    for place, marks in per_place.values():
        problems: list[str] = []
        if not gather(place, [(s.start, s.end) for s, _f in marks], problems):
            skipped += problems
            continue
        _replace(place, marks)
        marked += len(marks)
    if not marked:
        raise InputError("没有选中可以标记的数字，未生成文件")
    replace_atomically(out, lambda partial: word.save(str(partial)))
    return Marked(out, marked, tuple(skipped))


def _replace(place: _Place, marks: list[tuple[_Span, str]]) -> None:
    """Each span (now inside one run) replaced by its field, the last first."""
    runs = place.paragraph.runs
    starts, offset = [], 0
    for run in runs:
        starts.append(offset)
        offset += len(run.text)
    for span, field in sorted(marks, key=lambda m: -m[0].start):
        index = max(i for i, begin in enumerate(starts) if begin <= span.start
                    and len(runs[i].text) > 0)
        run, local = runs[index], span.start - starts[index]
        text = run.text
        run.text = text[:local] + field + text[local + span.end - span.start:]
