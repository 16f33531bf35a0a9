"""A fictional district's ledger for trying the app, for screenshots and for tests.

星河区 of 江州市 (both invented), three consecutive years so that 同比 and last year's plans
work, every figure of the summary filled for the latest year, and plans for the next year. All
names are made up from neutral syllables. The same `year`, `months` and `seed` always give the
same ledger.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from core.changes import os_user
from core.creditcode import CHARSET, check_character
from core.demo_base import LARGE, NORMAL, DemoSize
from core.demo_figures import FigureSeries
from core.demo_plans import PlanSeries
from core.errors import BadFileError
from core.ledger import Ledger
from core.periods import Period, current_period
from core.registers import REGISTERS
from core.registers import SETTING as COMPLETE_SETTING
from core.report.phrasing import chinese_numeral
from core.starters import DEFAULT_STARTER, apply_starter
from core.starters import starter as load_starter

__all__ = ["CITY", "DISTRICT", "LARGE", "NORMAL", "DemoSize", "ensure_demo_file", "write_demo"]

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


class _Builder(FigureSeries, PlanSeries):
    """The fictional district, table by table, in one transaction."""

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

def ensure_demo_file(path: Path, starter: str = DEFAULT_STARTER) -> Path:
    """Write the demo ledger at `path` unless it exists (the first-run offer of the window)."""
    if not path.exists():
        write_demo(path, starter=starter).close()
    return path
