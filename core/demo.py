"""A fictional district's ledger for trying the app, for screenshots and for tests.

星河区 of 江州市 (both invented), three consecutive years so that 同比 and last year's plans
work, every figure of the summary filled for the latest year, and plans for the next year. All
names are made up from neutral syllables. The same `year`, `months` and `seed` always give the
same ledger.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from core.changes import new_id, now_text, os_user
from core.creditcode import CHARSET, check_character
from core.errors import BadFileError
from core.ledger import Ledger
from core.periods import Period, current_period
from core.registers import REGISTERS
from core.registers import SETTING as COMPLETE_SETTING
from core.report.phrasing import chinese_numeral
from core.starters import DEFAULT_STARTER, Starter, apply_starter
from core.starters import starter as load_starter

DISTRICT = "星河区"
CITY = "江州市"

_CORE_WORDS = (
    "瑞丰", "恒拓", "鼎新", "华璟", "科维", "启明", "远航", "中澜", "博越", "嘉禾", "锐驰", "天衡",
    "泓源", "凯锋", "德润", "信泰", "昊宇", "明澈", "云帆", "朗睿", "星拓", "铭川", "汇智", "九章",
    "青岚", "聚力", "弘毅", "卓远", "晟达", "澄江", "广沐", "振华", "同泽", "正元", "恒昌", "宏图",
)
# (trade in the name, 行业 in the register, typical project)
_TRADES = (
    ("精密机械", "装备制造", "精密零部件智能化生产线技术改造"),
    ("电气", "输变电装备", "智能配电设备扩产"),
    ("新材料", "新材料", "高性能复合材料生产基地"),
    ("电子科技", "电子信息", "新型电子元器件产业化"),
    ("生物医药", "生物医药", "中药提取车间GMP改造"),
    ("智能装备", "装备制造", "智能装备研发及制造基地"),
    ("输变电设备", "输变电装备", "特高压配套设备制造"),
    ("环保科技", "节能环保", "固废资源化利用"),
    ("食品", "食品加工", "绿色食品精深加工园"),
    ("软件", "软件信息", "工业互联网平台建设"),
    ("数据科技", "软件信息", "数据中心及灾备中心"),
    ("汽车零部件", "汽车制造", "新能源汽车零部件数字化车间"),
)
_CATEGORIES_PER_YEAR = (
    ("双创大赛推荐", "省级", "省创新创业大赛推荐参赛"),
    ("双创大赛推荐", "省级", "省创新创业大赛推荐参赛"),
    ("双创大赛推荐", "省级", "省创新创业大赛推荐参赛"),
    ("众创空间", "省级", "省级众创空间"),
    ("重大新产品", "省级", "省重大新产品创新项目"),
    ("质量奖", "省级", "省长质量奖"),
    ("科技奖", "省级", "省科技进步奖二等奖"),
    ("表彰", "市级", "市优秀民营企业"),
)


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


def write_demo(path: str | Path, *, period: Period | None = None, seed: int = 2021,
               size: DemoSize = NORMAL, starter: str = DEFAULT_STARTER) -> Ledger:
    """Create a new ledger at `path` filled with the fictional district, shaped by a starter
    (core.starters: its catalogue, template and demo figures). Refuses existing files."""
    target = Path(path)
    if target.exists():
        raise BadFileError(f"“{target.name}”已存在，演示数据不会覆盖已有文件，请换一个文件名")
    chosen = load_starter(starter)  # an unknown name is refused before a file is made
    ledger = Ledger.open(target)
    try:
        if chosen.name != DEFAULT_STARTER:
            apply_starter(ledger, chosen.name)
        _Builder(ledger, period or current_period(), random.Random(seed), size, chosen).build()
    except BaseException:
        ledger.close()
        for leftover in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
        raise
    return ledger


class _Builder:
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

    def build(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._settings()
            self._extra_indicators()
            self._enterprises()
            self._honours()
            self._projects()
            self._services()
            self._indicator_values()
            self._starter_values()
            self._plans()
            self.conn.execute(
                "INSERT INTO audit (at, user, label, action, tbl, row_id, field, old, new)"
                " VALUES (?, ?, '生成演示数据', 'insert', '*', '*', '*', NULL, ?)",
                (self.stamp, os_user(), json.dumps({"period": self.period.label},
                                                   ensure_ascii=False)),
            )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        finally:
            self.ledger.invalidate()  # written around Ledger.write: caches must look again

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

    # -- settings and catalogue ---------------------------------------------------------------
    def _settings(self) -> None:
        # The fictional district keeps every register whole: marked complete for each year.
        complete = {register: self.years for register in REGISTERS}
        bureau = f"{DISTRICT}{self.starter.bureau.removeprefix('区')}"
        for key, value in (("district", DISTRICT), ("bureau", bureau),
                           ("city", CITY), (COMPLETE_SETTING, complete)):
            self.conn.execute(
                "INSERT INTO settings (id, value, created_at, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False), self.stamp, self.stamp),
            )

    def _extra_indicators(self) -> None:
        """Clerk-defined indicators (only for the large benchmark ledger)."""
        rows = []
        for number in range(1, self.size.extra_indicators + 1):
            rows.append({"name": f"自定义指标{number:03d}", "unit": "万元", "decimals": 1,
                         "kind": "amount", "section": "绩效指标", "position": 100 + number,
                         "former_names": "[]"})
        self._insert("indicators", rows)
        if rows:
            self.indicators.update({r["name"]: r for r in rows})

    # -- enterprises --------------------------------------------------------------------------
    def _credit_code(self) -> str:
        body = "91" + "439901" + "".join(self.rng.choice(CHARSET) for _ in range(9))
        return body + check_character(body)

    def _enterprises(self) -> None:
        rng, year = self.rng, self.year
        names: set[str] = set()
        rows: list[dict[str, Any]] = []
        count = self.size.enterprises
        while len(rows) < count:
            word = rng.choice(_CORE_WORDS)
            trade, industry, _project = rng.choice(_TRADES)
            prefix = rng.choice(("江州", "星河", "", "", ""))
            suffix = rng.choice(("有限公司", "有限公司", "股份有限公司"))
            name = f"{prefix}{word}{trade}{suffix}"
            if name in names:
                name = f"{prefix}{word}{trade}（{DISTRICT}）{suffix}"
                if name in names:
                    continue
            names.add(name)
            index = len(rows)
            row: dict[str, Any] = {
                "name": name, "industry": industry, "note": "",
                "credit_code": self._credit_code() if rng.random() < 0.85 else None,
            }
            share = index / count
            # 规上: ~30 % of the register, a few newly above scale each year, one dropped out.
            if share < 0.30:
                row["above_scale_since"] = rng.randrange(year - 14, year - 2)
            elif share < 0.33:
                row["above_scale_since"] = year - 1
            elif share < 0.36:
                row["above_scale_since"] = year
            elif share < 0.37:
                row["above_scale_since"], row["above_scale_until"] = year - 8, year - 2
            if share < 0.22 or 0.40 <= share < 0.46:
                row["hitech_since"] = rng.choice((year - 5, year - 3, year - 2, year - 1, year))
            if share < 0.50:
                row["tech_sme_since"] = rng.choice((year - 2, year - 1, year))
            if index in (1, 4):
                row["little_giant_since"] = year
            elif index in (7,):
                row["little_giant_since"] = year - 1
            if share < 0.93:
                row["cloud_since"] = year if share < 0.60 else year - 1
            if 0.10 <= share < 0.45:
                row["platform_since"] = year if share < 0.26 else year - 1
            rows.append(row)
        self._insert("enterprises", rows)
        self.enterprises = rows

    def _honours(self) -> None:
        rows = []
        pool = self.enterprises[:60]
        for offset, year in enumerate(reversed(self.years)):
            picks = self.rng.sample(pool, len(_CATEGORIES_PER_YEAR))
            for enterprise, (category, level, name) in zip(picks, _CATEGORIES_PER_YEAR,
                                                            strict=True):
                title = name
                if category == "众创空间":
                    title = f"{enterprise['name'][:4]}创客空间（{name}）"
                rows.append({"enterprise_id": enterprise["id"], "name": title,
                             "category": category, "level": level, "year": year,
                             "note": "" if offset else "演示数据"})
        self._insert("honours", rows)

    # -- projects -----------------------------------------------------------------------------
    def _projects(self) -> None:
        rng, year = self.rng, self.year
        months = self.period.months
        plan = (
            # (how many, signed year, start year or None, completion year or None, yi project)
            (7, year - 1, year, None, True),           # 新开工 this year
            (12, year - 3, year - 2, None, True),      # 续建: started before, still running
            (5, year - 2, year - 1, year, True),       # 竣工投产 this year
            (4, year, None, None, True),               # 签约 this year, not started
            (4, year - 3, year - 2, year - 1, True),   # completed last year
            (5, year - 1, year, None, False),          # smaller projects
            (3, None, None, None, True),               # 谋划 (pipeline)
        )
        scale = max(1, self.size.projects // sum(p[0] for p in plan))
        rows: list[dict[str, Any]] = []
        used_names: set[str] = set()
        investments: list[dict[str, Any]] = []
        for count, signed_year, start_year, done_year, yi in plan:
            for _ in range(count * scale):
                enterprise = rng.choice(self.enterprises[: max(10, len(self.enterprises) // 2)])
                trade = next((t for t in _TRADES if t[0] in enterprise["name"]),
                             rng.choice(_TRADES))
                short = enterprise["name"].removeprefix("江州").removeprefix("星河")[:2]
                name = f"{short}{trade[2]}项目"
                phase = 2
                while name in used_names:
                    name = f"{short}{trade[2]}（{chinese_numeral(phase)}期）项目"
                    phase += 1
                used_names.add(name)
                total = round(rng.uniform(1.2, 12.0), 2) if yi else round(rng.uniform(0.2, 0.9), 2)
                limit = months if start_year == year or done_year == year else 12
                row = {
                    "name": name, "enterprise_id": enterprise["id"],
                    "signed_date": self._date(
                        signed_year, last_month=months if signed_year == year else 12
                    ) if signed_year else None,
                    "start_date": None, "completion_date": None,
                    "total_investment": total, "tech_renovation": int(rng.random() < 0.35),
                    "industry_chain": trade[1], "note": "",
                }
                if start_year:
                    start = self._date(start_year, last_month=limit if start_year == year else 12)
                    if row["signed_date"] and start < row["signed_date"]:
                        start = row["signed_date"]
                    row["start_date"] = start
                if done_year:
                    done = self._date(done_year, last_month=limit if done_year == year else 12)
                    row["completion_date"] = max(done, row["start_date"])
                rows.append(row)
        self._insert("projects", rows)
        self.projects = rows
        for row in rows:
            if not row["start_date"]:
                continue
            first = int(row["start_date"][:4])
            last = int(row["completion_date"][:4]) if row["completion_date"] else year
            remaining = row["total_investment"]
            for invest_year in range(first, last + 1):
                part = round(remaining * rng.uniform(0.25, 0.45), 2)
                remaining -= part
                investments.append({"project_id": row["id"], "year": invest_year, "amount": part})
        self._insert("project_investments", investments)

    # -- services -----------------------------------------------------------------------------
    def _services(self) -> None:
        rng = self.rng
        rows: list[dict[str, Any]] = []
        mix = (  # (kind, share of records, (low, high) amount, unit)
            ("走访", 0.45, None, ""),
            ("解决问题", 0.20, None, ""),
            ("融资贷款", 0.08, (300, 6000), "万元"),
            ("减免", 0.07, (5, 60), "万元"),
            ("税收减免", 0.06, (200, 3000), "万元"),
            ("政策资金", 0.05, (50, 600), "万元"),
            ("研发奖补", 0.05, (10, 80), "万元"),
            ("物资", 0.02, (20000, 120000), "个"),
            ("其他", 0.02, None, ""),
        )
        topics = ("用工招聘", "用地审批", "电力增容", "融资对接", "技术改造申报", "物流运输",
                  "原材料供应", "环评手续", "人才公寓", "出口订单", "高企申报辅导", "数字化诊断")
        for year in self.years:
            last_month = self._months_of(year)
            total = self.size.services_per_year
            for kind, share, span, unit in mix:
                for _ in range(max(2, round(total * share))):
                    enterprise = rng.choice(self.enterprises)
                    topic = rng.choice(topics)
                    row: dict[str, Any] = {
                        "date": self._date(year, last_month=last_month),
                        "enterprise_id": enterprise["id"], "kind": kind,
                        "person_times": 0, "problems": 0, "amount": None, "amount_unit": "",
                        "status": "办结", "description": "",
                    }
                    if kind == "走访":
                        row["person_times"] = rng.randrange(3, 14)
                        row["problems"] = rng.choice((0, 0, 1, 2))
                        row["description"] = f"走访了解企业生产经营情况，协调{topic}"
                    elif kind == "解决问题":
                        row["problems"] = rng.randrange(1, 4)
                        row["person_times"] = rng.randrange(1, 4)
                        row["description"] = f"协调解决{topic}问题"
                        row["status"] = "办结" if rng.random() < 0.85 else "跟进中"
                    elif span is not None:
                        low, high = span
                        digits = 0 if unit == "个" else 1
                        row["amount"] = float(round(rng.uniform(low, high), digits))
                        row["amount_unit"] = unit
                        row["description"] = {
                            "融资贷款": "对接银行发放流动资金贷款",
                            "减免": "落实就业、社保、租金等减免政策",
                            "税收减免": "办理缓减免及抵退税",
                            "政策资金": "争取上级产业发展专项资金",
                            "研发奖补": "兑现省级研发费用奖补",
                            "物资": "协调采购防疫口罩",
                        }[kind]
                    else:
                        row["description"] = f"组织{topic}专题培训"
                        row["person_times"] = rng.randrange(1, 5)
                    rows.append(row)
        self._insert("services", rows)

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

    # -- plans --------------------------------------------------------------------------------
    def _plans(self) -> None:
        ids = {code: row["id"] for code, row in self.indicators.items()}
        running = [p for p in self.projects if p["start_date"] and not p["completion_date"]]
        signed = [p for p in self.projects if p["signed_date"] and not p["start_date"]]
        first_plan_year = self.year + 2 - self.size.plan_years
        tracked = 0
        for plan_year in range(first_plan_year, self.year + 2):
            sections: list[tuple[str, str, list[tuple[str, str, str | None, Any]]]] = [
                ("坚持创新驱动，建设省级创新型区",
                 "巩固企业创新主体地位，用好省级创新型区建设政策，实施高新技术企业倍增、研发投入"
                 "引导和科技人才引育计划，提升中小企业公共服务平台能级，推动创新链与产业链深度融合。",
                 [("实施高新技术企业倍增计划", "新培育一批高新技术企业和科技型中小企业",
                   None, None),
                  ("提升孵化载体能级", "推动众创空间和科技企业孵化器提质扩容", None, None),
                  ("深化产学研合作", "组织企业与高校院所开展技术对接", None, None)]),
                ("做强产业项目，推动工业稳增长",
                 "坚持项目为王，以龙头企业带动产业链，以平台建设聚集创新资源，以产业招商补齐短板，"
                 "千方百计扩大有效投资，推动工业经济量质齐升。",
                 [("保持规模工业增加值平稳增长", "规模工业增加值增速保持在合理区间",
                   "above_scale_va_growth", 7.0 if plan_year == self.year + 1 else 6.5),
                  ("推进重点续建项目", "加快在建亿元项目建设进度，力争早竣工早投产",
                   None, "running"),
                  ("推动签约项目落地开工", "完善项目要素保障，推动签约项目尽快开工",
                   None, "signed")]),
                ("优化企业服务，培育产业集群",
                 "落实领导联点服务企业制度，完善问题交办和跟踪督办机制，推动产业链上下游协同，"
                 "积极申报省级先进制造业集群。",
                 [("常态化走访服务企业", "建立问题清单，限时办结、跟踪回访", None, None),
                  ("筹建产业集群服务中心", "围绕输变电装备产业链开展集群培育", None, None)]),
            ]
            for s_index, (heading, narrative, items) in enumerate(sections, start=1):
                items = items + [(f"专项工作{n}", "按年度计划推进", None, None)
                                 for n in range(1, self.size.extra_plan_items + 1)]
                section_id = new_id()
                self._insert("plan_sections", [{"id": section_id, "year": plan_year,
                                                "position": s_index, "heading": heading,
                                                "narrative": narrative}])
                for i_index, (title, text, target_code, extra) in enumerate(items, start=1):
                    item_id = new_id()
                    result = ""
                    if plan_year <= self.year:  # earlier plans are checked off
                        result = self.rng.choice(("已完成", "已完成", "推进中"))
                    row: dict[str, Any] = {
                        "id": item_id, "section_id": section_id, "position": i_index,
                        "title": title, "text": text, "owner": self.rng.choice(
                            ("工业股", "科技股", "综合股", "企业服务中心")),
                        "deadline": f"{plan_year}-12-31", "result_status": result,
                        "result_note": "按计划推进" if result else "",
                        "target_indicator_id": None, "target_value": None,
                    }
                    if isinstance(target_code, str) and target_code in ids:
                        row["target_indicator_id"] = ids[target_code]
                        row["target_value"] = extra
                    children: list[tuple[str, list[dict[str, Any]]]] = []
                    if plan_year == self.year:  # this year's plan is being 督办
                        children = self._supervised(row, tracked)
                        tracked += 1
                    self._insert("plan_items", [row])
                    for table, child_rows in children:
                        self._insert(table, child_rows)
                    linked = running if extra == "running" else signed if extra == "signed" else []
                    links = [{"item_id": item_id, "project_id": p["id"], "position": n}
                             for n, p in enumerate(linked[:3], start=1)]
                    self._insert("plan_item_projects", links)


    # Deadlines, milestones and progress of this year's items, in turn: done on time, done
    # late, overdue, due soon (early December), under way, under way. No rng: the rest of the
    # demo stays as it was.
    _TRACKS = (("06-30", "06-20", ("03-31", "03-25")), ("09-30", "10-15", ("06-30", "07-10")),
               ("10-31", None, ("08-31", "08-28")), ("12-05", None, ("09-30", "09-26")),
               ("12-31", None, ("12-20", None)), ("12-31", None, ("06-30", "06-18")))

    def _supervised(self, row: dict[str, Any], number: int
                    ) -> list[tuple[str, list[dict[str, Any]]]]:
        year = self.year
        deadline, done, (due, reached) = self._TRACKS[number % len(self._TRACKS)]
        row["deadline"] = f"{year}-{deadline}"
        row["done_on"] = f"{year}-{done}" if done else None
        row["result_status"] = "已完成" if done else "推进中"
        row["result_note"] = "按期完成" if done and done <= deadline else (
            "逾期完成" if done else "正在推进")
        others = [o for o in ("综合股", "科技股", "企业服务中心") if o != row["owner"]]
        row["co_offices"] = "、".join(others[:number % 3])
        return [("plan_milestones", [{
            "item_id": row["id"], "position": 1, "what": "制定工作方案并分解任务",
            "due": f"{year}-{due}", "done_on": f"{year}-{reached}" if reached else None}]),
            ("plan_progress", [
                {"item_id": row["id"], "date": f"{year}-03-{10 + number % 15:02d}",
                 "text": "召开专题推进会，明确责任分工和时间节点", "who": "张三"},
                {"item_id": row["id"], "date": f"{year}-08-{5 + number % 20:02d}",
                 "text": "赴企业现场调度，协调解决用地和资金问题", "who": "李四"}])]


def ensure_demo_file(path: Path, starter: str = DEFAULT_STARTER) -> Path:
    """Write the demo ledger at `path` unless it exists (the first-run offer of the window)."""
    if not path.exists():
        write_demo(path, starter=starter).close()
    return path
