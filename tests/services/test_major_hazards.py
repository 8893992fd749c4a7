"""The steps of a hazard to the end through the services, on the demo world: a failed item fixed on the
spot (立查立改) closes at the finish, the enterprise's 五落实 plan, supervision with its details, a major
accepted on site and closed only by the office's approval, a refused approval keeping it open; a refused
step writes nothing."""
import datetime as dt

import pytest

from inspections.domain.hazards import Level, RectificationPlan, Status, TransitionError
from inspections.domain.refusals import Refused
from inspections.services.data.stats import closure_stats
from inspections.services.enterprise import major_plans, rectification
from inspections.services.inspector import inspecting, rechecks, spot_fixes
from inspections.services.office import oversight
from inspections.services.shared.access import NotFound
from inspections.services.shared.auth import User
from inspections.store import hazards as hazard_store
from tests.conftest import SUITE_TODAY, jpeg, office_user, today_at

NOW = today_at(9, 30)
OFFICE = office_user()


def _events(ctx):
    return ctx.db.scalar("SELECT count(*) FROM hazard_events")


def _open_major(ctx, status="rectifying"):
    row = ctx.db.query_dicts("SELECT id, enterprise_code, department FROM hazards WHERE level = 'major' AND status = ? "
                             "AND found_on < ? - INTERVAL 10 DAY ORDER BY id LIMIT 1", [status, SUITE_TODAY])[0]
    return hazard_store.get(ctx.db, row["id"]), User("rep", "代表", "enterprise", enterprise_code=row["enterprise_code"])


def _plan(hazard):
    return RectificationPlan(responsible="王五", measures="更换防爆电气", funds="3万元",
                             deadline=hazard.deadline, interim_measures="停用该区域，专人值守")


def test_a_failed_item_fixed_on_the_spot_is_found_and_closed_at_the_finish(todays_visit):
    ctx, inspection, inspector = todays_visit.ctx, todays_visit.inspection, todays_visit.inspector
    before = closure_stats(ctx, "level", as_of=SUITE_TODAY).total
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", NOW)
    items = inspecting.walk(ctx, inspector, inspection["id"]).merged.items
    for item in items[:-2]:
        inspecting.answer_item(ctx, inspector, inspection["id"], item.id, "pass", now=NOW)
    fixed, kept = items[-2].id, items[-1].id
    with pytest.raises(spot_fixes.SpotFixRefused) as passed:
        spot_fixes.record(ctx, inspector, inspection["id"], items[0].id, "清理", jpeg(), NOW)
    assert passed.value.reason == "spot_fix_needs_failure" and spot_fixes.of_visit(ctx, inspector, inspection["id"]) == {}
    for item_id in (fixed, kept):
        inspecting.answer_item(ctx, inspector, inspection["id"], item_id, "fail", note="安全出口堆放杂物", now=NOW)
    with pytest.raises(spot_fixes.SpotFixRefused) as wordless:
        spot_fixes.record(ctx, inspector, inspection["id"], fixed, "  ", jpeg(), NOW)
    assert wordless.value.reason == "spot_fix_what_required"
    with pytest.raises(NotFound):   # not on the team
        spot_fixes.record(ctx, todays_visit.outsider, inspection["id"], fixed, "清理", jpeg(), NOW)
    inspecting.answer_item(ctx, inspector, inspection["id"], fixed, "fail", note="安全出口堆放杂物", level="major", now=NOW)
    with pytest.raises(spot_fixes.SpotFixRefused) as major:      # a major is closed by acceptance and approval
        spot_fixes.record(ctx, inspector, inspection["id"], fixed, "清理", jpeg(), NOW)
    assert major.value.reason == "spot_fix_not_for_major"
    inspecting.answer_item(ctx, inspector, inspection["id"], fixed, "fail", note="安全出口堆放杂物", level="general", now=NOW)
    fix = spot_fixes.record(ctx, inspector, inspection["id"], fixed, "当场清理出口杂物", jpeg(), NOW)
    inspecting.answer_item(ctx, inspector, inspection["id"], fixed, "fail", note="安全出口堆放杂物", level="major", now=NOW)
    with pytest.raises(inspecting.InspectionError) as made_major:   # made major after the fix: refused at the finish
        inspecting.finish(ctx, inspector, inspection["id"], jpeg(300, 100), jpeg(300, 100), NOW)
    assert made_major.value.reason == "spot_fix_major" and hazard_store.for_inspection(ctx.db, inspection["id"]) == []
    inspecting.answer_item(ctx, inspector, inspection["id"], fixed, "fail", note="安全出口堆放杂物", level="general", now=NOW)
    hazards = {h.item_id: h for h in inspecting.finish(ctx, inspector, inspection["id"], jpeg(300, 100), jpeg(300, 100), NOW)}
    spot = hazards[fixed]
    assert spot.status == Status.CLOSED and spot.fixed_on_spot
    assert spot.found_on == spot.rectified_on == spot.closed_on == inspection["scheduled_on"]
    assert hazards[kept].status == Status.OPEN and not hazards[kept].fixed_on_spot
    [event] = hazard_store.events(ctx.db, spot.id)
    assert (event.action, event.note, event.evidence) == ("fix_on_spot", "当场清理出口杂物", [fix["photo_id"]])
    assert rechecks.evidence_photos(ctx, inspector, spot.id)[0]["id"] == fix["photo_id"]
    after = closure_stats(ctx, "level", as_of=SUITE_TODAY).total
    assert (after.fixed_on_spot, after.found, after.closed) == (before.fixed_on_spot + 1, before.found + 2, before.closed + 1)


