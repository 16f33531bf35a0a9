"""The one rule for free text: what a clerk may store in a name, a note, a plan item …

Decided per character:
- line breaks of every kind — Word's Shift+Enter (U+000B), a form feed, \\r\\n, \\r, U+2028/U+2029 —
  become the one line break the ledger stores, "\\n" (what Excel's Alt+Enter already gives);
- invisible zero-width characters (U+200B–U+200D, U+2060, U+FEFF) are dropped: they only make
  two names that look the same differ (a look-alike duplicate enterprise);
- every other control character (U+0000–U+001F but tab and line break, U+007F–U+009F), a lone
  surrogate and the non-characters (U+FFFE, U+FFFF …) are refused with a Chinese message that
  names the field and the character: no writer (Word, Excel, PDF, HTML) can hold them;
- a text longer than MAX_TEXT_CHARS is refused (one pasted cell must not grow the ledger for good).

`scrub` is the lenient form for what is already stored or written: it drops what `clean_text`
refuses (U+000B/U+000C become "\n"), so every writer is safe whatever reaches it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from core.errors import InputError

MAX_TEXT_CHARS = 20_000  # one field; below Excel's 32,767 per cell, so an export never cuts

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")
_PAGE_BREAKS = re.compile("[\x0b\x0c]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_REFUSED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U000efffe\U000effff"
    "\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)


def _unified(text: str) -> str:
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    if not text.isascii() and not _REFUSED.search(text):
        text = unicodedata.normalize("NFC", text)
    return text


def clean_text(value: object, *, field: str) -> str:
    """What the clerk typed into a text field → the text stored; raises InputError naming
    `field` for a character no document can hold, or for a text over MAX_TEXT_CHARS."""
    text = "" if value is None else str(value)
    if len(text) > 2 * MAX_TEXT_CHARS:  # refused before any work on it
        raise _too_long(field, len(text))
    if text.isascii() and text.isprintable():
        text = text.strip()  # the common case, made quick (an import reads many cells)
        if len(text) > MAX_TEXT_CHARS:
            raise _too_long(field, len(text))
        return text
    cleaned, problem = _clean_unusual(text, field)
    if problem:
        raise InputError(problem, field=field)
    return cleaned


def _too_long(field: str, length: int) -> InputError:
    return InputError(f"「{field}」过长（{length:,} 字），最多 {MAX_TEXT_CHARS:,} 字；"
                      "请精简，或把详细材料另存为附件", field=field)


@lru_cache(maxsize=1024)  # a sheet repeats its texts (shared strings: one object, hashed once)
def _clean_unusual(text: str, field: str) -> tuple[str, str]:
    """(the cleaned text, '') or ('', why it is refused): refusals are remembered too."""
    text = _unified(text)
    bad = _REFUSED.search(text)
    if bad is not None:
        char = bad.group()
        return "", (f"「{field}」第 {bad.start() + 1} 个字符是无法保存的不可见控制字符"
                    f"（U+{ord(char):04X}），请删除后重新输入")
    text = text.strip()
    if len(text) > MAX_TEXT_CHARS:
        return "", _too_long(field, len(text)).message
    return text, ""


def scrub(text: str) -> str:
    """`text` with nothing a writer cannot hold: U+000B/U+000C become line breaks, the other
    refused characters are dropped; everything else (\r, zero-width …) stays as it is."""
    if text.isascii() and text.isprintable():
        return text
    return _REFUSED.sub("", _PAGE_BREAKS.sub("\n", text))


def needs_scrub(text: str) -> bool:
    return not (text.isascii() and text.isprintable()) and scrub(text) != text
