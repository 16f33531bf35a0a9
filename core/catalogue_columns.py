"""The columns of the indicator catalogue as a sheet: one table for export, import, the dry run
and the 指标目录 dialog's labels.

A new catalogue attribute is one entry here: its header (and the headers clerks use for it),
how an indicator shows it in a cell, and how a clerk's cell is read back — 是/否/√, full-width
digits, trailing spaces and the kinds' Chinese names are understood; anything else is refused
with the column named.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.default_catalogue import KINDS
from core.errors import InputError
from core.fields import parse_bool

if TYPE_CHECKING:
    from core.catalogue import Indicator

SHEET_TITLE = "指标目录"


def _text(raw: Any) -> str:
    return unicodedata.normalize("NFKC", "" if raw is None else str(raw)).strip()


def _plain(raw: Any) -> str:
    """Text as typed, only the spaces around it taken off (names keep their own characters)."""
    return "" if raw is None else str(raw).strip().strip("\u3000")


def _number_cell(value: float | None) -> Any:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _decimals(raw: Any, header: str) -> int:
    text = _text(raw).removesuffix("位")
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not text.isdigit() or not 0 <= int(text) <= 6:
        raise InputError(f"「{header}」应为 0–6 的整数，收到“{_plain(raw)}”")
    return int(text)


_KIND_WORDS: dict[str, str] = {}
for _key, _label in KINDS.items():
    _KIND_WORDS[_key] = _key
    _KIND_WORDS[_label] = _key
    for _word in _label.split("/"):
        _KIND_WORDS[_word] = _key
_KIND_WORDS.update({"比重": "share", "增幅": "rate", "增长率": "rate", "位次": "rank",
                    "数量": "amount", "金额": "amount", "个数": "count", "数目": "count",
                    "名单": "list", "文本": "text"})


def _kind(raw: Any, header: str) -> str:
    text = _text(raw)
    found = _KIND_WORDS.get(text) or _KIND_WORDS.get(text.lower())
    if found is None:
        raise InputError(f"「{header}」应为 {'、'.join(KINDS.values())} 之一，收到“{_plain(raw)}”")
    return found


def _bool(raw: Any, header: str) -> bool:
    if isinstance(raw, float) and raw in (0.0, 1.0):
        return bool(raw)
    return parse_bool(_text(raw) if isinstance(raw, str) else raw, field=header)


def _bound(raw: Any, header: str) -> Any:
    return _text(raw) if isinstance(raw, str) else raw  # Catalogue reads it (units, 万/亿)


def _yes(value: bool) -> str:
    return "是" if value else "否"


@dataclass(frozen=True)
class CatalogueColumn:
    key: str  # a Catalogue.EDITABLE field, "retired", or "id" (the 记录编号)
    header: str
    cell: Callable[[Indicator, dict[str, str]], Any]  # (indicator, names by id) → the cell
    read: Callable[[Any, str], Any]  # (cell, header) → what Catalogue validates
    synonyms: tuple[str, ...] = ()
    width: int = 10
    hidden: bool = False


def _attribute(key: str) -> Callable[[Indicator, dict[str, str]], Any]:
    return lambda indicator, _names: getattr(indicator, key)


def _part(index: int) -> Callable[[Indicator, dict[str, str]], Any]:
    def cell(indicator: Indicator, names: dict[str, str]) -> Any:
        parts = indicator.ratio_parts
        return names.get(parts[index], "") if parts else ""
    return cell


def _bound_column(key: str, header: str, synonyms: tuple[str, ...]) -> CatalogueColumn:
    return CatalogueColumn(key, header, lambda i, _n: _number_cell(getattr(i, key)), _bound,
                           synonyms, 10)


COLUMNS: tuple[CatalogueColumn, ...] = (
    CatalogueColumn("name", "名称", _attribute("name"), lambda raw, _h: _plain(raw),
                    ("指标名称", "指标", "指标项"), 28),
    CatalogueColumn("unit", "单位", _attribute("unit"), lambda raw, _h: _plain(raw),
                    ("计量单位", "单位名称"), 8),
    CatalogueColumn("decimals", "小数位数", _attribute("decimals"), _decimals,
                    ("小数位", "小数", "保留小数"), 8),
    CatalogueColumn("kind", "类型", lambda i, _n: KINDS[i.kind], _kind,
                    ("指标类型", "类别", "数据类型"), 10),
    CatalogueColumn("section", "分组", _attribute("section"), lambda raw, _h: _plain(raw),
                    ("板块", "分类", "所属板块", "所属分组", "指标分组"), 12),
    CatalogueColumn("higher_is_better", "越大越好", lambda i, _n: _yes(i.higher_is_better),
                    _bool, ("是否越大越好", "正向指标", "是否正向"), 8),
    _bound_column("hard_min", "下限", ("最小值",)),
    _bound_column("hard_max", "上限", ("最大值",)),
    _bound_column("soft_min", "提醒下限", ("常见下限",)),
    _bound_column("soft_max", "提醒上限", ("常见上限",)),
    CatalogueColumn("rank_scopes", "排名范围", lambda i, _n: "、".join(i.rank_scopes),
                    lambda raw, _h: _plain(raw), ("排名口径", "位次范围"), 12),
    CatalogueColumn("numerator", "占比分子", _part(0), lambda raw, _h: _plain(raw),
                    ("分子指标", "分子"), 20),
    CatalogueColumn("denominator", "占比分母", _part(1), lambda raw, _h: _plain(raw),
                    ("分母指标", "分母"), 20),
    CatalogueColumn("description", "说明", _attribute("description"),
                    lambda raw, _h: _plain(raw), ("指标说明", "口径", "统计口径", "备注"), 40),
    CatalogueColumn("retired", "已停用", lambda i, _n: _yes(i.retired), _bool,
                    ("停用", "是否停用"), 8),
    CatalogueColumn("id", "记录编号", _attribute("id"), lambda raw, _h: _plain(raw), (), 38,
                    hidden=True),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = {column.key: column.header for column in COLUMNS}
REQUIRED = ("name",)
