"""The safety office's planning on a real demo database: visits within and beyond the yearly cap (with the
override recorded and reported), exempt kinds, merge proposals accepted in one transaction, bulk plans
for a scenario and a month created all or nothing; and nobody but the office gets in."""
import datetime as dt

import pytest

from inspections.domain.merge import MergedList, merge
from inspections.services.shared import access
from inspections.services.office import planning, recheck_plans
from inspections.services.shared.auth import User
from inspections.store import planning as planning_store
from tests.conftest import SUITE_TODAY, office_user, today_at

TODAY = SUITE_TODAY
THIS_YEAR = TODAY.year
PLAN_DAY = TODAY + dt.timedelta(days=5)   # where a test's visits go unless it says otherwise
PLAN_YEAR = PLAN_DAY.year                 # whose caps they count against (next year's, late in December)


def _monday_from(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)


# a Monday in a year with nothing planned yet (the demo plans at most 30 days ahead)
NEXT_YEAR = _monday_from(dt.date(THIS_YEAR + 2, 1, 11))
# the first day of next month: a whole month of working days, all after today
NEXT_MONTH = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
OFFICE = office_user()


@pytest.fixture
def ctx(demo_ctx):
    return demo_ctx


def _usage(ctx, year=PLAN_YEAR):
    return {row["enterprise_code"]: row for row in planning.inspections_per_enterprise(ctx, year)}


def _enterprise(ctx, at_cap: bool, tier: str | None = None, recheckable: bool = False):
    """An enterprise with nothing scheduled from today on, below its cap in the plans' year; or, with
    `at_cap`, at it: its tier's cap is lowered to what it has used (the demo's history alone leaves none
    at its cap early in a year). `recheckable`: with a finished visit whose hazards are not all closed."""
    busy = {r[0] for r in ctx.db.query("SELECT enterprise_code FROM inspections WHERE status = 'scheduled'")}
    usage = _usage(ctx)
    code = next(code for code, row in sorted(usage.items()) if code not in busy and not row["at_cap"]
                and (tier is None or row["tier"] == tier) and len(planning.preview(
                    ctx, OFFICE, code, [], "routine", TODAY)["counts"]) >= 2
                and (not recheckable or recheck_plans.candidates(ctx, OFFICE, code)))
    if at_cap:
        planning.set_caps(ctx, OFFICE, {usage[code]["tier"]: usage[code]["used"]})
        assert _usage(ctx)[code]["at_cap"]
    return code


def _team(deps: list[str], team_no: str = "1") -> list[str]:
    """The `team_no` inspector of each department; one department sends its other one too (a team needs
    two officers)."""
    return [d + team_no for d in deps] + ([deps[0] + ("2" if team_no == "1" else "1")] if len(deps) == 1 else [])


def _plan(ctx, code, day=PLAN_DAY, kind="routine", reason="", override="", team_no="1",
          departments=None, nearby=True, key="", recheck_of=""):
    """A visit planned; `nearby`: confirming another visit within the merge window, if there is one."""
    deps = departments or list(planning.preview(ctx, OFFICE, code, [], kind, day, recheck_of)["counts"])
    return planning.create(ctx, OFFICE, code, day, deps[0], deps, _team(deps, team_no), kind, reason,
                           override, today=TODAY, confirm_nearby=nearby, submission_key=key, recheck_of=recheck_of)


def _count(ctx):
    return ctx.db.scalar("SELECT count(*) FROM inspections")


def test_preview_and_create_within_cap(ctx):
    code = _enterprise(ctx, at_cap=False)
    seen = planning.preview(ctx, OFFICE, code, [], "routine", PLAN_DAY)
    assert seen["cap"].allowed and seen["cap"].used == _usage(ctx)[code]["used"]
    assert sum(seen["counts"].values()) >= len(seen["merged"].items) > 10
    created = _plan(ctx, code)
    assert created["id"].startswith(f"JC{PLAN_DAY:%Y%m%d}-")
    assert (created["status"], created["kind"], created["cap_override_reason"], created["created_by"]) == \
        ("scheduled", "routine", "", "office")
    assert MergedList.model_validate_json(created["merged_list_json"]) == seen["merged"]
    assert _usage(ctx)[code]["used"] == seen["cap"].used + 1


