"""The office's oversight on a demo database: lists consistent with the statistics, supervision in the
trail, extension decisions (90-day rule, reasons, the trail), and office-only access."""
import datetime as dt

import pytest

from inspections.domain.hazards import Level, Status
from inspections.services.shared import access
from inspections.services.office import oversight
from inspections.services.enterprise import rectification
from inspections.services.shared.auth import User
from inspections.services.data.stats import closure_stats
from inspections.store import hazards as hazard_store
from tests.conftest import SUITE_TODAY, office_user, today_at

TODAY = SUITE_TODAY
NOW = today_at(16)
OFFICE = office_user()


@pytest.fixture
def ctx(demo_ctx):
    return demo_ctx


def test_lists_agree_with_the_statistics(ctx):
    total = closure_stats(ctx, "sector", TODAY).total
    rows, count = oversight.overdue(ctx, OFFICE, TODAY, limit=None)
    assert len(rows) == count == total.overdue_open
    assert oversight.open_majors(ctx, OFFICE, TODAY)[1] == total.major_open
    few, count = oversight.overdue(ctx, OFFICE, TODAY, limit=5)
    assert len(few) == 5 and count == total.overdue_open
    assert [r["deadline"] for r in few] == sorted(r["deadline"] for r in rows)[:5]
    assert oversight.stats(ctx, OFFICE, "sector", TODAY).contract_json() == closure_stats(ctx, "sector", TODAY).contract_json()
    last_visit = ctx.db.scalar("SELECT max(scheduled_on) FROM inspections WHERE status = 'completed'")
    share = oversight.joint_share(ctx, OFFICE, last_visit.year)   # early in January, this year has none yet
    assert 0 < share["joint"] <= share["total"] and share["share"] == share["joint"] / share["total"]


def test_supervision_enters_the_trail(ctx):
    hazard = oversight.open_majors(ctx, OFFICE, TODAY)[0][0]
    changed = oversight.set_supervised(ctx, OFFICE, hazard["id"], True, "挂牌督办：限期整改", now=NOW,
                                       supervising_unit="区安委办", supervisor="赵六",
                                       supervision_deadline=TODAY + dt.timedelta(days=20))
    assert changed.supervised
    assert hazard["id"] in [h["id"] for h in oversight.supervised(ctx, OFFICE, TODAY)[0]]
    event = hazard_store.events(ctx.db, hazard["id"])[-1]
    assert (event.action, event.note, event.actor) == ("supervise", "挂牌督办：限期整改", "office")


def _request(ctx, days_to_deadline=10, requested=30):
    hazard = hazard_store.for_enterprise(ctx.db, ctx.db.scalar("SELECT enterprise_code FROM users WHERE username = 'ent01'"))[0]
    major = hazard.model_copy(update={"id": f"MJ-{requested}", "level": Level.MAJOR, "status": Status.RECTIFYING,
                                      "found_on": TODAY - dt.timedelta(days=50),
                                      "deadline": TODAY + dt.timedelta(days=days_to_deadline),
                                      "rectified_on": None, "closed_on": None})
    ctx.db.write(lambda c: hazard_store.insert_hazards(c, [major]))
    ent = User("ent01", "e", "enterprise", enterprise_code=major.enterprise_code)
    return major, rectification.request_extension(ctx, ent, major.id, major.deadline + dt.timedelta(days=requested),
                                                  "设备采购周期长", now=NOW)


def test_approve_within_90_days(ctx):
    major, request = _request(ctx, requested=20)  # found 50 days ago; 10 + 20 = 80 days from the finding
    assert [r["id"] for r in oversight.pending_extensions(ctx, OFFICE)] == [request["id"]]
    decided = oversight.decide_extension(ctx, OFFICE, request["id"], True, now=NOW)
    assert decided["status"] == "approved" and hazard_store.get(ctx.db, major.id).deadline == major.deadline + dt.timedelta(days=20)
    assert hazard_store.events(ctx.db, major.id)[-1].action == "extend"
    with pytest.raises(oversight.OversightError) as again:
        oversight.decide_extension(ctx, OFFICE, request["id"], False, "x", now=NOW)
    assert again.value.reason == "already_decided"


def test_beyond_90_days_needs_a_reason(ctx):
    major, request = _request(ctx, requested=45)  # 105 days from the finding
    with pytest.raises(oversight.OversightError) as refused:
        oversight.decide_extension(ctx, OFFICE, request["id"], True, now=NOW)
    assert refused.value.reason == "over_90_needs_reason" and refused.value.values["days"] == 105
    oversight.decide_extension(ctx, OFFICE, request["id"], True, "涉及停产改造，经专家论证", now=NOW)
    assert hazard_store.get(ctx.db, major.id).deadline == major.deadline + dt.timedelta(days=45)


def test_reject_needs_a_reason_and_is_in_the_trail(ctx):
    major, request = _request(ctx, requested=15)
    with pytest.raises(oversight.OversightError) as no_reason:
        oversight.decide_extension(ctx, OFFICE, request["id"], False, now=NOW)
    assert no_reason.value.reason == "reject_needs_reason"
    oversight.decide_extension(ctx, OFFICE, request["id"], False, "理由不充分", now=NOW)
    assert hazard_store.get(ctx.db, major.id).deadline == major.deadline
    event = hazard_store.events(ctx.db, major.id)[-1]
    assert (event.action, event.note) == ("refuse_extension", "理由不充分")


def test_only_the_office(ctx):
    for user in (User("market1", "m", "inspector", "market"), User("ent01", "e", "enterprise", enterprise_code="x")):
        for call in (lambda: oversight.overdue(ctx, user, TODAY), lambda: oversight.pending_extensions(ctx, user),
                     lambda: oversight.stats(ctx, user, "sector", TODAY)):
            with pytest.raises(access.NotFound):
                call()
