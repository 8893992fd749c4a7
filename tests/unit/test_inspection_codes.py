"""Signing and verifying inspection codes: genuine, tampered and foreign."""
import datetime as dt

from inspections.domain.inspection_codes import CodeClaims, sign, verify

SECRET = b"s" * 32
CLAIMS = CodeClaims("JC20261127-0001", "91350100M000100Y43", dt.date(2026, 11, 27))


def test_genuine_code_verifies():
    token = sign(CLAIMS, SECRET)
    assert token.startswith("IO1.JC20261127-0001.91350100M000100Y43.20261127.")
    assert verify(token, SECRET) == CLAIMS


def test_tampered_parts_fail():
    token = sign(CLAIMS, SECRET)
    assert verify(token.replace("20261127.", "20261128.", 1), SECRET) is None
    assert verify(token.replace("0001", "0002"), SECRET) is None
    assert verify(token[:-1] + ("A" if token[-1] != "A" else "B"), SECRET) is None


def test_foreign_secret_and_garbage_fail():
    assert verify(sign(CLAIMS, b"x" * 32), SECRET) is None
    for garbage in ("", "IO1", "IO1.a.b.c", "IO1.a.b.2026xx01.sig", "http://evil/?code=1", "IO1.a.b.20261340.x"):
        assert verify(garbage, SECRET) is None
