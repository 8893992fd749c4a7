"""The enterprise portal's use cases: scheduled checks, self-check and own hazards, rectification with
evidence, extension requests, ratings; and enterprise isolation: A never sees or changes B's objects."""
import datetime as dt

import pytest

from inspections.domain.hazards import Level, Status
from inspections.services.shared import access
from inspections.services.enterprise import portal, rectification
from inspections.services.inspector import rechecks
from inspections.services.shared.auth import User
from inspections.services.shared.photos import PhotoRefused
from inspections.store import hazards as hazard_store
from tests.conftest import SUITE_TODAY, jpeg, today_at

TODAY = SUITE_TODAY
NOW = today_at(15)


@pytest.fixture
def world(demo_ctx):
    ctx = demo_ctx
    # enterprises with a visit to come, unfinished hazards and an unrated finished visit, most hazards first
    a_code, b_code = [r[0] for r in ctx.db.query("""
        SELECT e.code FROM enterprises e
        WHERE EXISTS (SELECT 1 FROM inspections i WHERE i.enterprise_code = e.code AND i.status = 'scheduled')
          AND EXISTS (SELECT 1 FROM inspections i WHERE i.enterprise_code = e.code AND i.status = 'completed'
                      AND i.id NOT IN (SELECT inspection_id FROM evaluations))
        ORDER BY (SELECT count(*) FROM hazards h WHERE h.enterprise_code = e.code
                  AND h.status IN ('open', 'rectifying') AND h.level = 'general') DESC, e.code LIMIT 2""")]
    yield ctx, User("entA", "A", "enterprise", enterprise_code=a_code), User("entB", "B", "enterprise", enterprise_code=b_code)
    ctx.close()


def _scheduled(ctx, user):
    return next(c for c in portal.checks(ctx, user) if c["status"] == "scheduled")


def test_checks_tell_everything_in_advance(world):
    ctx, a, _ = world
    visits = portal.checks(ctx, a)
    assert visits and all(v["enterprise_code"] == a.enterprise_code for v in visits)
    upcoming = _scheduled(ctx, a)
    assert upcoming["inspectors"] and all("·" in name for name in upcoming["inspectors"])
    detail = portal.check(ctx, a, upcoming["id"])
    assert len(detail["merged"].items) > 10 and detail["enterprise"].code == a.enterprise_code


def test_self_check_and_own_hazard(world):
    ctx, a, _ = world
    visit = _scheduled(ctx, a)
    item = portal.check(ctx, a, visit["id"])["merged"].items[0].id
    portal.self_check_answer(ctx, a, visit["id"], item, "fail", "灭火器过期", now=NOW)
    portal.self_check_answer(ctx, a, visit["id"], item, "fail", "灭火器过期两具", now=NOW)  # replaces
    photo = portal.self_check_photo(ctx, a, visit["id"], item, jpeg(), now=NOW)
    answers = portal.check(ctx, a, visit["id"])["self_check"]
    assert answers[item]["note"] == "灭火器过期两具" and answers[item]["photos"] == [photo]
    hazard = portal.own_hazard(ctx, a, visit["id"], item, now=NOW)
    assert (hazard.source.value, hazard.status, hazard.found_on) == ("self_check", Status.OPEN, TODAY)
    with pytest.raises(portal.PortalError) as twice:
        portal.own_hazard(ctx, a, visit["id"], item, now=NOW)
    assert twice.value.reason == "already_recorded"
    other = portal.check(ctx, a, visit["id"])["merged"].items[1].id
    portal.self_check_answer(ctx, a, visit["id"], other, "pass", now=NOW)
    with pytest.raises(portal.PortalError) as passed:
        portal.own_hazard(ctx, a, visit["id"], other, now=NOW)
    assert passed.value.reason == "only_failed_items"
    with pytest.raises(PhotoRefused):
        portal.self_check_photo(ctx, a, visit["id"], item, b"GIF89a-not-really", now=NOW)


def test_self_check_closes_when_the_visit_starts(world):
    ctx, a, _ = world
    finished = next(c for c in portal.checks(ctx, a) if c["status"] == "completed")
    with pytest.raises(portal.PortalError) as closed:
        portal.self_check_answer(ctx, a, finished["id"], finished["merged"].items[0].id, "pass", now=NOW)
    assert closed.value.reason == "self_check_closed"


