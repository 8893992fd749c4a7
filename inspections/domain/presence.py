"""The proof that an inspector stood at the enterprise (到场码): a six-digit code that changes every ten
minutes, shown on the enterprise's own phone (its portal) and typed on the tablet. A posted QR code is a
static URL anyone can photograph and open from anywhere, so a check-in by it proves nothing; this code
cannot be known in advance. Pure: HMAC-SHA256 over the enterprise and the time window, truncated as in
RFC 4226 (HOTP); the key is derived from the deployment's signing secret for this one purpose."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac

WINDOW = dt.timedelta(minutes=10)
DIGITS = 6
ACCEPTED_WINDOWS = 2        # the current window and the one before: a code read at 10:09 still works at 10:11
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def window_of(instant: dt.datetime) -> int:
    """The number of the ten-minute window an aware instant falls in."""
    if instant.tzinfo is None:
        raise ValueError("a presence code needs an aware instant")
    return int((instant - _EPOCH) // WINDOW)


def window_ends(instant: dt.datetime) -> dt.datetime:
    """When the code shown at `instant` is replaced by the next one."""
    return _EPOCH + WINDOW * (window_of(instant) + 1)


def _key(secret: bytes) -> bytes:
    return hmac.new(secret, b"inspect-once/presence-code/v1", hashlib.sha256).digest()


def code_for(secret: bytes, enterprise_code: str, window: int) -> str:
    digest = hmac.new(_key(secret), f"{enterprise_code}|{window}".encode("utf-8"), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset:offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10 ** DIGITS).zfill(DIGITS)


def current_code(secret: bytes, enterprise_code: str, instant: dt.datetime) -> str:
    return code_for(secret, enterprise_code, window_of(instant))


def matches(secret: bytes, enterprise_code: str, typed: str, instant: dt.datetime) -> bool:
    """Whether `typed` (spaces ignored) is the enterprise's code now or in the window before."""
    typed = "".join((typed or "").split())
    if len(typed) != DIGITS or not typed.isdigit():
        return False
    now = window_of(instant)
    return any(hmac.compare_digest(typed, code_for(secret, enterprise_code, now - back))
               for back in range(ACCEPTED_WINDOWS))
