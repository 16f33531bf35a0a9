"""The clerk's own Word file as the template: 【字段】 marks in a .docx filled from the ledger.

    fill(ledger, period, Path("去年总结（标记）.docx"), Path("2026年总结.docx"))

Many offices already have their summary as a Word file (made by WPS or Word) and would rather
mark its figures than learn a template language. Every paragraph of the body, of every table
(nested ones too) and of every header and footer is read; what stands in 【】 means what it
means in a text template (core.report.language.inline), so the wording is the summary's own.

- WPS and Word split a paragraph into runs wherever formatting, spelling marks or an edit
  history change; a 【…】 split over runs is first joined into the run holding its 【 (keeping
  that run's formatting), then replaced there. Nothing else in the file is touched: styles,
  tables, pictures, headers and footers keep their XML.
- A table row marked with list fields repeats once per item: 【项目.名称】 【项目.建设单位】
  【项目.总投资】 【项目.当年完成投资】 【项目.状态】 【项目.序号】 for the period's projects,
  【计划.部分】 【计划.事项】 【计划.内容】 【计划.序号】 for next year's plan items.
- A field that means nothing is reported with the paragraph it stands in, all at once, and no
  file is written. Values are set as text (python-docx escapes them for XML).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import clock
from core.errors import InputError, LedgerError
from core.report import conditions
from core.report.attachments import project_values
from core.report.blocks import BLOCKS
from core.report.document import plain
from core.report.language import FORM_SEPARATORS, Context, FieldProblem, inline
from core.report.template import FieldRef, Problem, field_ref
from core.report.writers import replace_atomically

if TYPE_CHECKING:
    from core.ledger import Ledger
    from core.periods import Period

FIELD = re.compile(r"【([^【】]*)】")
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "项目": ("序号", "名称", "建设单位", "总投资", "当年完成投资", "状态"),
    "计划": ("序号", "部分", "事项", "内容"),
}
_TEXT_TAGS = frozenset({"rPr", "t", "tab", "br", "cr", "noBreakHyphen", "softHyphen"})
_NONE = "—"


class WordTemplateError(LedgerError):
    """Fields of a Word template that cannot be filled, each with the paragraph it stands in."""

    def __init__(self, problems: list[str]) -> None:
        shown = "\n".join(problems[:10]) + (f"\n……共 {len(problems)} 处" if len(problems) > 10
                                            else "")
        super().__init__(f"Word 模板中有 {len(problems)} 处字段无法填写，未生成文件：\n{shown}")
        self.problems = problems


@dataclass(frozen=True)
class Filled:
    path: Path
    missing: tuple[str, ...]  # what the ledger lacks, printed as 【未填：…】


@dataclass
class _Place:
    paragraph: Any  # docx.text.paragraph.Paragraph
    where: str  # 正文第3段 / 表格1第2行第1列 / 第1节页眉
    row: Any = None  # the w:tr it stands in, if any


def fill(ledger: Ledger, period: Period, template: Path, out: Path, *,
         today: date | None = None) -> Filled:
    """Fill `template` for `period` and write it to `out` (atomically); raises
    WordTemplateError listing every field that cannot be filled (then nothing is written)."""
    word = _open(template)
    from core.report.build import default_renderer

    context = Context(ledger, period, default_renderer(ledger, period),
                      today=today or clock.today())
    problems: list[str] = []
    places = list(_places(word))
    for place in places:
        _join_split_fields(place, problems)
    # Every field is worked out once: first all but the list fields (a marked row's other
    # fields too, before it is copied), then each marked row once per item.
    marked = _marked_rows(word, problems)
    marked_rows = {id(row._tr) for _number, row in marked}
    for place in places:
        _fill(place, context, problems, None,
              place.row is not None and id(place.row) in marked_rows)
    for table_number, row in marked:
        _repeat_row(row, table_number, context, problems)
    if problems:
        raise WordTemplateError(problems)
    replace_atomically(out, lambda partial: word.save(str(partial)))
    return Filled(out, tuple(context.missing))


def _open(path: Path) -> Any:
    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError

    if path.suffix.lower() != ".docx":
        raise InputError(f"“{path.name}”不是 .docx 文件；旧的 .doc 请先在 WPS 或 Word 中"
                         "另存为 .docx")
    try:
        return open_docx(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(f"无法读取 Word 文件“{path.name}”，请确认它是 .docx 且未损坏") from exc


# -- where text stands --------------------------------------------------------------------------
def _places(word: Any) -> Iterator[_Place]:
    for number, paragraph in enumerate(word.paragraphs, start=1):
        yield _Place(paragraph, f"正文第{number}段")
    for number, table in enumerate(word.tables, start=1):
        yield from _table_places(table, f"表格{number}")
    for section_number, section in enumerate(word.sections, start=1):
        for name, part in (("页眉", "header"), ("首页页眉", "first_page_header"),
                           ("偶数页页眉", "even_page_header"), ("页脚", "footer"),
                           ("首页页脚", "first_page_footer"), ("偶数页页脚", "even_page_footer")):
            story = getattr(section, part)
            if story.is_linked_to_previous:  # no part of its own: reading it would add one
                continue
            for number, paragraph in enumerate(story.paragraphs, start=1):
                yield _Place(paragraph, f"第{section_number}节{name}第{number}段")
            for number, table in enumerate(story.tables, start=1):
                yield from _table_places(table, f"第{section_number}节{name}表格{number}")


def _table_places(table: Any, where: str) -> Iterator[_Place]:
    for row_number, row in enumerate(table.rows, start=1):
        seen: set[int] = set()
        for column, cell in enumerate(row.cells, start=1):
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column
                continue
            seen.add(id(cell._tc))
            here = f"{where}第{row_number}行第{column}列"
            for paragraph in cell.paragraphs:
                yield _Place(paragraph, here, row._tr)
            for number, inner in enumerate(cell.tables, start=1):
                yield from _table_places(inner, f"{here}内表格{number}")


# -- runs split inside a field ------------------------------------------------------------------
def _join_split_fields(place: _Place, problems: list[str]) -> None:
    """Move every 【…】 that spans runs into the run holding its 【 (its formatting wins)."""
    full = "".join(run.text for run in place.paragraph.runs)
    if "【" in full:
        gather(place, [match.span() for match in FIELD.finditer(full)], problems)


def gather(place: _Place, spans: list[tuple[int, int]], problems: list[str]) -> bool:
    """Move each span of the paragraph's text (offsets into its runs' joined text) into the
    run holding its first character, whose formatting then covers it; the other runs keep
    theirs. False (and a problem named) when a run to be changed holds a picture or a field:
    then nothing is changed."""
    runs = place.paragraph.runs
    texts = [run.text for run in runs]
    full = "".join(texts)
    owner = [index for index, text in enumerate(texts) for _char in text]
    changed = False
    for start, end in spans:
        first = owner[start]
        if owner[end - 1] != first:
            owner[start:end] = [first] * (end - start)
            changed = True
    if not changed:
        return True
    new_texts = [""] * len(runs)
    for char, index in zip(full, owner, strict=True):
        new_texts[index] += char
    for run, old, new in zip(runs, texts, new_texts, strict=True):
        if old == new:
            continue
        if any(child.tag.rsplit("}", 1)[-1] not in _TEXT_TAGS for child in run._r):
            problems.append(f"{place.where}：“{old}”所在的文字含有图片或域，请删除后重新"
                            "输入")
            return False
    for run, old, new in zip(runs, texts, new_texts, strict=True):
        if old == new:
            continue
        if new:
            run.text = new
        else:
            run._r.getparent().remove(run._r)
    return True


# -- filling -------------------------------------------------------------------------------------
def _list_field(ref: FieldRef) -> tuple[str, str] | None:
    """(list, column) for 【项目.名称】-style fields, else None."""
    for mark in FORM_SEPARATORS:
        head, found, tail = ref.name.partition(mark)
        if found and head in ROW_FIELDS and not ref.has_option:
            return head, tail.strip()
    return None


def _value(ref: FieldRef, context: Context, item: dict[str, str] | None, in_marked_row: bool
           ) -> str | None:
    """The text a field prints (None: not in this pass); raises FieldProblem."""
    listed = _list_field(ref)
    if listed is not None:
        name, column = listed
        if column not in ROW_FIELDS[name]:
            usable = "、".join(f"【{name}.{c}】" for c in ROW_FIELDS[name])
            raise FieldProblem(ref.problem(f"{ref.source}：可用的有 {usable}"))
        if item is None:
            if in_marked_row:
                return None  # filled when the row is repeated
            raise FieldProblem(ref.problem(
                f"{ref.source}只能写在正文表格的一行中（该行按{name}逐条重复）"))
        return item.get(f"{name}.{column}", _NONE)
    if item is not None:
        return None  # filled before the row was copied
    if ref.name in BLOCKS:
        raise FieldProblem(ref.problem(f"Word 模板中不能使用段落块{ref.source}，请改用单个字段"))
    return plain(inline(ref, context))


def _fill(place: _Place, context: Context, problems: list[str], item: dict[str, str] | None,
          in_marked_row: bool = False) -> None:
    """Replace the fields of one paragraph: all but list fields (item None), or only the list
    fields, with `item`'s values."""
    found: list[Problem] = []
    branches = conditions.Branches(context, found)  # 【如果：…】…【否则】…【结束】 in the paragraph
    for run in place.paragraph.runs:
        text = run.text
        if "【" not in text:
            if not branches.printing and text:
                run.text = ""  # inside a branch that does not print
            continue
        pieces: list[str] = []
        last = 0
        for match in FIELD.finditer(text):
            if branches.printing:
                pieces.append(text[last:match.start()])
            last = match.end()
            ref = field_ref(match[1])
            if ref is not None and ref.name in conditions.WORDS and item is None:
                missing = branches.mark(ref)
                if missing is not None:
                    pieces.append(missing.text)
                continue
            if not branches.printing:
                continue
            if ref is None:
                problems.append(f"{place.where}：空的字段【】")
                pieces.append(match[0])
            else:
                try:
                    value = _value(ref, context, item, in_marked_row)
                    pieces.append(match[0] if value is None else value)
                except FieldProblem as exc:
                    problems.append(f"{place.where}：{exc.problem.message}")
                    pieces.append(match[0])
        if branches.printing:
            pieces.append(text[last:])
        new = "".join(pieces)
        if new != text:
            run.text = new
    branches.close("段末")
    problems.extend(f"{place.where}：{problem.message}" for problem in found)