def test_planned_visits_carry_the_next_plan_number_of_their_year_and_triggered_ones_none(ctx):
    from inspections.domain.planning import plan_number
    rules = planning.rules()

    def last(year):
        return ctx.db.scalar("SELECT coalesce(max(sequence), 0) FROM inspection_plans WHERE year = ?", [year])
    seen = last(PLAN_YEAR)
    routine = _plan(ctx, _enterprise(ctx, at_cap=False))
    assert routine["plan_number"] == plan_number(rules, PLAN_YEAR, seen + 1)
    special = _plan(ctx, _enterprise(ctx, at_cap=False), kind="special", reason="汛期专项")
    assert special["plan_number"] == plan_number(rules, PLAN_YEAR, seen + 2)
    complaint = _plan(ctx, _enterprise(ctx, at_cap=False), kind="complaint", reason="群众投诉")
    assert complaint["plan_number"] is None and last(PLAN_YEAR) == seen + 2
    later = _plan(ctx, _enterprise(ctx, at_cap=False), day=NEXT_YEAR)
    assert later["plan_number"] == plan_number(rules, NEXT_YEAR.year, last(NEXT_YEAR.year))   # its own year's count


def test_over_cap_refused_without_reason_then_recorded_and_reported(ctx):
    code = _enterprise(ctx, at_cap=True)
    before, usage = _count(ctx), _usage(ctx)[code]
    with pytest.raises(planning.PlanningError) as refused:
        _plan(ctx, code)
    assert refused.value.reason == "over_cap_needs_reason"
    assert refused.value.values == {"used": usage["used"], "cap": usage["cap"], "tier": usage["tier"]}
    assert _count(ctx) == before
    created = _plan(ctx, code, override="重大活动前安全保障，经分管领导批准")
    assert created["cap_override_reason"] == "重大活动前安全保障，经分管领导批准"
    report = planning.overrides_report(ctx, PLAN_YEAR, user=OFFICE)
    assert [(r["id"], r["cap_override_reason"], r["enterprise_code"]) for r in report] == \
        [(created["id"], "重大活动前安全保障，经分管领导批准", code)]
    assert _usage(ctx)[code]["overrides"] == 1 and _usage(ctx)[code]["used"] == usage["used"] + 1


def test_exempt_kinds_pass_at_cap_special_does_not(ctx):
    code = _enterprise(ctx, at_cap=True, recheckable=True)
    used = _usage(ctx)[code]["used"]
    complaint = _plan(ctx, code, kind="complaint", reason="群众投诉：消防通道堵塞")
    recheck = _plan(ctx, code, kind="recheck", reason="复查整改",
                    recheck_of=recheck_plans.candidates(ctx, OFFICE, code)[0]["id"])
    assert complaint["cap_override_reason"] == recheck["cap_override_reason"] == ""
    assert _usage(ctx)[code]["used"] == used and _usage(ctx)[code]["exempt"] >= 2
    with pytest.raises(planning.PlanningError) as special:
        _plan(ctx, code, kind="special", reason="专项检查")
    assert special.value.reason == "over_cap_needs_reason"


def test_cancelled_visits_free_the_cap(ctx):
    code = _enterprise(ctx, at_cap=False, tier="A")
    first = _plan(ctx, code, day=NEXT_YEAR)
    with pytest.raises(planning.PlanningError, match="over_cap_needs_reason"):
        _plan(ctx, code, day=NEXT_YEAR + dt.timedelta(days=60))
    with pytest.raises(planning.PlanningError, match="reason_required"):
        planning.cancel(ctx, OFFICE, first["id"], " ")
    assert planning.cancel(ctx, OFFICE, first["id"], "企业停产")["status"] == "cancelled"
    assert planning_store.cancellation(ctx.db.cursor(), first["id"])["reason"] == "企业停产"
    assert _plan(ctx, code, day=NEXT_YEAR + dt.timedelta(days=60))["cap_override_reason"] == ""


