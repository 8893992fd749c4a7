"""The hazard lifecycle: allowed and refused transitions, dates that follow from events, deadlines."""
import datetime as dt

import pytest

from inspections.domain.hazards import (Hazard, Level, Status, TransitionError, apply, deadline_refusal,
                                        default_deadline, status_from_dates)

FOUND = dt.date(2026, 3, 1)


def _new():
    return Hazard(id="H1", enterprise_code="x", sector="fire", department="fire_rescue", level=Level.MAJOR,
                  description="exit blocked", found_on=FOUND, deadline=default_deadline(Level.MAJOR, FOUND))


def _at(day):
    return dt.datetime(2026, 3, day, 10, 0)


def test_full_path_with_a_rejection():
    hazard, e1 = apply(None, "raise", actor="insp", at=_at(1), new=_new())
    assert hazard.status == Status.OPEN and e1.from_status is None and e1.to_status == Status.OPEN
    hazard, _ = apply(hazard, "start", actor="ent", at=_at(2))
    hazard, e3 = apply(hazard, "submit", actor="ent", at=_at(10), note="fixed", evidence=["p1.jpg"])
    assert hazard.status == Status.SUBMITTED and hazard.rectified_on == dt.date(2026, 3, 10)
    assert e3.evidence == ["p1.jpg"]
    hazard, e4 = apply(hazard, "reject", actor="insp", at=_at(12), note="still blocked")
    assert hazard.status == Status.RECTIFYING and e4.note == "still blocked"
    hazard, _ = apply(hazard, "submit", actor="ent", at=_at(20))
    hazard, _ = apply(hazard, "accept", actor="insp", at=_at(24))  # a major: accepted on site, then approved
    hazard, e6 = apply(hazard, "close", actor="office", at=_at(25))
    assert hazard.status == Status.CLOSED and hazard.closed_on == dt.date(2026, 3, 25)
    assert hazard.rectified_on == dt.date(2026, 3, 20)
    assert (e6.from_status, e6.to_status) == (Status.SUBMITTED, Status.CLOSED)


@pytest.mark.parametrize("status, action", [
    (Status.OPEN, "close"), (Status.OPEN, "reject"), (Status.RECTIFYING, "close"),
    (Status.CLOSED, "submit"), (Status.CLOSED, "reject"), (Status.CLOSED, "extend"),
])
def test_refused_transitions(status, action):
    hazard = _new().model_copy(update={"status": status})
    with pytest.raises(TransitionError):
        apply(hazard, action, actor="x", at=_at(5), note="n", deadline=dt.date(2026, 6, 1))


def test_reject_and_extend_need_a_reason():
    hazard = _new().model_copy(update={"status": Status.SUBMITTED})
    with pytest.raises(TransitionError, match="reason"):
        apply(hazard, "reject", actor="x", at=_at(5), note="  ")
    with pytest.raises(TransitionError, match="reason"):
        apply(hazard, "extend", actor="x", at=_at(5), deadline=dt.date(2026, 6, 1))


def test_extend_moves_the_deadline_only_forward():
    hazard = _new()
    changed, event = apply(hazard, "extend", actor="office", at=_at(5), note="equipment on order",
                           deadline=dt.date(2026, 5, 20))
    assert changed.deadline == dt.date(2026, 5, 20) and changed.status == Status.OPEN
    assert event.action == "extend"
    with pytest.raises(TransitionError):
        apply(hazard, "extend", actor="office", at=_at(5), note="x", deadline=hazard.deadline)


def test_deadlines():
    assert default_deadline(Level.GENERAL, FOUND) == dt.date(2026, 3, 31)
    assert default_deadline(Level.MAJOR, FOUND) == dt.date(2026, 4, 30)
    assert deadline_refusal(FOUND, dt.date(2026, 5, 30)) is None  # 90 days
    assert deadline_refusal(FOUND, dt.date(2026, 5, 31)).values == {"days": 90}
    assert deadline_refusal(FOUND, dt.date(2026, 2, 28)).reason == "deadline_before_finding"


def test_overdue_is_derived():
    hazard = _new()
    assert not hazard.is_overdue(hazard.deadline)
    assert hazard.is_overdue(hazard.deadline + dt.timedelta(days=1))
    assert hazard.days_left(hazard.deadline + dt.timedelta(days=3)) == -3
    assert not hazard.model_copy(update={"status": Status.CLOSED}).is_overdue(dt.date(2030, 1, 1))


def test_dates_must_be_in_order():
    with pytest.raises(ValueError, match="deadline"):
        _new().model_validate({**_new().model_dump(), "deadline": dt.date(2026, 2, 1)})
    with pytest.raises(ValueError, match="closed_on is before rectified_on"):
        _new().model_validate({**_new().model_dump(), "rectified_on": dt.date(2026, 3, 9),
                               "closed_on": dt.date(2026, 3, 5)})


def test_status_from_ledger_dates():
    assert status_from_dates(None, None) == Status.OPEN
    assert status_from_dates(dt.date(2026, 1, 1), None) == Status.SUBMITTED
    assert status_from_dates(dt.date(2026, 1, 1), dt.date(2026, 1, 2)) == Status.CLOSED


def test_submit_with_the_day_the_work_was_done():
    hazard = _new()
    changed, _ = apply(hazard, "submit", actor="ent", at=_at(10), rectified_on=dt.date(2026, 3, 8))
    assert changed.rectified_on == dt.date(2026, 3, 8)
    with pytest.raises(TransitionError, match="rectified_on_out_of_range"):
        apply(hazard, "submit", actor="ent", at=_at(10), rectified_on=dt.date(2026, 3, 11))
    with pytest.raises(TransitionError, match="rectified_on_out_of_range"):
        apply(hazard, "submit", actor="ent", at=_at(10), rectified_on=dt.date(2026, 2, 27))


def test_a_refused_extension_changes_nothing_but_the_trail():
    hazard = _new().model_copy(update={"status": Status.RECTIFYING})
    changed, event = apply(hazard, "refuse_extension", actor="office", at=_at(5), note="理由不充分")
    assert changed == hazard and (event.from_status, event.to_status) == (Status.RECTIFYING, Status.RECTIFYING)
    with pytest.raises(TransitionError, match="reason"):
        apply(hazard, "refuse_extension", actor="office", at=_at(5))
