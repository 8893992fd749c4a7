"""Sign-in sessions on a real database: a cookie handed over once through a one-time ticket, found again
after a reload, and refused once the session has ended (sign-out, 8 idle hours, 7 days, a reset password
or a deactivated account). The clock is the context's, moved by the tests."""
from __future__ import annotations

import datetime as dt

import pytest

from inspections.services.office import accounts, registry
from inspections.services.shared import sessions
from inspections.services.shared.auth import User
from tests.conftest import office_user

OFFICE = office_user()


@pytest.fixture
def world(ctx):
    accounts.create_user(ctx, "office", "Anwei@2026x", "office", display_name="安委办")
    accounts.create_user(ctx, "fire1", "Start@2026x", "inspector", display_name="消防·李", department="fire_rescue")
    return ctx, User("fire1", "消防·李", "inspector", "fire_rescue")


def _signed_in(ctx, user):
    started = sessions.start(ctx, user)
    return started, sessions.adopt(ctx, started.ticket)


def test_a_reload_finds_the_session_by_its_cookie(world):
    ctx, user = world
    started, cookie = _signed_in(ctx, user)
    assert cookie and cookie != started.ticket
    found = sessions.resume(ctx, cookie=cookie)
    assert (found.session_id, found.user, found.why) == (started.session_id, user, "")
    assert sessions.resume(ctx, session_id=started.session_id).user == user
    stored = ctx.db.query("SELECT cookie_hash, ticket_hash FROM sessions")
    assert stored[0][0] != cookie and stored[0][1] is None            # only hashes, and the ticket is spent


def test_a_ticket_is_spent_once_and_goes_stale(world):
    ctx, user = world
    started, cookie = _signed_in(ctx, user)
    assert sessions.adopt(ctx, started.ticket) is None               # replayed: no second cookie
    late = sessions.start(ctx, user)
    ctx.clock.advance(sessions.TICKET_LIFETIME + dt.timedelta(seconds=1))
    assert sessions.adopt(ctx, late.ticket) is None
    assert sessions.adopt(ctx, "") is None and sessions.adopt(ctx, "made-up") is None
    assert sessions.resume(ctx, cookie="made-up") is None


def test_signing_out_refuses_the_cookie_wherever_it_is_replayed(world):
    ctx, user = world
    started, cookie = _signed_in(ctx, user)
    sessions.end(ctx, session_id=started.session_id)
    replayed = sessions.resume(ctx, cookie=cookie)
    assert (replayed.user, replayed.why) == (None, "signed_out")


