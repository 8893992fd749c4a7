"""The rules of a re-check visit (domain.recheck_visits), checked by hand: which hazards it re-checks, the
list it walks (the earlier list's items and wording, the hazards' departments), what each answer does to
its hazard, and that merge proposals leave a re-check out (domain.planning)."""
import datetime as dt

import pytest

from inspections.domain.catalogue import Text
from inspections.domain.hazards import Hazard, Level, Source, Status, TransitionError, apply
from inspections.domain.merge import MergedItem, MergedList
from inspections.domain.planning import VisitRef, merge_proposals
from inspections.domain.recheck_visits import Notes, decide, recheck_list, still_open

FOUND = dt.date(2026, 3, 2)
AT = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
NOTES = Notes(closed="复查合格，予以销号", accepted="现场验收合格", confirmed_on_site="复查现场确认已整改")


def _hazard(n: int, status=Status.OPEN, level=Level.GENERAL, department="fire_rescue", **more) -> Hazard:
    return Hazard(id=f"YH-{n}", enterprise_code="X", sector="restaurant", department=department, level=level,
                  description=f"问题{n}", found_on=FOUND, deadline=FOUND + dt.timedelta(days=30), status=status,
                  inspection_id="JC1", item_id=f"I{n}", **more)


def _item(n: int, departments: list[str]) -> MergedItem:
    return MergedItem(id=f"I{n}", title=Text(zh=f"旧措辞{n}", en=f"old {n}"), departments=departments, task="t",
                      shared=False, section="restaurant", basis="b")


def test_still_open_leaves_out_closed_self_checks_and_imports():
    hazards = [_hazard(3), _hazard(1, Status.CLOSED), _hazard(2, Status.SUBMITTED),
               _hazard(4, source=Source.SELF_CHECK), _hazard(5, source=Source.IMPORT)]
    assert [h.id for h in still_open(hazards)] == ["YH-2", "YH-3"]


def test_the_list_is_the_earlier_items_of_the_open_hazards_with_their_departments():
    earlier = MergedList(sectors=["restaurant"], departments=["market", "fire_rescue", "housing"],
                         items=[_item(1, ["market"]), _item(2, ["market", "fire_rescue"]), _item(3, ["housing"]),
                                _item(4, ["fire_rescue"])])
    hazards = [_hazard(4, department="fire_rescue"), _hazard(2, department="fire_rescue"),
               _hazard(3, department="emergency")]          # its item's department does not come: the hazard's
    merged = recheck_list(earlier, hazards, ["market", "emergency", "fire_rescue", "housing"])
    assert merged.departments == ["emergency", "fire_rescue"]
    assert [(i.id, i.title.zh, i.departments) for i in merged.items] == \
        [("I2", "旧措辞2", ["fire_rescue"]), ("I3", "旧措辞3", ["emergency"]), ("I4", "旧措辞4", ["fire_rescue"])]


def _steps(hazard, result, note=""):
    return [(e.action, e.from_status, e.to_status, e.note) for _, e in decide(hazard, result, note, NOTES,
                                                                               actor="fire_rescue1", at=AT)]


@pytest.mark.parametrize("status", [Status.OPEN, Status.RECTIFYING])
def test_a_general_hazard_seen_rectified_is_confirmed_then_closed(status):
    assert _steps(_hazard(1, status), "pass") == [("submit", status, Status.SUBMITTED, "复查现场确认已整改"),
                                                   ("close", Status.SUBMITTED, Status.CLOSED, "复查合格，予以销号")]
    last = decide(_hazard(1, status), "pass", "", NOTES, actor="a", at=AT)[-1][0]
    assert (last.rectified_on, last.closed_on) == (AT.date(), AT.date())


def test_a_submitted_hazard_passed_closes_with_the_officers_note():
    assert _steps(_hazard(1, Status.SUBMITTED, rectified_on=FOUND), "pass", "已拆除违规电线") == \
        [("close", Status.SUBMITTED, Status.CLOSED, "已拆除违规电线")]


def test_a_major_passed_is_accepted_and_waits_for_approval():
    steps = decide(_hazard(1, level=Level.MAJOR), "pass", "", NOTES, actor="fire_rescue1", at=AT)
    assert [e.action for _, e in steps] == ["submit", "accept"]
    accepted = steps[-1][0]
    assert (accepted.status, accepted.accepted_by, accepted.accepted_on) == (Status.SUBMITTED, "fire_rescue1", AT.date())
    with pytest.raises(TransitionError, match="major_close_needs_second_person"):
        apply(accepted, "close", actor="fire_rescue1", at=AT)
    assert decide(accepted, "pass", "", NOTES, actor="fire_rescue2", at=AT) == []   # accepted already


def test_failures_reject_a_submission_or_record_the_recheck():
    assert _steps(_hazard(1, Status.SUBMITTED, rectified_on=FOUND), "fail", "仍未整改") == \
        [("reject", Status.SUBMITTED, Status.RECTIFYING, "仍未整改")]
    assert _steps(_hazard(1, Status.RECTIFYING), "fail", "仍未整改") == \
        [("recheck_failed", Status.RECTIFYING, Status.RECTIFYING, "仍未整改")]
    with pytest.raises(TransitionError, match="transition_reason_required"):
        _steps(_hazard(1), "fail", " ")
    assert _steps(_hazard(1), "not_applicable") == []


def test_merge_proposals_leave_a_recheck_out():
    day = dt.date(2026, 4, 6)
    visits = [VisitRef(id="v1", enterprise_code="X", scheduled_on=day, departments=["market"]),
              VisitRef(id="v2", enterprise_code="X", scheduled_on=day + dt.timedelta(days=3), departments=["market"],
                       kind="recheck"),
              VisitRef(id="v3", enterprise_code="X", scheduled_on=day + dt.timedelta(days=5), departments=["housing"])]
    assert [p.inspection_ids for p in merge_proposals(visits, 30)] == [["v1", "v3"]]
    assert merge_proposals(visits[:2], 30) == []
