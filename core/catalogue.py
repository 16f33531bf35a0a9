"""The indicator catalogue: what figures the ledger keeps, in which unit, with which bounds.

Clerks add, rename and retire indicators. An indicator that has values is retired, never
deleted; renaming keeps the old name as an alias so templates that use it keep working.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.changes import Change
from core.default_catalogue import KINDS, SECTIONS
from core.errors import InputError, NeedsReason, NotFoundError
from core.kinds import kind_of
from core.numbers import parse_number

if TYPE_CHECKING:
    from core.ledger import Ledger

NUMERIC_KINDS = ("count", "amount", "rate", "share", "rank")
RANK_SCOPES = ("城区", "全市", "全省", "全国")
_SCOPE_SEPARATORS = "、，,；;/ "


def parse_scopes(raw: Any, *, field: str = "排名范围") -> tuple[str, ...]:
    """"全市、全省" → ("全市", "全省"): the scopes an indicator is ranked in, the default first."""
    text = str(raw or "")
    for separator in _SCOPE_SEPARATORS[1:]:
        text = text.replace(separator, "、")
    scopes: list[str] = []
    for part in (p.strip() for p in text.split("、")):
        if not part or part in scopes:
            continue
        if len(part) > 20 or any(ch.isdigit() for ch in part):
            raise InputError(f"「{field}」“{part}”不是排名范围（如：{'、'.join(RANK_SCOPES)}）")
        scopes.append(part)
    return tuple(scopes)


@dataclass(frozen=True)
class Indicator:
    id: str
    code: str | None
    name: str
    former_names: tuple[str, ...]
    unit: str
    decimals: int
    kind: str
    section: str
    position: int
    higher_is_better: bool
    hard_min: float | None
    hard_max: float | None
    soft_min: float | None
    soft_max: float | None
    derivation: str | None
    rank_scope: str | None
    description: str
    retired: bool
    rank_scopes_text: str = ""  # the catalogue's rank_scopes column: "全市、全省"

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Indicator:
        return cls(
            id=row["id"], code=row["code"], name=row["name"],
            former_names=tuple(json.loads(row["former_names"] or "[]")),
            unit=row["unit"], decimals=row["decimals"], kind=row["kind"],
            section=row["section"], position=row["position"],
            higher_is_better=bool(row["higher_is_better"]),
            hard_min=row["hard_min"], hard_max=row["hard_max"],
            soft_min=row["soft_min"], soft_max=row["soft_max"],
            derivation=row["derivation"], rank_scope=row["rank_scope"],
            description=row["description"], retired=bool(row["retired"]),
            rank_scopes_text=row.get("rank_scopes") or "",
        )

    @property
    def rank_scopes(self) -> tuple[str, ...]:
        """The scopes the indicator is ranked in, the default (its rank_scope) first."""
        scopes = parse_scopes(self.rank_scopes_text) if self.rank_scopes_text else ()
        if self.rank_scope:
            return (self.rank_scope, *(s for s in scopes if s != self.rank_scope))
        return scopes

    @property
    def is_numeric(self) -> bool:
        return kind_of(self).numeric

    @property
    def is_derived(self) -> bool:
        return self.derivation is not None

    @property
    def is_percentage(self) -> bool:
        """Rates and shares compare in 个百分点, not in %."""
        return kind_of(self).percentage

    def parse(self, raw: Any, *, what: str = "") -> float | None:
        """Read a typed value of this indicator in its unit (targets too: `what` names them)."""
        return kind_of(self).parse(self, raw, what=what)

    def check_bounds(self, value: float | None, *, reason: str = "", what: str = "",
                     soft: bool = True) -> None:
        """Hard bounds refuse; soft bounds ask for a reason (NeedsReason) unless one is given."""
        if value is None:
            return
        label = f"「{self.name}{what}」"
        shown = f"{self.format(value)}{self.unit}"
        if self.hard_min is not None and value < self.hard_min:
            limit = f"{self.format(self.hard_min)}{self.unit}"
            raise InputError(f"{label}不能小于 {limit}，收到 {shown}")
        if self.hard_max is not None and value > self.hard_max:
            limit = f"{self.format(self.hard_max)}{self.unit}"
            raise InputError(f"{label}不能大于 {limit}，收到 {shown}")
        low, high = self.soft_min, self.soft_max
        if soft and not reason.strip() and (
            (low is not None and value < low) or (high is not None and value > high)
        ):
            span = f"{self.format(low) if low is not None else '…'}–" \
                   f"{self.format(high) if high is not None else '…'}{self.unit}"
            raise NeedsReason(f"{label}{shown} 超出常见范围（{span}），请注明原因后保存")

    def format(self, value: float | None) -> str:
        """A value as the tab shows it and the summary prints it (core.kinds.number_text)."""
        return kind_of(self).text(self, value)


# What the catalogue dialog may change, with how each is read.
EDITABLE = ("name", "unit", "decimals", "kind", "section", "higher_is_better", "hard_min",
            "hard_max", "soft_min", "soft_max", "rank_scope", "rank_scopes", "description")


class Catalogue:
    """Reads are served from a snapshot of the indicators table, taken again after it was
    written (Ledger.table_generation): a summary or a 指标 tab looks indicators up hundreds of
    times."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._snapshot: tuple[tuple[int, int], list[Indicator], dict[str, Indicator]] | None = None

    def _indicators(self) -> tuple[list[Indicator], dict[str, Indicator]]:
        """Every indicator (retired too) in catalogue order, and the same by id."""
        generation = self.ledger.table_generation("indicators")
        if self._snapshot is None or self._snapshot[0] != generation:
            order = {name: i for i, name in enumerate(SECTIONS)}
            indicators = [Indicator.from_row(r) for r in self.ledger.query(
                "SELECT * FROM indicators")]
            indicators.sort(key=lambda i: (order.get(i.section, len(order)), i.section,
                                           i.position))
            self._snapshot = (generation, indicators, {i.id: i for i in indicators})
        return self._snapshot[1], self._snapshot[2]

    # -- reading ------------------------------------------------------------------------------
    def all(self, *, include_retired: bool = False) -> list[Indicator]:
        indicators, _by_id = self._indicators()
        return [i for i in indicators if include_retired or not i.retired]

    def sections(self) -> list[str]:
        seen = list(SECTIONS)
        for indicator in self.all(include_retired=True):
            if indicator.section not in seen:
                seen.append(indicator.section)
        return seen

    def get(self, indicator_id: str) -> Indicator:
        found = self._indicators()[1].get(indicator_id)
        if found is None:
            raise NotFoundError("该指标已不存在")
        return found

    def by_code(self, code: str) -> Indicator:
        for indicator in self._indicators()[0]:
            if indicator.code == code:
                return indicator
        raise NotFoundError(f"指标目录中没有代码为 {code} 的指标")

    def find(self, name: str) -> Indicator | None:
        """An active indicator by its name or a former name (for templates and imports)."""
        wanted = name.strip()
        active = self.all()
        for indicator in active:
            if indicator.name == wanted or indicator.code == wanted:
                return indicator
        for indicator in active:
            if wanted in indicator.former_names:
                return indicator
        return None

    def resolve(self, ref: str | Indicator) -> Indicator:
        """An indicator from itself, its id, code or name."""
        if isinstance(ref, Indicator):
            return ref
        indicators, by_id = self._indicators()
        found = by_id.get(ref) or next((i for i in indicators if i.code == ref), None)
        found = found or self.find(ref)
        if found is None:
            raise NotFoundError(f"指标目录中没有“{ref}”")
        return found

    def has_values(self, indicator_id: str) -> bool:
        return bool(self.ledger.scalar(
            "SELECT EXISTS (SELECT 1 FROM indicator_values WHERE indicator_id = ?)"
            " OR EXISTS (SELECT 1 FROM plan_items WHERE target_indicator_id = ?)",
            (indicator_id, indicator_id),
        ))

    # -- writing ------------------------------------------------------------------------------
    def add(self, name: str, *, unit: str = "", decimals: int | str = 0, kind: str = "count",
            section: str = "绩效指标", **extra: Any) -> Change:
        fields = self._validated({"name": name, "unit": unit, "decimals": decimals, "kind": kind,
                                  "section": section, **extra})
        position = self.ledger.scalar(
            "SELECT coalesce(max(position), 0) + 1 FROM indicators WHERE section = ?",
            (fields["section"],),
        )
        with self.ledger.write(f"新增指标“{fields['name']}”") as writer:
            writer.insert("indicators", {**fields, "position": position})
        return writer.change

    def update(self, indicator_id: str, **changes: Any) -> Change:
        """Change catalogue fields; a new name keeps the old one as an alias for templates."""
        current = self.get(indicator_id)
        merged = {key: getattr(current, key) for key in EDITABLE if key != "rank_scopes"}
        merged["rank_scopes"] = "、".join(current.rank_scopes)
        if "rank_scope" in changes and "rank_scopes" not in changes:  # a new default scope
            new = str(changes["rank_scope"] or "").strip()
            merged["rank_scopes"] = "、".join(
                [new, *(s for s in current.rank_scopes if s != new)] if new else [])
        merged.update(changes)
        fields = self._validated(merged, exclude_id=indicator_id)
        if fields["name"] != current.name:
            aliases = [n for n in current.former_names if n != fields["name"]]
            fields["former_names"] = json.dumps([*aliases, current.name], ensure_ascii=False)
            label = f"指标“{current.name}”改名为“{fields['name']}”"
        else:
            label = f"修改指标“{current.name}”"
        with self.ledger.write(label) as writer:
            writer.update("indicators", indicator_id, fields)
        return writer.change

    def rename(self, indicator_id: str, new_name: str) -> Change:
        return self.update(indicator_id, name=new_name)

    def retire(self, indicator_id: str) -> Change:
        """Retire an indicator that has data; delete one that never had any."""
        current = self.get(indicator_id)
        if self.has_values(indicator_id) or current.code is not None:
            with self.ledger.write(f"停用指标“{current.name}”") as writer:
                writer.update("indicators", indicator_id, {"retired": 1})
        else:
            with self.ledger.write(f"删除指标“{current.name}”") as writer:
                writer.delete("indicators", indicator_id)
        return writer.change

    def restore(self, indicator_id: str) -> Change:
        current = self.get(indicator_id)
        if self.find(current.name) is not None:
            raise InputError(f"已有名为“{current.name}”的在用指标，请先改名再恢复")
        with self.ledger.write(f"恢复指标“{current.name}”") as writer:
            writer.update("indicators", indicator_id, {"retired": 0})
        return writer.change

    def _validated(self, fields: dict[str, Any], exclude_id: str | None = None) -> dict[str, Any]:
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise InputError(f"指标没有这些属性：{'、'.join(sorted(unknown))}")
        out = dict(fields)
        name = str(out.get("name") or "").strip()
        if not name:
            raise InputError("指标名称不能为空")
        if any(ch in name for ch in "【】{}|"):
            raise InputError("指标名称不能含有 【 】 { } | 这些字符（模板要用）")
        clash = self.find(name)
        if clash is not None and clash.id != exclude_id:
            raise InputError(f"已有名为“{name}”的指标")
        out["name"] = name
        if out.get("kind") not in KINDS:
            raise InputError(f"指标类型应为 {'、'.join(KINDS.values())} 之一")
        try:
            decimals = int(str(out.get("decimals", 0)).strip() or 0)
        except ValueError as exc:
            raise InputError("小数位数应为 0–6 的整数") from exc
        if not 0 <= decimals <= 6:
            raise InputError("小数位数应为 0–6 的整数")
        out["decimals"] = decimals
        out["unit"] = str(out.get("unit") or "").strip()
        out["section"] = str(out.get("section") or "").strip() or "绩效指标"
        if "higher_is_better" in out:
            out["higher_is_better"] = int(bool(out["higher_is_better"]))
        for key, label in (("hard_min", "下限"), ("hard_max", "上限"),
                           ("soft_min", "提醒下限"), ("soft_max", "提醒上限")):
            if key in out:
                out[key] = parse_number(out[key], field=f"{name}{label}", unit=out["unit"])
        for low, high in (("hard_min", "hard_max"), ("soft_min", "soft_max")):
            if out.get(low) is not None and out.get(high) is not None and out[low] > out[high]:
                raise InputError(f"「{name}」的下限大于上限")
        if "rank_scope" in out:
            out["rank_scope"] = str(out["rank_scope"] or "").strip() or None
        if "rank_scope" in out and "rank_scopes" not in out:
            out["rank_scopes"] = out["rank_scope"] or ""
        if "rank_scopes" in out:  # "全市、全省": the first is the default scope
            scopes = parse_scopes(out["rank_scopes"], field=f"{name}排名范围")
            out["rank_scopes"] = "、".join(scopes)
            out["rank_scope"] = scopes[0] if scopes else None
        if "description" in out:
            out["description"] = str(out["description"] or "").strip()
        return out
