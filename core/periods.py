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


def parse_months(text: str) -> int:
    """'1-11', '1-11月', '11', '全年' → N of cumulative months 1–N."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("—", "-").replace("–", "-")
    if cleaned in ("全年", "年度", ""):
        return 12
    match = _MONTHS.match(cleaned)
    if not match or not 1 <= int(match.group(1)) <= 12:
        raise InputError(f"月份范围应写作 1-N（N 为 1–12），收到“{text}”")
    return int(match.group(1))
