"""Starter catalogues and templates: how a ledger of another bureau begins.

A starter is data (resources/starters/<name>.json and its template .txt), never a code path per
bureau: which default indicators it keeps (the others are retired, so they never show and its
templates never name them), the indicators it adds (占比 too, by the names of their parts), its
default summary template — stored in the ledger as its own 年度总结, so the ledger prints with
it whatever the bundled one names — and fictional demo figures for each added indicator.

    apply_starter(ledger, "区科技局")   # one audited, undoable step on a new ledger
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.catalogue import unsaved
from core.changes import Change, new_id
from core.errors import InputError

if TYPE_CHECKING:
    from core.catalogue import Indicator
    from core.ledger import Ledger

STARTERS_DIR = Path(__file__).resolve().parent.parent / "resources" / "starters"
DEFAULT_STARTER = "区科工信局"
ORDER = ("区科工信局", "区工信局", "区科技局")
SETTING = "starter"  # which starter a ledger began with


@dataclass(frozen=True)
class DemoSeries:
    """Fictional figures of one added indicator: the three demo years' annual values (oldest
    first), whether the year's figure builds up month by month, the latest year's targets and
    ranks by year."""

    annual: tuple[float, ...]
    cumulative: bool = True
    targets: tuple[float, float] | None = None
    rank: tuple[int, ...] = ()


@dataclass(frozen=True)
class Starter:
    name: str
    bureau: str
    description: str
    keep: tuple[str, ...] | None  # codes of the default indicators kept; None: all of them
    indicators: tuple[dict[str, Any], ...]
    demo: dict[str, DemoSeries] = field(default_factory=dict)
    template: str | None = None  # the 年度总结 text; None: the bundled one


def names() -> list[str]:
    found = {path.stem for path in STARTERS_DIR.glob("*.json")}
    return [n for n in ORDER if n in found] + sorted(found - set(ORDER))


@cache
def starter(name: str) -> Starter:
    path = STARTERS_DIR / f"{name}.json"
    if not path.is_file():
        raise InputError(f"没有名为“{name}”的起步模板（可选：{'、'.join(names())}）")
    data = json.loads(path.read_text(encoding="utf-8"))
    template = data.get("template")
    return Starter(
        name=data["name"], bureau=data["bureau"], description=data.get("description", ""),
        keep=None if data["keep"] == "all" else tuple(data["keep"]),
        indicators=tuple(data["indicators"]),
        demo={key: DemoSeries(tuple(v["annual"]), v.get("cumulative", True),
                              tuple(v["targets"]) if v.get("targets") else None,
                              tuple(v.get("rank", ())))
              for key, v in data.get("demo", {}).items()},
        template=(STARTERS_DIR / template).read_text(encoding="utf-8") if template else None,
    )


def apply_starter(ledger: Ledger, name: str) -> Change:
    """Shape a new ledger as the starter says, in one step. Refused on a ledger that already
    holds figures (a starter is where a ledger begins, not a reset)."""
    from core.report.store import DEFAULT_NAME, check_body

    chosen = starter(name)
    if ledger.scalar("SELECT count(*) FROM indicator_values"):
        raise InputError("起步模板只用于新台账：这个台账已有指标数值")
    catalogue = ledger.catalogue
    retire = [] if chosen.keep is None else [
        i for i in catalogue.all() if i.code is not None and i.code not in chosen.keep]
    known: dict[str, Indicator] = {}
    rows: list[dict[str, Any]] = []
    positions: dict[str, int] = {}
    for definition in chosen.indicators:
        values = catalogue.validated(dict(definition), known=known)
        section = values["section"]
        positions[section] = positions.get(section, 0) + 1
        row = {"id": new_id(), **values, "position": positions[section], "retired": 0,
               "former_names": "[]"}
        known[values["name"]] = unsaved(row["id"], row)
        rows.append(row)
    if chosen.template is not None:
        check_body(chosen.template)
    with ledger.write(f"按“{chosen.name}”起步模板建立指标目录") as writer:
        for indicator in retire:
            writer.update("indicators", indicator.id, {"retired": 1})
        for row in rows:
            writer.insert("indicators", row)
        settings = {"bureau": chosen.bureau, SETTING: chosen.name}
        for key, value in settings.items():
            text = json.dumps(value, ensure_ascii=False)
            if ledger.scalar("SELECT count(*) FROM settings WHERE id = ?", (key,)):
                writer.update("settings", key, {"value": text})
            else:
                writer.insert("settings", {"id": key, "value": text})
        if chosen.template is not None:
            current = ledger.scalar("SELECT id FROM templates WHERE name = ?", (DEFAULT_NAME,))
            if current is None:
                writer.insert("templates", {"name": DEFAULT_NAME, "body": chosen.template,
                                            "charts": "[]"})
            else:
                writer.update("templates", current, {"body": chosen.template})
    return writer.change


def new_ledger(path: str | Path, name: str = DEFAULT_STARTER) -> Ledger:
    """A new, empty ledger at `path` shaped by the starter; refuses an existing file and leaves
    none behind when the starter cannot be applied."""
    from core.errors import BadFileError
    from core.ledger import Ledger

    target = Path(path)
    if target.exists():
        raise BadFileError(f"“{target.name}”已存在，不会覆盖已有文件，请换一个文件名")
    chosen = starter(name)
    ledger = Ledger.open(target)
    try:
        if chosen.name != DEFAULT_STARTER:
            apply_starter(ledger, chosen.name)
    except BaseException:
        ledger.close()
        for leftover in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
        raise
    return ledger