def test_rectification_rejection_and_resubmission(world):
    ctx, a, _ = world
    entry = next(h for h in rectification.my_hazards(ctx, a, today=TODAY)
                 if h["hazard"].status in (Status.OPEN, Status.RECTIFYING))
    hazard = entry["hazard"]
    with pytest.raises(portal.PortalError) as empty:
        rectification.submit(ctx, a, hazard.id, "  ", TODAY, [], now=NOW)
    assert empty.value.reason == "describe_rectification"
    with pytest.raises(PhotoRefused):  # a bad file refuses the whole submission
        rectification.submit(ctx, a, hazard.id, "已更换", TODAY, [jpeg(), b"not an image"], now=NOW)
    assert hazard_store.get(ctx.db, hazard.id).status == hazard.status
    changed = rectification.submit(ctx, a, hazard.id, "已更换灭火器", TODAY - dt.timedelta(days=1), [jpeg()], now=NOW)
    assert changed.status == Status.SUBMITTED and changed.rectified_on == TODAY - dt.timedelta(days=1)
    assert len(rectification.evidence_files(ctx, a, hazard.id)) == 1
    inspector = User(f"{hazard.department}1", "x", "inspector", hazard.department)
    rechecks.decide(ctx, inspector, hazard.id, False, "照片看不清", now=NOW)
    assert rectification.last_rejection(ctx, a, hazard.id) == "照片看不清"
    assert [h["hazard"].id for h in rectification.my_hazards(ctx, a, "rectifying", TODAY)].count(hazard.id) == 1
    again = rectification.submit(ctx, a, hazard.id, "重新拍照", TODAY, [jpeg()], now=NOW + dt.timedelta(hours=1))
    assert again.status == Status.SUBMITTED and rectification.last_rejection(ctx, a, hazard.id) is None


def test_filters_and_days_left(world):
    ctx, a, _ = world
    everything = rectification.my_hazards(ctx, a, today=TODAY)
    for status in ("open", "rectifying", "submitted", "closed"):
        assert all(h["hazard"].status == status for h in rectification.my_hazards(ctx, a, status, TODAY))
    overdue = rectification.my_hazards(ctx, a, "overdue", TODAY)
    assert all(h["days_left"] < 0 and h["hazard"].status != "closed" for h in overdue)
    assert sum(h["overdue"] for h in everything) == len(overdue)


def _major(ctx, a, deadline):
    hazard = hazard_store.for_enterprise(ctx.db, a.enterprise_code)[0]
    major = hazard.model_copy(update={"id": "MAJOR-1", "level": Level.MAJOR, "status": Status.OPEN,
                                      "found_on": deadline - dt.timedelta(days=60), "deadline": deadline,
                                      "rectified_on": None, "closed_on": None})
    ctx.db.write(lambda c: hazard_store.insert_hazards(c, [major]))
    return major


def test_extension_requests(world):
    ctx, a, _ = world
    major = _major(ctx, a, TODAY + dt.timedelta(days=5))
    general = next(h["hazard"] for h in rectification.my_hazards(ctx, a, today=TODAY) if h["hazard"].level == "general"
                   and h["hazard"].status != "closed")
    with pytest.raises(portal.PortalError) as only_major:
        rectification.request_extension(ctx, a, general.id, general.deadline + dt.timedelta(days=10), "r", now=NOW)
    assert only_major.value.reason == "extension_major_only"
    with pytest.raises(portal.PortalError) as earlier:
        rectification.request_extension(ctx, a, major.id, major.deadline, "设备未到货", now=NOW)
    assert earlier.value.reason == "extension_not_later"
    request = rectification.request_extension(ctx, a, major.id, major.deadline + dt.timedelta(days=20), "设备未到货", now=NOW)
    assert request["status"] == "pending"
    with pytest.raises(portal.PortalError) as pending:
        rectification.request_extension(ctx, a, major.id, major.deadline + dt.timedelta(days=25), "again", now=NOW)
    assert pending.value.reason == "extension_pending"
    shown = next(h for h in rectification.my_hazards(ctx, a, today=TODAY) if h["hazard"].id == major.id)
    assert [r["status"] for r in shown["extensions"]] == ["pending"]
    with pytest.raises(portal.PortalError) as late:
        rectification.request_extension(ctx, a, major.id, major.deadline + dt.timedelta(days=30), "r",
                                        now=dt.datetime.combine(major.deadline + dt.timedelta(days=1), dt.time(9)))
    assert late.value.reason in ("extension_too_late", "extension_pending")