def test_plan_problems_are_reason_keys(ctx):
    code = _enterprise(ctx, at_cap=False)
    deps = list(planning.preview(ctx, OFFICE, code, [], "routine", TODAY)["counts"])
    other = next(d for d in ctx.catalogue.department_ids if d not in deps)
    day = TODAY + dt.timedelta(days=3)

    def reason_of(**changes):
        args = {"enterprise_code": code, "scheduled_on": day, "lead": deps[0], "departments": deps,
                "team": [d + "1" for d in deps], "kind": "routine", **changes}
        with pytest.raises(planning.PlanningError) as error:
            planning.create(ctx, OFFICE, **args, today=TODAY)
        return error.value.reason, error.value.values
    assert reason_of(enterprise_code="91220100XXXXXXXXXX")[0] == "unknown_enterprise"
    assert reason_of(departments=deps + ["police_dogs"]) == ("unknown_department", {"department": "police_dogs"})
    assert reason_of(lead=other)[0] == "lead_not_participating"
    assert reason_of(team=[d + "1" for d in deps] + ["nobody"]) == ("unknown_inspector", {"username": "nobody"})
    assert reason_of(team=[d + "1" for d in deps] + [other + "1"])[0] == "inspector_not_participating"
    assert reason_of(scheduled_on=TODAY - dt.timedelta(days=1))[0] == "past_date"
    assert reason_of(kind="complaint") == ("reason_required", {"kind": "complaint"})


def _two_visits(ctx, apart=30):
    """Two scheduled visits of one tier-D enterprise by different departments, `apart` days apart."""
    code = _enterprise(ctx, at_cap=False, tier="D")
    deps = list(planning.preview(ctx, OFFICE, code, [], "routine", TODAY)["counts"])
    first = _plan(ctx, code, day=NEXT_YEAR, departments=[deps[0]])
    second = _plan(ctx, code, day=NEXT_YEAR + dt.timedelta(days=apart), departments=[deps[1]], team_no="2")
    return code, deps, first, second


def test_accept_a_merge_proposal(ctx):
    code, deps, first, second = _two_visits(ctx)
    found = [p for p in planning.proposals(ctx, OFFICE, TODAY) if p["enterprise_code"] == code]
    assert [p["inspection_ids"] for p in found] == [[first["id"], second["id"]]]
    assert found[0]["departments"] == deps[:2] and found[0]["enterprise_name"]
    merged = planning.accept_proposal(ctx, OFFICE, found[0]["inspection_ids"], today=TODAY)
    assert merged["id"] == first["id"] and merged["scheduled_on"] == NEXT_YEAR
    assert merged["departments"] == deps[:2] and merged["team"] == list(dict.fromkeys(first["team"] + second["team"]))
    assert merged["team"][:2] == [deps[0] + "1", deps[0] + "2"]
    enterprise = planning.preview(ctx, OFFICE, code, [], "routine")["enterprise"]
    rebuilt = merge(ctx.catalogue, enterprise.sectors, deps[:2], scenario=enterprise.scenario)
    assert MergedList.model_validate_json(merged["merged_list_json"]) == rebuilt
    assert len(rebuilt.items) > len(MergedList.model_validate_json(first["merged_list_json"]).items)
    other = ctx.db.query_dicts("SELECT status FROM inspections WHERE id = ?", [second["id"]])[0]
    assert other["status"] == "cancelled"
    assert planning_store.cancellation(ctx.db.cursor(), second["id"])["merged_into"] == first["id"]
    assert not [p for p in planning.proposals(ctx, OFFICE, TODAY) if p["enterprise_code"] == code]
    with pytest.raises(planning.PlanningError, match="not_scheduled"):
        planning.accept_proposal(ctx, OFFICE, [first["id"], second["id"]], today=TODAY)