def test_the_enterprise_submits_its_plan_and_it_leaves_the_overdue_plans(demo_ctx):
    ctx = demo_ctx
    hazard, rep = _open_major(ctx)
    assert hazard.id in [row["id"] for row in oversight.plans_overdue(ctx, OFFICE, SUITE_TODAY, limit=None)[0]]
    before = closure_stats(ctx, "level", as_of=SUITE_TODAY).total.major_with_plan
    general = ctx.db.scalar("SELECT id FROM hazards WHERE level = 'general' AND status <> 'closed' AND enterprise_code = ? "
                            "LIMIT 1", [hazard.enterprise_code])
    events = _events(ctx)
    if general:
        with pytest.raises(Refused) as not_major:
            major_plans.submit_plan(ctx, rep, general, _plan(hazard), NOW)
        assert not_major.value.reason == "plan_major_only"
    late = _plan(hazard).model_copy(update={"deadline": hazard.deadline + dt.timedelta(days=1)})
    with pytest.raises(Refused) as out_of_range:
        major_plans.submit_plan(ctx, rep, hazard.id, late, NOW)
    assert out_of_range.value.reason == "plan_deadline_out_of_range" and _events(ctx) == events
    changed = major_plans.submit_plan(ctx, rep, hazard.id, _plan(hazard), NOW)
    assert changed.plan_on == SUITE_TODAY and major_plans.current_plan(ctx, rep, hazard.id) == _plan(hazard)
    assert hazard_store.events(ctx.db, hazard.id)[-1].action == "plan"
    assert hazard.id not in [row["id"] for row in oversight.plans_overdue(ctx, OFFICE, SUITE_TODAY, limit=None)[0]]
    assert closure_stats(ctx, "level", as_of=SUITE_TODAY).total.major_with_plan == before + 1


def test_supervision_needs_its_details_and_shows_them_in_the_list(demo_ctx):
    ctx = demo_ctx
    hazard, _ = _open_major(ctx)
    events = _events(ctx)
    with pytest.raises(TransitionError) as bare:
        oversight.set_supervised(ctx, OFFICE, hazard.id, True, "", NOW)
    assert bare.value.reason == "supervision_details_required" and _events(ctx) == events
    until = SUITE_TODAY + dt.timedelta(days=20)
    oversight.set_supervised(ctx, OFFICE, hazard.id, True, "", NOW, supervising_unit="区安委办", supervisor="赵六",
                             supervision_deadline=until)
    rows = {row["id"]: row for row in oversight.supervised(ctx, OFFICE, SUITE_TODAY, limit=None)[0]}
    assert (rows[hazard.id]["supervising_unit"], rows[hazard.id]["supervisor"], rows[hazard.id]["supervision_deadline"]) == (
        "区安委办", "赵六", until)
    assert "区安委办" in hazard_store.events(ctx.db, hazard.id)[-1].note


def _submitted_major(ctx):
    hazard, rep = _open_major(ctx)
    rectification.submit(ctx, rep, hazard.id, "已更换防爆电气", SUITE_TODAY, [], NOW)
    checker = User(f"{hazard.department}1", "x", "inspector", hazard.department)
    return hazard, checker


