"""How lists and places read in an official summary: 第二, 一是…二是…, A、B和C.

Pure functions over numbers and strings. How a figure and its comparisons read (增长/下降/持平,
个百分点, 完成率) is the kind's rule, in core.kinds.
"""

from __future__ import annotations

from core import units

_DIGITS = "零一二三四五六七八九"
_END_PUNCTUATION = "。；;，,、.：: \u3000"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 35 → 三十五; from 100 on, Arabic digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return f"{_DIGITS[tens] if tens > 1 else ''}十{_DIGITS[ones] if ones else ''}"


_UNITS = ("", "十", "百", "千")


def chinese_numeral(n: int) -> str:
    """A whole number in Chinese numerals as documents write counts: 66 → 六十六, 105 → 一百零五,
    1010 → 一千零一十, 20000 → 二万, 123456789 → 一亿二千三百四十五万六千七百八十九."""
    if n < 0:
        return f"负{chinese_numeral(-n)}"
    if n < 100:
        return chinese_number(n) if n else "零"
    groups: list[int] = []
    while n:
        n, group = divmod(n, 10_000)
        groups.append(group)
    words = ""
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(words)
            continue
        if words and (zero_pending or group < 1000):
            words += "零"
        words += _group_words(group) + ("", "万", "亿", "万亿")[index]
        zero_pending = False
    return words[1:] if words.startswith("一十") else words  # 十万, not 一十万


def _group_words(group: int) -> str:
    """0 < group < 10000, without a leading 零: 1010 → 一千零一十, 15 → 一十五."""
    digits = [int(d) for d in f"{group:04d}"]
    words, zero = "", False
    for position, digit in enumerate(digits):
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += _DIGITS[digit] + _UNITS[3 - position]
    return words


def ordinal(n: int) -> str:
    """Ranks: 1 → 第一, 2 → 第二."""
    return f"第{chinese_number(n)}"


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """['A', 'B', 'C'] → 'A、B和C'; one name stays as it is."""
    names = [name for name in names if name]
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


def converted_decimals(decimals: int, from_unit: str, to_unit: str) -> int:
    """Decimals after a change of unit: 34369.82万元 → 3.44亿元, 1.63亿元 → 16304万元.

    A unit 10ⁿ times larger needs n more decimals for the same precision; more than two would
    read oddly in a sentence.
    """
    shift = int((units.factor(to_unit) / units.factor(from_unit)).log10())
    return max(0, min(2, decimals + shift))


def strip_end(text: str) -> str:
    """A clause without its closing punctuation, ready to be joined into a sentence."""
    return text.strip().rstrip(_END_PUNCTUATION)


def enumerate_clauses(clauses: list[str]) -> str:
    """['推进A', '建设B'] → '一是推进A；二是建设B。' (the usual way plans are listed)."""
    parts = [strip_end(clause) for clause in clauses]
    parts = [part for part in parts if part]
    if not parts:
        return ""
    return "；".join(f"{chinese_number(i)}是{part}" for i, part in enumerate(parts, 1)) + "。"
