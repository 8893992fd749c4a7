"""Who may inspect (domain.enforcement, domain.planning.team_problems): an ID valid up to and including its
last day, officers, expired IDs and helpers; a team's officers counted on the visit's date; a bulk plan
filling a one-department team up to the minimum; the roster rows checked. Dates are hand-picked edges."""
import datetime as dt

import pytest
from pydantic import ValidationError

from inspections.domain.enforcement import (EnforcementRules, ROSTER_COLUMNS, Standing, count_officers,
                                            is_valid_on, parse_roster, standing)
from inspections.domain.planning import BulkCandidate, InspectorRef, plan_bulk, team_problems
from inspections.services.shared import enforcement

LAST_DAY = dt.date(2027, 3, 31)


def test_an_id_is_valid_on_its_last_day_and_not_the_day_after():
    assert is_valid_on(LAST_DAY, LAST_DAY - dt.timedelta(days=1))
    assert is_valid_on(LAST_DAY, LAST_DAY)
    assert not is_valid_on(LAST_DAY, LAST_DAY + dt.timedelta(days=1))
    assert not is_valid_on(None, LAST_DAY)


def test_standing_officer_expired_helper():
    assert standing("吉220100001", LAST_DAY, LAST_DAY) == Standing.OFFICER
    assert standing("吉220100001", LAST_DAY, dt.date(2027, 4, 1)) == Standing.EXPIRED
    assert standing(None, None, LAST_DAY) == Standing.HELPER
    assert standing("  ", LAST_DAY, LAST_DAY) == Standing.HELPER        # a blank number is no ID
    assert count_officers([Standing.OFFICER, Standing.HELPER, Standing.EXPIRED, Standing.OFFICER]) == 2


def test_the_rules_file_says_two_and_refuses_nonsense():
    assert enforcement.min_officers() == 2
    with pytest.raises(ValidationError):
        EnforcementRules(min_officers_per_visit=0)
    with pytest.raises(ValidationError):
        EnforcementRules.model_validate({"min_officers_per_visit": 2, "other": 1})


def _ref(username, department, valid_until=LAST_DAY, number="吉2201"):
    return InspectorRef(username=username, department=department, enforcement_number=number if valid_until else None,
                        enforcement_valid_until=valid_until)


PEOPLE = {r.username: r for r in (
    _ref("m1", "market"), _ref("m2", "market", LAST_DAY - dt.timedelta(days=1)), _ref("f1", "fire_rescue"),
    _ref("grid", "market", None))}


def test_a_team_counts_its_officers_on_the_visits_date():
    assert team_problems(["m1", "m2"], PEOPLE, ["market"], LAST_DAY - dt.timedelta(days=1), 2) == []
    on_last_day = team_problems(["m1", "m2"], PEOPLE, ["market"], LAST_DAY, 2)     # m2 expired the day before
    assert [(p.reason, p.values.get("username"), p.values.get("count")) for p in on_last_day] == \
        [("expired_enforcement_id", "m2", None), ("too_few_officers", None, 1)]


def test_a_helper_comes_along_but_counts_for_no_officer_and_staffs_no_department():
    assert team_problems(["m1", "f1", "grid"], PEOPLE, ["market", "fire_rescue"], LAST_DAY, 2) == []
    problems = team_problems(["m1", "grid"], PEOPLE, ["market"], LAST_DAY, 2)
    assert [p.reason for p in problems] == ["too_few_officers"]
    alone = team_problems(["f1", "m1", "grid"], PEOPLE, ["market", "fire_rescue"], LAST_DAY, 3)
    assert [(p.reason, p.values) for p in alone] == [("too_few_officers", {"count": 2, "needed": 3, "day": LAST_DAY})]
    helper_only = team_problems(["m1", "f1", "grid"], {**PEOPLE, "m1": _ref("m1", "fire_rescue")},
                                ["market", "fire_rescue"], LAST_DAY, 2)
    assert [(p.reason, p.values) for p in helper_only] == [("department_without_officer", {"department": "market"})]


def test_a_bulk_plan_fills_a_one_department_team_up_to_the_minimum_or_leaves_it_out():
    candidate = BulkCandidate(enterprise_code="E1", enterprise_name="甲", tier="D", item_counts={"market": 5})
    other = candidate.model_copy(update={"enterprise_code": "E2", "enterprise_name": "乙"})
    caps, days = {"A": 1, "B": 2, "C": 4, "D": 6}, [dt.date(2027, 3, 1)]
    visits, left = plan_bulk([candidate, other], days, {"market": ["m1", "m2", "m3"]}, caps, min_officers=2)
    assert [v.team for v in visits] == [["m1", "m2"], ["m3", "m1"]] and left == []
    visits, left = plan_bulk([candidate], days, {"market": ["m1"]}, caps, min_officers=2)
    assert visits == [] and [(o.reason, o.values) for o in left] == [("too_few_officers", {"count": 1, "needed": 2})]


def _roster(*rows):
    positions = {name: n for n, name in enumerate(ROSTER_COLUMNS)}
    return parse_roster([(n, list(row)) for n, row in enumerate(rows, start=2)], positions)


def test_roster_rows_are_checked_every_field():
    good, problems = _roster(("market1", " 吉220101 ", "长春市人民政府", "2027-03-31"),
                             ("market2", "", "长春市人民政府", "2027-02-30"),
                             ("market1", "吉220101", "", dt.datetime(2027, 1, 1)),
                             ("fire1", "x" * 41, "长春市人民政府", ""))
    assert [(r.row, r.username, r.credential.number, r.credential.valid_until) for r in good] == \
        [(2, "market1", "吉220101", LAST_DAY)]
    assert [(p.row, p.column, p.why.reason) for p in problems] == [
        (3, "number", "required"), (3, "valid_until", "no_such_date"),
        (4, "issuer", "required"), (4, "username", "duplicate"), (4, "number", "duplicate"),
        (5, "number", "too_long"), (5, "valid_until", "required")]
    assert problems[3].why.values == {"row": 2, "column": "username"}
