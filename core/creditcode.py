"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character."""

from __future__ import annotations

import unicodedata

from core.errors import InputError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FIELD = "统一社会信用代码"


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise_credit_code(text: str | None) -> str | None:
    """Validate a typed code; return it in canonical form (upper case, half-width) or None if empty.

    Raises InputError with a message saying exactly what is wrong.
    """
    if text is None:
        return None
    code = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if code == "":
        return None
    if len(code) != 18:
        raise InputError(f"「{FIELD}」应为18位，收到{len(code)}位“{text.strip()}”", field=FIELD)
    bad = sorted({ch for ch in code if ch not in CHARSET})
    if bad:
        listed = "、".join(bad)
        raise InputError(
            f"「{FIELD}」含有不允许的字符 {listed}（不使用 I、O、S、V、Z），收到“{text.strip()}”",
            field=FIELD,
        )
    if not code[2:8].isdigit():
        raise InputError(f"「{FIELD}」第3–8位应为行政区划代码（数字），收到“{code}”", field=FIELD)
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InputError(
            f"「{FIELD}」校验位不符（末位应为 {expected}），请核对“{code}”", field=FIELD
        )
    return code


def is_valid_credit_code(text: str) -> bool:
    try:
        return normalise_credit_code(text) is not None
    except InputError:
        return False
