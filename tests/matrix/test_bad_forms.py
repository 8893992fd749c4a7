"""The bad-input matrix (tests/matrix/helpers.py), the forms as the services see them: SQL metacharacters in
every text that reaches a query; every field checked, one clear reason, nothing written."""
from __future__ import annotations

import datetime as dt

import pytest

from inspections.services.shared import access, auth
from inspections.services.inspector import inspecting
from inspections.services.enterprise import portal, rectification
from inspections.services.office import registry
from inspections.services.office.accounts import AccountError
from inspections.services.shared.auth import SignInError, User
from inspections.messages import refusal as refusal_message
from inspections.store import hazards as hazard_store
from tests.matrix.conftest import TODAY, new_code, now
from tests.matrix.helpers import BAD_CHECK, CHECK_WHY, GOOD, OFFICE, SIGN_IN_NAMES, message, state


# ==================================================================================================
# 7. SQL metacharacters in every text that reaches a query
# ==================================================================================================
SQL_TEXTS = [
    pytest.param("' OR 1=1 --", id="or-1-equals-1"),
    pytest.param("'; DROP TABLE enterprises; --", id="drop-table"),
    pytest.param("\") OR (\"1\"=\"1", id="double-quoted-or"),
    pytest.param("%", id="like-percent"),
    pytest.param("_", id="like-underscore"),
    pytest.param("\\", id="backslash"),
    pytest.param("x') UNION SELECT username, password_hash FROM users --", id="union-select"),
    pytest.param("\x00", id="nul-byte"),
]


@pytest.mark.parametrize("text", SQL_TEXTS)
def test_registry_search_treats_sql_as_text(shared, text):
    ctx, _ = shared
    before = state(ctx)
    assert registry.search(ctx, OFFICE, text) == []
    assert state(ctx) == before


@pytest.mark.parametrize("username", SIGN_IN_NAMES)
def test_sign_in_username_with_sql_is_just_a_wrong_username(shared, username):
    ctx, _ = shared
    before = state(ctx)
    with pytest.raises(SignInError) as caught:
        auth.sign_in(ctx, username, "Demo@2026")
    with pytest.raises(SignInError) as wrong:  # a plain username nobody has
        auth.sign_in(ctx, "nobody-by-that-name", "Demo@2026")
    assert (caught.value.reason, caught.value.until) == (wrong.value.reason, wrong.value.until) == ("invalid", None)
    assert state(ctx) == before


CHECK_IN_CODES = [
    pytest.param("' OR 1=1 --", id="or-1-equals-1"),
    pytest.param("'; DROP TABLE inspections; --", id="drop-table"),
    pytest.param("91220100034A4B261A' OR '1'='1", id="real-code-then-or"),
    pytest.param("%", id="like-percent"),
]


@pytest.mark.parametrize("typed", CHECK_IN_CODES)
def test_check_in_typed_code_with_sql_is_a_bad_code(shared, typed):
    ctx, w = shared
    before = state(ctx)
    with pytest.raises(inspecting.InspectionError) as caught:
        inspecting.check_in(ctx, w.finished_inspector, typed, "typed", now())
    assert caught.value.reason == "bad_code"
    assert message("error_bad_code", **caught.value.values) == (
        f"'{typed}' is not a valid unified social credit code.")
    assert state(ctx) == before


# ==================================================================================================
# 8. Forms: every field checked, one clear reason, nothing written
# ==================================================================================================
def _save(**changes):
    """A registry save with the fields changed; a change may be a function of the world (a code it holds)."""
    fields = dict(code=new_code(70), name="（矩阵）新企业", sectors=["fire"], scenario=None, address="", contact="",
                  phone="", tier="B", new=True)
    fields.update(changes)
    return lambda ctx, w: registry.save(ctx, OFFICE, **{k: v(w) if callable(v) else v for k, v in fields.items()})


def _taken_code(w) -> str:
    return w.finished_enterprise


def _account(**changes):
    fields = dict(username="matrix9", password="Start@2026x", role="inspector", display_name="矩阵",
                  department="fire_rescue", enterprise_code=None)
    fields.update(changes)
    return lambda ctx, w: registry.create_account(ctx, OFFICE, **fields)


def _answer(result="fail", item=None, **changes):
    return lambda ctx, w: inspecting.answer_item(ctx, w.walk_inspector, w.walk_id, item or w.walk_item, result,
                                                 note="灭火器过期", now=now(), **changes)


