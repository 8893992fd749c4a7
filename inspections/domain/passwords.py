"""The password policy as a rule: what a new or reset password must be. Pure; the policy itself is data
(inspections/rules/password_policy.yaml), loaded and validated by the accounts service."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from inspections.domain.refusals import BadInput


class PasswordPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_length: int = Field(ge=8, le=64)
    min_classes: int = Field(ge=1, le=4)
    forbidden: tuple[str, ...] = ()


def character_classes(password: str) -> int:
    """How many of the four kinds (lower, upper, digit, other) the password uses."""
    return sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))


class PasswordProblem(BadInput):
    """One way a password breaks the policy (reason 'password_too_short' with `min_length`,
    'password_too_few_kinds' with `min_classes`, 'password_has_username', 'password_common',
    'password_repetitive'); the accounts service refuses with all of them at once."""


def password_problems(policy: PasswordPolicy, password: str, username: str) -> list[PasswordProblem]:
    """Every way the password breaks the policy; empty when it is acceptable."""
    problems = []
    if len(password) < policy.min_length:
        problems.append(PasswordProblem("password_too_short", min_length=policy.min_length))
    if character_classes(password) < policy.min_classes:
        problems.append(PasswordProblem("password_too_few_kinds", min_classes=policy.min_classes))
    name = username.strip().casefold()
    if len(name) >= 3 and name in password.casefold():
        problems.append(PasswordProblem("password_has_username"))
    folded = password.casefold()
    if any(word.casefold() in folded for word in policy.forbidden):
        problems.append(PasswordProblem("password_common"))
    if len(set(password)) < 5:
        problems.append(PasswordProblem("password_repetitive"))
    return problems
