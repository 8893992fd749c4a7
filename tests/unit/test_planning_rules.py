"""Planning rules (domain.planning), every expectation checked by hand: the yearly cap per tier (the
shipped defaults read from inspections/rules/planning.yaml), exempt kinds, cancelled visits, a tier
change mid-year, the merge window's edges (whatever departments the visits bring), the count after a
merge, visits beyond the cap with and without a reason, bulk left-outs and the kind/reason/team/department
rules."""
import datetime as dt

import pytest
from pydantic import ValidationError

from inspections.domain import planning as rules
from inspections.domain.planning import (EXEMPT_KINDS, KINDS, BulkCandidate, InspectorRef, PlanningRules,
                                         VisitRef, beyond_cap, count_after_merge, counts_toward_cap,
                                         merge_proposals, plan_number, validate_caps, validate_kind, validate_plan)

D0 = dt.date(2026, 3, 2)
CAPS = {"A": 1, "B": 2, "C": 4, "D": 6}   # the Shanxi 1/2/4/6 grading, as the shipped rules file says
WINDOW = 30


def cap_check(tier, kinds, new_kind, caps=CAPS):
    return rules.cap_check(tier, kinds, new_kind, caps)


def plan_bulk(candidates, days, pool, kind="routine"):
    return rules.plan_bulk(candidates, days, pool, CAPS, kind)


def _routine(n, status="completed"):
    return [("routine", status)] * n


@pytest.mark.parametrize("tier, cap", [("A", 1), ("B", 2), ("C", 4), ("D", 6)])
def test_each_tier_allows_exactly_its_cap(tier, cap):
    from inspections.services.office import planning
    assert planning.rules().default_caps[tier] == CAPS[tier] == cap
    below = cap_check(tier, _routine(cap - 1), "routine")
    assert (below.allowed, below.used, below.cap, below.exempt) == (True, cap - 1, cap, False)
    at = cap_check(tier, _routine(cap), "routine")
    assert (at.allowed, at.used, at.needs_override) == (False, cap, True)


def test_special_counts_like_routine():
    assert counts_toward_cap("special", "scheduled")
    assert not cap_check("B", [("special", "completed"), ("routine", "scheduled")], "special").allowed
    assert not cap_check("A", [("special", "completed")], "routine").allowed


@pytest.mark.parametrize("kind", ["recheck", "complaint"])
def test_exempt_kinds_are_never_blocked_and_never_counted(kind):
    assert kind in EXEMPT_KINDS and not counts_toward_cap(kind, "completed")
    full = cap_check("A", _routine(5), kind)  # far over the cap of 1
    assert (full.allowed, full.exempt, full.used) == (True, True, 5)
    # ten exempt visits leave a tier-A enterprise its one routine visit
    spared = cap_check("A", [(kind, "completed")] * 10, "routine")
    assert (spared.allowed, spared.used, spared.cap, spared.exempt) == (True, 0, 1, False)


def test_cancelled_visits_do_not_count():
    assert not counts_toward_cap("routine", "cancelled")
    check = cap_check("B", _routine(5, "cancelled") + [("routine", "scheduled")], "routine")
    assert (check.allowed, check.used) == (True, 1)
    # scheduled and in-progress visits count like completed ones
    assert cap_check("B", [("routine", "scheduled"), ("special", "in_progress")], "routine").used == 2


def test_a_tier_change_mid_year_applies_the_current_tier_to_the_whole_year():
    # three routine visits while tier C (cap 4); the enterprise is now tier A (cap 1): the year's three
    # count against the cap of 1, so a fourth routine visit needs an override; nothing planned is undone
    year = _routine(2) + [("routine", "scheduled")]
    assert cap_check("C", year, "routine").allowed
    now_a = cap_check("A", year, "routine")
    assert (now_a.allowed, now_a.used, now_a.cap) == (False, 3, 1)
    # and the other way: tier A with one visit moving to D (cap 6) may be visited again
    assert cap_check("D", _routine(1), "routine").allowed


def test_configured_caps_and_their_validation():
    assert not cap_check("B", _routine(1), "routine", caps={**CAPS, "B": 1}).allowed
    assert not cap_check("A", [], "routine", caps={**CAPS, "A": 0}).allowed  # never proactively
    assert cap_check("A", [], "complaint", caps={**CAPS, "A": 0}).allowed
    with pytest.raises(ValueError):
        cap_check("E", [], "routine")
    assert validate_caps({"A": 0, "D": 12}) == []
    assert [(p.reason, p.values.get("tier")) for p in validate_caps({"E": 1, "A": -1, "B": 2.5, "C": True})] == \
        [("unknown_tier", "E"), ("invalid_cap", "A"), ("invalid_cap", "B"), ("invalid_cap", "C")]


