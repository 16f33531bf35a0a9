"""Look-alike stored names: enterprises or projects whose names differ only invisibly.

Ledgers written before names were cleaned at input (core.text) may hold “星河科技有限公司” next to
“星河科技\u200b有限公司”, “ＡＢＣ智造” next to “ABC智造”, a name with a no-break space or a
trailing space: two records the clerk sees as one, the figures split between them.

    groups = find_lookalikes(ledger)              # what `check` and the window list
    change = merge_names(ledger, groups[0], keep=groups[0].names[0].id)   # one undo step

Merging moves every record of the others (projects, services, honours of an enterprise;
investments and plan links of a project) to the one kept, fills the kept one's empty fields from
the others, deletes the others and cleans the kept name — in one audited transaction, so
`ledger.revert(change)` puts everything back. A conflict the clerk must decide (two different
完成投资 of one year, two different credit codes) refuses the merge and names it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.changes import Change, Writer
from core.errors import ConflictError, InputError

if TYPE_CHECKING:
    from core.ledger import Ledger

KINDS = {"enterprises": "企业", "projects": "项目"}
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")
# what a merge moves: table → the column that points at the merged record
_CHILDREN = {
    "enterprises": (("projects", "enterprise_id"), ("services", "enterprise_id"),
                    ("honours", "enterprise_id")),
    "projects": (("project_investments", "project_id"), ("plan_item_projects", "project_id")),
}
_BRACKETS = str.maketrans({"(": "（", ")": "）"})
# columns never copied between the merged records
_OWN = {"id", "name", "created_at", "updated_at"}


def look_key(name: str) -> str:
    """The name as the eye reads it: invisible characters dropped, full-width letters and
    digits as half-width (NFKC), every kind of space (no-break, ideographic …) removed,
    brackets as the full-width ones company names use."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return _SPACES.sub("", text).translate(_BRACKETS)


def oddities(name: str) -> list[str]:
    """What makes `name` differ from how it looks, in the clerk's words."""
    found = []
    if _INVISIBLE.search(name):
        found.append("含不可见字符 " + "、".join(
            sorted({f"U+{ord(c):04X}" for c in _INVISIBLE.findall(name)})))
    if any(unicodedata.east_asian_width(c) == "F" and unicodedata.normalize("NFKC", c) != c
           and unicodedata.normalize("NFKC", c).isalnum() for c in name):
        found.append("含全角字母或数字")
    if "\u00a0" in name or "\u3000" in name:
        found.append("含不换行空格或全角空格")
    if name != name.strip():
        found.append("首尾有空格")
    return found


@dataclass(frozen=True)
class Name:
    id: str
    name: str
    uses: int  # records that point at it


@dataclass(frozen=True)
class Group:
    kind: str  # enterprises | projects
    key: str
    names: tuple[Name, ...]  # the suggested one to keep first

    @property
    def noun(self) -> str:
        return KINDS[self.kind]

    def describe(self) -> str:
        shown = "、".join(self.describe_name(n) for n in self.names)
        return f"{self.noun}名称看起来相同：{shown}"

    @staticmethod
    def describe_name(name: Name, *, short: bool = False) -> str:
        """“星河〈U+200B〉科技”（含不可见字符 U+200B，3 条相关记录）"""
        return _visible(name.name) if short else f"“{_visible(name.name)}”（{_detail(name)}）"


def _visible(name: str) -> str:
    """The name with its invisible characters shown as 〈U+200B〉."""
    shown = _INVISIBLE.sub(lambda m: f"〈U+{ord(m.group()):04X}〉", name)
    return shown.replace("\u00a0", "〈不换行空格〉")


def _detail(name: Name) -> str:
    parts = [*oddities(name.name), f"{name.uses} 条相关记录"]
    return "，".join(parts)


def find_lookalikes(ledger: Ledger) -> list[Group]:
    """Every set of two or more enterprises (or projects) whose names look the same."""
    groups: list[Group] = []
    for kind in KINDS:
        by_key: dict[str, list[Name]] = {}
        for row in ledger.query(f"SELECT id, name FROM {kind} ORDER BY name, id"):
            by_key.setdefault(look_key(row["name"]), []).append(
                Name(row["id"], row["name"], _uses(ledger, kind, row["id"])))
        for key, names in sorted(by_key.items()):
            if len(names) > 1:
                # keep first: the cleanest name, then the one most records point at
                ordered = sorted(names, key=lambda n: (len(oddities(n.name)), -n.uses, n.name))
                groups.append(Group(kind, key, tuple(ordered)))
    return groups


