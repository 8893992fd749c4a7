"""Sign-in that survives a reload: after the password is checked, a session row is made and the browser
is handed, once, a random token in an HttpOnly cookie (through a one-time ticket that the page posts to
the app's /auth/adopt route). A reload, a link, or coming back from the camera app finds the session by
its cookie. Sessions end on sign-out, after 8 idle hours, 7 days after sign-in, and when the account is
deactivated or its password reset (the account's session version, which both move on, no longer matches
the one the session started with). Only sha256 hashes of tokens and tickets are stored."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from inspections.store import sessions as session_store
from inspections.store import users as user_store
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context

COOKIE = "inspect_once_session"
IDLE_LIMIT = dt.timedelta(hours=8)
ABSOLUTE_LIMIT = dt.timedelta(days=7)
TICKET_LIFETIME = dt.timedelta(minutes=2)
TOUCH_EVERY = dt.timedelta(minutes=1)      # last_seen is written at most this often (not on every rerun)


@dataclass(frozen=True)
class Started:
    session_id: str
    ticket: str           # for the page to post to /auth/adopt, which answers with the cookie


@dataclass(frozen=True)
class Resumed:
    session_id: str
    user: User | None     # None: the session has ended (see `why`)
    why: str = ""         # '', 'signed_out', 'idle', 'expired', 'account_changed', 'unknown'


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start(ctx: Context, user: User) -> Started:
    """A new session for a user whose password was just checked."""
    now, ticket = ctx.clock.instant(), secrets.token_urlsafe(32)
    account = user_store.get(ctx.db, user.username)
    session = {"id": secrets.token_urlsafe(16), "username": user.username, "ticket_hash": _hash(ticket),
               "ticket_expires_at": now + TICKET_LIFETIME, "created_at": now, "last_seen_at": now,
               "session_version": account["session_version"] if account else 0}
    ctx.db.write(lambda cursor: session_store.insert(cursor, session))
    return Started(session["id"], ticket)


def adopt(ctx: Context, ticket: str) -> str | None:
    """The cookie token for a live, unspent ticket (the ticket is spent), or None."""
    if not ticket:
        return None
    token = secrets.token_urlsafe(32)
    changed = ctx.db.write(lambda cursor: session_store.adopt(cursor, _hash(ticket), _hash(token),
                                                               ctx.clock.instant()))
    return token if changed == 1 else None


def resume(ctx: Context, *, session_id: str | None = None, cookie: str | None = None) -> Resumed | None:
    """The session a tab holds (by id) or a browser presents (by cookie), checked against the clock and
    the account as it is now; None when there is no such session at all."""
    row = (session_store.by_id(ctx.db, session_id) if session_id
           else session_store.by_cookie(ctx.db, _hash(cookie)) if cookie else None)
    if row is None:
        return None
    if row["ended_at"] is not None:
        return Resumed(row["id"], None, row["ended_why"] or "signed_out")
    now = ctx.clock.instant()
    account = user_store.get(ctx.db, row["username"])
    why = ("expired" if now - row["created_at"] > ABSOLUTE_LIMIT else
           "idle" if now - row["last_seen_at"] > IDLE_LIMIT else
           "account_changed" if account is None or not account["active"]
           or account["session_version"] != row["session_version"] else "")
    if why:
        ctx.db.write(lambda cursor: session_store.end(cursor, row["id"], why, now))
        return Resumed(row["id"], None, why)
    if now - row["last_seen_at"] >= TOUCH_EVERY:
        ctx.db.write(lambda cursor: session_store.touch(cursor, row["id"], now))
    return Resumed(row["id"], User(account["username"], account["display_name"], account["role"],
                                   account["department"], account["enterprise_code"]))


def end(ctx: Context, *, session_id: str | None = None, cookie: str | None = None, why: str = "signed_out") -> None:
    """End the session (sign-out): its cookie is refused from now on, wherever it is replayed."""
    row = (session_store.by_id(ctx.db, session_id) if session_id
           else session_store.by_cookie(ctx.db, _hash(cookie)) if cookie else None)
    if row is not None:
        ctx.db.write(lambda cursor: session_store.end(cursor, row["id"], why, ctx.clock.instant()))


def end_for_user(cursor, ctx: Context, username: str) -> int:
    """End every open session of an account whose password was reset or that was deactivated (in the
    caller's transaction)."""
    return session_store.end_for_user(cursor, username, "account_changed", ctx.clock.instant())