def _submit(what="已更换灭火器", done_on=TODAY, hazard=None):
    return lambda ctx, w: rectification.submit(ctx, w.enterprise_user, hazard(w) if hazard else w.rect_hazard, what,
                                               done_on(ctx, w) if callable(done_on) else done_on, [], now())


def _found_on(ctx, w):
    return hazard_store.get(ctx.db, w.rect_hazard).found_on


def _major_hazard(ctx):
    return ctx.db.query_dicts("""SELECT h.id, h.deadline, u.username, u.enterprise_code FROM hazards h
        JOIN users u ON u.enterprise_code = h.enterprise_code WHERE h.level = 'major'
        AND h.status IN ('open', 'rectifying') AND h.deadline >= ? ORDER BY h.id LIMIT 1""", [TODAY])


def _extension(days=30, reason="设备到货需要时间", general=False):
    def call(ctx, w):
        if general:
            return rectification.request_extension(ctx, w.enterprise_user, w.rect_hazard,
                                                   TODAY + dt.timedelta(days=days), reason, now())
        found = _major_hazard(ctx)
        # the demo world (the same on any day) leaves each enterprise account a visit 12 days ago with
        # open findings, major where the item has a major-hazard criterion
        assert found, "the demo world holds no open major hazard of an enterprise with an account"
        h = found[0]
        user = User(h["username"], "x", "enterprise", enterprise_code=h["enterprise_code"])
        return rectification.request_extension(ctx, user, h["id"], h["deadline"] + dt.timedelta(days=days), reason,
                                               now())
    return call


def _rate(rating, finished=True):
    def call(ctx, w):
        visit = ctx.db.query_dicts("""SELECT i.id, u.username, u.enterprise_code FROM inspections i
            JOIN users u ON u.enterprise_code = i.enterprise_code WHERE i.status = ?
            AND i.id NOT IN (SELECT inspection_id FROM evaluations) ORDER BY i.id LIMIT 1""",
                                   ["completed" if finished else "scheduled"])[0]
        user = User(visit["username"], "x", "enterprise", enterprise_code=visit["enterprise_code"])
        return portal.rate(ctx, user, visit["id"], rating, "好", now())
    return call