NUMBERS = "汽开检计〔{year}〕{sequence:04d}号"


def test_the_rules_file_is_validated():
    from inspections.services.office import planning
    assert planning.rules().merge_window_days == WINDOW
    assert PlanningRules(default_caps=CAPS, merge_window_days=7, plan_number_format=NUMBERS).merge_window_days == 7
    good = {"default_caps": CAPS, "merge_window_days": 30, "plan_number_format": NUMBERS}
    for bad in ({**good, "default_caps": {**CAPS, "A": -1}},
                {**good, "default_caps": {"A": 1, "B": 2, "C": 4}},   # no cap for D
                {**good, "default_caps": {**CAPS, "E": 3}},
                {**good, "merge_window_days": 0},
                {"default_caps": CAPS, "plan_number_format": NUMBERS}, {**good, "extra": 1},
                {"default_caps": CAPS, "merge_window_days": 30},                 # no plan number format
                {**good, "plan_number_format": "计划〔{year}〕号"},               # every plan the same number
                {**good, "plan_number_format": "计划第{sequence}号"},            # no year
                {**good, "plan_number_format": "计划〔{year}〕{number}号"}):     # a name it is not given
        with pytest.raises(ValidationError):
            PlanningRules.model_validate(bad)


def test_plan_numbers_count_from_one_each_year_in_the_rules_format():
    rules = PlanningRules(default_caps=CAPS, merge_window_days=30, plan_number_format=NUMBERS)
    assert plan_number(rules, 2026, 1) == "汽开检计〔2026〕0001号"
    assert plan_number(rules, 2027, 12) == "汽开检计〔2027〕0012号"
    from inspections.services.office import planning
    assert plan_number(planning.rules(), 2026, 7) != plan_number(planning.rules(), 2026, 8)   # the real file


def test_an_unusable_rules_file_is_refused_with_its_path(tmp_path):
    from inspections.services.office import planning
    path = tmp_path / "planning.yaml"
    path.write_text("default_caps: {A: 1, B: 2, C: 4, D: 6}\nmerge_window_days: -3\n", encoding="utf-8")
    with pytest.raises(planning.PlanningError) as refused:
        planning.rules(path)
    assert refused.value.reason == "planning_rules_unusable"
    assert refused.value.values["path"] == str(path) and "merge_window_days" in refused.value.values["why"]


def test_beyond_the_cap_with_and_without_a_reason():
    assert beyond_cap(3, 1, 2) == (2, 0)    # two over a cap of 1, both planned with a reason
    assert beyond_cap(5, 4, 0) == (0, 1)    # one over, no reason (a cap lowered later)
    assert beyond_cap(4, 2, 1) == (1, 1)
    assert beyond_cap(2, 2, 1) == (0, 0)    # at the cap: a reason left from a higher cap covers nothing
    assert beyond_cap(0, 0, 0) == (0, 0)


def test_the_count_after_a_merge():
    year = [("v1", "routine", "scheduled"), ("v2", "routine", "scheduled"), ("v3", "complaint", "completed"),
            ("v4", "routine", "completed"), ("v5", "special", "cancelled")]
    # v1 and v2 merged: v4 still counts, the kept routine visit once: 2 (was 3)
    assert count_after_merge(year, ["v1", "v2"], "routine") == 2
    # a merged visit from another year (v9) lands here: the year's three plus the kept one
    assert count_after_merge(year, ["v9", "v8"], "routine") == 4
    # an exempt kept visit adds nothing
    assert count_after_merge(year, ["v1", "v2"], "recheck") == 1


# -- merge proposals --------------------------------------------------------------------------------
def _visit(id, days, departments, team=None, code="E1", status="scheduled"):
    return VisitRef(id=id, enterprise_code=code, scheduled_on=D0 + dt.timedelta(days=days),
                    departments=departments, team=team or [d + "1" for d in departments], status=status)


