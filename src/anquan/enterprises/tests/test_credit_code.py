"""统一社会信用代码 check character (GB 32100-2015)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anquan.enterprises import credit_code

REAL_CODES = ["91330100799655058B", "91440300708461136T", "91110000100017643K", "91350100M000100Y43"]

prefixes = st.tuples(
    st.sampled_from("123456789ABCDEFGY"),
    st.sampled_from("1239"),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=credit_code.ALPHABET, min_size=9, max_size=9),
).map("".join)


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code):
    assert credit_code.is_valid(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_lower_case_and_spaces_are_normalised(code):
    assert credit_code.is_valid(" " + code.lower()[:9] + " " + code.lower()[9:])


@settings(derandomize=True, max_examples=300)
@given(prefixes, st.sampled_from(credit_code.ALPHABET))
def test_only_the_computed_check_character_is_accepted(prefix, last):
    code = prefix + last
    assert credit_code.is_valid(code) == (last == credit_code.check_char(prefix))


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("91330100799655058", "18位"),
        ("91330100799655058BB", "18位"),
        ("91330100799655058A", "校验位错误（第18位应为B）"),
        ("9133010079965505IB", "不允许的字符"),
        ("91ABCDEF799655058B", "行政区划代码"),
        ("", "18位"),
    ],
)
def test_problems_are_explained_in_chinese(code, words):
    assert words in credit_code.problem(code)
