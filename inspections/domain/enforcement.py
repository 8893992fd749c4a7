"""Who may inspect (长春《严格规范涉企行政检查十二条措施》, REFERENCE.md section 4), pure and without I/O.

- An inspector's enforcement ID (行政执法证) has a number, an issuing body and a last valid day: it is
  valid on a day when `valid_until >= day` (valid on its last day, not the day after).
- An account with an ID valid on a day is an *officer* that day; with an ID expired by then, *expired*;
  with no ID at all (auxiliary staff, grid workers), a *helper*. Only officers check in, answer items
  and sign; helpers may be on a team; an expired ID cannot be put on one.
- A visit's team needs at least `min_officers` officers on the visit's date (data:
  `inspections/rules/enforcement.yaml`, validated by `EnforcementRules`, default 2).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inspections.domain.rows import ImportProblem, RowProblem, cell_text, parse_date, unescape_formula


class EnforcementRules(BaseModel):
    """`inspections/rules/enforcement.yaml`: how many officers with a valid ID a visit's team needs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_officers_per_visit: int = Field(ge=1, le=20)


MAX_LENGTHS = {"number": 40, "issuer": 80}


class EnforcementId(BaseModel):
    """One inspector's enforcement ID (行政执法证)."""

    model_config = ConfigDict(frozen=True)

    number: str = Field(min_length=1, max_length=MAX_LENGTHS["number"])
    issuer: str = Field(min_length=1, max_length=MAX_LENGTHS["issuer"])
    valid_until: dt.date

    @field_validator("number", "issuer", mode="before")
    @classmethod
    def _stripped(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


class Standing(StrEnum):
    """What an account may do on a visit on a given day."""

    OFFICER = "officer"    # a valid ID: on a team, check in, answer, sign
    EXPIRED = "expired"    # an ID no longer valid: none of it
    HELPER = "helper"      # no ID: on a team as a helper only


def is_valid_on(valid_until: dt.date | None, day: dt.date) -> bool:
    """An ID is valid on every day up to and including its last valid day; no ID is never valid."""
    return valid_until is not None and valid_until >= day


def standing(number: str | None, valid_until: dt.date | None, day: dt.date) -> Standing:
    if not (number or "").strip() or valid_until is None:
        return Standing.HELPER
    return Standing.OFFICER if is_valid_on(valid_until, day) else Standing.EXPIRED


def count_officers(standings: Iterable[Standing]) -> int:
    return sum(s == Standing.OFFICER for s in standings)


# -- the roster import (services.data.imports.import_roster) ------------------------------------------
ROSTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "username": ("username", "用户名"),
    "number": ("number", "执法证号"),
    "issuer": ("issuer", "发证机关"),
    "valid_until": ("valid_until", "有效期至"),
}
ROSTER_REQUIRED = tuple(ROSTER_COLUMNS)


class RosterRow(BaseModel):
    """One inspector's ID from a roster file, with its row number for the problems found later."""

    model_config = ConfigDict(frozen=True)

    row: int
    username: str
    credential: EnforcementId


def parse_roster(rows: list[tuple[int, list[object]]], positions: dict[str, int]
                 ) -> tuple[list[RosterRow], list[RowProblem]]:
    """Check every row of a roster (every column required, the date ISO, a username and a number once
    each in the file); the good rows and one problem per bad field. Whether each username is an
    inspector account is for the importer, which knows the accounts."""
    good: list[RosterRow] = []
    problems: list[RowProblem] = []
    first_row: dict[tuple[str, str], int] = {}
    for number, values in rows:
        before = len(problems)

        def text(name: str) -> str:
            position = positions.get(name)
            return unescape_formula(cell_text(values[position] if position is not None
                                              and position < len(values) else None))

        cells = {name: text(name) for name in ROSTER_COLUMNS}
        for name in ("username", "number", "issuer"):
            if not cells[name]:
                problems.append(RowProblem(number, name, "", ImportProblem("required")))
            elif name in MAX_LENGTHS and len(cells[name]) > MAX_LENGTHS[name]:
                problems.append(RowProblem(number, name, cells[name],
                                           ImportProblem("too_long", limit=MAX_LENGTHS[name])))
        valid_until, why = parse_date(cells["valid_until"])
        if why or valid_until is None:
            problems.append(RowProblem(number, "valid_until", cells["valid_until"],
                                       why or ImportProblem("required")))
        for name in ("username", "number"):
            if cells[name]:
                earlier = first_row.setdefault((name, cells[name]), number)
                if earlier != number:
                    problems.append(RowProblem(number, name, cells[name],
                                               ImportProblem("duplicate", row=earlier, column=name)))
        if len(problems) == before:
            good.append(RosterRow(row=number, username=cells["username"], credential=EnforcementId(
                number=cells["number"], issuer=cells["issuer"], valid_until=valid_until)))
    return good, problems