# -- repeating rows ------------------------------------------------------------------------------
def _marked_rows(word: Any, problems: list[str]) -> list[tuple[int, Any]]:
    """Rows of the body's tables holding list fields (found before any row is copied)."""
    marked = []
    for number, table in enumerate(word.tables, start=1):
        for row in table.rows:
            names = {listed[0] for match in FIELD.finditer(_row_text(row))
                     if (ref := field_ref(match[1])) is not None
                     and (listed := _list_field(ref)) is not None}
            if len(names) > 1:
                problems.append(f"表格{number}：同一行不能既写项目又写计划字段")
            elif names:
                marked.append((number, row))
    return marked


def _row_text(row: Any) -> str:
    return "\n".join(p.text for cell in row.cells for p in cell.paragraphs)


def _repeat_row(row: Any, table_number: int, context: Context, problems: list[str]) -> None:
    text = _row_text(row)
    name = next(listed[0] for match in FIELD.finditer(text)
                if (ref := field_ref(match[1])) is not None
                and (listed := _list_field(ref)) is not None)
    items = _items(name, context)
    if not items:
        label = "项目" if name == "项目" else f"{context.period.year + 1}年工作计划事项"
        missing = context.missing_run(f"{context.period.label}的{label}" if name == "项目"
                                      else label).text
        items = [{f"{name}.{column}": missing if index == 0 else _NONE
                  for index, column in enumerate(ROW_FIELDS[name])}]
    from docx.table import _Row

    anchor = row._tr
    for number, item in enumerate(items):
        copied = copy.deepcopy(row._tr)
        anchor.addnext(copied)
        anchor = copied
        new_row = _Row(copied, row._parent)
        for column, cell in enumerate(new_row.cells, start=1):
            for paragraph in cell.paragraphs:
                _fill(_Place(paragraph, f"表格{table_number}第{number + 1}条{name}第{column}列"),
                      context, problems, item)
    row._tr.getparent().remove(row._tr)


def _items(name: str, context: Context) -> list[dict[str, str]]:
    if name == "项目":
        rows = context.ledger.projects.rows(context.period)
        return [{f"项目.{key}": value for key, value in project_values(row, number).items()}
                for number, row in enumerate(rows, start=1)]
    items: list[dict[str, str]] = []
    for section in context.ledger.plans.outline(context.period.year + 1):
        for item in section["items"]:
            items.append({"计划.序号": str(len(items) + 1),
                          "计划.部分": str(section["heading"] or _NONE),
                          "计划.事项": str(item["title"] or _NONE),
                          "计划.内容": str(item["text"] or _NONE)})
    return items
