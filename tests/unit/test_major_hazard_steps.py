"""A major hazard's steps to the end and the hazard fixed on the spot, through the one lifecycle function:
the plan (五落实) and when it is overdue, supervision (挂牌督办) with its details, the on-site acceptance
(验收) and the second person's approval that closes a major, a failed acceptance (继续挂账)."""
import datetime as dt

import pytest

from inspections.domain.hazards import (Hazard, Level, MajorHazardRules, RectificationPlan, Status,
                                        TransitionError, acceptance_due, acceptance_overdue, apply, closed_on_time_under_supervision,
                                        default_deadline, plan_due, plan_overdue, plan_refusal)

FOUND = dt.date(2026, 3, 1)
RULES = MajorHazardRules()          # the defaults: plan within 10 days, acceptance within 10 days


def _hazard(level=Level.MAJOR, **update):
    return Hazard(id="H1", enterprise_code="x", sector="fire", department="fire_rescue", level=level,
                  description="exit blocked", found_on=FOUND, deadline=default_deadline(level, FOUND)
                  ).model_copy(update=update)


def _at(day, month=3):
    return dt.datetime(2026, month, day, 10, 0)


def test_fixed_on_spot_is_found_rectified_and_closed_that_day_with_what_was_done():
    hazard, event = apply(None, "fix_on_spot", actor="insp", at=_at(1), new=_hazard(Level.GENERAL),
                          note="当场清理疏散通道", evidence=["p1"])
    assert hazard.status == Status.CLOSED and hazard.fixed_on_spot
    assert hazard.found_on == hazard.rectified_on == hazard.closed_on == FOUND
    assert (event.from_status, event.to_status, event.note, event.evidence) == (None, Status.CLOSED, "当场清理疏散通道", ["p1"])
    with pytest.raises(TransitionError, match="reason"):
        apply(None, "fix_on_spot", actor="insp", at=_at(1), new=_hazard(Level.GENERAL), note=" ")
    with pytest.raises(TransitionError, match="spot_fix_not_for_major"):
        apply(None, "fix_on_spot", actor="insp", at=_at(1), new=_hazard(Level.MAJOR), note="当场整改")


def test_the_plan_is_due_ten_days_after_the_notice_and_overdue_the_day_after():
    hazard = _hazard()
    assert plan_due(hazard, RULES) == dt.date(2026, 3, 11)
    assert not plan_overdue(hazard, dt.date(2026, 3, 11), RULES)
    assert plan_overdue(hazard, dt.date(2026, 3, 12), RULES)
    assert not plan_overdue(hazard.model_copy(update={"plan_on": dt.date(2026, 3, 5)}), dt.date(2026, 3, 12), RULES)
    assert not plan_overdue(_hazard(Level.GENERAL), dt.date(2026, 3, 12), RULES)
    assert plan_due(hazard, MajorHazardRules(plan_days=3)) == dt.date(2026, 3, 4)


def test_a_plan_is_recorded_with_its_day_and_summary_for_majors_only():
    plan = RectificationPlan(responsible="张三", measures="更换防火门", funds="2万元", deadline=dt.date(2026, 4, 1),
                             interim_measures="专人值守")
    assert plan_refusal(_hazard(), plan) is None
    changed, event = apply(_hazard(), "plan", actor="ent", at=_at(6), note=plan.summary())
    assert changed.plan_on == dt.date(2026, 3, 6) and changed.status == Status.OPEN
    assert "张三" in event.note and "专人值守" in event.note and "2026-04-01" in event.note
    with pytest.raises(TransitionError, match="major_only"):
        apply(_hazard(Level.GENERAL), "plan", actor="ent", at=_at(6), note=plan.summary())
    late = plan.model_copy(update={"deadline": _hazard().deadline + dt.timedelta(days=1)})
    assert plan_refusal(_hazard(), late).reason == "plan_deadline_out_of_range"
    with pytest.raises(ValueError):
        RectificationPlan(responsible=" ", measures="m", funds="f", deadline=FOUND, interim_measures="i")


