"""统一社会信用代码: 18 characters from a 31-character set, the last a check character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.creditcode import CHARSET, check_character, is_valid_credit_code, normalise_credit_code
from core.errors import InputError

# Published codes of well-known organisations (their check characters are right).
KNOWN_VALID = ["91110000600037341L", "91350100M000100Y43"]

_body = st.builds(
    lambda head, region, org: head + region + org,
    st.sampled_from(["11", "12", "51", "52", "91", "92", "93"]),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=CHARSET, min_size=9, max_size=9),
)


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_codes_pass(code: str) -> None:
    assert normalise_credit_code(code) == code


def test_typed_forms_are_normalised() -> None:
    assert normalise_credit_code(" 91110000600037341l ") == "91110000600037341L"
    assert normalise_credit_code("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"
    assert normalise_credit_code("") is None
    assert normalise_credit_code(None) is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111000060003734", "应为18位，收到16位"),
        ("91110000600037341LX", "应为18位，收到19位"),
        ("9111000060003734IL", "不允许的字符 I"),
        ("91110000600037341O", "不允许的字符 O"),
        ("91AB0000600037341L", "第3–8位应为行政区划代码"),
        ("91110000600037341K", "校验位不符（末位应为 L）"),
    ],
)
def test_wrong_codes_say_what_is_wrong(code: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        normalise_credit_code(code)
    assert message in caught.value.message


@given(_body)
def test_every_generated_code_with_its_check_character_is_valid(body: str) -> None:
    assert is_valid_credit_code(body + check_character(body))


@given(_body, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_any_single_changed_character_is_caught(body: str, position: int, shift: int) -> None:
    code = body + check_character(body)
    if position in range(2, 8):  # keep the region digits digits, so the check digit decides
        replacement = str((int(code[position]) + shift) % 10)
        if replacement == code[position]:
            replacement = str((int(code[position]) + 1) % 10)
    else:
        replacement = CHARSET[(CHARSET.index(code[position]) + shift) % 31]
    mutated = code[:position] + replacement + code[position + 1:]
    assert not is_valid_credit_code(mutated)


@given(st.text(max_size=25))
def test_never_crashes(text: str) -> None:
    try:
        normalise_credit_code(text)
    except InputError as exc:
        assert "统一社会信用代码" in exc.message
