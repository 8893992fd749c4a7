"""Sign-in for every role: argon2 hashes, five failed attempts lock an account for 15 minutes, and a
session ends after 8 idle hours. Unknown users and wrong passwords get the same answer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from inspections.domain.refusals import NotAllowed
from inspections.store import users as user_store
from inspections.services.shared.context import Context

MAX_FAILURES = 5
LOCK_FOR = dt.timedelta(minutes=15)
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    """Who is signed in; what every permission check looks at."""

    username: str
    display_name: str
    role: str
    department: str | None = None
    enterprise_code: str | None = None


class SignInError(NotAllowed):
    """Sign-in refused: 'invalid' (the same for an unknown name and a wrong password), 'locked' (with
    `until`), 'inactive'. The pages show it as sign_in_<reason>."""

    def __init__(self, reason: str, until: dt.datetime | None = None):
        super().__init__(reason, **({"until": until} if until is not None else {}))
        self.until = until


def sign_in(ctx: Context, username: str, password: str, now: dt.datetime | None = None) -> User:
    now = now or ctx.clock.instant()
    record = user_store.get(ctx.db, (username or "").strip())
    if record is None:
        _hasher.hash(password or "x")  # same work as a real check, so timing does not reveal names
        raise SignInError("invalid")
    if record["locked_until"] and record["locked_until"] > now:
        _hasher.hash(password or "x")  # and a locked account answers no faster than a wrong password
        raise SignInError("locked", record["locked_until"])
    try:
        _hasher.verify(record["password_hash"], password or "")
    except (VerificationError, InvalidHashError):
        lock = ctx.db.write(lambda c: user_store.count_failure(c, record["username"], MAX_FAILURES, now + LOCK_FOR))
        if lock is not None and lock > now:
            raise SignInError("locked", lock) from None
        raise SignInError("invalid") from None
    if not record["active"]:
        raise SignInError("inactive")
    if record["failed_attempts"] or record["locked_until"]:
        ctx.db.write(lambda c: user_store.record_success(c, record["username"]))
    return User(record["username"], record["display_name"], record["role"], record["department"],
                record["enterprise_code"])

