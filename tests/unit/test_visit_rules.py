"""The visit's domain (inspections/domain/visits.py) and the hazard rules the pages and services both ask:
hand-checked values, dates built from a fixed day."""
from __future__ import annotations

import datetime as dt

import pytest

from inspections.domain import hazards, visits
from inspections.domain.hazards import Hazard, Level, Status
from inspections.domain.visits import Result, VisitKind, VisitStatus

DAY = dt.date(2026, 3, 10)


def _hazard(**changes) -> Hazard:
    base = dict(id="YH-1", enterprise_code="91110000000000000X", sector="chemicals", department="fire_rescue",
                level=Level.MAJOR, description="消防通道堵塞", found_on=DAY,
                deadline=DAY + dt.timedelta(days=60))
    return Hazard(**{**base, **changes})


def test_the_enums_equal_the_stored_strings():
    assert [s.value for s in VisitStatus] == ["scheduled", "in_progress", "completed", "cancelled"]
    assert [k.value for k in VisitKind] == ["routine", "complaint", "recheck", "special"]
    assert visits.RESULTS == ("pass", "fail", "not_applicable")
    assert VisitStatus.SCHEDULED == "scheduled" and f"{Result.FAIL}" == "fail"
    assert visits.is_result("not_applicable") and not visits.is_result("maybe") and not visits.is_result(None)


def test_the_answer_fields_are_the_answer_model_and_the_store_uses_them():
    from inspections.store import inspections as store
    assert visits.ANSWER_FIELDS == ("inspection_id", "item_id", "result", "note", "level", "deadline", "photos",
                                    "answered_by", "answered_at", "self_check", "version")
    assert store.ANSWER_FIELDS is visits.ANSWER_FIELDS
    at = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.timezone.utc)
    answer = visits.new_answer("JC1", "S01", "fail", "  门锁坏  ", "fire1", at, self_check=False)
    assert set(answer) == set(visits.ANSWER_FIELDS) - {"version"}
    assert answer["note"] == "门锁坏" and answer["photos"] == [] and answer["level"] is None
    assert visits.Answer(**answer).version == 1          # the plain dict has the model's shape


def test_visit_transitions():
    assert visits.transition("check_in") == ("scheduled", "in_progress")
    assert visits.transition("finish") == ("in_progress", "completed")
    assert visits.transition("cancel") == ("scheduled", "cancelled")
    assert visits.transition("replan") == ("scheduled", "scheduled")
    assert visits.ANSWERING == ("in_progress",) and visits.SELF_CHECK_OPEN == ("scheduled",)


def test_a_missing_finding_is_a_failure_without_a_note():
    assert visits.lacks_details({"result": "fail", "note": "  "})
    assert not visits.lacks_details({"result": "fail", "note": "门锁坏"})
    assert not visits.lacks_details({"result": "pass", "note": ""})


def test_found_on_is_the_scheduled_date():
    assert visits.found_on({"scheduled_on": DAY, "checked_in_at": dt.datetime(2026, 3, 11, 0, 5)}) == DAY


def test_the_sector_of_a_hazard():
    assert visits.hazard_sector("shared", ["metal_dust", "chemicals"]) == "metal_dust"
    assert visits.hazard_sector("chemicals", ["metal_dust", "chemicals"]) == "chemicals"


def test_deadline_bounds():
    assert hazards.latest_deadline(DAY) == dt.date(2026, 6, 8)              # 90 days after 10 March
    assert hazards.default_deadline(Level.GENERAL, DAY) == dt.date(2026, 4, 9)
    assert hazards.default_deadline(Level.MAJOR, DAY) == dt.date(2026, 5, 9)
    assert hazards.deadline_refusal(DAY, dt.date(2026, 6, 8)) is None
    assert hazards.deadline_refusal(DAY, DAY) is None
    assert hazards.deadline_refusal(DAY, dt.date(2026, 6, 9)).reason == "deadline_too_late"
    assert hazards.deadline_refusal(DAY, dt.date(2026, 3, 9)).reason == "deadline_before_finding"


@pytest.mark.parametrize("status, may", [(Status.OPEN, True), (Status.RECTIFYING, True),
                                         (Status.SUBMITTED, False), (Status.CLOSED, False)])
def test_may_submit(status, may):
    closed = {"rectified_on": DAY, "closed_on": DAY} if status == Status.CLOSED else {}
    assert hazards.may_submit(_hazard(status=status, **closed)) is may


def test_may_request_an_extension():
    deadline = DAY + dt.timedelta(days=60)                                    # 9 May
    major = _hazard()
    assert hazards.may_request_extension(major, deadline, pending=False)     # on the deadline day itself
    assert hazards.extension_problem(major, deadline + dt.timedelta(days=1), pending=False) == "extension_too_late"
    assert hazards.extension_problem(major, DAY, pending=True) == "extension_pending"
    assert hazards.extension_problem(_hazard(level=Level.GENERAL), DAY, pending=False) == "extension_major_only"
    closed = _hazard(status=Status.CLOSED, rectified_on=DAY, closed_on=DAY)
    assert hazards.extension_problem(closed, DAY, pending=False) == "extension_closed"
    assert hazards.extension_problem(major, DAY, pending=True, new_deadline=deadline,
                                     reason="x") == "extension_not_later"
    assert hazards.extension_problem(major, DAY, pending=True, new_deadline=deadline + dt.timedelta(days=1),
                                     reason=" ") == "extension_reason"
    assert hazards.extension_problem(major, DAY, pending=False, new_deadline=deadline + dt.timedelta(days=1),
                                     reason="设备待到货") is None


def test_tiers_and_kinds_are_written_once():
    from inspections.domain import enterprises, planning
    assert planning.TIERS is enterprises.TIERS == ("A", "B", "C", "D")
    assert planning.KINDS is visits.KINDS
    assert not hasattr(planning, "STATUSES")
