"""Reporting periods: a year plus cumulative months 1–N (annual = 1–12)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from core import clock
from core.errors import InputError


@dataclass(frozen=True, order=True)
class Period:
    year: int
    months: int = 12

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2200:
            raise InputError(f"年份应在 1900–2200 之间，收到 {self.year}")
        if not 1 <= self.months <= 12:
            raise InputError(f"月份应在 1–12 之间，收到 {self.months}")

    @property
    def annual(self) -> bool:
        return self.months == 12

    @property
    def label(self) -> str:
        """How the period reads in a sentence: 2026年1-11月, 2026年1月, 2026年."""
        if self.months == 12:
            return f"{self.year}年"
        if self.months == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1-{self.months}月"

    @property
    def months_label(self) -> str:
        if self.months == 12:
            return "全年"
        return "1月" if self.months == 1 else f"1-{self.months}月"

    @property
    def start(self) -> str:
        return f"{self.year:04d}-01-01"

    @property
    def end(self) -> str:
        following = date(self.year + self.months // 12, self.months % 12 + 1, 1)
        return (following - timedelta(days=1)).isoformat()

    def previous_year(self) -> Period:
        return Period(self.year - 1, self.months)

    def shifted(self, years: int) -> Period:
        return Period(self.year + years, self.months)


def current_period(today: date | None = None) -> Period:
    """The period a clerk drafts the summary for: this year to this month."""
    today = today or clock.today()
    return Period(today.year, today.month)


_MONTHS = re.compile(r"^(?:1\s*[-~至到]\s*)?(\d{1,2})\s*月?$")


_CUMULATIVE = re.compile(r"^1\s*[-~至到]\s*(\d{1,2})\s*月?$")


def parse_cumulative(text: str) -> int:
    """A period as a statistics sheet names it: '1-5月', '全年', '1月' → N of months 1–N.

    A month alone ('5月', '5') is refused: it may be the single month or 1-5月 cumulative, and
    the two are different figures — the clerk is asked which, never guessed for.
    """
    cleaned = unicodedata.normalize("NFKC", str(text)).strip().replace("—", "-").replace("–", "-")
    if cleaned in ("全年", "年度", "1-12月", "1-12"):
        return 12
    if cleaned in ("1月", "1"):
        return 1
    match = _CUMULATIVE.match(cleaned)
    if match and 1 <= int(match.group(1)) <= 12:
        return int(match.group(1))
    single = _MONTHS.match(cleaned)
    if single and 1 <= int(single.group(1)) <= 12:
        n = int(single.group(1))
        raise InputError(f"「期间」“{text}”是{n}月当月还是1-{n}月累计？台账按累计期间记录："
                         f"累计请写作“1-{n}月”，当月数不能作为累计数导入")
    raise InputError(f"「期间」应写作 1-N月（累计）或“全年”，收到“{text}”")


def parse_months(text: str) -> int:
    """'1-11', '1-11月', '11', '全年' → N of cumulative months 1–N."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("—", "-").replace("–", "-")
    if cleaned in ("全年", "年度", ""):
        return 12
    match = _MONTHS.match(cleaned)
    if not match or not 1 <= int(match.group(1)) <= 12:
        raise InputError(f"月份范围应写作 1-N（N 为 1–12），收到“{text}”")
    return int(match.group(1))


# Periods a template may name beside the one it is printed for (【名称.全年】, 【名称.1-6月】 …).
NAMED_PERIODS = {"全年": 12, "年度": 12, "上半年": 6, "一季度": 3, "前三季度": 9}
# Spans that are not cumulative (core.metrics.Metrics.single): months first…last alone.
SINGLE_SPANS = {"二季度": (4, 6), "三季度": (7, 9), "四季度": (10, 12), "下半年": (7, 12)}
CURRENT_MONTH = ("当月", "本月")  # the single month the summary is printed for
_SINGLE_MONTH = re.compile(r"^(\d{1,2})\s*月$")


def single_span(word: str, current: Period) -> tuple[int, int, str] | None:
    """The months a non-cumulative period word names, seen from `current`, and how it reads:
    当月/本月 → (5, 5, "5月") printing 1-5月; 上月 → (4, 4, "4月") (None for 1月: raises);
    5月 → (5, 5, "5月"); 二季度 → (4, 6, "二季度"); 下半年 → (7, 12, "下半年").
    None when `word` is no such word (a cumulative one: named_period)."""
    cleaned = unicodedata.normalize("NFKC", word).strip()
    if cleaned in CURRENT_MONTH:
        month = current.months
    elif cleaned == "上月":
        if current.months == 1:
            raise InputError("打印1月时没有“上月”（上年12月不在本年台账中）")
        month = current.months - 1
    elif cleaned in SINGLE_SPANS:
        first, last = SINGLE_SPANS[cleaned]
        return first, last, cleaned
    elif (match := _SINGLE_MONTH.match(cleaned)) and 2 <= int(match.group(1)) <= 12:
        month = int(match.group(1))
    else:
        return None
    return month, month, f"{month}月"


def is_period_word(word: str) -> bool:
    cleaned = unicodedata.normalize("NFKC", word).strip()
    return (word in NAMED_PERIODS or word == "上期" or cleaned in CURRENT_MONTH
            or cleaned == "上月" or cleaned in SINGLE_SPANS
            or _SINGLE_MONTH.match(cleaned) is not None
            or _CUMULATIVE.match(cleaned) is not None)


def named_period(word: str, current: Period) -> Period | None:
    """The period `word` names, seen from `current`: 全年, 上半年, 一季度, 前三季度, 1-N月 of the
    same year, 上期 (the previous cumulative period: 1-7月 when printing 1-8月; None for 1月).
    A single month or quarter is no cumulative period: single_span reads it."""
    if word in NAMED_PERIODS:
        return Period(current.year, NAMED_PERIODS[word])
    if word == "上期":
        return Period(current.year, current.months - 1) if current.months > 1 else None
    if word.strip() == "1月":
        return Period(current.year, 1)
    if single_span(word, current) is not None:
        raise InputError(f"“{word}”是单月或单季，不是累计期间")
    return Period(current.year, parse_cumulative(word))