def _uses(ledger: Ledger, kind: str, row_id: str) -> int:
    return sum(int(ledger.scalar(f"SELECT count(*) FROM {table} WHERE {column} = ?", (row_id,)))
               for table, column in _CHILDREN[kind])


def merge_names(ledger: Ledger, group: Group, *, keep: str) -> Change:
    """Merge every record of `group` into the one with id `keep` (see the module's text)."""
    ids = [n.id for n in group.names]
    if keep not in ids:
        raise InputError("要保留的名称不在这一组中")
    ledger.require_writable()
    current = {g.key: g for g in find_lookalikes(ledger) if g.kind == group.kind}
    if group.key not in current or {n.id for n in current[group.key].names} != set(ids):
        raise ConflictError("检查之后台账又有修改，请重新检查后再合并")
    kept_name = next(n.name for n in group.names if n.id == keep)
    clean = _clean(group.kind, kept_name)
    others = [i for i in ids if i != keep]
    with ledger.write(f"合并{group.noun}“{clean}”的 {len(ids)} 个相同名称") as writer:
        kept = writer.require(group.kind, keep)
        for other_id in others:
            other = writer.require(group.kind, other_id)
            fill = _fill(group, kept, other)
            _move_children(ledger, writer, group.kind, other_id, keep)
            writer.delete(group.kind, other_id)
            if fill:
                writer.update(group.kind, keep, fill)
                kept.update(fill)
        if clean != kept_name:
            writer.update(group.kind, keep, {"name": clean})
    return writer.change


def _clean(kind: str, name: str) -> str:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", name)).strip()
    text = text.replace("\u00a0", " ")
    if kind == "enterprises":
        from core.enterprises import clean_enterprise_name

        return clean_enterprise_name(text)
    return text


def _fill(group: Group, kept: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The kept record's empty fields filled from `other`; a field both hold differently
    stays as kept — except a credit code, which names an enterprise: refused then."""
    fill = {}
    for column, value in other.items():
        if column in _OWN or value in (None, ""):
            continue
        mine = kept.get(column)
        if mine in (None, ""):
            fill[column] = value
        elif column == "credit_code" and mine != value:
            raise ConflictError(
                f"“{_visible(kept['name'])}”与“{_visible(other['name'])}”的统一社会信用代码不同"
                f"（{mine}、{value}），可能不是同一家企业：请先核对改正后再合并")
    return fill


def _move_children(ledger: Ledger, writer: Writer, kind: str, source: str, target: str) -> None:
    if kind == "enterprises":
        # the credit code moves with `_fill`: free it first (it is unique)
        if ledger.scalar("SELECT credit_code FROM enterprises WHERE id = ?", (source,)):
            writer.update("enterprises", source, {"credit_code": None})
    for table, column in _CHILDREN[kind]:
        for row in ledger.query(f"SELECT * FROM {table} WHERE {column} = ?", (source,)):
            twin = _twin(ledger, table, column, target, row)
            if twin is None:
                writer.update(table, row["id"], {column: target})
            elif _same_content(twin, row, column):
                writer.delete(table, row["id"])  # already there (the same honour, year …)
            else:
                raise ConflictError(_conflict(ledger, table, twin, row))


def _twin(ledger: Ledger, table: str, column: str, target: str,
          row: dict[str, Any]) -> dict[str, Any] | None:
    """The target's record that `row` would duplicate (or collide with), if any."""
    match = {"project_investments": ("year",), "plan_item_projects": ("item_id",),
             "honours": ("name", "category", "year")}.get(table)
    if match is None:
        return None
    where = " AND ".join(f"{c} = :{c}" for c in match)
    found = ledger.query(f"SELECT * FROM {table} WHERE {column} = :target AND {where}",
                         {"target": target, **{c: row[c] for c in match}})
    return found[0] if found else None


def _same_content(a: dict[str, Any], b: dict[str, Any], column: str) -> bool:
    skip = _OWN | {column, "position"}
    return all(a[k] == b[k] for k in a if k not in skip)


def _conflict(ledger: Ledger, table: str, kept: dict[str, Any], other: dict[str, Any]) -> str:
    if table == "project_investments":
        return (f"两个项目都填了 {kept['year']} 年完成投资，数额不同（{kept['amount']:g}、"
                f"{other['amount']:g} 亿元）：请先在项目表中核对，删去错误的一个后再合并")
    return f"两条“{other.get('name', '')}”记录内容不同：请先核对后再合并"
