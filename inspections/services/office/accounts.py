"""Accounts: creating users with argon2 password hashes under the password policy
(inspections/rules/password_policy.yaml), resetting passwords, and recording or renewing an inspector's
enforcement ID (行政执法证: number, issuing body, valid until; domain.enforcement). Each act is written to
the audit trail in its own transaction, with who did it (an office user, or `cli` for the command line)."""
from __future__ import annotations

import functools
from pathlib import Path

from argon2 import PasswordHasher
from pydantic import ValidationError

from inspections import config
from inspections.domain.enforcement import MAX_LENGTHS, EnforcementId
from inspections.domain.passwords import PasswordPolicy, password_problems
from inspections.domain.refusals import BadInput
from inspections.readers.rules_files import RulesFileUnusable, load_rules
from inspections.store import users as user_store
from inspections.services.shared import audit, sessions
from inspections.services.shared.access import ROLES, NotFound
from inspections.services.shared.context import Context

POLICY_FILE = config.REPO_ROOT / "inspections" / "rules" / "password_policy.yaml"
_hasher = PasswordHasher()


class AccountError(BadInput):
    """An account refused: reason and values, translated by the pages (error_<reason>) and written in
    English by the command line, from the same catalogue. 'password_refused' carries `problems`, every
    domain.passwords.PasswordProblem the password has."""


@functools.lru_cache(maxsize=4)
def password_policy(path: Path = POLICY_FILE) -> PasswordPolicy:
    try:
        return load_rules(path, PasswordPolicy)
    except RulesFileUnusable as error:
        raise AccountError("password_policy_unusable", path=str(path), why=error.why) from None


def password_rule_sentence() -> str:
    policy = password_policy()
    return (f"a password needs at least {policy.min_length} characters, at least {policy.min_classes} of: "
            "lower-case letters, upper-case letters, digits, other characters; not the username; "
            "not a published or common password")


def check_password(password: str, username: str) -> None:
    """Refuse a password the policy does not accept, saying every reason."""
    problems = password_problems(password_policy(), password or "", username or "")
    if problems:
        raise AccountError("password_refused", problems=problems)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def user_record(username: str, display_name: str, password_hash: str, role: str, *,
                department: str | None = None, enterprise_code: str | None = None) -> dict:
    """A users row, checked: inspectors need a department, enterprise users an enterprise."""
    if role not in ROLES:
        raise AccountError("unknown_role", role=role, roles=", ".join(ROLES))
    if (role == "inspector") != bool(department):
        raise AccountError("inspector_department")
    if (role == "enterprise") != bool(enterprise_code):
        raise AccountError("enterprise_user_enterprise")
    if not username.strip():
        raise AccountError("username_empty")
    return {"username": username.strip(), "display_name": display_name.strip() or username,
            "password_hash": password_hash, "role": role, "department": department,
            "enterprise_code": enterprise_code}


def create_user(ctx: Context, username: str, password: str, role: str, *, display_name: str = "",
                department: str | None = None, enterprise_code: str | None = None,
                actor: str = audit.CLI_ACTOR) -> None:
    if department and department not in ctx.catalogue.department_ids:
        raise AccountError("account_unknown_department", department=department)
    check_password(password, username)
    record = user_record(username, display_name, hash_password(password), role,
                         department=department, enterprise_code=enterprise_code)
    if user_store.get(ctx.db, record["username"]):
        raise AccountError("username_taken", username=record["username"])
    at = ctx.clock.instant()
    detail = role + (f" {department}" if department else "") + (f" {enterprise_code}" if enterprise_code else "")

    def work(cursor) -> None:
        user_store.insert(cursor, record, at)
        audit.record(cursor, ctx, actor, "account_created", record["username"], detail)
    ctx.db.write(work)


def reset_password(ctx: Context, username: str, password: str, *, actor: str = audit.CLI_ACTOR) -> None:
    """A new password; the account's open sessions end with the old one (NotFound: no such account)."""
    check_password(password, username)
    hashed = hash_password(password)

    def work(cursor) -> int:
        changed = user_store.set_password(cursor, username, hashed)
        if changed:
            sessions.end_for_user(cursor, ctx, username)      # the old password's sessions end with it
            audit.record(cursor, ctx, actor, "password_reset", username)
        return changed
    if ctx.db.write(work) != 1:
        raise NotFound(username)


def enforcement_id(number: str, issuer: str, valid_until) -> EnforcementId:
    """An enforcement ID checked: a number and an issuing body within their lengths, a date."""
    try:
        return EnforcementId(number=number or "", issuer=issuer or "", valid_until=valid_until)
    except ValidationError as error:
        field = str(error.errors()[0]["loc"][0])
        raise AccountError(f"enforcement_{field}_invalid", limit=MAX_LENGTHS.get(field, "")) from None


def record_enforcement_id(ctx: Context, username: str, number: str, issuer: str, valid_until, *,
                          actor: str = audit.CLI_ACTOR) -> EnforcementId:
    """Record or renew an inspector's enforcement ID (the old one is in the audit trail's detail of the
    act that recorded it). NotFound: no inspector account of that name."""
    credential = enforcement_id(number, issuer, valid_until)

    def work(cursor) -> int:
        changed = user_store.set_enforcement_id(cursor, username, credential.number, credential.issuer,
                                                credential.valid_until)
        if changed:
            audit.record(cursor, ctx, actor, "enforcement_id_recorded", username,
                         f"{credential.number} {credential.issuer} {credential.valid_until}")
        return changed
    if ctx.db.write(work) != 1:
        raise NotFound(username)
    return credential
