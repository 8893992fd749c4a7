"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character
alphabet, the last being a check character computed from the first 17 with weights 3^i mod 31."""
from __future__ import annotations

from inspections.domain.refusals import BadInput

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def refusal(code: str) -> BadInput | None:
    """Why `code` is not a valid credit code, as a refusal the pages translate, or None when it is."""
    if not isinstance(code, str) or not code:
        return BadInput("credit_code_empty")
    if len(code) != LENGTH:
        return BadInput("credit_code_length", length=len(code))
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return BadInput("credit_code_characters", characters="".join(bad), allowed=ALPHABET[10:])
    expected = check_character(code[:17])
    if code[17] != expected:
        return BadInput("credit_code_check", given=code[17], expected=expected)
    return None


ENGLISH = {"credit_code_empty": "empty: a unified social credit code has 18 characters",
           "credit_code_length": "has {length} characters; a unified social credit code has 18",
           "credit_code_characters": "contains {characters!r}, which credit codes never use (allowed: 0-9 and "
                                     "{allowed})",
           "credit_code_check": "check character is '{given}' but GB 32100-2015 gives '{expected}'"}


def problem(code: str) -> str | None:
    """The same as a sentence, for the importers' row errors and the CLI (which are English)."""
    refused = refusal(code)
    return ENGLISH[refused.reason].format(**refused.values) if refused else None


def normalise(code: str) -> str:
    """Upper case without surrounding or inner spaces, as codes are often typed."""
    return "".join(str(code).split()).upper()


def is_valid(code: str) -> bool:
    return problem(code) is None


def complete(first17: str) -> str:
    """A full code from its first 17 characters (used to make demo and test codes)."""
    return first17 + check_character(first17)
