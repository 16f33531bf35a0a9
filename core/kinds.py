"""One home per indicator kind: how a figure of that kind is read, shown, compared and exported.

The 指标 tab, the summary's fields and tables, the charts, the Excel export and the importer all
ask the indicator's `Kind` instead of branching on `indicator.kind` themselves, so a figure
reads the same wherever it appears:

    kind = kind_of(indicator)
    kind.parse(indicator, "5000万")          → 0.5 (an indicator kept in 亿元)
    kind.text(indicator, 12.5)              → "12.5" (what is stored, never rounded away)
    kind.versus_last_year(figure).words     → 增长5.9% / 提高0.5个百分点 / 增加66家 / 持平
    kind.completion(figure).words           → 101.2% (counts, amounts) / 高于目标3.0个百分点 (rates)

Shown numbers follow one rule (`number_text`): the indicator's decimals, or more when the stored
value has more, so the clerk always sees what is stored and the summary prints the same text.
Computed figures (from records, growth rates, completion) are rounded once, here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from core.errors import InputError
from core.numbers import MAX_DECIMALS, format_number, parse_decimal, parse_number

if TYPE_CHECKING:
    from core.catalogue import Indicator
    from core.metrics import Figure

GROWTH_DECIMALS = 1  # 同比增长5.9%, 完成率101.2%
RANK_MAX = 10_000  # no scope has more members than this: a longer number is a typing slip

# The value fields of an indicator (core.metrics.VALUE_FIELDS) that hold numbers of its unit.
NUMERIC_FIELDS = ("value", "target_committed", "target_stretch", "last_year_value",
                  "month_value", "forecast")
# The statistics bureau's growth rate (统计局公布增速, in %): above −100 (nothing falls by more
# than all of it), and no more than this; a longer number is a typing slip.
GROWTH_MAX = 100_000.0


def decimals_of(value: float) -> int:
    """How many decimals a stored value has (float noise below 10⁻⁶ ignored)."""
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-MAX_DECIMALS),
                                                  ROUND_HALF_UP).normalize()
    exponent = exact.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def number_text(value: float | None, decimals: int, *, thousands: bool = False) -> str:
    """A stored number as the clerk reads it: `decimals` places, more if the value has more."""
    if value is None:
        return ""
    return format_number(value, max(decimals, decimals_of(value)), thousands=thousands)


def rounded(value: float, decimals: int) -> float:
    """A computed value rounded as it is shown (四舍五入 on the decimal digits)."""
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals),
                                                       ROUND_HALF_UP)) + 0.0


def _is_zero(value: float, decimals: int) -> bool:
    return rounded(abs(value), decimals) == 0


@dataclass(frozen=True)
class Verdict:
    """A comparison in words and as the number behind them (rounded as shown)."""

    words: str  # 增长5.9% / 提高0.5个百分点 / 增加66家 / 持平 / 高于目标3.0个百分点 / 101.2%
    amount: float | None  # the number the words print (signed): 5.9, 0.5, 66, 101.2
    unit: str  # "%", "个百分点" or the indicator's unit
    good: bool | None = None  # good news (green) / bad news (red) / neither

    @property
    def level(self) -> bool:
        """持平: a change that rounds to nothing at the decimals shown."""
        return self.amount == 0


def growth_words(percent: float, decimals: int = GROWTH_DECIMALS) -> str:
    """A growth rate in words: 增长5.9% / 下降2.7% / 持平."""
    if _is_zero(percent, decimals):
        return "持平"
    return f"{'增长' if percent > 0 else '下降'}{format_number(abs(percent), decimals)}%"


def points_words(difference: float, decimals: int) -> str:
    """A change of a rate or share: 提高0.52个百分点 / 回落0.6个百分点 / 持平."""
    if _is_zero(difference, decimals):
        return "持平"
    word = "提高" if difference > 0 else "回落"
    return f"{word}{format_number(abs(difference), decimals)}个百分点"


def versus_last_year_words(words: str) -> str:
    """同比 in front of a change, or 与上年同期持平."""
    return "与上年同期持平" if words == "持平" else f"同比{words}"


def rate_change_words(now: float, before: float, decimals: int, since: str) -> str:
    """How a growth rate moved since an earlier period, as bulletins word it:
    增速较1-7月提高0.3个百分点 / 回落…; both negative: 降幅较1-7月收窄0.5个百分点 / 扩大…;
    from a fall to a rise: 较1-7月提高1.2个百分点，由降转增 (and 由增转降);
    unchanged: 与1-7月持平."""
    difference = rounded(now - before, decimals)
    if difference == 0:
        return f"与{since}持平"
    size = f"{format_number(abs(difference), decimals)}个百分点"
    if now < 0 and before < 0:
        return f"降幅较{since}{'收窄' if difference > 0 else '扩大'}{size}"
    words = f"较{since}{'提高' if difference > 0 else '回落'}{size}"
    if before < 0 < now:
        return f"{words}，由降转增"
    if before > 0 > now:
        return f"{words}，由增转降"
    return f"增速{words}" if now > 0 and before > 0 else words


def streak_words(rates: list[float | None]) -> str | None:
    """连续N个月增长: `rates` from the latest period backwards (1-8月, 1-7月 …). None when the
    latest is unknown. 连续8个月保持正增长 / 实现正增长 / 连续3个月下降 / 与上年同期持平."""
    if not rates or rates[0] is None:
        return None
    sign = (rates[0] > 0) - (rates[0] < 0)
    count = 0
    for rate in rates:
        if rate is None or (rate > 0) - (rate < 0) != sign:
            break
        count += 1
    if sign == 0:
        return "与上年同期持平"
    if sign > 0:
        return f"连续{count}个月保持正增长" if count > 1 else "实现正增长"
    return f"连续{count}个月下降" if count > 1 else "出现下降"


def place_words(now: int | None, before: int | None, since: str) -> str | None:
    """位次较1-7月提升2位 / 下降1位 / 与1-7月持平 (a smaller number is a better place)."""
    if now is None or before is None:
        return None
    moved = before - now
    if moved == 0:
        return f"位次与{since}持平"
    return f"位次较{since}{'提升' if moved > 0 else '下降'}{abs(moved)}位"


def pull_words(part_now: float, part_before: float, whole_before: float, decimals: int = 1
               ) -> str | None:
    """拉动: a part's contribution to the whole's growth, in 个百分点:
    (part now − part last year) ÷ whole last year × 100 → 拉动全区增长2.3个百分点."""
    if whole_before == 0:
        return None
    points = rounded((part_now - part_before) / abs(whole_before) * 100, decimals)
    if points == 0:
        return "对增长的拉动持平"
    word = "拉动" if points > 0 else "下拉"
    return f"{word}增长{format_number(abs(points), decimals)}个百分点"


def all_words(verdicts: list[Verdict | None]) -> str | None:
    """均: every item of a list moved the same way — 均实现增长 / 均有所下降; None otherwise."""
    if not verdicts or any(v is None for v in verdicts):
        return None
    amounts = [v.amount for v in verdicts if v is not None]
    if all(a is not None and a > 0 for a in amounts):
        return "均实现增长"
    if all(a is not None and a < 0 for a in amounts):
        return "均有所下降"
    return None


def reference_words(gap: float, decimals: int, unit: str, name: str) -> str:
    """高于全市平均0.8个百分点 / 低于全省平均12.3% / 与全市平均持平 (gap already rounded)."""
    if _is_zero(gap, decimals):
        return f"与{name}持平"
    return f"{'高于' if gap > 0 else '低于'}{name}{format_number(abs(gap), decimals)}{unit}"


def _gap_verdict(gap: float, decimals: int, unit: str, name: str, indicator: Indicator
                 ) -> Verdict:
    level = _is_zero(gap, decimals)
    return Verdict(reference_words(gap, decimals, unit, name), 0.0 if level else gap, unit,
                   _good(gap, indicator, level))


def parse_other_ranks(indicator: Indicator, raw: Any) -> dict[str, int]:
    """其他排名: "全省第12、全国第30" → {"全省": 12, "全国": 30}; only scopes the catalogue names
    for the indicator (its rank_scopes), never its default one (that is the 排名 column)."""
    from core.fields import parse_rank

    label = f"{indicator.name}其他排名"
    scopes = indicator.rank_scopes
    out: dict[str, int] = {}
    for scope, number in split_pairs(raw, field=label, example="全省第12、全国第30",
                                     marker="第"):
        if scopes and scope == scopes[0]:
            raise InputError(f"「{label}」：{scope}是默认排名范围，请填在“排名”一栏", field=label)
        if scope not in scopes[1:]:
            named = "、".join(scopes[1:]) or "（无）"
            raise InputError(f"「{indicator.name}」的其他排名范围为 {named}，没有“{scope}”；"
                             "可在指标目录中增加", field=label)
        rank = parse_rank(number, field=f"{indicator.name}{scope}排名")
        if rank is not None:
            out[scope] = rank
    return out


def other_ranks_text(ranks: dict[str, int]) -> str:
    """What parse_other_ranks reads back: 全省第12、全国第30."""
    return "、".join(f"{scope}第{rank}" for scope, rank in ranks.items())


def decode_pairs(text: str | None) -> dict[str, Any]:
    """A stored JSON object (other ranks, reference values) → dict; '' is none."""
    if not text:
        return {}
    try:
        loaded = json.loads(text)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def encode_pairs(pairs: dict[str, Any]) -> str:
    return json.dumps(pairs, ensure_ascii=False) if pairs else ""


_PAIR_SEPARATORS = re.compile(r"[、，,；;\n]+")
_PAIR = re.compile(r"^\s*(?P<name>[^\d+\-−.．]+?)\s*[:：=]?\s*(?P<number>[-+−]?[\d.．].*)$")


def split_pairs(raw: Any, *, field: str, example: str, marker: str = ""
                ) -> list[tuple[str, str]]:
    """"全省第12、全国第三" (marker 第) / "全市平均6.1；全省平均5.8" → [(名称, 数字部分)]."""
    pairs: list[tuple[str, str]] = []
    for part in _PAIR_SEPARATORS.split(unicodedata.normalize("NFKC", str(raw or ""))):
        if not part.strip():
            continue
        if marker and marker in part:
            name, number = (p.strip() for p in part.split(marker, 1))
            match = None if not name or not number else _PAIR.match(f"{name}0")
        else:
            match = _PAIR.match(part.strip())
            name, number = (("", "") if match is None else
                            (match.group("name").strip(), match.group("number").strip()))
        if match is None:
            raise InputError(f"「{field}」应写作“{example}”这样的“名称+数字”，收到“{part.strip()}”",
                             field=field)
        if len(name) > 20:
            raise InputError(f"「{field}」中的名称“{name}”过长", field=field)
        if name in (n for n, _ in pairs):
            raise InputError(f"「{field}」中“{name}”写了两次", field=field)
        pairs.append((name, number))
    return pairs


def _good(difference: float, indicator: Indicator, level: bool) -> bool | None:
    if level:
        return None
    return (difference > 0) == indicator.higher_is_better


class Kind:
    """The rules of one kind of indicator (the base class: a number in the indicator's unit)."""

    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    numeric: ClassVar[bool] = True
    integer: ClassVar[bool] = False
    percentage: ClassVar[bool] = False  # compared in 个百分点
    # Whether the figure adds up through the year and is paced against the calendar (序时进度,
    # core.pacing); a rate or a share is compared with its target directly.
    paced: ClassVar[bool] = True
    # Which value fields of the 指标 tab the clerk may type into for this kind.
    fields: ClassVar[frozenset[str]] = frozenset(
        {"value", "target_committed", "target_stretch", "last_year_value", "rank",
         "rank_scope", "note", "follow_up", "estimate", "reason", "month_value", "forecast",
         "official_growth", "other_ranks", "refs"})

    # -- reading what the clerk typed -----------------------------------------------------------
    def parse(self, indicator: Indicator, raw: Any, *, what: str = "") -> float | None:
        """A typed value of this indicator (or of its target, `what`) in its unit."""
        label = f"{indicator.name}{what}"
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            # A number cell of a sheet: binary noise (0.1 + 0.2) goes, 6 decimals stay.
            number = parse_number(raw, field=label, integer=self.integer)
            return None if number is None else rounded(number, MAX_DECIMALS)
        if raw is None:
            return None
        exact = parse_decimal(str(raw), field=label, unit=indicator.unit, integer=self.integer)
        if exact is None:
            return None
        places = exact.normalize().as_tuple().exponent
        if isinstance(places, int) and -places > MAX_DECIMALS:
            raise InputError(f"「{label}」最多保留 {MAX_DECIMALS} 位小数"
                             f"（{indicator.unit or '本栏'}），收到“{str(raw).strip()}”",
                             field=label)
        return float(exact)

    def editable(self, field_name: str) -> bool:
        return field_name in self.fields

    def parse_growth(self, indicator: Indicator, raw: Any) -> float | None:
        """The statistics bureau's growth rate for this figure, in % ("6.5", "6.5%", "-2.1")."""
        label = f"{indicator.name}公布增速"
        if "official_growth" not in self.fields:
            raise InputError(f"「{indicator.name}」是{self.label}，本身按百分点比较，"
                             "没有另行公布的增速", field=label)
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            number = parse_number(raw, field=label)
            number = None if number is None else rounded(number, MAX_DECIMALS)
        else:
            exact = None if raw is None else parse_decimal(str(raw), field=label, unit="%")
            places = None if exact is None else exact.normalize().as_tuple().exponent
            if isinstance(places, int) and -places > MAX_DECIMALS:
                raise InputError(f"「{label}」最多保留 {MAX_DECIMALS} 位小数，收到“{raw}”",
                                 field=label)
            number = None if exact is None else float(exact)
        if number is not None and not -100 < number <= GROWTH_MAX:
            raise InputError(f"「{label}」应大于 -100%（下降不会超过全部），收到“{raw}”",
                             field=label)
        return number

    def parse_references(self, indicator: Indicator, raw: Any) -> dict[str, float]:
        """参照值: "全市平均6.1、全省平均5.8" → {"全市平均": 6.1, …}, each in the indicator's
        unit and kind (so 5000万 reads as 0.5 for a figure kept in 亿元)."""
        label = f"{indicator.name}参照值"
        if "refs" not in self.fields:
            raise InputError(f"「{indicator.name}」是{self.label}，没有参照值", field=label)
        out: dict[str, float] = {}
        for name, number in split_pairs(raw, field=label, example="全市平均6.1、全省平均5.8"):
            value = self.parse(indicator, number, what=name)
            if value is not None:
                out[name] = value
        return out

    def references_text(self, indicator: Indicator, refs: dict[str, float]) -> str:
        """What parse_references reads back: 全市平均6.1、全省平均5.8."""
        return "、".join(f"{name}{self.text(indicator, value)}" for name, value in refs.items())

    def versus_reference(self, figure: Figure, name: str, decimals: int | None = None
                         ) -> Verdict | None:
        """比全市平均: 高于全市平均12.3% (counts, amounts: the gap as a % of the reference) /
        与全市平均持平; None when the value or the reference is missing, or the reference is 0."""
        value, reference = figure.value, figure.reference(name)
        if value is None or reference is None or reference == 0:
            return None
        places = GROWTH_DECIMALS if decimals is None else decimals
        percent = rounded((value - reference) / abs(reference) * 100, places)
        return _gap_verdict(percent, places, "%", name, figure.indicator)

    # -- showing --------------------------------------------------------------------------------
    def text(self, indicator: Indicator, value: float | None) -> str:
        """The number as the tab shows it and the summary prints it (no unit)."""
        return number_text(value, indicator.decimals)

    def with_unit(self, indicator: Indicator, value: float, unit: str | None = None) -> str:
        """66家, 6.8%, 167.02亿元 — a figure inside a sentence."""
        return f"{self.text(indicator, value)}{indicator.unit if unit is None else unit}"

    def derived(self, indicator: Indicator, value: float) -> float:
        """A value computed from the records, rounded as the indicator is kept."""
        return rounded(value, indicator.decimals)

    def difference(self, indicator: Indicator, later: float, earlier: float) -> float:
        """A single month or quarter from two cumulative values (1-6月 less 1-3月), rounded to
        the decimals of the two numbers."""
        places = max([indicator.decimals, decimals_of(later), decimals_of(earlier)])
        return rounded(later - earlier, places)

    def excel_decimals(self, indicator: Indicator, value: float | None) -> int:
        return indicator.decimals if value is None else max(indicator.decimals,
                                                            decimals_of(value))

    # -- comparing ------------------------------------------------------------------------------
    def change_decimals(self, figure: Figure) -> int:
        """Decimals of an absolute change: those of the two numbers compared."""
        indicator = figure.indicator
        return max([indicator.decimals, *(decimals_of(v) for v in (figure.value, figure.last_year)
                                         if v is not None)])

    def versus_last_year(self, figure: Figure, decimals: int | None = None) -> Verdict | None:
        """同比 as printed everywhere: the statistics bureau's official growth rate when one was
        entered for the figure, else the one worked out from the two values (computed_versus).
        This is the one place that decides; the summary, charts, Excel and the tab call it.
        `decimals` (a template's number style, 【名称.同比：2位小数】) overrides the usual ones."""
        official = self.official_versus(figure, decimals)
        return official if official is not None else self.computed_versus(figure, decimals)

    def official_versus(self, figure: Figure, decimals: int | None = None) -> Verdict | None:
        growth = figure.official_growth
        if growth is None or "official_growth" not in self.fields:
            return None
        places = max(GROWTH_DECIMALS, decimals_of(growth)) if decimals is None else decimals
        amount = rounded(growth, places)
        return Verdict(growth_words(amount, places), amount, "%",
                       _good(amount, figure.indicator, _is_zero(amount, places)))

    def computed_versus(self, figure: Figure, decimals: int | None = None) -> Verdict | None:
        """同比 worked out: growth in % over last year's value; an absolute change when that
        was 0."""
        value, last = figure.value, figure.last_year
        if value is None or last is None:
            return None
        indicator = figure.indicator
        if last == 0:
            places = self.change_decimals(figure) if decimals is None else decimals
            difference = rounded(value - last, places)
            if difference == 0:
                return Verdict("持平", 0.0, indicator.unit)
            word = "增加" if difference > 0 else "减少"
            return Verdict(f"{word}{format_number(abs(difference), places)}{indicator.unit}",
                           difference, indicator.unit, _good(difference, indicator, False))
        places = GROWTH_DECIMALS if decimals is None else decimals
        percent = rounded((value - last) / abs(last) * 100, places)
        return Verdict(growth_words(percent, places), percent, "%",
                       _good(percent, indicator, percent == 0))

    def completion(self, figure: Figure, target: float | None, decimals: int | None = None
                   ) -> Verdict | None:
        """完成目标: the share of the target reached, for a target above 0."""
        value = figure.value
        if value is None or target is None or target <= 0:
            return None
        places = GROWTH_DECIMALS if decimals is None else decimals
        ratio = rounded(value / target * 100, places)
        return Verdict(f"{format_number(ratio, places)}%", ratio, "%",
                       (ratio >= 100) == figure.indicator.higher_is_better)

    @property
    def completion_is_ratio(self) -> bool:
        """Whether completion reads as a % of the target (drawn against a 100 % line)."""
        return True


class Count(Kind):
    key, label, integer = "count", "计数", True


class Amount(Kind):
    key, label = "amount", "金额/数量"


class Rate(Kind):
    """A growth rate (%): compared in 个百分点; against its target by the gap."""

    key, label, percentage, paced = "rate", "增速", True, False
    fields = Kind.fields - {"official_growth"}

    def change_decimals(self, figure: Figure) -> int:
        return max(super().change_decimals(figure), 1)

    def versus_reference(self, figure: Figure, name: str, decimals: int | None = None
                         ) -> Verdict | None:
        """比全市平均 of a rate or share: 高于全市平均0.8个百分点 / 低于… / 与全市平均持平."""
        value, reference = figure.value, figure.reference(name)
        if value is None or reference is None:
            return None
        places = (max(figure.indicator.decimals, decimals_of(value), decimals_of(reference), 1)
                  if decimals is None else decimals)
        return _gap_verdict(rounded(value - reference, places), places, "个百分点", name,
                            figure.indicator)

    def computed_versus(self, figure: Figure, decimals: int | None = None) -> Verdict | None:
        value, last = figure.value, figure.last_year
        if value is None or last is None:
            return None
        places = self.change_decimals(figure) if decimals is None else decimals
        difference = rounded(value - last, places)
        return Verdict(points_words(difference, places), difference, "个百分点",
                       _good(difference, figure.indicator, difference == 0))

    def completion(self, figure: Figure, target: float | None, decimals: int | None = None
                   ) -> Verdict | None:
        """A rate against its target is a gap in 个百分点, never a ratio of rates."""
        value = figure.value
        if value is None or target is None:
            return None
        indicator = figure.indicator
        places = (max(indicator.decimals, decimals_of(value), decimals_of(target), 1)
                  if decimals is None else decimals)
        gap = rounded(value - target, places)
        if gap == 0:
            return Verdict("达到目标", 0.0, "个百分点", True)
        word = "高于" if gap > 0 else "低于"
        return Verdict(f"{word}目标{format_number(abs(gap), places)}个百分点", gap, "个百分点",
                       (gap > 0) == indicator.higher_is_better)

    @property
    def completion_is_ratio(self) -> bool:
        return False

    def own_growth(self, figure: Figure) -> str | None:
        """The rate itself read as a change (【增速.增减】): 增长6.8% / 下降1.2%."""
        if figure.value is None:
            return None
        return growth_words(figure.value, max(figure.indicator.decimals,
                                              decimals_of(figure.value)))


class Share(Rate):
    key, label = "share", "占比"

    def own_growth(self, figure: Figure) -> str | None:
        return None


class Rank(Kind):
    """A position (第3): an integer from 1 up; a change reads 提升/下降 N位."""

    key, label, integer, paced = "rank", "排名", True, False
    fields = Kind.fields - {"official_growth", "refs"}

    def parse(self, indicator: Indicator, raw: Any, *, what: str = "") -> float | None:
        from core.fields import parse_rank

        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, float):
            raise InputError(f"「{indicator.name}{what}」应为整数，收到“{raw}”")
        number = parse_rank(raw, field=f"{indicator.name}{what}")
        return None if number is None else float(number)

    def versus_reference(self, figure: Figure, name: str, decimals: int | None = None
                         ) -> Verdict | None:
        return None

    def computed_versus(self, figure: Figure, decimals: int | None = None) -> Verdict | None:
        value, last = figure.value, figure.last_year
        if value is None or last is None:
            return None
        places = int(last - value)  # a smaller number is a better place
        if places == 0:
            return Verdict("位次持平", 0.0, "位")
        word = "提升" if places > 0 else "下降"
        return Verdict(f"位次{word}{abs(places)}位", float(places), "位", places > 0)

    def completion(self, figure: Figure, target: float | None, decimals: int | None = None
                   ) -> Verdict | None:
        value = figure.value
        if value is None or target is None:
            return None
        if value <= target:
            return Verdict("达到目标", 0.0, "位", True)
        return Verdict(f"差目标{int(value - target)}位", float(target - value), "位", False)

    @property
    def completion_is_ratio(self) -> bool:
        return False


