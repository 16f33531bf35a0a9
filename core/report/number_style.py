"""How a field prints its number, when the clerk asks for another style than the kind's:

    【规上工业增加值增速.同比：2位小数】   → 同比提高0.52个百分点
    【高新技术企业数：中文数字】           → 六十六家
    【规上工业增加值增速.排名：阿拉伯数字】 → 第2
    【研发投入强度：不补零】               → 12%（不印成 12.0%）

Options follow the ：, several joined by 、 or ，. Without an option a field prints as its kind
says (core.kinds). The decimals are the kind's business (they are passed to its comparisons, so
the number is rounded once, as printed); this module only reads the options and changes how
digits are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.numbers import fold_width
from core.report import phrasing

MAX_DECIMALS = 4
_SEPARATORS = re.compile(r"[、，,；;\s]+")
_DECIMALS = re.compile(r"(?:保留)?([0-9零一二两三四])位小数")
_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
TRIM_WORDS = ("不补零", "去掉末尾的0", "去掉末尾0", "去零")
CHINESE_WORDS = ("中文数字", "汉字数字")
ARABIC_WORDS = ("阿拉伯数字",)

DESCRIPTION = ("数字写法：字段后加“：”和写法，如【名称.同比：2位小数】、【名称：整数】、"
               "【名称：不补零】（12%不印成12.0%）、【名称：中文数字】（六十六家）、"
               "【名称.排名：阿拉伯数字】（第2）；几种写法用“、”隔开")


class StyleError(ValueError):
    """An option no style means; the message names it and what is allowed."""


@dataclass(frozen=True)
class NumberStyle:
    decimals: int | None = None  # None: the kind's own decimals
    trim_zeros: bool = False  # 12.0 → 12, 5.50 → 5.5
    numerals: str = ""  # "chinese" (六十六), "arabic" (第2), "" as the kind prints

    def text(self, printed: str) -> str:
        """The printed words with their digits written in this style."""
        if self.trim_zeros:
            printed = _TRAILING_ZEROS.sub(_trimmed, printed)
        if self.numerals == "chinese":
            printed = _WHOLE_NUMBER.sub(lambda m: phrasing.chinese_numeral(int(m.group())),
                                        printed)
        return printed


PLAIN = NumberStyle()

# A number with decimals, and a whole number that stands alone (not in 1-7月, 5.9 or 20%).
_TRAILING_ZEROS = re.compile(r"(\d+)\.(\d+)")
_WHOLE_NUMBER = re.compile(r"(?<![\d.,\-－])\d+(?![\d.,%％\-－月年日])")


def _trimmed(match: re.Match[str]) -> str:
    decimals = match.group(2).rstrip("0")
    return f"{match.group(1)}.{decimals}" if decimals else match.group(1)


def parse_style(option: str) -> NumberStyle:
    """The style an option after the ： asks for; raises StyleError naming what is wrong."""
    decimals: int | None = None
    trim, numerals = False, ""
    for word in filter(None, _SEPARATORS.split(fold_width(option).strip())):
        if match := _DECIMALS.fullmatch(word):
            digit = match.group(1)
            decimals = int(digit) if digit.isdigit() else _CHINESE_DIGITS[digit]
            if decimals > MAX_DECIMALS:
                raise StyleError(f"小数最多保留{MAX_DECIMALS}位，收到“{word}”")
        elif word in ("整数", "取整"):
            decimals = 0
        elif word in TRIM_WORDS:
            trim = True
        elif word in CHINESE_WORDS or word in ARABIC_WORDS:
            chosen = "chinese" if word in CHINESE_WORDS else "arabic"
            if numerals and numerals != chosen:
                raise StyleError("中文数字和阿拉伯数字只能选一种")
            numerals = chosen
        else:
            raise StyleError(f"“{word}”不是数字写法（可写：2位小数、整数、不补零、中文数字、"
                             "阿拉伯数字）")
    return NumberStyle(decimals, trim, numerals)
