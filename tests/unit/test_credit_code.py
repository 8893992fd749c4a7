"""GB 32100-2015 check character, on published codes and on broken ones."""
import pytest

from inspections.domain import credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "911100007109250324", "91110000600037341L"])
def test_published_codes_are_valid(code):
    assert credit_code.problem(code) is None


def test_check_character_by_hand():
    first17 = "91350100M000100Y4"
    values = [credit_code.ALPHABET.index(ch) for ch in first17]
    total = sum(v * w for v, w in zip(values, [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]))
    assert credit_code.ALPHABET[(31 - total % 31) % 31] == "3"
    assert credit_code.check_character(first17) == "3"


@pytest.mark.parametrize("code, why", [
    ("91350100M000100Y44", "check character is '4' but GB 32100-2015 gives '3'"),
    ("91350100M000100Y4", "has 17 characters"),
    ("91350100M000100Y4I", "contains 'I'"),
    ("91350100m000100Y43", "contains 'm'"),
    ("", "empty"),
])
def test_invalid_codes_say_why(code, why):
    assert why in credit_code.problem(code)


def test_swapped_characters_are_caught():
    assert credit_code.problem("91350100M000100Y34") is not None


def test_complete_makes_valid_codes():
    assert credit_code.is_valid(credit_code.complete("91220100ABCDEFGH1"))
    assert credit_code.normalise(" 91350100m000100y43 ") == "91350100M000100Y43"