def test_idle_for_8_hours_or_7_days_old_ends_the_session(world):
    ctx, user = world
    started, cookie = _signed_in(ctx, user)
    ctx.clock.advance(sessions.IDLE_LIMIT - dt.timedelta(minutes=1))
    assert sessions.resume(ctx, cookie=cookie).user == user         # touched: idle from here again
    ctx.clock.advance(sessions.IDLE_LIMIT + dt.timedelta(seconds=1))
    assert sessions.resume(ctx, cookie=cookie).why == "idle"
    assert sessions.resume(ctx, cookie=cookie).why == "idle"         # stays ended
    busy, busy_cookie = _signed_in(ctx, user)
    for _ in range(7 * 24 // 7):                                     # used every 7 hours for a week
        ctx.clock.advance(dt.timedelta(hours=7))
        assert sessions.resume(ctx, cookie=busy_cookie).user == user
    ctx.clock.advance(dt.timedelta(hours=1))                          # 7 days and 1 hour after sign-in
    assert sessions.resume(ctx, cookie=busy_cookie).why == "expired"


def test_last_seen_is_written_at_most_once_a_minute(world):
    ctx, user = world
    started, cookie = _signed_in(ctx, user)
    seen = lambda: ctx.db.scalar("SELECT last_seen_at FROM sessions WHERE id = ?", [started.session_id])  # noqa: E731
    first = seen()
    ctx.clock.advance(dt.timedelta(seconds=30))
    sessions.resume(ctx, cookie=cookie)
    assert seen() == first
    ctx.clock.advance(dt.timedelta(seconds=31))
    sessions.resume(ctx, cookie=cookie)
    assert seen() == ctx.clock.instant()


def test_a_reset_password_or_a_deactivation_ends_every_open_session(world):
    ctx, user = world
    _, phone = _signed_in(ctx, user)
    _, tablet = _signed_in(ctx, user)
    registry.reset_password(ctx, OFFICE, "fire1", "Changed@2026x")
    assert [sessions.resume(ctx, cookie=c).why for c in (phone, tablet)] == ["account_changed"] * 2
    _, again = _signed_in(ctx, user)
    registry.set_active(ctx, OFFICE, "fire1", False)
    assert sessions.resume(ctx, cookie=again).why == "account_changed"
    registry.set_active(ctx, OFFICE, "fire1", True)
    assert sessions.resume(ctx, cookie=again).user is None            # reactivating revives no session


def test_a_session_started_before_the_account_changed_is_refused_by_its_version(world):
    """Issue 18 #2: a session begun from a password check that a reset overtook (the ticket handed over
    after the reset ended the account's sessions) must not live on. The session carries the account's
    version at its start; a reset or a deactivation moves the account's on."""
    from inspections.store import users as user_store
    ctx, user = world
    started = sessions.start(ctx, user)                    # the password was checked, the page is loading
    ctx.db.write(lambda c: user_store.set_password(c, "fire1", accounts.hash_password("Changed@2026x")))
    cookie = sessions.adopt(ctx, started.ticket)           # the ticket arrives after the reset
    assert sessions.resume(ctx, cookie=cookie).why == "account_changed"
    versions = ctx.db.query("SELECT u.session_version, s.session_version FROM users u JOIN sessions s "
                            "USING (username) WHERE username = 'fire1'")
    assert versions == [(2, 1)]


def test_account_administration_is_in_the_audit_trail(world):
    """Issue 18 #16: who created, reset, deactivated and reactivated whom, newest first, in the same
    transaction as the act (a refused act leaves no entry)."""
    ctx, _ = world
    registry.create_account(ctx, OFFICE, "market7", "Shichang-Jian7", "inspector", "市场·周", "market")
    registry.reset_password(ctx, OFFICE, "market7", "Shichang-Jian8")
    registry.set_active(ctx, OFFICE, "market7", False)
    registry.set_active(ctx, OFFICE, "market7", True)
    with pytest.raises(accounts.AccountError):
        registry.reset_password(ctx, OFFICE, "market7", "short")
    trail = registry.audit_trail(ctx, OFFICE)
    mine = [(e["actor"], e["action"], e["subject"]) for e in trail if e["subject"] == "market7"]
    assert mine == [(OFFICE.username, "account_reactivated", "market7"),
                    (OFFICE.username, "account_deactivated", "market7"),
                    (OFFICE.username, "password_reset", "market7"),
                    (OFFICE.username, "account_created", "market7")]
    assert trail[0]["occurred_at"] == ctx.clock.instant()
    assert [(e["actor"], e["action"]) for e in trail if e["subject"] == "fire1"] == [("cli", "account_created")]
    with pytest.raises(Exception, match="office"):
        registry.audit_trail(ctx, User("fire1", "消防·李", "inspector", "fire_rescue"))


def test_parallel_wrong_passwords_all_count_and_lock_the_account(world):
    """Issue 18 #4: 40 simultaneous wrong passwords left the counter at 1. Each failure is counted in
    the writing statement: the account is locked, and the right password is refused until it ends."""
    import threading

    from inspections.services.shared import auth
    ctx, _ = world
    outcomes, barrier = [], threading.Barrier(40)

    def wrong():
        barrier.wait()
        try:
            auth.sign_in(ctx, "fire1", "wrong-password")
        except auth.SignInError as error:
            outcomes.append(error.reason)
    threads = [threading.Thread(target=wrong) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 40 and "locked" in outcomes
    with pytest.raises(auth.SignInError) as refused:
        auth.sign_in(ctx, "fire1", "Start@2026x")
    assert refused.value.reason == "locked"
    ctx.clock.advance(auth.LOCK_FOR + dt.timedelta(seconds=1))
    assert auth.sign_in(ctx, "fire1", "Start@2026x").username == "fire1"