def test_rating_once_and_anonymous_to_the_inspectors(world):
    ctx, a, _ = world
    finished = next(c for c in portal.checks(ctx, a) if c["status"] == "completed" and c["rating"] is None)
    with pytest.raises(portal.PortalError) as bad:
        portal.rate(ctx, a, finished["id"], 6)
    assert bad.value.reason == "bad_rating"
    portal.rate(ctx, a, finished["id"], 4, "提前告知，一次查完", now=NOW)
    with pytest.raises(portal.PortalError) as twice:
        portal.rate(ctx, a, finished["id"], 5)
    assert twice.value.reason == "already_rated"
    department = finished["departments"][0]
    seen_by_inspector = portal.rating_for(ctx, User(f"{department}1", "x", "inspector", department), finished["id"])
    assert seen_by_inspector["rating"] == 4 and "rated_by" not in seen_by_inspector
    assert portal.rating_for(ctx, User("office", "o", "office"), finished["id"])["rated_by"] == "entA"
    scheduled = _scheduled(ctx, a)
    with pytest.raises(portal.PortalError) as early:
        portal.rate(ctx, a, scheduled["id"], 5)
    assert early.value.reason == "rate_after_finish"


def test_enterprise_a_never_reaches_b(world):
    ctx, a, b = world
    b_visit = _scheduled(ctx, b)
    b_item = portal.check(ctx, b, b_visit["id"])["merged"].items[0].id
    b_hazard = hazard_store.for_enterprise(ctx.db, b.enterprise_code)[0]
    b_done = next(c for c in portal.checks(ctx, b) if c["status"] == "completed")
    attempts = [
        lambda: portal.check(ctx, a, b_visit["id"]),
        lambda: portal.self_check_answer(ctx, a, b_visit["id"], b_item, "pass", now=NOW),
        lambda: portal.self_check_photo(ctx, a, b_visit["id"], b_item, jpeg(), now=NOW),
        lambda: portal.own_hazard(ctx, a, b_visit["id"], b_item, now=NOW),
        lambda: portal.rate(ctx, a, b_done["id"], 5),
        lambda: portal.rating_for(ctx, a, b_done["id"]),
        lambda: rectification.submit(ctx, a, b_hazard.id, "x", TODAY, [], now=NOW),
        lambda: rectification.request_extension(ctx, a, b_hazard.id, TODAY + dt.timedelta(days=90), "x", now=NOW),
        lambda: rectification.last_rejection(ctx, a, b_hazard.id),
        lambda: rectification.evidence_files(ctx, a, b_hazard.id),
        lambda: rechecks.trail(ctx, a, b_hazard.id),
    ]
    before = ctx.db.query("SELECT count(*), max(occurred_at) FROM hazard_events")
    for attempt in attempts:
        with pytest.raises(access.NotFound):
            attempt()
    assert ctx.db.query("SELECT count(*), max(occurred_at) FROM hazard_events") == before
    assert all(c["enterprise_code"] == a.enterprise_code for c in portal.checks(ctx, a))
    assert all(h["hazard"].enterprise_code == a.enterprise_code for h in rectification.my_hazards(ctx, a, today=TODAY))
    with pytest.raises(access.NotFound):
        portal.checks(ctx, User("insp", "i", "inspector", "market"))


def test_printable_documents_and_their_isolation(world):
    from pypdf import PdfReader
    import io as _io
    from inspections.services.enterprise import portal_documents
    from inspections.services.office import registry
    ctx, a, b = world
    visit = _scheduled(ctx, a)
    text = "".join(p.extract_text() for p in PdfReader(_io.BytesIO(
        portal_documents.item_sheet_pdf(ctx, a, visit["id"]))).pages).replace("\x00", "")
    name = ctx.db.scalar("SELECT name FROM enterprises WHERE code = ?", [a.enterprise_code])
    assert name in text.replace("\n", "") and a.enterprise_code in text
    poster = "".join(p.extract_text() for p in PdfReader(_io.BytesIO(portal_documents.poster_pdf(ctx, a))).pages)
    assert a.enterprise_code in poster.replace("\x00", "")
    with pytest.raises(access.NotFound):
        portal_documents.item_sheet_pdf(ctx, a, _scheduled(ctx, b)["id"])
    calls = []
    sheet = registry.qr_sheet(ctx, User("office", "o", "office"), [a.enterprise_code, b.enterprise_code],
                              progress=lambda done, total: calls.append((done, total)))
    assert sheet.startswith(b"%PDF") and calls[-1] == (2, 2)
    with pytest.raises(access.NotFound):
        registry.qr_sheet(ctx, a, [a.enterprise_code])
