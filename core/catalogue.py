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
    def ratio_parts(self) -> tuple[str, str] | None:
        """(numerator id, denominator id) when this is a 占比 of two indicators (core.ratios)."""
        from core.ratios import parts

        return parts(self.derivation)

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
            "hard_max", "soft_min", "soft_max", "rank_scope", "rank_scopes", "description",
            "numerator", "denominator")
# 占比: the two parts, by name or id; stored as the indicator's derivation (core.ratios).
RATIO_FIELDS = ("numerator", "denominator")


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
            rows = self.ledger.query("SELECT rowid AS seq, * FROM indicators")
            indicators = [Indicator.from_row(r) for r in rows]
            key = section_order([(r["section"], r["seq"]) for r in rows])
            indicators.sort(key=lambda i: (key[i.section], i.position))
            self._snapshot = (generation, indicators, {i.id: i for i in indicators})
        return self._snapshot[1], self._snapshot[2]

    # -- reading ------------------------------------------------------------------------------
    def all(self, *, include_retired: bool = False) -> list[Indicator]:
        indicators, _by_id = self._indicators()
        return [i for i in indicators if include_retired or not i.retired]

    def sections(self) -> list[str]:
        present = {i.section for i in self.all(include_retired=True)}
        key = section_order([(s, 0) for s in (*SECTIONS, *present)])
        return sorted(key, key=key.__getitem__)

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
        fields = self.validated({"name": name, "unit": unit, "decimals": decimals, "kind": kind,
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
        label, fields = self.planned_update(indicator_id, changes)
        with self.ledger.write(label) as writer:
            writer.update("indicators", indicator_id, fields)
        return writer.change

    def current_fields(self, indicator: Indicator) -> dict[str, Any]:
        """The indicator's EDITABLE fields as `update` takes them (占比 parts by id)."""
        fields = {key: getattr(indicator, key) for key in EDITABLE
                  if key not in RATIO_FIELDS and key != "rank_scopes"}
        fields["rank_scopes"] = "、".join(indicator.rank_scopes)
        parts = indicator.ratio_parts or ("", "")
        fields.update(zip(RATIO_FIELDS, parts, strict=True))
        return fields

    def planned_update(self, indicator_id: str, changes: dict[str, Any], *,
                       active: bool = True) -> tuple[str, dict[str, Any]]:
        """What `update` would write (its label and the validated columns), writing nothing.
        `active`: whether it is in use afterwards (a retired one may share an active name)."""
        current = self.get(indicator_id)
        merged = self.current_fields(current)
        if "rank_scope" in changes and "rank_scopes" not in changes:  # a new default scope
            new = str(changes["rank_scope"] or "").strip()
            merged["rank_scopes"] = "、".join(
                [new, *(s for s in current.rank_scopes if s != new)] if new else [])
        merged.update(changes)
        fields = self.validated(merged, exclude_id=indicator_id, active=active)
        if fields["name"] != current.name:
            aliases = [n for n in current.former_names if n != fields["name"]]
            fields["former_names"] = json.dumps([*aliases, current.name], ensure_ascii=False)
            label = f"指标“{current.name}”改名为“{fields['name']}”"
        else:
            label = f"修改指标“{current.name}”"
        return label, fields

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

    # -- several at once (the 指标目录 dialog's selection): each one undoable step -------------
    def retire_many(self, indicator_ids: list[str]) -> Change:
        """停用 every chosen indicator (one that never had data is deleted, as by `retire`)."""
        chosen = [self.get(i) for i in dict.fromkeys(indicator_ids)]
        active = [i for i in chosen if not i.retired]
        if not active:
            raise InputError("所选指标都已停用")
        with self.ledger.write(f"停用 {len(active)} 个指标") as writer:
            for indicator in active:
                if self.has_values(indicator.id) or indicator.code is not None:
                    writer.update("indicators", indicator.id, {"retired": 1})
                else:
                    writer.delete("indicators", indicator.id)
        return writer.change

    def restore_many(self, indicator_ids: list[str]) -> Change:
        """启用 every chosen retired indicator; refused whole when a name is taken."""
        chosen = [self.get(i) for i in dict.fromkeys(indicator_ids)]
        retired = [i for i in chosen if i.retired]
        if not retired:
            raise InputError("所选指标都在使用中")
        names = [i.name for i in retired]
        twice = sorted({n for n in names if names.count(n) > 1})
        taken = [n for n in names if self.find(n) is not None]
        if twice or taken:
            raise InputError(f"已有同名的在用指标：{'、'.join(twice or taken)}，请先改名再恢复")
        with self.ledger.write(f"恢复 {len(retired)} 个指标") as writer:
            for indicator in retired:
                writer.update("indicators", indicator.id, {"retired": 0})
        return writer.change

    def move(self, indicator_ids: list[str], steps: int) -> Change:
        """Move the chosen indicators `steps` places up (negative) or down within their group."""
        chosen = set(indicator_ids)
        if not chosen or steps == 0:
            return Change("无修改")
        by_section: dict[str, list[Indicator]] = {}
        for indicator in self.all(include_retired=True):
            by_section.setdefault(indicator.section, []).append(indicator)
        orders: dict[str, list[str]] = {}
        for section, members in by_section.items():
            ids = [i.id for i in members]
            if not chosen & set(ids):
                continue
            for _ in range(abs(steps)):
                ids = _shift(ids, chosen, up=steps < 0)
            orders[section] = ids
        return self._reorder(orders, "调整指标顺序")

    def reorder(self, section: str, indicator_ids: list[str]) -> Change:
        """Put a group's indicators in the given order (a drag in the list); others keep theirs
        after them."""
        members = [i.id for i in self.all(include_retired=True) if i.section == section]
        wanted = [i for i in indicator_ids if i in members]
        return self._reorder({section: wanted + [i for i in members if i not in wanted]},
                             f"调整“{section}”的指标顺序")

    def _reorder(self, orders: dict[str, list[str]], label: str) -> Change:
        _indicators, by_id = self._indicators()
        with self.ledger.write(label) as writer:
            for ids in orders.values():
                for position, indicator_id in enumerate(ids, start=1):
                    if by_id[indicator_id].position != position:
                        writer.update("indicators", indicator_id, {"position": position})
        return writer.change

    def rename_section(self, old: str, new: str) -> Change:
        """Rename a group for every indicator in it (retired ones too); joining an existing
        group puts them after its own."""
        new = str(new or "").strip()
        if not new:
            raise InputError("分组名称不能为空")
        members = [i for i in self.all(include_retired=True) if i.section == old]
        if not members:
            raise NotFoundError(f"没有名为“{old}”的分组")
        if new == old:
            return Change("无修改")
        start = int(self.ledger.scalar(
            "SELECT coalesce(max(position), 0) FROM indicators WHERE section = ?", (new,)))
        with self.ledger.write(f"分组“{old}”改名为“{new}”") as writer:
            for offset, indicator in enumerate(members, start=1):
                writer.update("indicators", indicator.id,
                              {"section": new, "position": start + offset})
        return writer.change

    def validated(self, fields: dict[str, Any], exclude_id: str | None = None,
                  known: dict[str, Indicator] | None = None, *,
                  active: bool = True) -> dict[str, Any]:
        """The columns to store for `fields` (EDITABLE keys), or InputError saying why not.

        `known` holds indicators not yet stored (a catalogue sheet's earlier rows) by name, for
        a 占比 whose parts come in the same sheet."""
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise InputError(f"指标没有这些属性：{'、'.join(sorted(unknown))}")
        out = dict(fields)
        name = str(out.get("name") or "").strip()
        if not name:
            raise InputError("指标名称不能为空")
        if any(ch in name for ch in "【】{}|"):
            raise InputError("指标名称不能含有 【 】 { } | 这些字符（模板要用）")
        clash = self.find(name) if active else None
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
        self._ratio(out, exclude_id, known or {})
        return out

    def _ratio(self, out: dict[str, Any], exclude_id: str | None,
               known: dict[str, Indicator]) -> None:
        """Turn the 占比 parts (names or ids) into the derivation; refuse what cannot be."""
        from core.ratios import check, ratio_key

        if not any(key in out for key in RATIO_FIELDS):
            return
        given = [str(out.pop(key, "") or "").strip() for key in RATIO_FIELDS]
        current = self.get(exclude_id) if exclude_id is not None else None
        builtin = current is not None and current.derivation is not None and (
            current.ratio_parts is None)
        if not any(given):
            if current is not None and current.ratio_parts is not None:
                out["derivation"] = None
            return
        if builtin:
            raise InputError(f"「{out['name']}」由台账记录自动计算，不能再设为占比")
        if not all(given):
            raise InputError(f"「{out['name']}」的占比要同时填写分子和分母指标")
        parts: list[Indicator] = []
        for ref, what in zip(given, ("分子", "分母"), strict=True):
            found = known.get(ref) or self._any(ref)
            if found is None:
                raise InputError(f"占比的{what}“{ref}”不在指标目录中")
            parts.append(found)
        if out.get("kind") not in NUMERIC_KINDS or out.get("kind") == "rank":
            raise InputError(f"「{out['name']}」是占比，类型应为占比、增速或金额/数量")
        check(self.ledger, exclude_id, parts[0], parts[1])
        out["derivation"] = ratio_key(parts[0].id, parts[1].id)

    def _any(self, ref: str) -> Indicator | None:
        try:
            return self.resolve(ref)
        except NotFoundError:
            return None


def section_order(sections: list[tuple[str, int]]) -> dict[str, tuple[int, int, str]]:
    """Each group's place: the default groups first, then the clerk's (or a starter's) in the
    order they were first made (`sections`: a group with the rowid of one of its indicators),
    and 工作打算 — next year's plans — always last."""
    first: dict[str, int] = {}
    for section, seq in sections:
        first[section] = min(seq, first.get(section, seq))
    defaults = {name: index for index, name in enumerate(SECTIONS)}
    last = SECTIONS[-1]
    return {section: (2, 0, "") if section == last else
            (0, defaults[section], "") if section in defaults else (1, seq, section)
            for section, seq in first.items()}


def _shift(ids: list[str], chosen: set[str], *, up: bool) -> list[str]:
    """One step of moving the chosen ids up or down past their unchosen neighbours."""
    order = list(ids) if up else list(reversed(ids))
    for index in range(1, len(order)):
        if order[index] in chosen and order[index - 1] not in chosen:
            order[index - 1], order[index] = order[index], order[index - 1]
    return order if up else list(reversed(order))


def unsaved(indicator_id: str, values: dict[str, Any]) -> Indicator:
    """An indicator about to be stored (a catalogue sheet's row, a starter's): a later one's
    占比 may name it before it is written."""
    return Indicator(
        id=indicator_id, code=None, name=values["name"], former_names=(),
        unit=values["unit"], decimals=values["decimals"], kind=values["kind"],
        section=values["section"], position=values["position"],
        higher_is_better=bool(values.get("higher_is_better", 1)),
        hard_min=values.get("hard_min"), hard_max=values.get("hard_max"),
        soft_min=values.get("soft_min"), soft_max=values.get("soft_max"),
        derivation=values.get("derivation"), rank_scope=values.get("rank_scope"),
        description=values.get("description", ""), retired=bool(values["retired"]),
        rank_scopes_text=values.get("rank_scopes") or "",
    )
