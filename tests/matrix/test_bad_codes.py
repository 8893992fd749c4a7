"""The bad-input matrix (tests/matrix/helpers.py), tampered inspection codes: all invalid, none raise,
nothing written."""
from __future__ import annotations

import datetime as dt

import pytest

from inspections.domain.inspection_codes import CodeClaims, sign
from inspections.services.shared import codes
from tests.matrix.conftest import new_code
from tests.matrix.helpers import state


def _parts(token: str) -> list[str]:
    return token.split(".")


def _join(parts) -> str:
    return ".".join(parts)


def _replace(index: int, value):
    return lambda token, ctx, w: _join(_parts(token)[:index] + [value(_parts(token)) if callable(value) else value]
                                       + _parts(token)[index + 1:])


TAMPERED = "malformed_or_tampered"
# (how to make the code from a genuine one, the reason expected)
TAMPERED_CODES = [
    pytest.param(lambda token, ctx, w: token, "genuine", id="control-genuine-code"),
    pytest.param(lambda token, ctx, w: _join(_parts(token)[:1] + [w.walk_id] + _parts(token)[2:]), TAMPERED,
                 id="changed-inspection-id"),
    pytest.param(_replace(3, lambda p: (dt.date(int(p[3][:4]), int(p[3][4:6]), int(p[3][6:]))
                                        + dt.timedelta(days=1)).strftime("%Y%m%d")), TAMPERED, id="changed-date"),
    pytest.param(_replace(2, lambda p: new_code(5)), TAMPERED, id="changed-enterprise"),
    pytest.param(_replace(4, lambda p: p[4][:-3]), TAMPERED, id="truncated-signature"),
    pytest.param(lambda token, ctx, w: _join(_parts(token)[:4]), TAMPERED, id="signature-dropped"),
    pytest.param(_replace(4, lambda p: p[4][::-1]), TAMPERED, id="signature-reversed"),
    pytest.param(lambda token, ctx, w: token.lower(), TAMPERED, id="lower-cased"),
    pytest.param(lambda token, ctx, w: "IO2" + token[3:], TAMPERED, id="other-prefix"),
    pytest.param(lambda token, ctx, w: token + ".extra", TAMPERED, id="six-parts"),
    pytest.param(lambda token, ctx, w: sign(_claims(token), b"another secret, 32 bytes long!!!"), TAMPERED,
                 id="signed-with-another-secret"),
    pytest.param(lambda token, ctx, w: sign(CodeClaims("JC20991231-9999", _claims(token).enterprise_code,
                                                       _claims(token).scheduled_on), ctx.secret),
                 "unknown_inspection", id="our-signature-on-an-unknown-inspection"),
    pytest.param(_replace(3, "20260230"), TAMPERED, id="impossible-date-in-code"),
    pytest.param(lambda token, ctx, w: "", TAMPERED, id="empty"),
    pytest.param(lambda token, ctx, w: "   \n", TAMPERED, id="whitespace-only"),
    pytest.param(lambda token, ctx, w: token + "A" * (10_000 - len(token)), TAMPERED, id="10000-characters"),
    pytest.param(lambda token, ctx, w: _join(["IO1", "J" * 9990, "x", "20260101", "y"]), TAMPERED,
                 id="10000-characters-in-five-parts"),
    pytest.param(lambda token, ctx, w: "检查码：请出示", TAMPERED, id="non-ascii-free-text"),
    pytest.param(_replace(4, "签名签名签名签名签名签名签名签名签名签名签名"), TAMPERED, id="non-ascii-signature",
                 marks=()),
    pytest.param(_replace(1, "检查JC-0001"), TAMPERED, id="non-ascii-inspection-id",
                 marks=()),
    pytest.param(_replace(3, lambda p: p[3].translate(str.maketrans("0123456789", "０１２３４５６７８９"))), TAMPERED,
                 id="full-width-digits-in-date", marks=()),
    pytest.param(lambda token, ctx, w: token + "\u200b", TAMPERED, id="zero-width-space-appended",
                 marks=()),
    pytest.param(lambda token, ctx, w: "' OR 1=1 --", TAMPERED, id="sql-or-1-equals-1"),
    pytest.param(_replace(1, "x' OR '1'='1"), TAMPERED, id="sql-in-inspection-id-part"),
    pytest.param(_replace(1, "x'; DROP TABLE inspections; --"), TAMPERED, id="sql-drop-table-in-id-part"),
    pytest.param(lambda token, ctx, w: token.replace(".", "\x00", 1), TAMPERED, id="nul-byte"),
]


def _claims(token: str) -> CodeClaims:
    _, inspection_id, enterprise_code, day, _ = _parts(token)
    return CodeClaims(inspection_id, enterprise_code, dt.date(int(day[:4]), int(day[4:6]), int(day[6:])))


@pytest.mark.parametrize("make, reason", TAMPERED_CODES)
def test_tampered_inspection_code_is_invalid_and_never_raises(shared, make, reason):
    ctx, w = shared
    token = make(codes.issue_code(ctx, w.finished_id), ctx, w)
    before = state(ctx)
    verification = codes.verify_code(ctx, token)
    assert (verification.valid, verification.reason) == (reason == "genuine", reason)
    assert (codes.public_view(ctx, token) is not None) == (reason == "genuine")  # shown for the genuine one only
    assert state(ctx) == before
