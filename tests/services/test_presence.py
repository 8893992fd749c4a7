"""Issue 18 #18: checking in by the posted code proves no presence. The check-in method is recorded as
it was; the enterprise's phone shows a code that changes every ten minutes, and only an inspector on the
team who types the current (or the previous) code gets "presence proven" into the visit's record. The
office sees how visits were checked in. Hand-checked against RFC 4226's truncation."""
import datetime as dt
import hashlib
import hmac

import pytest

from inspections.domain import presence
from inspections.services.shared import access
from inspections.services.inspector import inspecting
from inspections.services.inspector import presence as presence_service
from inspections.services.shared.auth import User
from tests.conftest import SUITE_TODAY, office_user


@pytest.fixture
def visit(todays_visit):
    """Today's visit, checked in by following the enterprise's posted link (which proves nothing)."""
    ctx, row, inspector = todays_visit.ctx, todays_visit.inspection, todays_visit.inspector
    assert inspecting.check_in(ctx, inspector, row["enterprise_code"], "qr_link") == row["id"]
    return ctx, row, inspector, todays_visit.enterprise


def test_the_code_is_hotp_truncation_of_an_hmac_over_the_enterprise_and_window():
    secret, instant = b"s" * 32, dt.datetime(2026, 12, 1, 1, 59, 59, tzinfo=dt.timezone.utc)
    window = int(instant.timestamp()) // 600
    key = hmac.new(secret, b"inspect-once/presence-code/v1", hashlib.sha256).digest()
    digest = hmac.new(key, f"91XXXX|{window}".encode(), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    expected = str((int.from_bytes(digest[offset:offset + 4], "big") & 0x7FFFFFFF) % 1_000_000).zfill(6)
    assert presence.current_code(secret, "91XXXX", instant) == expected
    assert presence.window_ends(instant) == dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.timezone.utc)
    later = instant + dt.timedelta(seconds=1)                         # a new window, a new code
    assert presence.current_code(secret, "91XXXX", later) != expected
    assert presence.matches(secret, "91XXXX", expected, later)        # the one before is still good
    assert not presence.matches(secret, "91XXXX", expected, later + presence.WINDOW)
    assert not presence.matches(secret, "91YYYY", expected, instant)  # another enterprise's code
    assert presence.matches(secret, "91XXXX", expected[:3] + " " + expected[3:], instant)


def test_a_posted_code_check_in_is_recorded_as_such_and_proves_nothing(visit):
    ctx, row, _, _ = visit
    record = presence_service.record(ctx, row["id"])
    assert record["checkin_method"] == "qr_link" and record["presence_proof"] is None


def test_the_enterprises_current_code_proves_presence_once(visit):
    ctx, row, inspector, enterprise = visit
    shown = presence_service.code_for_enterprise(ctx, enterprise)
    assert shown.valid_until > ctx.clock.instant() and shown.valid_until.tzinfo is not None
    ctx.clock.advance(dt.timedelta(minutes=3))
    presence_service.confirm(ctx, inspector, row["id"], shown.code)
    record = presence_service.record(ctx, row["id"])
    assert (record["presence_proof"], record["presence_confirmed_by"]) == ("presence_code", inspector.username)
    assert record["presence_confirmed_at"] == ctx.clock.instant()
    with pytest.raises(presence_service.PresenceRefused) as again:
        presence_service.confirm(ctx, inspector, row["id"], shown.code)
    assert again.value.reason == "presence_already"


def test_a_stale_or_guessed_code_is_refused_and_guessing_is_stopped(visit):
    ctx, row, inspector, enterprise = visit
    stale = presence_service.code_for_enterprise(ctx, enterprise).code
    ctx.clock.advance(presence.WINDOW * 2)
    for _ in range(presence_service.WRONG_TRIES_PER_WINDOW):
        with pytest.raises(presence_service.PresenceRefused) as wrong:
            presence_service.confirm(ctx, inspector, row["id"], stale)
        assert wrong.value.reason == "presence_code_wrong"
    current = presence_service.code_for_enterprise(ctx, enterprise).code
    with pytest.raises(presence_service.PresenceRefused) as stopped:     # even the right one, this window
        presence_service.confirm(ctx, inspector, row["id"], current)
    assert stopped.value.reason == "presence_too_many_tries"
    assert presence_service.record(ctx, row["id"])["presence_proof"] is None


def test_only_the_team_confirms_and_only_the_enterprise_sees_its_code(visit):
    ctx, row, inspector, enterprise = visit
    code = presence_service.code_for_enterprise(ctx, enterprise).code
    colleague = ctx.db.scalar("SELECT username FROM users WHERE department = ? AND username <> ? "
                              "AND NOT list_contains(?, username) LIMIT 1",
                              [inspector.department, inspector.username, row["team"]])
    with pytest.raises(access.Forbidden):
        presence_service.confirm(ctx, User(colleague, colleague, "inspector", inspector.department), row["id"], code)
    with pytest.raises(access.NotFound):
        presence_service.code_for_enterprise(ctx, inspector)
    assert presence_service.record(ctx, row["id"])["presence_proof"] is None


def test_the_office_sees_how_visits_were_checked_in(visit):
    ctx, row, inspector, enterprise = visit
    before = {m["method"]: m for m in presence_service.check_in_methods(ctx, office_user(), SUITE_TODAY, SUITE_TODAY)}
    assert before["qr_link"]["visits"] >= 1
    presence_service.confirm(ctx, inspector, row["id"], presence_service.code_for_enterprise(ctx, enterprise).code)
    after = {m["method"]: m for m in presence_service.check_in_methods(ctx, office_user(), SUITE_TODAY, SUITE_TODAY)}
    assert after["qr_link"]["with_proof"] == before["qr_link"]["with_proof"] + 1
    with pytest.raises(Exception):
        presence_service.check_in_methods(ctx, inspector, SUITE_TODAY, SUITE_TODAY)
