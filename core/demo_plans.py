"""The demo's work plans (core.demo): sections and items of the latest and the next year,
this year's being 督办 (deadlines, milestones, progress)."""

from __future__ import annotations

from typing import Any

from core.changes import new_id
from core.demo_base import DemoBase


class PlanSeries(DemoBase):
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
