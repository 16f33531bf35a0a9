"""Field descriptions shared by the domain modules, the window's tables and the Excel importer.

A `Field` knows its Chinese label, how to read what the clerk typed (forgiving) and how to show
a stored value. Parsing raises InputError naming the field; it never guesses silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from core.errors import InputError, LedgerError
from core.kinds import number_text
from core.numbers import fold_width, format_number, normalise, parse_number
from core.text import clean_text

TRUE_WORDS = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "技改", "跟进"}
FALSE_WORDS = {"否", "×", "✗", "n", "no", "false", "0", "无", ""}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}


class BatchError(LedgerError):
    """Several inputs refused at once (a paste, an import); nothing was written.

    `problems` lists (where, message) pairs; `where` is whatever the caller passed (a cell).
    """

    def __init__(self, problems: list[tuple[Any, str]], message: str | None = None) -> None:
        summary = message or f"有 {len(problems)} 处内容不符合要求，未作任何修改"
        super().__init__(summary)
        self.problems = problems


def chinese_numeral(text: str) -> int | None:
    """一 … 九十九 → 1 … 99; None if `text` is not such a numeral."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return value or None


MAX_RANK = 9999  # a place among districts, cities, provinces: never more (and fits SQLite)


def parse_rank(text: str | int | None, *, field: str) -> int | None:
    """'3', '第3', '第三', '第3位', '第一名' → 3 / 1; empty → None; 1 … MAX_RANK."""
    if text is None:
        return None
    if isinstance(text, int) and not isinstance(text, bool):
        number: int | None = text
    else:
        cleaned = normalise(str(text))
        if cleaned == "":
            return None
        core_text = re.sub(r"^第|[位名]$", "", cleaned)
        number = (int(core_text) if core_text.isascii() and core_text.isdigit()
                  and len(core_text) <= 6 else chinese_numeral(core_text))
        if number is None and core_text.isascii() and core_text.isdigit():
            number = MAX_RANK + 1  # a long run of digits: out of range, said so below
        if number is None:
            raise InputError(f"「{field}」的排名应为“3”或“第三”这样的写法，收到“{text}”",
                             field=field)
    if number is None or not 1 <= number <= MAX_RANK:
        raise InputError(f"「{field}」的排名应为 1 到 {MAX_RANK} 之间的整数，收到“{text}”",
                         field=field)
    return number


_DATE = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.年]\s*(?P<m>\d{1,2})\s*(?:[-/.月]\s*(?:(?P<d>\d{1,2})\s*日?)?)?)?$",
    re.ASCII,
)


def parse_date(text: str | date | None, *, field: str) -> str | None:
    """'2025-3-5', '2025/03/05', '2025.3.5', '2025年3月5日', '20250305', '2025-3' → ISO date.

    A date given only to the month is stored as the first of that month.
    """
    if text is None:
        return None
    if isinstance(text, date):
        return _within_years(text, text, field)
    if isinstance(text, str) and len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:  # already as stored (an import of our own export): the common case, made quick
            return _within_years(date.fromisoformat(text), text, field)
        except ValueError:
            pass
    cleaned = fold_width(str(text)).strip()
    if cleaned == "":
        return None
    if re.fullmatch(r"\d{8}", cleaned, re.ASCII):
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    cleaned = re.sub(r"\s+00:00(:00)?$", "", cleaned)  # Excel date cells as text
    match = _DATE.match(cleaned.rstrip("月"))
    if not match or match.group("m") is None:
        raise InputError(
            f"「{field}」应为日期，如 2025-3-15 或 2025年3月，收到“{text}”", field=field
        )
    year, month = int(match.group("y")), int(match.group("m"))
    day = int(match.group("d") or 1)
    try:
        parsed = date(year, month, day)
    except ValueError as exc:
        raise InputError(f"「{field}」不是有效日期，收到“{text}”", field=field) from exc
    return _within_years(parsed, text, field)


def _within_years(day: date, typed: object, field: str) -> str:
    """Every date the ledger stores lies in 1900–2200, however it came (typed, a date cell)."""
    if not 1900 <= day.year <= 2200:
        raise InputError(f"「{field}」的年份应在 1900–2200 之间，收到“{typed}”", field=field)
    return day.isoformat()[:10]


def parse_year(text: str | int | None, *, field: str) -> int | None:
    if text is None:
        return None
    if isinstance(text, int) and not isinstance(text, bool):
        year = text
    else:
        cleaned = normalise(str(text)).removesuffix("年")
        if cleaned == "":
            return None
        if not (cleaned.isascii() and cleaned.isdigit()):
            raise InputError(f"「{field}」应为年份，如 2021，收到“{text}”", field=field)
        year = int(cleaned)
    if not 1900 <= year <= 2200:
        raise InputError(f"「{field}」应为年份，如 2021，收到“{text}”", field=field)
    return year


