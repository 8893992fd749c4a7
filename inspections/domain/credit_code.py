"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character
alphabet, the last being a check character computed from the first 17 with weights 3^i mod 31."""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why `code` is not a valid credit code, or None when it is."""
    if not isinstance(code, str) or not code:
        return "empty: a unified social credit code has 18 characters"
    if len(code) != LENGTH:
        return f"has {len(code)} characters; a unified social credit code has 18"
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return f"contains {''.join(bad)!r}, which credit codes never use (allowed: 0-9 and {ALPHABET[10:]})"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"check character is '{code[17]}' but GB 32100-2015 gives '{expected}'"
    return None


def normalise(code: str) -> str:
    """Upper case without surrounding or inner spaces, as codes are often typed."""
    return "".join(str(code).split()).upper()


def is_valid(code: str) -> bool:
    return problem(code) is None


def complete(first17: str) -> str:
    """A full code from its first 17 characters (used to make demo and test codes)."""
    return first17 + check_character(first17)
