"""What every part of the demo builder shares (core.demo): its sizes, the ledger and random
stream it writes with, and the bulk insert."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core.changes import new_id, now_text
from core.ledger import Ledger
from core.periods import Period
from core.starters import Starter


@dataclass(frozen=True)
class DemoSize:
    enterprises: int = 180
    projects: int = 40
    services_per_year: int = 150
    extra_indicators: int = 0
    years: int = 3
    plan_years: int = 2  # plans for the latest year (checked off) and the next one
    extra_plan_items: int = 0  # more items per plan section (large ledger)


NORMAL = DemoSize()
# The benchmark ledger: ten years of a busy district.
LARGE = DemoSize(enterprises=2000, projects=5000, services_per_year=5000, extra_indicators=264,
                 years=10, plan_years=11, extra_plan_items=13)


class DemoBase:
    def __init__(self, ledger: Ledger, period: Period, rng: random.Random, size: DemoSize,
                 starter: Starter) -> None:
        self.ledger = ledger
        self.starter = starter
        self.conn = ledger.conn
        self.period = period
        self.rng = rng
        self.size = size
        self.year = period.year
        self.years = list(range(self.year - size.years + 1, self.year + 1))
        self.stamp = now_text()
        self.enterprises: list[dict[str, Any]] = []
        self.projects: list[dict[str, Any]] = []
        # the default indicators the starter keeps (a retired one gets no demo figures)
        self.indicators = {r["code"]: r for r in ledger.query(
            "SELECT id, code, name FROM indicators WHERE code IS NOT NULL AND retired = 0")}

    # -- helpers ------------------------------------------------------------------------------
    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Bulk insert; rows with the same keys go in one executemany (defaults for the rest)."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:
            row.setdefault("id", new_id())
            groups.setdefault(tuple(row), []).append(row)
        for keys, members in groups.items():
            columns = [*keys, "created_at", "updated_at"]
            marks = ", ".join("?" for _ in columns)
            self.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [[*(row[k] for k in keys), self.stamp, self.stamp] for row in members],
            )

    def _date(self, year: int, *, last_month: int = 12) -> str:
        start = date(year, 1, 1)
        end = date(year, last_month, 28)
        return (start + timedelta(days=self.rng.randrange((end - start).days + 1))).isoformat()

    def _months_of(self, year: int) -> int:
        return self.period.months if year == self.year else 12