def test_supervision_needs_its_unit_supervisor_and_a_deadline_and_unflagging_clears_them():
    with pytest.raises(TransitionError, match="supervision_details_required"):
        apply(_hazard(), "supervise", actor="office", at=_at(2), note="n", supervised=True, supervisor="李四")
    with pytest.raises(TransitionError, match="supervision_deadline_past"):
        apply(_hazard(), "supervise", actor="office", at=_at(2), supervised=True, supervising_unit="区安委办",
              supervisor="李四", supervision_deadline=dt.date(2026, 3, 1))
    on, _ = apply(_hazard(), "supervise", actor="office", at=_at(2), supervised=True, supervising_unit="区安委办",
                  supervisor="李四", supervision_deadline=dt.date(2026, 4, 10))
    assert (on.supervised, on.supervising_unit, on.supervisor, on.supervision_deadline) == (
        True, "区安委办", "李四", dt.date(2026, 4, 10))
    off, _ = apply(on, "supervise", actor="office", at=_at(3), supervised=False)
    assert (off.supervised, off.supervising_unit, off.supervisor, off.supervision_deadline) == (False, "", "", None)


def test_closed_on_time_under_supervision_at_its_edges():
    supervised = _hazard(supervised=True, supervision_deadline=dt.date(2026, 4, 10), status=Status.CLOSED)
    assert closed_on_time_under_supervision(supervised.model_copy(update={"closed_on": dt.date(2026, 4, 10)}))
    assert not closed_on_time_under_supervision(supervised.model_copy(update={"closed_on": dt.date(2026, 4, 11)}))
    without_own = supervised.model_copy(update={"supervision_deadline": None, "closed_on": dt.date(2026, 4, 30)})
    assert closed_on_time_under_supervision(without_own)        # its own deadline, 60 days after 3-1
    assert not closed_on_time_under_supervision(_hazard(closed_on=dt.date(2026, 3, 5)))   # not supervised


def test_a_major_is_accepted_on_site_and_closed_only_by_a_second_person():
    submitted, _ = apply(_hazard(), "submit", actor="ent", at=_at(10))
    assert acceptance_due(submitted, RULES) == dt.date(2026, 3, 20)
    with pytest.raises(TransitionError, match="major_close_needs_acceptance"):
        apply(submitted, "close", actor="office", at=_at(12))
    accepted, event = apply(submitted, "accept", actor="insp", at=_at(12), note="现场验收合格")
    assert (accepted.accepted_on, accepted.accepted_by, accepted.status) == (dt.date(2026, 3, 12), "insp", Status.SUBMITTED)
    assert acceptance_due(accepted, RULES) is None and event.action == "accept"
    with pytest.raises(TransitionError, match="major_close_needs_second_person"):
        apply(accepted, "close", actor="insp", at=_at(13))
    closed, approval = apply(accepted, "close", actor="office", at=_at(13), note="同意销号")
    assert closed.status == Status.CLOSED and closed.closed_on == dt.date(2026, 3, 13)
    assert (approval.actor, approval.occurred_at) == ("office", _at(13))


def test_the_acceptance_is_overdue_the_day_after_its_tenth_day_and_never_once_accepted():
    submitted, _ = apply(_hazard(), "submit", actor="ent", at=_at(10))     # reported rectified on 10 March
    assert not acceptance_overdue(submitted, dt.date(2026, 3, 20), RULES)   # the tenth day: still on time
    assert acceptance_overdue(submitted, dt.date(2026, 3, 21), RULES)
    accepted, _ = apply(submitted, "accept", actor="insp", at=_at(25), note="现场验收合格")
    assert not acceptance_overdue(accepted, dt.date(2026, 3, 26), RULES)   # late, but done: waits for approval
    general, _ = apply(_hazard(Level.GENERAL), "submit", actor="ent", at=_at(10))
    assert not acceptance_overdue(general, dt.date(2026, 4, 30), RULES)    # a general hazard has no acceptance


def test_a_failed_acceptance_keeps_the_major_open_with_its_reason_and_clears_the_acceptance():
    submitted, _ = apply(_hazard(), "submit", actor="ent", at=_at(10))
    accepted, _ = apply(submitted, "accept", actor="insp", at=_at(12))
    kept, event = apply(accepted, "reject", actor="office", at=_at(13), note="防火门未验收合格，继续挂账")
    assert kept.status == Status.RECTIFYING and kept.accepted_on is None and kept.accepted_by is None
    assert event.note == "防火门未验收合格，继续挂账"
    with pytest.raises(TransitionError, match="action_not_allowed"):
        apply(kept, "accept", actor="insp", at=_at(14))
    with pytest.raises(TransitionError, match="major_only"):
        apply(_hazard(Level.GENERAL, status=Status.SUBMITTED), "accept", actor="insp", at=_at(14))


def test_a_general_hazard_still_closes_in_one_step():
    submitted, _ = apply(_hazard(Level.GENERAL), "submit", actor="ent", at=_at(10))
    closed, _ = apply(submitted, "close", actor="insp", at=_at(12))
    assert closed.status == Status.CLOSED