def parse_bool(text: str | bool | int | None, *, field: str) -> bool:
    if isinstance(text, bool):
        return text
    if text is None:
        return False
    if isinstance(text, int):
        return text != 0
    cleaned = normalise(str(text)).lower()
    if cleaned in TRUE_WORDS:
        return True
    if cleaned in FALSE_WORDS:
        return False
    raise InputError(f"「{field}」应为“是”或“否”，收到“{text}”", field=field)


def parse_year_span(text: str | None, *, field: str) -> tuple[int | None, int | None]:
    """Flag years: '2019' → (2019, None); '2019-2023' → (2019, 2023); '' → (None, None)."""
    if text is None:
        return (None, None)
    cleaned = normalise(str(text)).replace("年", "").replace("—", "-").replace("–", "-")
    cleaned = cleaned.replace("至", "-").replace("~", "-")
    if cleaned in ("", "否", "无"):
        return (None, None)
    parts = cleaned.split("-")
    if len(parts) > 2 or not all(p.isascii() and p.isdigit() and len(p) == 4 for p in parts):
        raise InputError(
            f"「{field}」应填认定年份，如 2021；已不再具备的写 2019-2023，收到“{text}”", field=field
        )
    since = int(parts[0])
    until = int(parts[1]) if len(parts) == 2 else None
    if until is not None and until < since:
        raise InputError(f"「{field}」的结束年份早于起始年份：“{text}”", field=field)
    for year in (since, until):
        if year is not None and not 1900 <= year <= 2200:
            raise InputError(f"「{field}」的年份应在 1900–2200 之间，收到“{text}”", field=field)
    return (since, until)


def format_year_span(since: int | None, until: int | None) -> str:
    if since is None:
        return ""
    return f"{since}" if until is None else f"{since}-{until}"


@dataclass(frozen=True)
class Field:
    """One editable column. `kind` is one of:
    text, number, int, date, year, bool, choice, enterprise (a name resolved by the domain),
    flag (a year span stored in <key>_since/<key>_until).
    """

    key: str
    label: str
    kind: str = "text"
    unit: str = ""
    decimals: int = 0
    choices: tuple[str, ...] = ()
    required: bool = False
    minimum: float | None = None
    width: int = 10  # characters; the window sizes columns from it

    @cached_property
    def _choices_by_form(self) -> dict[str, str]:
        return {normalise(choice): choice for choice in self.choices}

    def parse(self, raw: Any) -> Any:
        """What the clerk typed → the stored value (raises InputError)."""
        kind = self.kind
        if kind == "text" or kind == "enterprise":
            value = clean_text(raw, field=self.label)
            if self.required and not value:
                raise InputError(f"「{self.label}」不能为空", field=self.label)
            return value
        if kind in ("number", "int"):
            number = parse_number(raw, field=self.label, unit=self.unit, integer=kind == "int")
            if number is None:
                if self.required:
                    raise InputError(f"「{self.label}」不能为空", field=self.label)
                return None
            if self.minimum is not None and number < self.minimum:
                raise InputError(
                    f"「{self.label}」不能小于 {format_number(self.minimum, 0)}，收到“{raw}”",
                    field=self.label,
                )
            return int(number) if kind == "int" else number
        if kind == "date":
            day = parse_date(raw, field=self.label)
            if day is None and self.required:
                raise InputError(f"「{self.label}」不能为空", field=self.label)
            return day
        if kind == "year":
            year = parse_year(raw, field=self.label)
            if year is None and self.required:
                raise InputError(f"「{self.label}」不能为空", field=self.label)
            return year
        if kind == "bool":
            return parse_bool(raw, field=self.label)
        if kind == "choice":
            value = normalise(str(raw)) if raw is not None else ""
            if value == "" and not self.required:
                return ""
            choice = self._choices_by_form.get(value)
            if choice is not None:
                return choice
            options = "、".join(c for c in self.choices if c)
            raise InputError(f"「{self.label}」应为 {options} 之一，收到“{raw}”", field=self.label)
        if kind == "flag":
            return parse_year_span(None if raw is None else str(raw), field=self.label)
        raise ValueError(f"unknown field kind {kind}")

    def format(self, value: Any) -> str:
        """A stored value as the clerk reads it in a cell."""
        if value is None:
            return ""
        if self.kind == "number":  # what is stored, never rounded away (core.kinds)
            return number_text(value, self.decimals)
        if self.kind == "int":
            return str(int(value))
        if self.kind == "bool":
            return "是" if value else ""
        if self.kind == "flag":
            since, until = value
            return format_year_span(since, until)
        return str(value)


def field_map(fields: tuple[Field, ...]) -> dict[str, Field]:
    return {f.key: f for f in fields}