# (the form's call, the error class, its reason (or None), a text its message must hold, the page message key)
FORM_CASES = [
    pytest.param(_save(code=BAD_CHECK), registry.RegistryError, "bad_credit_code", CHECK_WHY, "error_bad_credit_code",
                 id="registry-credit-code-wrong-check-character"),
    pytest.param(_save(code=GOOD[:17]), registry.RegistryError, "bad_credit_code", "has 17 characters",
                 "error_bad_credit_code", id="registry-credit-code-17-characters"),
    pytest.param(_save(code=GOOD[:3] + "O" + GOOD[4:]), registry.RegistryError, "bad_credit_code", "contains 'O'",
                 "error_bad_credit_code", id="registry-credit-code-letter-O"),
    pytest.param(_save(code="' OR 1=1 --"), registry.RegistryError, "bad_credit_code", "characters",
                 "error_bad_credit_code", id="registry-credit-code-sql"),
    pytest.param(_save(name="   "), registry.RegistryError, "name_required", None, "error_name_required",
                 id="registry-name-blank"),
    pytest.param(_save(sectors=["mining"]), registry.RegistryError, "sectors_required", None, "error_sectors_required",
                 id="registry-unknown-sector"),
    pytest.param(_save(sectors=[]), registry.RegistryError, "sectors_required", None, "error_sectors_required",
                 id="registry-no-sector"),
    pytest.param(_save(scenario="moon_base"), registry.RegistryError, "unknown_scenario", "moon_base",
                 "error_unknown_scenario", id="registry-unknown-scenario"),
    pytest.param(_save(tier="E"), registry.RegistryError, "bad_tier", None, "error_bad_tier", id="registry-tier-E"),
    pytest.param(_save(code=_taken_code), registry.RegistryError, "code_taken", _taken_code,
                 "error_code_taken", id="registry-new-with-a-taken-code"),
    pytest.param(_save(new=False), access.NotFound, None, None, "not_found", id="registry-edit-unknown-code"),
    pytest.param(_save(code=new_code(71), phone="call me maybe"), registry.RegistryError, None, "phone", None,
                 id="registry-phone-not-a-number"),
    pytest.param(_account(password="Short1!xy"), AccountError, "password_refused", "at least 10 characters",
                 "error_password_refused",
                 id="account-password-9-characters"),
    pytest.param(_account(password="Demo@2026Demo"), AccountError, "password_refused", "published or too common",
                 "error_password_refused",
                 id="account-password-the-published-one-lengthened"),
    pytest.param(_account(department=None), AccountError, "inspector_department", "an inspector needs a department",
                 "error_inspector_department",
                 id="account-inspector-without-department"),
    pytest.param(_account(department="police"), AccountError, "account_unknown_department",
                 "unknown department 'police'", "error_account_unknown_department",
                 id="account-unknown-department"),
    pytest.param(_account(role="enterprise", department=None, enterprise_code=new_code(72)), AccountError,
                 "account_unknown_enterprise", f"unknown enterprise '{new_code(72)}'", "error_account_unknown_enterprise",
                 id="account-unknown-enterprise"),
    pytest.param(_account(role="admin", department=None), AccountError, "unknown_role", "unknown role 'admin'",
                 "error_unknown_role",
                 id="account-unknown-role"),
    pytest.param(_account(username="office", role="office", department=None), AccountError, "username_taken",
                 "the username 'office' is taken", "error_username_taken", id="account-username-taken"),
    pytest.param(_account(username="   "), AccountError, "username_empty", "the username is empty",
                 "error_username_empty",
                 id="account-username-blank"),
    pytest.param(_answer(result="maybe"), inspecting.InspectionError, "bad_result", None, "error_bad_result",
                 id="answer-unknown-result"),
    pytest.param(_answer(level="major", deadline=TODAY + dt.timedelta(days=91)), inspecting.InspectionError,
                 "bad_deadline", "90 days", "error_bad_deadline", id="answer-deadline-91-days"),
    pytest.param(_answer(deadline=TODAY - dt.timedelta(days=1)), inspecting.InspectionError, "bad_deadline", None,
                 "error_bad_deadline", id="answer-deadline-before-the-finding"),
    pytest.param(_answer(item="ZZ-999"), access.NotFound, None, None, "not_found", id="answer-item-not-on-the-list"),
    pytest.param(_submit(what="  \n "), portal.PortalError, "describe_rectification", None,
                 "error_describe_rectification", id="rectify-what-was-done-blank"),
    pytest.param(_submit(done_on=TODAY + dt.timedelta(days=1)), portal.PortalError, "cannot_submit",
                 "between the finding and today", "error_cannot_submit", id="rectify-done-tomorrow"),
    pytest.param(_submit(done_on=lambda ctx, w: _found_on(ctx, w) - dt.timedelta(days=1)), portal.PortalError,
                 "cannot_submit", "between the finding and today", "error_cannot_submit",
                 id="rectify-done-before-the-finding"),
    pytest.param(_submit(hazard=lambda w: w.finding_hazards["script-tag"]), portal.PortalError, "cannot_submit",
                 "submitted", "error_cannot_submit", id="rectify-already-submitted"),
    pytest.param(_extension(general=True), portal.PortalError, "extension_major_only", None,
                 "error_extension_major_only", id="extension-for-a-general-hazard"),
    pytest.param(_extension(days=0), portal.PortalError, "extension_not_later", None, "error_extension_not_later",
                 id="extension-deadline-not-later"),
    pytest.param(_extension(reason=" "), portal.PortalError, "extension_reason", None, "error_extension_reason",
                 id="extension-reason-blank"),
    pytest.param(_rate(0), portal.PortalError, "bad_rating", None, "error_bad_rating", id="rating-0-stars"),
    pytest.param(_rate(6), portal.PortalError, "bad_rating", None, "error_bad_rating", id="rating-6-stars"),
    pytest.param(_rate("5"), portal.PortalError, "bad_rating", None, "error_bad_rating", id="rating-as-text"),
    pytest.param(_rate(4, finished=False), portal.PortalError, "rate_after_finish", None, "error_rate_after_finish",
                 id="rating-a-visit-not-finished"),
]


@pytest.mark.parametrize("call, error, reason, text, key", FORM_CASES)
def test_form_refuses_with_a_clear_reason_and_writes_nothing(shared, call, error, reason, text, key):
    ctx, w = shared
    before = state(ctx)
    with pytest.raises(error) as caught:
        call(ctx, w)
    values = getattr(caught.value, "values", {})
    if reason is not None:
        assert caught.value.reason == reason
    if key and key.startswith(("error_", "photo_")):     # the page's own rendering, a cause translated too
        prefix = key.split("_")[0]
        assert f"{prefix}_{caught.value.reason}" == key
        shown = refusal_message(caught.value, "en", prefix)
    else:
        shown = message(key, **values) if key else str(caught.value)
    if text is not None:
        assert (text(w) if callable(text) else text) in shown, shown
    assert state(ctx) == before
