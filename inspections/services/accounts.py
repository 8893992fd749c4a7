"""Accounts: creating users with argon2 password hashes. (Sign-in, lockout and sessions come with the
inspector pages.)"""
from __future__ import annotations

from argon2 import PasswordHasher

from ..store import users as user_store
from .context import Context

ROLES = ("inspector", "enterprise", "office")
_hasher = PasswordHasher()


class AccountError(ValueError):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def user_record(username: str, display_name: str, password_hash: str, role: str, *,
                department: str | None = None, enterprise_code: str | None = None) -> dict:
    """A users row, checked: inspectors need a department, enterprise users an enterprise."""
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}' (use one of: {', '.join(ROLES)})")
    if (role == "inspector") != bool(department):
        raise AccountError("an inspector needs a department, and only inspectors have one")
    if (role == "enterprise") != bool(enterprise_code):
        raise AccountError("an enterprise user needs an enterprise, and only they have one")
    if not username.strip():
        raise AccountError("the username is empty")
    return {"username": username.strip(), "display_name": display_name.strip() or username,
            "password_hash": password_hash, "role": role, "department": department,
            "enterprise_code": enterprise_code}


def create_user(ctx: Context, username: str, password: str, role: str, *, display_name: str = "",
                department: str | None = None, enterprise_code: str | None = None) -> None:
    if len(password) < 8:
        raise AccountError("the password needs at least 8 characters")
    if department and department not in ctx.catalogue.department_ids:
        raise AccountError(f"unknown department '{department}'")
    record = user_record(username, display_name, hash_password(password), role,
                         department=department, enterprise_code=enterprise_code)
    if user_store.get(ctx.db, record["username"]):
        raise AccountError(f"the username '{record['username']}' is taken")
    at = ctx.clock.instant()
    ctx.db.write(lambda cursor: user_store.insert(cursor, record, at))