class Text(Kind):
    """A sentence the clerk writes (文字指标): printed as it is."""

    key, label, numeric, paced = "text", "文字", False, False
    fields = frozenset({"value", "note", "follow_up"})

    def parse(self, indicator: Indicator, raw: Any, *, what: str = "") -> float | None:
        raise InputError(f"「{indicator.name}」为文字指标，请填写文字内容")

    def computed_versus(self, figure: Figure, decimals: int | None = None) -> Verdict | None:
        return None

    def versus_reference(self, figure: Figure, name: str, decimals: int | None = None
                         ) -> Verdict | None:
        return None

    def completion(self, figure: Figure, target: float | None, decimals: int | None = None
                   ) -> Verdict | None:
        return None


class NameList(Text):
    """Names the records give (签约项目, 获奖企业 …): never typed."""

    key, label = "list", "名单"
    fields = frozenset({"note", "follow_up"})

    def parse(self, indicator: Indicator, raw: Any, *, what: str = "") -> float | None:
        raise InputError(f"「{indicator.name}」由台账记录自动列出，不能直接填写")


KINDS: dict[str, Kind] = {k.key: k for k in (Count(), Amount(), Rate(), Share(), Rank(), Text(),
                                              NameList())}
LABELS: dict[str, str] = {key: kind.label for key, kind in KINDS.items()}


def kind_of(indicator: Indicator) -> Kind:
    """The rules of `indicator`'s kind (an unknown kind reads as an amount; a count or amount
    kept in % compares as a share does)."""
    if indicator.unit == "%" and indicator.kind in ("count", "amount"):
        return KINDS["share"]
    return KINDS.get(indicator.kind, KINDS["amount"])