def test_a_merge_carries_the_enterprises_self_check_over(ctx):
    from inspections.services.enterprise import portal
    code, deps, first, second = _two_visits(ctx)
    firm = User("firm", "企业", "enterprise", None, code)
    first_items = {i.id for i in MergedList.model_validate_json(first["merged_list_json"]).items}
    second_items = [i.id for i in MergedList.model_validate_json(second["merged_list_json"]).items]
    shared = next(i for i in second_items if i in first_items)
    own = next(i for i in second_items if i not in first_items)
    early, late = today_at(9) - dt.timedelta(days=7), today_at(9) - dt.timedelta(days=6)
    portal.self_check_answer(ctx, firm, first["id"], shared, "pass", "已自查", now=early)
    portal.self_check_answer(ctx, firm, second["id"], shared, "fail", "第二次自查发现", now=late)
    portal.self_check_answer(ctx, firm, second["id"], own, "fail", "配电箱门未关", now=early)
    planning.accept_proposal(ctx, OFFICE, [first["id"], second["id"]], today=TODAY)
    carried = portal.check(ctx, firm, first["id"])["self_check"]
    assert carried[own]["result"] == "fail" and carried[own]["note"] == "配电箱门未关"
    assert carried[shared]["note"] == "已自查"            # the kept visit's own answer is not overwritten
    assert carried[own]["inspection_id"] == first["id"] and carried[own]["answered_by"] == "firm"


def test_accepting_keeps_another_date_when_told(ctx):
    _, _, first, second = _two_visits(ctx, apart=10)
    later = NEXT_YEAR + dt.timedelta(days=3)
    assert planning.accept_proposal(ctx, OFFICE, [second["id"], first["id"]], keep_date=later,
                                    today=TODAY)["scheduled_on"] == later


def test_a_merge_moved_into_a_full_year_is_refused_and_changes_nothing(ctx):
    """Two visits to a tier-A enterprise (cap 1) on either side of a new year, one more already in the new
    year: keeping a date in the new year would make two visits count there."""
    code = _enterprise(ctx, at_cap=False, tier="A")
    old, new = THIS_YEAR + 1, THIS_YEAR + 2
    december = _plan(ctx, code, day=dt.date(old, 12, 28))
    january = _plan(ctx, code, day=dt.date(new, 1, 4), override="跨年度专项安排", team_no="2")
    taken = _plan(ctx, code, day=dt.date(new, 6, 1), kind="special", reason="专项", override="汛期专项检查")
    before = ctx.db.query("SELECT id, status, scheduled_on FROM inspections ORDER BY id")
    with pytest.raises(planning.PlanningError) as refused:
        planning.accept_proposal(ctx, OFFICE, [december["id"], january["id"]], keep_date=dt.date(new, 1, 4),
                                 today=TODAY)
    assert refused.value.reason == "merge_over_cap"
    assert refused.value.values == {"year": new, "used": 1, "cap": 1, "tier": "A"}   # the June visit
    assert ctx.db.query("SELECT id, status, scheduled_on FROM inspections ORDER BY id") == before
    planning.cancel(ctx, OFFICE, taken["id"], "汛期专项取消")
    used_old = _usage(ctx, old)[code]["used"]
    moved = planning.accept_proposal(ctx, OFFICE, [december["id"], january["id"]], keep_date=dt.date(new, 1, 4),
                                     today=TODAY)
    assert moved["scheduled_on"] == dt.date(new, 1, 4) and _usage(ctx, new)[code]["used"] == 1
    assert _usage(ctx, old)[code]["used"] == used_old - 1          # December's visit left the old year


def test_31_days_apart_is_no_proposal_and_a_failed_merge_leaves_both_untouched(ctx, monkeypatch):
    code, _, first, second = _two_visits(ctx, apart=31)
    assert not [p for p in planning.proposals(ctx, OFFICE, TODAY) if p["enterprise_code"] == code]

    cancelled, cancel = [], planning_store.cancel

    def cancel_then_count(cursor, *args, **kwargs):
        cancelled.append(cancel(cursor, *args, **kwargs))
        return cancelled[-1]

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(planning_store, "cancel", cancel_then_count)
    monkeypatch.setattr(planning_store, "update_plan", broken)
    with pytest.raises(RuntimeError):
        planning.accept_proposal(ctx, OFFICE, [first["id"], second["id"]], today=TODAY)
    assert cancelled == [1]  # the other visit had been cancelled when the update failed: rolled back
    rows = ctx.db.query_dicts("SELECT id, status, departments, team, merged_list_json FROM inspections "
                              "WHERE id IN (?, ?) ORDER BY scheduled_on", [first["id"], second["id"]])
    assert [(r["status"], r["departments"], r["team"], r["merged_list_json"]) for r in rows] == \
        [(v["status"], v["departments"], v["team"], v["merged_list_json"]) for v in (first, second)]