def test_a_major_accepted_on_site_is_closed_only_by_the_office(demo_ctx):
    ctx = demo_ctx
    hazard, checker = _submitted_major(ctx)
    accepted = rechecks.decide(ctx, checker, hazard.id, True, now=NOW)
    assert accepted.status == Status.SUBMITTED and (accepted.accepted_on, accepted.accepted_by) == (SUITE_TODAY, checker.username)
    assert hazard.id not in [row["id"] for row in rechecks.pending(ctx, checker)]
    events = _events(ctx)
    with pytest.raises(TransitionError) as again:
        rechecks.decide(ctx, checker, hazard.id, True, now=NOW)
    assert again.value.reason == "major_awaiting_approval" and _events(ctx) == events
    assert hazard.id in [row["id"] for row in oversight.awaiting_approval(ctx, OFFICE)]
    closed = oversight.approve_closure(ctx, OFFICE, hazard.id, True, now=NOW + dt.timedelta(hours=2))
    assert closed.status == Status.CLOSED and closed.closed_on == SUITE_TODAY
    trail = hazard_store.events(ctx.db, hazard.id)
    assert [e.action for e in trail[-3:]] == ["submit", "accept", "close"]
    office_name = ctx.db.scalar("SELECT display_name FROM users WHERE username = ?", [OFFICE.username])
    assert (trail[-1].actor, trail[-1].actor_name, trail[-1].occurred_at) == (OFFICE.username, office_name,
                                                                            NOW + dt.timedelta(hours=2))


def test_an_acceptance_past_its_tenth_day_is_listed_for_the_office_and_first_for_the_inspector(demo_ctx):
    ctx = demo_ctx
    hazard, rep = _open_major(ctx)
    reported = hazard.found_on                               # at least 11 days ago (_open_major)
    rectification.submit(ctx, rep, hazard.id, "已更换防爆电气", reported, [], NOW)
    checker = User(f"{hazard.department}1", "x", "inspector", hazard.department)

    def listed(as_of):
        return hazard.id in [row["id"] for row in oversight.acceptances_overdue(ctx, OFFICE, as_of, limit=None)[0]]
    assert not listed(reported + dt.timedelta(days=10)) and listed(reported + dt.timedelta(days=11))
    waiting = rechecks.pending(ctx, checker)
    mine = next(row for row in waiting if row["id"] == hazard.id)
    assert mine["acceptance_overdue"] and mine["acceptance_due"] == reported + dt.timedelta(days=10)
    assert waiting[0]["acceptance_overdue"]                   # the late ones come first
    rechecks.decide(ctx, checker, hazard.id, True, now=NOW)   # accepted late: off the list, awaiting approval
    assert not listed(SUITE_TODAY)


def test_a_refused_approval_keeps_the_major_open_with_its_reason(demo_ctx):
    ctx = demo_ctx
    hazard, checker = _submitted_major(ctx)
    rechecks.decide(ctx, checker, hazard.id, True, now=NOW)
    events = _events(ctx)
    with pytest.raises(TransitionError):
        oversight.approve_closure(ctx, OFFICE, hazard.id, False, "  ", now=NOW)
    assert _events(ctx) == events
    kept = oversight.approve_closure(ctx, OFFICE, hazard.id, False, "验收资料不全，继续挂账", now=NOW)
    assert kept.status == Status.RECTIFYING and kept.accepted_on is None
    assert hazard_store.events(ctx.db, hazard.id)[-1].note == "验收资料不全，继续挂账"
    assert hazard.level == Level.MAJOR


def test_the_supervised_hazards_export_holds_every_one_with_its_details(demo_ctx):
    import io

    from openpyxl import load_workbook

    from inspections.services.data import exports
    ctx = demo_ctx
    hazard, _ = _open_major(ctx)
    until = SUITE_TODAY + dt.timedelta(days=20)
    oversight.set_supervised(ctx, OFFICE, hazard.id, True, "", NOW, supervising_unit="=区安委办", supervisor="赵六",
                             supervision_deadline=until)
    rows, total = oversight.supervised(ctx, OFFICE, SUITE_TODAY, limit=None)
    header = [f"h{i}" for i in range(len(exports.SUPERVISED_FIELDS))]
    sheet = load_workbook(io.BytesIO(exports.supervised_xlsx(rows, header, "挂牌督办隐患")))["挂牌督办隐患"]
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0]) == header and len(lines) == total + 1
    mine = next(line for line in lines[1:] if line[0] == hazard.id)
    assert mine[7:9] == ("=区安委办", "赵六") and mine[9].date() == until     # text, never a formula
    assert sheet.cell(row=lines.index(mine) + 1, column=8).data_type == "s"