@pytest.mark.parametrize("apart, proposed", [(0, True), (29, True), (30, True), (31, False)])
def test_window_edges_30_days_inclusive(apart, proposed):
    found = merge_proposals([_visit("v1", 0, ["market"]), _visit("v2", apart, ["fire_rescue"])], WINDOW)
    assert bool(found) is proposed
    if proposed:
        assert found[0].inspection_ids == ["v1", "v2"] and found[0].span_days == apart


def test_a_proposal_unites_departments_and_teams_earliest_first():
    found = merge_proposals([_visit("v2", 10, ["fire_rescue", "market"], ["fire_rescue2", "market1"]),
                             _visit("v1", 3, ["market"], ["market1"])], WINDOW)
    assert len(found) == 1
    p = found[0]
    assert (p.enterprise_code, p.inspection_ids, p.first_date) == ("E1", ["v1", "v2"], D0 + dt.timedelta(3))
    assert p.departments == ["market", "fire_rescue"] and p.team == ["market1", "fire_rescue2"]


def test_the_same_departments_twice_are_proposed_too():
    # the pharmacy booked by one team on 12-02 and 12-06: 4 days apart, one visit's worth
    found = merge_proposals([_visit("v1", 0, ["market"]), _visit("v2", 4, ["market"])], WINDOW)
    assert [(p.inspection_ids, p.departments, p.team, p.span_days) for p in found] == \
        [(["v1", "v2"], ["market"], ["market1"], 4)]
    # the same joint team at a petrol station four times in 12 days: one group of four
    found = merge_proposals([_visit(f"p{n}", days, ["market", "fire_rescue"]) for n, days in
                             enumerate((0, 3, 8, 12))], WINDOW)
    assert [(p.inspection_ids, p.departments, p.span_days) for p in found] == \
        [(["p0", "p1", "p2", "p3"], ["market", "fire_rescue"], 12)]
    # outside the window they are two visits, not one
    assert merge_proposals([_visit("v1", 0, ["market"]), _visit("v2", WINDOW + 1, ["market"])], WINDOW) == []


def test_three_visits_chaining_make_one_group_and_a_fresh_start():
    # 0 -> 20 -> 40: 0 and 20 are within 30 days, 40 is 40 days after the anchor 0
    found = merge_proposals([_visit("a", 0, ["market"]), _visit("b", 20, ["fire_rescue"]),
                             _visit("c", 40, ["housing"])], WINDOW)
    assert [p.inspection_ids for p in found] == [["a", "b"]]
    # with a fourth at 55, the fresh start at 40 finds a partner (15 days)
    found = merge_proposals([_visit("a", 0, ["market"]), _visit("b", 20, ["fire_rescue"]),
                             _visit("c", 40, ["housing"]), _visit("d", 55, ["market"])], WINDOW)
    assert [p.inspection_ids for p in found] == [["a", "b"], ["c", "d"]]
    # all three within 30 days of the first: one group of three
    found = merge_proposals([_visit("a", 0, ["market"]), _visit("b", 10, ["fire_rescue"]),
                             _visit("c", 30, ["housing"])], WINDOW)
    assert [p.inspection_ids for p in found] == [["a", "b", "c"]]


def test_an_anchor_alone_in_its_window_lets_the_next_visit_pair_up():
    # market at 0 has nothing within 30 days; market at 35 with fire at 50 (15 days) is a merge
    found = merge_proposals([_visit("a", 0, ["market"]), _visit("b", 35, ["market"]),
                             _visit("c", 50, ["fire_rescue"])], WINDOW)
    assert [p.inspection_ids for p in found] == [["b", "c"]]


def test_only_scheduled_visits_of_one_enterprise_are_grouped():
    visits = [_visit("a", 0, ["market"]), _visit("b", 5, ["fire_rescue"], code="E2"),
              _visit("c", 6, ["fire_rescue"], status="cancelled"), _visit("d", 7, ["housing"], status="completed"),
              _visit("e", 8, ["housing"], status="in_progress")]
    assert merge_proposals(visits, WINDOW) == []
    assert merge_proposals([_visit("a", 0, ["market"]), _visit("b", 10, ["fire_rescue"])], window_days=9) == []


# -- bulk plans -------------------------------------------------------------------------------------
def _candidate(code, tier="B", kinds=(), counts=None, booked=None):
    return BulkCandidate(enterprise_code=code, enterprise_name=code, tier=tier, kinds_this_year=list(kinds),
                         item_counts=counts or {"market": 10, "fire_rescue": 5}, booked=booked)


