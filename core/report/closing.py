"""署名 and 成文日期 (GB/T 9704-2012 §7.3.5.3, a document without a seal) — the one rule every
writer places them by.

    正文（或附件说明）下空一行右空二字编排发文机关署名，在发文机关署名下一行编排成文日期，首字比
    发文机关署名首字右移二字，如成文日期长于发文机关署名，应当使成文日期右空二字编排，并相应增加
    发文机关署名右空字数。

Both lines are set flush right with a right gap measured in characters of the body face
(16 pt). "Longer" is read as: the date, starting two characters right of the 署名's first
character, would come closer than two characters to the right margin; then the date keeps its
two characters and the 署名 moves left so that the date still starts two characters right of it.
A writer measures both texts in its own face (half-width digits are about half a character) and
asks `right_gaps`; the plain-text and Word writers use `em_width`.
"""

from __future__ import annotations

import unicodedata
from datetime import date

GAP = 2.0  # 右空二字
LINE_CHARS = 28  # GB/T 9704: 28 characters a line (the plain-text writer pads to this)


def date_words(day: date) -> str:
    """成文日期 as GB/T 9704 writes it: the year in full, no leading zeros — 2026年12月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def em_width(text: str) -> float:
    """Width in characters of the body face: full-width (CJK, 全角) 1, half-width 0.5."""
    return sum(0.5 if unicodedata.east_asian_width(ch) in ("Na", "H") else 1.0 for ch in text)


def right_gaps(name_width: float, date_width: float) -> tuple[float, float]:
    """How far (in characters) the 署名 and the date stand from the right margin."""
    # The 署名 right-gapped by two starts at GAP + name_width from the margin; the date starts
    # two characters right of that, so it ends name_width - date_width from the margin.
    date_gap = max(GAP, name_width - date_width)
    name_gap = date_gap + date_width + GAP - name_width
    return name_gap, date_gap

