"""The inspection code (检查码): a token that names one scheduled inspection and carries an HMAC-SHA256
signature, so anyone who scans it can tell a genuine code from a tampered or foreign one. Pure: the
secret is passed in; the store says whether the inspection still stands (not cancelled)."""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

PREFIX = "IO1"
SIGNATURE_BYTES = 16


@dataclass(frozen=True)
class CodeClaims:
    inspection_id: str
    enterprise_code: str
    scheduled_on: date


def _message(claims: CodeClaims) -> bytes:
    return f"{PREFIX}|{claims.inspection_id}|{claims.enterprise_code}|{claims.scheduled_on.isoformat()}".encode()


def sign(claims: CodeClaims, secret: bytes) -> str:
    """`IO1.<inspection>.<enterprise>.<yyyymmdd>.<signature>`: readable parts, URL-safe signature."""
    digest = hmac.new(secret, _message(claims), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    signature = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    day = claims.scheduled_on.strftime("%Y%m%d")
    return f"{PREFIX}.{claims.inspection_id}.{claims.enterprise_code}.{day}.{signature}"


def verify(token: str, secret: bytes) -> CodeClaims | None:
    """The claims of a genuine token signed with `secret`; None for anything else."""
    if not (token or "").isascii():  # our codes are ASCII; anything else is not one of them
        return None
    parts = (token or "").strip().split(".")
    if len(parts) != 5 or parts[0] != PREFIX:
        return None
    _, inspection_id, enterprise_code, day, _signature = parts
    try:
        scheduled_on = date(int(day[:4]), int(day[4:6]), int(day[6:8]))
    except ValueError:
        return None
    if len(day) != 8:
        return None
    claims = CodeClaims(inspection_id, enterprise_code, scheduled_on)
    if not hmac.compare_digest(sign(claims, secret), token.strip()):
        return None
    return claims