def test_bulk_plan_leaves_out_with_why_and_takes_turns():
    pool = {"market": ["market1", "market2"], "fire_rescue": ["fire_rescue1"]}
    days = [D0, D0 + dt.timedelta(1)]
    visits, left = plan_bulk([
        _candidate("E1"), _candidate("E2", tier="A", kinds=[("routine", "completed")]),
        _candidate("E3", booked="JC1"), _candidate("E4", counts={"market": 0, "fire_rescue": 0}),
        _candidate("E5", counts={"housing": 3}), _candidate("E6", counts={"market": 4, "fire_rescue": 0}),
        _candidate("E7", tier="A", kinds=[("complaint", "completed"), ("routine", "cancelled")]),
    ], days, pool)
    assert [(v.enterprise_code, v.scheduled_on, v.departments, v.team) for v in visits] == [
        ("E1", D0, ["market", "fire_rescue"], ["market1", "fire_rescue1"]),
        ("E6", D0 + dt.timedelta(1), ["market"], ["market2"]),
        ("E7", D0, ["market", "fire_rescue"], ["market1", "fire_rescue1"])]
    assert visits[1].item_counts == {"market": 4}
    assert [(o.enterprise_code, o.reason, o.values) for o in left] == [
        ("E2", "at_cap", {"used": 1, "cap": 1, "tier": "A"}), ("E3", "already_scheduled", {"inspection_id": "JC1"}),
        ("E4", "no_items", {}), ("E5", "no_inspector", {"department": "housing"})]


# -- kind, reason, team, departments ------------------------------------------------------------------
INSPECTORS = {"market1": InspectorRef(username="market1", department="market"),
              "fire_rescue1": InspectorRef(username="fire_rescue1", department="fire_rescue"),
              "housing1": InspectorRef(username="housing1", department="housing"),
              "market9": InspectorRef(username="market9", department="market", active=False)}


def _problems(kind="routine", reason="", lead="market", departments=("market", "fire_rescue"),
              team=("market1", "fire_rescue1"), day=D0, today=D0):
    return [(p.reason, p.values) for p in validate_plan(kind, reason, lead, list(departments), list(team),
                                                        INSPECTORS, day, today)]


def test_a_sound_plan_has_no_problems():
    assert KINDS == ("routine", "complaint", "recheck", "special")
    assert _problems() == []
    assert _problems(kind="special", reason="专项检查", day=D0 + dt.timedelta(10)) == []


@pytest.mark.parametrize("kind", ["complaint", "recheck", "special"])
def test_complaint_recheck_and_special_need_a_reason(kind):
    assert _problems(kind=kind) == [("reason_required", {"kind": kind})]
    assert _problems(kind=kind, reason="   ") == [("reason_required", {"kind": kind})]
    assert _problems(kind=kind, reason="群众投诉") == []
    assert validate_kind("routine", "") == []


def test_unknown_kind_and_past_date():
    assert _problems(kind="visit")[0][0] == "unknown_kind"
    assert _problems(day=D0 - dt.timedelta(1)) == [
        ("past_date", {"scheduled_on": D0 - dt.timedelta(1), "today": D0})]


def test_team_rules():
    assert _problems(team=()) == [("team_required", {})]
    assert _problems(team=("market1", "fire_rescue1", "nobody")) == [("unknown_inspector", {"username": "nobody"})]
    assert _problems(team=("market1", "fire_rescue1", "market9")) == [("inactive_inspector", {"username": "market9"})]
    assert _problems(team=("market1", "fire_rescue1", "housing1")) == [
        ("inspector_not_participating", {"username": "housing1", "department": "housing"})]
    assert _problems(team=("market1",)) == [("department_without_inspector", {"department": "fire_rescue"})]


def test_department_and_lead_rules():
    assert _problems(departments=(), team=()) == [("no_departments", {}), ("team_required", {})]
    assert _problems(lead="housing") == [("lead_not_participating", {"lead": "housing",
                                                                     "departments": ["market", "fire_rescue"]})]
    assert _problems(lead="")[0][0] == "lead_not_participating"


def test_a_department_with_nothing_to_check_has_no_business_coming():
    problems = validate_plan("routine", "", "market", ["market", "fire_rescue"], ["market1", "fire_rescue1"],
                             INSPECTORS, D0, D0, item_counts={"market": 12, "fire_rescue": 0})
    assert [(p.reason, p.values) for p in problems] == [("department_has_no_items", {"department": "fire_rescue"})]
