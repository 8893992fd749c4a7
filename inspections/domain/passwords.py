"""The password policy as a rule: what a new or reset password must be. Pure; the policy itself is data
(inspections/rules/password_policy.yaml), loaded and validated by the accounts service."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PasswordPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_length: int = Field(ge=8, le=64)
    min_classes: int = Field(ge=1, le=4)
    forbidden: tuple[str, ...] = ()


def character_classes(password: str) -> int:
    """How many of the four kinds (lower, upper, digit, other) the password uses."""
    return sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))


def password_problems(policy: PasswordPolicy, password: str, username: str) -> list[str]:
    """Every way the password breaks the policy, as sentences; empty when it is acceptable."""
    problems = []
    if len(password) < policy.min_length:
        problems.append(f"the password needs at least {policy.min_length} characters")
    if character_classes(password) < policy.min_classes:
        problems.append(f"the password needs at least {policy.min_classes} of: lower-case letters, "
                        "upper-case letters, digits, other characters")
    name = username.strip().casefold()
    if len(name) >= 3 and name in password.casefold():
        problems.append("the password must not contain the username")
    folded = password.casefold()
    if any(word.casefold() in folded for word in policy.forbidden):
        problems.append("this password is published or too common: choose another")
    if len(set(password)) < 5:
        problems.append("the password repeats too few different characters")
    return problems
