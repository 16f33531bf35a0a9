"""The demo's indicator figures (core.demo): three years of the default indicators, month by
month, and the starter's own series."""

from __future__ import annotations

import random
from typing import Any

from core.demo_base import DemoBase


class FigureSeries(DemoBase):
    # -- indicator values -----------------------------------------------------------------------
    def _indicator_values(self) -> None:
        rng = self.rng
        ids = {code: row["id"] for code, row in self.indicators.items()}
        rows: list[dict[str, Any]] = []
        # Annual figures of the three years, oldest first; the latest year's last one declines
        # (技术合同交易额) so the summary shows a 下降 as well as growth.
        annual = {
            "above_scale_va_growth": (5.9, 7.4, 6.8),
            "hitech_va_share": (23.41, 24.87, 26.35),
            "resumption_rate": (96.0, 100.0, 100.0),
            "above_scale_output": (486.3, 527.9, 563.4),
            "contest_entries": (118, 127, 136),
            "tech_contract_turnover": (31250.4, 38466.82, 36912.57),
        }
        ranks = {"above_scale_va_growth": (3, 2, 2), "hitech_va_share": (1, 1, 1),
                 "contest_entries": (1, 1, 1)}
        targets = {
            "above_scale_va_growth": ((6.0, 7.0), (6.5, 7.5), (6.5, 7.5)),
            "hitech_va_share": ((23.0, 24.0), (24.0, 25.0), (25.5, 26.5)),
            "above_scale_output": ((470.0, 490.0), (510.0, 530.0), (550.0, 570.0)),
            "tech_contract_turnover": ((30000.0, 33000.0), (36000.0, 40000.0),
                                       (38000.0, 42000.0)),
        }
        offset = len(self.years) - 3
        for index, year in enumerate(self.years):
            slot = max(0, index - offset)
            for month in range(1, self._months_of(year) + 1):
                progress = month / 12
                for code, series in annual.items():
                    if code not in ids:  # retired by the starter
                        continue
                    value = series[slot]
                    if code in ("above_scale_output", "tech_contract_turnover"):
                        value = value * progress * rng.uniform(0.97, 1.03)
                    elif code == "contest_entries":
                        if month < 5:
                            continue
                        value = round(series[slot] * min(1.0, 0.6 + month / 20))
                    elif code == "resumption_rate":
                        value = min(100.0, series[slot] - (3 if month < 3 else 0))
                    else:
                        value = value + rng.uniform(-0.6, 0.6) * (1 - progress)
                    decimals = 2 if code in ("hitech_va_share", "tech_contract_turnover") else 1
                    row: dict[str, Any] = {
                        "indicator_id": ids[code], "year": year, "months": month,
                        "value": round(value, decimals), "estimate": int(
                            year == self.year and month == self.period.months and month < 12),
                    }
                    if code in targets:
                        committed, stretch = targets[code][slot]
                        if code in ("above_scale_output", "tech_contract_turnover"):
                            committed, stretch = committed * progress, stretch * progress
                        row["target_committed"] = round(committed, decimals)
                        row["target_stretch"] = round(stretch, decimals)
                    if code in ranks:
                        row["rank"] = ranks[code][slot]
                        row["rank_scope"] = {"above_scale_va_growth": "城区",
                                             "hitech_va_share": "全市",
                                             "contest_entries": "全省"}[code]
                    if year == self.years[0]:
                        previous = {"above_scale_va_growth": 5.2, "hitech_va_share": 22.06,
                                    "resumption_rate": 95.0, "above_scale_output": 452.1,
                                    "contest_entries": 104, "tech_contract_turnover": 28840.0}
                        if code in ("above_scale_output", "tech_contract_turnover"):
                            row["last_year_value"] = round(previous[code] * progress, decimals)
                        else:
                            row["last_year_value"] = previous[code]
                    rows.append(row)
                for code in (c for c in self.indicators if c.startswith("自定义指标")):
                    rows.append({"indicator_id": ids[code], "year": year, "months": month,
                                 "value": round(rng.uniform(100, 5000) * progress, 1)})
        # The official statistic of 规上工业企业数 differs by one from the register this year:
        # an override the summary's 数据说明 lists.
        derived_count = sum(
            1 for e in self.enterprises
            if e.get("above_scale_since") is not None and e["above_scale_since"] <= self.year
            and (e.get("above_scale_until") is None or e["above_scale_until"] >= self.year)
        )
        if "above_scale_count" in ids:
            rows.append({"indicator_id": ids["above_scale_count"], "year": self.year,
                         "months": self.period.months, "value": float(derived_count + 1),
                         "note": "以统计局反馈口径为准（含一家年中纳统企业）"})
        self._insert("indicator_values", rows)

    def _starter_values(self) -> None:
        """The starter's own indicators, from its demo series (a random stream of their own,
        so the default district stays as it was)."""
        rng = random.Random(self.year * 7 + len(self.starter.demo))
        catalogue = self.ledger.catalogue
        rows: list[dict[str, Any]] = []
        for name, series in self.starter.demo.items():
            indicator = catalogue.find(name)
            if indicator is None:
                continue
            offset = len(self.years) - len(series.annual)
            for index, year in enumerate(self.years):
                slot = min(len(series.annual) - 1, max(0, index - offset))
                for month in range(1, self._months_of(year) + 1):
                    progress = month / 12
                    value = series.annual[slot]
                    if series.cumulative:
                        value = value * progress * rng.uniform(0.97, 1.03)
                    else:
                        value = value * (0.9 + 0.1 * progress)
                    row: dict[str, Any] = {
                        "indicator_id": indicator.id, "year": year, "months": month,
                        "value": round(value, indicator.decimals),
                        "estimate": int(year == self.year and month == self.period.months
                                        and month < 12)}
                    if series.targets is not None and year == self.year:
                        scale = progress if series.cumulative else 1.0
                        row["target_committed"] = round(series.targets[0] * scale,
                                                        indicator.decimals)
                        row["target_stretch"] = round(series.targets[1] * scale,
                                                      indicator.decimals)
                    if series.rank:
                        row["rank"] = series.rank[min(len(series.rank) - 1, slot)]
                        row["rank_scope"] = indicator.rank_scope or "全市"
                    rows.append(row)
        self._insert("indicator_values", rows)