def test_bulk_plan_for_a_scenario_and_a_month(ctx):
    month = NEXT_MONTH
    month_end = (month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    restaurants = [r[0] for r in ctx.db.query("SELECT code FROM enterprises WHERE scenario = 'restaurant'")]
    booked = {r[0] for r in ctx.db.query("""SELECT enterprise_code FROM inspections WHERE status = 'scheduled'
        AND scheduled_on BETWEEN ? AND ?""", [month, month_end])}
    usage = _usage(ctx, month.year)
    # restaurants of one tier are at their cap: that tier's cap is set to what its busiest one free that
    # month has used (a booked one's count would leave every free one below it)
    first_free = next(c for c in sorted(restaurants) if c not in booked)
    tier = usage[first_free]["tier"]
    free_of_tier = [c for c in restaurants if c not in booked and usage[c]["tier"] == tier]
    if not any(usage[c]["used"] for c in free_of_tier):
        # early in a year (the leap-day clock) the tier may have no counted visit yet: give it one, after the month
        planning.create(ctx, OFFICE, first_free, month_end + dt.timedelta(days=10), "market", ["market"],
                        _team(["market"]), "routine", confirm_nearby=True)
        usage = _usage(ctx, month.year)
    planning.set_caps(ctx, OFFICE, {tier: max(usage[c]["used"] for c in free_of_tier)})
    usage = _usage(ctx, month.year)
    capped = {c for c in restaurants if c not in booked and usage[c]["used"] >= usage[c]["cap"]}
    assert capped and set(restaurants) - capped - booked
    proposal = planning.bulk_proposal(ctx, OFFICE, scenario="restaurant", month=month, today=TODAY)
    assert {o.enterprise_code for o in proposal.left_out if o.reason == "at_cap"} == capped
    assert {o.enterprise_code for o in proposal.left_out if o.reason == "already_scheduled"} == \
        booked & set(restaurants)
    assert {v.enterprise_code for v in proposal.visits} == set(restaurants) - capped - booked
    assert all(v.scheduled_on.month == month.month and v.scheduled_on > TODAY and v.scheduled_on.weekday() < 5
               for v in proposal.visits)
    before = _count(ctx)
    ids = planning.bulk_create(ctx, OFFICE, proposal, today=TODAY)
    assert len(ids) == len(set(ids)) == len(proposal.visits) and _count(ctx) == before + len(ids)
    rows = ctx.db.query_dicts("SELECT enterprise_code, kind, status, team, departments FROM inspections "
                              "WHERE list_contains(?, id) ORDER BY id", [ids])
    assert {r["enterprise_code"] for r in rows} == {v.enterprise_code for v in proposal.visits}
    assert all(r["kind"] == "routine" and r["status"] == "scheduled" and len(r["team"]) == len(r["departments"])
               for r in rows)
    again = planning.bulk_proposal(ctx, OFFICE, scenario="restaurant", month=month, today=TODAY)
    assert again.visits == [] and len(again.left_out) == len(restaurants)
    numbers = {r[0] for r in ctx.db.query("SELECT plan_number FROM inspections WHERE list_contains(?, id)", [ids])}
    assert len(numbers) == 1                                     # one bulk plan, one number
    plan = ctx.db.query_dicts("SELECT * FROM inspection_plans WHERE number = ?", [numbers.pop()])[0]
    assert (plan["year"], plan["kind"], plan["visits"], plan["created_by"]) == (month.year, "routine", len(ids), "office")


def test_bulk_create_is_all_or_nothing(ctx):
    proposal = planning.bulk_proposal(ctx, OFFICE, scenario="restaurant", month=NEXT_MONTH, today=TODAY)
    assert len(proposal.visits) >= 3
    before = _count(ctx)
    spoiled = proposal.model_copy(update={"visits": proposal.visits[:-1] + [
        proposal.visits[-1].model_copy(update={"team": ["nobody"]})]})
    with pytest.raises(planning.PlanningError) as bad:
        planning.bulk_create(ctx, OFFICE, spoiled, today=TODAY)
    assert bad.value.reason == "unknown_inspector" and bad.value.values["enterprise_code"]
    # an enterprise reaching its cap after the review stops the whole plan inside the transaction
    planning.set_caps(ctx, OFFICE, {"A": 0, "B": 0, "C": 0, "D": 0})
    with pytest.raises(planning.PlanningError, match="at_cap"):
        planning.bulk_create(ctx, OFFICE, proposal, today=TODAY)
    assert _count(ctx) == before


def test_configurable_caps(ctx):
    assert planning.caps(ctx) == {"A": 1, "B": 2, "C": 4, "D": 6}
    code = _enterprise(ctx, at_cap=True, tier="A")
    assert not planning.preview(ctx, OFFICE, code, [], "routine", PLAN_DAY)["cap"].allowed
    assert planning.set_caps(ctx, OFFICE, {"A": 3}) == {"A": 3, "B": 2, "C": 4, "D": 6}
    assert planning.preview(ctx, OFFICE, code, [], "routine", PLAN_DAY)["cap"].allowed
    assert _usage(ctx)[code]["cap"] == 3
    with pytest.raises(planning.PlanningError) as bad:
        planning.set_caps(ctx, OFFICE, {"A": -1})
    assert (bad.value.reason, bad.value.values["tier"]) == ("invalid_cap", "A")


def test_only_the_office_plans(ctx):
    code = _enterprise(ctx, at_cap=False)
    proposal = planning.bulk_proposal(ctx, OFFICE, scenario="pharmacy", month=NEXT_MONTH, today=TODAY)
    visit = ctx.db.scalar("SELECT id FROM inspections WHERE status = 'scheduled' LIMIT 1")
    for user in (User("market1", "m", "inspector", department="market"),
                 User("ent01", "e", "enterprise", enterprise_code=code)):
        for call in (lambda: planning.preview(ctx, user, code, [], "routine"),
                     lambda: planning.create(ctx, user, code, NEXT_YEAR, "market", ["market"], ["market1"], "routine"),
                     lambda: planning.cancel(ctx, user, visit, "x"),
                     lambda: planning.proposals(ctx, user, TODAY),
                     lambda: planning.accept_proposal(ctx, user, [visit, visit]),
                     lambda: planning.bulk_proposal(ctx, user, scenario="pharmacy", month=NEXT_YEAR),
                     lambda: planning.bulk_create(ctx, user, proposal),
                     lambda: planning.set_caps(ctx, user, {"A": 5}),
                     lambda: planning.inspections_per_enterprise(ctx, THIS_YEAR, user=user),
                     lambda: planning.overrides_report(ctx, THIS_YEAR, user=user)):
            with pytest.raises(access.NotFound):
                call()
    assert planning.caps(ctx)["A"] == 1


def test_new_ids_skip_numbers_the_demo_already_used(ctx):
    day, number = ctx.db.query("SELECT scheduled_on, id FROM inspections ORDER BY id[-4:] LIMIT 1")[0]
    assert number.endswith("-0001") or number.endswith("-0002")  # the demo numbers its own visits from 1
    ids = ctx.db.write(lambda cursor: planning_store.new_ids(cursor, [day] * 4))
    assert len(set(ids)) == 4 and number not in ids
    assert all(i.startswith(f"JC{day:%Y%m%d}-") for i in ids)


# -- a form sent twice, a visit near another, the merge's preview -----------------------------------------
def test_a_form_sent_twice_plans_one_visit(ctx):
    """A double tap on 创建检查: the second submit of the same form (same key) returns the first visit, even
    though that visit has meanwhile taken the last place under the cap and sits within the window."""
    code = _enterprise(ctx, at_cap=False, tier="A")       # cap 1: the first visit takes the year's place
    before = _count(ctx)
    first = _plan(ctx, code, day=NEXT_YEAR, key="form-1", nearby=False)
    again = _plan(ctx, code, day=NEXT_YEAR, key="form-1", nearby=False)
    assert again["id"] == first["id"] and _count(ctx) == before + 1
    assert ctx.db.scalar("SELECT count(*) FROM inspections WHERE enterprise_code = ? AND scheduled_on = ?",
                         [code, NEXT_YEAR]) == 1
    # another form (another key) is a new visit, refused here for the cap it meets
    with pytest.raises(planning.PlanningError, match="over_cap_needs_reason"):
        _plan(ctx, code, day=NEXT_YEAR, key="form-2")
    # once the visit is cancelled, the same form plans anew
    planning.cancel(ctx, OFFICE, first["id"], "企业停产")
    renewed = _plan(ctx, code, day=NEXT_YEAR, key="form-1", nearby=False)
    assert renewed["id"] != first["id"] and renewed["status"] == "scheduled" and _count(ctx) == before + 2


def test_a_visit_within_the_window_of_another_needs_a_confirmation(ctx):
    code = _enterprise(ctx, at_cap=False, tier="D")
    window = planning.window_days()
    first = _plan(ctx, code, day=NEXT_YEAR, nearby=False)
    near = NEXT_YEAR + dt.timedelta(days=window)           # the window's last day, inclusive
    seen = planning.preview(ctx, OFFICE, code, [], "routine", near)
    assert [(v["id"], v["scheduled_on"], v["departments"]) for v in seen["nearby"]] == \
        [(first["id"], NEXT_YEAR, first["departments"])]
    before = _count(ctx)
    with pytest.raises(planning.PlanningError) as refused:
        _plan(ctx, code, day=near, nearby=False)
    assert refused.value.reason == "nearby_visits" and first["id"] in refused.value.values["visits"]
    assert refused.value.values["days"] == window and _count(ctx) == before
    earlier = NEXT_YEAR - dt.timedelta(days=window)        # before it counts as well
    assert planning.preview(ctx, OFFICE, code, [], "routine", earlier)["nearby"][0]["id"] == first["id"]
    far = NEXT_YEAR + dt.timedelta(days=window + 1)
    assert planning.preview(ctx, OFFICE, code, [], "routine", far)["nearby"] == []
    assert _plan(ctx, code, day=far, nearby=False)["scheduled_on"] == far
    confirmed = _plan(ctx, code, day=near, nearby=True, team_no="2")
    assert confirmed["scheduled_on"] == near and _count(ctx) == before + 2


def test_same_department_visits_four_days_apart_are_proposed_and_previewed(ctx):
    code = _enterprise(ctx, at_cap=False, tier="D")
    dep = list(planning.preview(ctx, OFFICE, code, [], "routine", TODAY)["counts"])[0]
    first = _plan(ctx, code, day=NEXT_YEAR, departments=[dep])
    second = _plan(ctx, code, day=NEXT_YEAR + dt.timedelta(days=4), departments=[dep], team_no="2")
    assert _usage(ctx, NEXT_YEAR.year)[code]["used"] == 2
    found = [p for p in planning.proposals(ctx, OFFICE, TODAY) if p["enterprise_code"] == code]
    assert [(p["inspection_ids"], p["departments"]) for p in found] == [([first["id"], second["id"]], [dep])]
    items = len(MergedList.model_validate_json(first["merged_list_json"]).items)   # one department: its list
    seen = planning.merge_preview(ctx, OFFICE, found[0]["inspection_ids"], today=TODAY)
    assert (seen["keep_id"], seen["dates"], seen["keep_date"]) == \
        (first["id"], [NEXT_YEAR, NEXT_YEAR + dt.timedelta(days=4)], NEXT_YEAR)
    assert (seen["departments"], seen["items"], seen["team"]) == ([dep], items, [dep + "1", dep + "2"])
    assert seen["cap_after"] == {"year": NEXT_YEAR.year, "used": 1, "cap": 6, "tier": "D", "over": False}
    later = planning.merge_preview(ctx, OFFICE, [second["id"], first["id"]], NEXT_YEAR + dt.timedelta(days=4),
                                   today=TODAY)
    assert (later["keep_id"], later["keep_date"]) == (first["id"], NEXT_YEAR + dt.timedelta(days=4))
    assert _count_rows_unchanged(ctx, first, second)
    merged = planning.accept_proposal(ctx, OFFICE, found[0]["inspection_ids"], later["keep_date"], today=TODAY)
    assert (merged["id"], merged["scheduled_on"], merged["departments"]) == (first["id"], later["keep_date"], [dep])
    assert _usage(ctx, NEXT_YEAR.year)[code]["used"] == seen["cap_after"]["used"]


def _count_rows_unchanged(ctx, *visits) -> bool:
    """The previews wrote nothing: the visits are still as they were planned."""
    rows = ctx.db.query_dicts("SELECT id, status, scheduled_on FROM inspections WHERE list_contains(?, id) "
                              "ORDER BY id", [[v["id"] for v in visits]])
    return [(r["id"], r["status"], r["scheduled_on"]) for r in rows] == \
        sorted((v["id"], v["status"], v["scheduled_on"]) for v in visits)


def test_the_merge_preview_shows_the_cap_in_the_year_the_kept_date_lands_in(ctx):
    """A tier-A enterprise (cap 1): a December visit and a January one merged onto the January date make
    January's year count 1 (the December visit leaves the old year); with a June visit already there, 2/1."""
    code = _enterprise(ctx, at_cap=False, tier="A")
    old, new = THIS_YEAR + 1, THIS_YEAR + 2
    december = _plan(ctx, code, day=dt.date(old, 12, 28))
    january = _plan(ctx, code, day=dt.date(new, 1, 4), override="跨年度专项安排", team_no="2")
    ids = [december["id"], january["id"]]
    assert planning.merge_preview(ctx, OFFICE, ids, dt.date(new, 1, 4), today=TODAY)["cap_after"] == \
        {"year": new, "used": 1, "cap": 1, "tier": "A", "over": False}
    _plan(ctx, code, day=dt.date(new, 6, 1), kind="special", reason="专项", override="汛期专项检查")
    assert planning.merge_preview(ctx, OFFICE, ids, dt.date(new, 1, 4), today=TODAY)["cap_after"] == \
        {"year": new, "used": 2, "cap": 1, "tier": "A", "over": True}
    assert planning.merge_preview(ctx, OFFICE, ids, today=TODAY)["cap_after"]["used"] == \
        _usage(ctx, old)[code]["used"]   # kept in December: the old year keeps one visit, as now


def test_visits_beyond_the_caps_are_counted_with_and_without_a_reason(ctx):
    """In a year with nothing planned: two visits to a tier-D enterprise, then D's cap lowered to 1 (one
    beyond it, no reason), then a third with an override reason (two beyond: one with, one without)."""
    code = _enterprise(ctx, at_cap=False, tier="D")
    year = NEXT_YEAR.year
    _plan(ctx, code, day=NEXT_YEAR)
    _plan(ctx, code, day=NEXT_YEAR + dt.timedelta(days=60))
    assert planning.over_cap_summary(list(_usage(ctx, year).values()))["beyond"] == 0
    planning.set_caps(ctx, OFFICE, {"D": 1})
    row = _usage(ctx, year)[code]
    assert (row["used"], row["cap"], row["beyond_with_reason"], row["beyond_without_reason"]) == (2, 1, 0, 1)
    _plan(ctx, code, day=NEXT_YEAR + dt.timedelta(days=120), override="重大活动前安全保障，经分管领导批准")
    row = _usage(ctx, year)[code]
    assert (row["used"], row["overrides"], row["beyond_with_reason"], row["beyond_without_reason"]) == (3, 1, 1, 1)
    assert planning.over_cap_summary(list(_usage(ctx, year).values())) == \
        {"beyond": 2, "with_reason": 1, "without_reason": 1, "enterprises": 1}
