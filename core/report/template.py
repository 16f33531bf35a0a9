"""The syntax of a summary template: lines of text with 【fields】, read by a small hand parser.

A template is plain text a clerk types in the 总结 tab or in Notepad:

    # 注释行（不打印）
    【区名】科工信局【年份】年工作总结            ← the first line is the title
    一、【年份】年工作完成情况                    ← 一、 starts a level-1 heading
    （一）绩效指标完成情况                        ← （一） starts a level-2 heading
    【期间】，我区现有规上工业企业【规上工业企业数】。   ← any other line is a paragraph
    【图表：亿元项目推进情况】                    ← a field alone on its line may be a block

Templates travel on USB sticks, so nothing in them is ever executed: this module only splits
text into literal pieces and field references (no eval, no template engine, no str.format).
What a field means is decided later against the ledger (core.report.language). Every problem
is reported with its line and column, all of them at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.errors import LedgerError

TITLE, HEADING1, HEADING2, TEXT = "title", "heading1", "heading2", "text"

OPEN, CLOSE = "【", "】"
COMMENT_MARKS = ("#", "＃")
OPTION_MARKS = ("：", ":")
# 一、 and （一） as the clerk types them; the builder renumbers them in order.
HEADING1_MARK = re.compile(r"^[一二三四五六七八九十]{1,3}、")
HEADING2_MARK = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_SPACE = " \t\u3000"


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"模板第{self.line}行第{self.column}列：{self.message}"


class TemplateError(LedgerError):
    """A template that cannot be read; `problems` lists every error with its place."""

    def __init__(self, problems: list[Problem]) -> None:
        ordered = tuple(sorted(problems))
        more = f"（共 {len(ordered)} 处错误）" if len(ordered) > 1 else ""
        super().__init__(f"{ordered[0]}{more}")
        self.problems = ordered


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class FieldRef:
    """What stands between 【 and 】: a name, maybe a form (名称.同比) or an option (图表：名称)."""

    name: str  # before the ：, trimmed
    option: str  # after the ：, trimmed ("" when there is none)
    has_option: bool
    line: int
    column: int  # of the 【, counted from 1

    @property
    def source(self) -> str:
        return f"{OPEN}{self.name}{'：' + self.option if self.has_option else ''}{CLOSE}"

    def problem(self, message: str) -> Problem:
        return Problem(self.line, self.column, message)


Part = Literal | FieldRef


@dataclass(frozen=True)
class Line:
    number: int  # counted from 1, as the editor shows them
    kind: str  # TITLE, HEADING1, HEADING2 or TEXT
    parts: tuple[Part, ...]

    @property
    def lone_field(self) -> FieldRef | None:
        """The field when the line is nothing but one field (a candidate block)."""
        if len(self.parts) == 1 and isinstance(self.parts[0], FieldRef):
            return self.parts[0]
        return None


def split_lines(text: str) -> list[str]:
    """Lines as the editor numbers them (\\r\\n, \\r and \\n all end a line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse(text: str) -> list[Line]:
    """The template's printed lines; raises TemplateError listing every syntax error."""
    lines: list[Line] = []
    problems: list[Problem] = []
    for number, raw in enumerate(split_lines(text), start=1):
        content = raw.strip(_SPACE)
        if not content or content.startswith(COMMENT_MARKS):
            continue
        offset = len(raw) - len(raw.lstrip(_SPACE))  # columns are counted in the raw line
        kind, start = TEXT, 0
        if not lines:
            kind = TITLE
        elif match := HEADING1_MARK.match(content) or HEADING2_MARK.match(content):
            kind = HEADING1 if match.re is HEADING1_MARK else HEADING2
            start = match.end()
            while start < len(content) and content[start] in _SPACE:
                start += 1
        parts = _scan(content, start, number, offset, problems)
        lines.append(Line(number, kind, parts))
    if problems:
        raise TemplateError(problems)
    return lines


def _scan(content: str, start: int, number: int, offset: int, problems: list[Problem]
          ) -> tuple[Part, ...]:
    """Split one line into literal text and field references."""
    parts: list[Part] = []
    literal: list[str] = []
    field_start: int | None = None
    for index in range(start, len(content)):
        char = content[index]
        column = offset + index + 1
        if not _printable(char):
            problems.append(Problem(number, column,
                                    f"含有不可见的控制字符（U+{ord(char):04X}），请删除"))
        elif char in "{}":
            problems.append(Problem(number, column,
                                    f"模板中不能使用“{char}”；字段请写成【名称】"))
        elif char == OPEN:
            if field_start is not None:
                problems.append(Problem(number, offset + field_start + 1,
                                        "“【”没有配对的“】”"))
            if literal:
                parts.append(Literal("".join(literal)))
                literal = []
            field_start = index
        elif char == CLOSE:
            if field_start is None:
                problems.append(Problem(number, column, "多余的“】”，前面缺少“【”"))
                continue
            inside = content[field_start + 1:index]
            reference = _field(inside, number, offset + field_start + 1)
            if reference is None:
                problems.append(Problem(number, offset + field_start + 1, "空的字段【】"))
            else:
                parts.append(reference)
            field_start = None
        elif field_start is None:
            literal.append(char)
    if field_start is not None:
        problems.append(Problem(number, offset + field_start + 1,
                                "“【”没有配对的“】”（字段不能跨行）"))
    if literal:
        parts.append(Literal("".join(literal)))
    return tuple(parts)


def field_ref(inside: str, line: int = 1, column: int = 1) -> FieldRef | None:
    """What stands between 【 and 】 (None when it is empty): for templates that are not typed
    as text, such as a Word file (core.report.docx_template)."""
    return _field(inside, line, column)


def _field(inside: str, line: int, column: int) -> FieldRef | None:
    text = inside.strip(_SPACE)
    if not text:
        return None
    cut = min((text.find(mark) for mark in OPTION_MARKS if mark in text), default=-1)
    if cut < 0:
        return FieldRef(text, "", False, line, column)
    return FieldRef(text[:cut].strip(_SPACE), text[cut + 1:].strip(_SPACE), True, line, column)


def _printable(char: str) -> bool:
    """Characters a document may hold (XML 1.0 allows no control characters, Word neither)."""
    if char == "\t":
        return True
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Zl", "Zp"):
        return False
    return char not in ("\ufffe", "\uffff")
