"""The inspector's use cases on a real database: sign-in and lockout, check-in, autosaved answers,
photos, finishing into hazards, re-inspection, and what another department cannot reach."""
import datetime as dt
import io

import pytest
from PIL import Image

from inspections.domain.hazards import Status, TransitionError
from inspections.services.shared import auth
from inspections.services.inspector import answers, inspecting, notices, rechecks
from inspections.services.shared.access import NotFound
from inspections.services.shared.auth import SignInError, User
from inspections.services.shared.photos import PhotoRefused
from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from tests.conftest import SUITE_TODAY, jpeg, today_at

TODAY = SUITE_TODAY
NOW = today_at(9, 30)


@pytest.fixture
def world(todays_visit):
    visit = todays_visit
    return visit.ctx, visit.inspection, visit.inspector, visit.outsider


def test_sign_in_and_lockout(world):
    ctx = world[0]
    user = auth.sign_in(ctx, "office", "Demo@2026", NOW)
    assert user.role == "office"
    with pytest.raises(SignInError) as unknown:
        auth.sign_in(ctx, "nobody", "Demo@2026", NOW)
    assert unknown.value.reason == "invalid"
    for attempt in range(4):
        with pytest.raises(SignInError) as wrong:
            auth.sign_in(ctx, "market1", "wrong", NOW)
        assert wrong.value.reason == "invalid"
    with pytest.raises(SignInError) as fifth:
        auth.sign_in(ctx, "market1", "wrong", NOW)
    assert fifth.value.reason == "locked" and fifth.value.until == NOW + dt.timedelta(minutes=15)
    with pytest.raises(SignInError) as locked:  # even the right password waits out the lock
        auth.sign_in(ctx, "market1", "Demo@2026", NOW + dt.timedelta(minutes=14))
    assert locked.value.reason == "locked"
    assert auth.sign_in(ctx, "market1", "Demo@2026", NOW + dt.timedelta(minutes=16)).department == "market"


def test_check_in_rules(world):
    ctx, inspection, inspector, outsider = world
    with pytest.raises(inspecting.InspectionError) as bad:
        inspecting.check_in(ctx, inspector, "91350100M000100Y44", "typed", NOW)
    assert bad.value.reason == "bad_code"
    elsewhere = ctx.db.scalar("SELECT code FROM enterprises WHERE code NOT IN "
                              "(SELECT enterprise_code FROM inspections WHERE scheduled_on = ?) LIMIT 1", [TODAY])
    with pytest.raises(inspecting.InspectionError) as nothing:
        inspecting.check_in(ctx, inspector, elsewhere, "typed", NOW)
    assert nothing.value.reason == "nothing_today"
    with pytest.raises(inspecting.InspectionError):  # not on the team
        inspecting.check_in(ctx, outsider, inspection["enterprise_code"], "typed", NOW)
    with pytest.raises(inspecting.InspectionError) as tomorrow:
        inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", NOW + dt.timedelta(days=1))
    assert tomorrow.value.reason == "nothing_today"
    assert inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "camera", NOW) == inspection["id"]
    again = inspecting.check_in(ctx, inspector, inspection["enterprise_code"].lower(), "typed", NOW + dt.timedelta(hours=1))
    assert again == inspection["id"]
    stored = inspection_store.get(ctx.db, inspection["id"])
    assert (stored["status"], stored["checkin_method"], stored["checked_in_at"]) == ("in_progress", "camera", NOW)


def test_answers_are_saved_at_once_and_resume(world):
    ctx, inspection, inspector, _ = world
    with pytest.raises(inspecting.InspectionError) as early:
        inspecting.answer_item(ctx, inspector, inspection["id"], "S01", "pass", now=NOW)
    assert early.value.reason == "check_in_first"
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", NOW)
    state = inspecting.walk(ctx, inspector, inspection["id"])
    first, second = state.merged.items[0].id, state.merged.items[1].id
    inspecting.answer_item(ctx, inspector, inspection["id"], first, "pass", now=NOW)
    inspecting.answer_item(ctx, inspector, inspection["id"], first, "pass", now=NOW)  # twice is harmless
    inspecting.answer_item(ctx, inspector, inspection["id"], second, "fail", note="灭火器过期", now=NOW)
    resumed = inspecting.walk(ctx, inspector, inspection["id"])  # a new session reads the same
    assert resumed.answered == 2 and resumed.first_unanswered == 2
    failed = resumed.answers[second]
    assert failed["level"] == "general" and failed["deadline"] == TODAY + dt.timedelta(days=30)
    inspecting.answer_item(ctx, inspector, inspection["id"], second, "fail", note="灭火器过期", level="major", now=NOW)
    assert inspecting.walk(ctx, inspector, inspection["id"]).answers[second]["deadline"] == TODAY + dt.timedelta(days=60)
    with pytest.raises(inspecting.InspectionError) as too_late:
        inspecting.answer_item(ctx, inspector, inspection["id"], second, "fail", level="major",
                               deadline=TODAY + dt.timedelta(days=91), now=NOW)
    assert too_late.value.values["why"].reason == "deadline_too_late" and too_late.value.values["why"].values == {"days": 90}
    with pytest.raises(NotFound):
        inspecting.answer_item(ctx, inspector, inspection["id"], "NOT-AN-ITEM", "pass", now=NOW)


def test_an_answer_is_refused_once_the_visit_is_closed_behind_the_remembered_header(world):
    """answer_item remembers a started visit's header (ctx.in_progress) and skips reading it again; the
    transaction that saves the answer still checks the status, so a visit completed elsewhere (here:
    straight through the store) refuses the answer and writes nothing."""
    ctx, inspection, inspector, outsider = world
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", NOW)
    first, second = [i.id for i in inspecting.walk(ctx, inspector, inspection["id"]).merged.items[:2]]
    inspecting.answer_item(ctx, inspector, inspection["id"], first, "pass", now=NOW)
    assert inspection["id"] in ctx.in_progress
    with pytest.raises(NotFound):             # the remembered header does not let another department in
        inspecting.answer_item(ctx, outsider, inspection["id"], second, "pass", now=NOW)
    ctx.db.write(lambda c: inspection_store.complete(c, inspection["id"], NOW, inspector.username, "sig-a", "sig-b", ""))
    with pytest.raises(inspecting.InspectionError) as closed:
        inspecting.answer_item(ctx, inspector, inspection["id"], second, "pass", now=NOW)
    assert closed.value.reason == "not_in_progress" and inspection["id"] not in ctx.in_progress
    assert set(inspection_store.answers(ctx.db, inspection["id"])) == {first}


def test_changing_a_result_keeps_the_photos(world):
    ctx, inspection, inspector, _ = world
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", NOW)
    item = inspecting.walk(ctx, inspector, inspection["id"]).merged.items[0].id
    inspecting.answer_item(ctx, inspector, inspection["id"], item, "fail", note="x", now=NOW)
    photo_id = inspecting.add_photo(ctx, inspector, inspection["id"], item, jpeg(), NOW)
    assert inspecting.answer_item(ctx, inspector, inspection["id"], item, "pass", now=NOW)["photos"] == [photo_id]
    again = inspecting.answer_item(ctx, inspector, inspection["id"], item, "fail", note="y", level="major", now=NOW)
    assert again["photos"] == [photo_id] and again["deadline"] == TODAY + dt.timedelta(days=60)
    assert inspection_store.answer(ctx.db, inspection["id"], item)["photos"] == [photo_id]


def test_photos_by_content_and_size(world):
    ctx, inspection, inspector, _ = world
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", NOW)
    item = inspecting.walk(ctx, inspector, inspection["id"]).merged.items[0].id
    with pytest.raises(answers.AnswerRefused, match="answer_first"):
        inspecting.add_photo(ctx, inspector, inspection["id"], item, jpeg(), NOW)  # answer first
    inspecting.answer_item(ctx, inspector, inspection["id"], item, "fail", note="x", now=NOW)
    photo_id = inspecting.add_photo(ctx, inspector, inspection["id"], item, jpeg(), NOW)
    from inspections.store import photos as photo_store
    record = photo_store.get(ctx.db, photo_id)
    assert max(record["width"], record["height"]) == 1600 and record["enterprise_code"] == inspection["enterprise_code"]
    with pytest.raises(PhotoRefused) as not_image:
        inspecting.add_photo(ctx, inspector, inspection["id"], item, b"%PDF-1.4 not an image", NOW)
    assert not_image.value.reason == "not_image"
    with pytest.raises(PhotoRefused) as huge:
        inspecting.add_photo(ctx, inspector, inspection["id"], item, b"\xff\xd8" + b"0" * (11 * 1024 * 1024), NOW)
    assert huge.value.reason == "too_large"
    assert inspecting.walk(ctx, inspector, inspection["id"]).answers[item]["photos"] == [photo_id]


def test_finish_raises_hazards_and_recheck_closes_them(world):
    ctx, inspection, inspector, outsider = world
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", NOW)
    items = inspecting.walk(ctx, inspector, inspection["id"]).merged.items
    for item in items[:-1]:
        inspecting.answer_item(ctx, inspector, inspection["id"], item.id, "pass", now=NOW)
    with pytest.raises(inspecting.InspectionError) as unanswered:
        inspecting.finish(ctx, inspector, inspection["id"], jpeg(300, 100), jpeg(300, 100), NOW)
    assert unanswered.value.reason == "unanswered" and unanswered.value.values["count"] == 1
    inspecting.answer_item(ctx, inspector, inspection["id"], items[-1].id, "fail", now=NOW)
    with pytest.raises(inspecting.InspectionError) as details:
        inspecting.finish(ctx, inspector, inspection["id"], jpeg(300, 100), jpeg(300, 100), NOW)
    assert details.value.reason == "missing_details"
    inspecting.answer_item(ctx, inspector, inspection["id"], items[-1].id, "fail", note="安全出口锁闭", now=NOW)
    with pytest.raises(inspecting.InspectionError) as unsigned:
        inspecting.finish(ctx, inspector, inspection["id"], b"", jpeg(300, 100), NOW)
    assert unsigned.value.reason == "signatures_required"
    hazards = inspecting.finish(ctx, inspector, inspection["id"], jpeg(300, 100), jpeg(300, 100), NOW)
    assert [h.description for h in hazards] == ["安全出口锁闭"] and hazards[0].status == Status.OPEN
    assert inspection_store.get(ctx.db, inspection["id"])["status"] == "completed"
    hazard = hazards[0]
    assert [e.action for e in hazard_store.events(ctx.db, hazard.id)] == ["raise"]
    with pytest.raises(inspecting.InspectionError):  # a finished inspection is no longer editable
        inspecting.answer_item(ctx, inspector, inspection["id"], items[0].id, "fail", note="x", now=NOW)
    # the enterprise submits; the hazard's department re-inspects
    from inspections.domain.hazards import apply
    submitted, event = apply(hazard_store.get(ctx.db, hazard.id), "submit", actor="ent", at=NOW, note="已整改")
    ctx.db.write(lambda c: hazard_store.save(c, submitted, event))
    checker = User(f"{hazard.department}1", "x", "inspector", hazard.department)
    pending = [h["id"] for h in rechecks.pending(ctx, checker)]
    assert hazard.id in pending and all(h["department"] == hazard.department for h in rechecks.pending(ctx, checker))
    other = next(d for d in ctx.catalogue.department_ids if d != hazard.department)
    with pytest.raises(NotFound):
        rechecks.decide(ctx, User(f"{other}1", "x", "inspector", other), hazard.id, True)
    with pytest.raises(TransitionError):
        rechecks.decide(ctx, checker, hazard.id, False, reason="  ")
    assert rechecks.decide(ctx, checker, hazard.id, False, reason="仍未整改", now=NOW).status == Status.RECTIFYING
    resubmitted, event = apply(hazard_store.get(ctx.db, hazard.id), "submit", actor="ent", at=NOW, note="再次提交")
    ctx.db.write(lambda c: hazard_store.save(c, resubmitted, event))
    closed = rechecks.decide(ctx, checker, hazard.id, True, now=NOW + dt.timedelta(days=2))
    assert closed.status == Status.CLOSED and closed.closed_on == TODAY + dt.timedelta(days=2)
    assert [e.action for e in rechecks.trail(ctx, checker, hazard.id)] == ["raise", "submit", "reject", "submit", "close"]
    assert [e.note for e in rechecks.trail(ctx, checker, hazard.id)][2] == "仍未整改"


def test_other_department_sees_nothing(world):
    ctx, inspection, inspector, outsider = world
    with pytest.raises(NotFound):
        inspecting.walk(ctx, outsider, inspection["id"])
    with pytest.raises(NotFound):
        inspecting.answer_item(ctx, outsider, inspection["id"], "S01", "pass", now=NOW)
    with pytest.raises(NotFound):
        notices.notice_data(ctx, outsider, inspection["id"])
    foreign_hazard = ctx.db.scalar("""SELECT h.id FROM hazards h JOIN inspections i ON i.id = h.inspection_id
        WHERE h.department <> ? AND NOT list_contains(i.departments, ?) LIMIT 1""",
                                   [outsider.department, outsider.department])
    with pytest.raises(NotFound):
        rechecks.trail(ctx, outsider, foreign_hazard)
    enterprise_user = User("ent", "x", "enterprise", enterprise_code="91350100M000100Y43")
    with pytest.raises(NotFound):
        inspecting.walk(ctx, enterprise_user, inspection["id"])
    with pytest.raises(NotFound):
        inspecting.my_inspections(ctx, enterprise_user)
    assert all(inspector.username in i["team"] for i in inspecting.my_inspections(ctx, inspector))


def test_joint_visit_partners_see_the_trail_but_only_the_department_rechecks(world):
    ctx, _, _, _ = world
    joint = ctx.db.query_dicts("""SELECT h.id, h.department, i.departments FROM hazards h
        JOIN inspections i ON i.id = h.inspection_id WHERE len(i.departments) >= 2 AND h.status = 'submitted'
        LIMIT 1""")[0]
    partner_department = next(d for d in joint["departments"] if d != joint["department"])
    partner = User(f"{partner_department}1", "x", "inspector", partner_department)
    assert [e.action for e in rechecks.trail(ctx, partner, joint["id"])][0] == "raise"
    with pytest.raises(NotFound):
        rechecks.decide(ctx, partner, joint["id"], True, now=NOW)


def test_decoding_the_enterprise_qr_from_a_photo():
    from inspections.rendering import qr
    from inspections.readers import qr_codes
    code = "91350100M000100Y43"
    photo = Image.open(io.BytesIO(qr.png_bytes(qr.enterprise_url("https://10.0.0.5:8501", code))))
    framed = Image.new("RGB", (1280, 960), (90, 110, 120))  # the code as a camera would frame it
    framed.paste(photo.convert("RGB").resize((420, 420)), (400, 260))
    out = io.BytesIO()
    framed.save(out, format="JPEG", quality=80)
    assert qr_codes.decode_enterprise_code(out.getvalue()) == (code, None)
    assert qr_codes.decode_enterprise_code(jpeg(640, 480)) == (None, "no_qr")
    assert qr_codes.decode_enterprise_code(b"not an image") == (None, "no_qr")
    foreign = io.BytesIO()
    Image.open(io.BytesIO(qr.png_bytes("https://example.com/menu"))).save(foreign, format="PNG")
    assert qr_codes.decode_enterprise_code(foreign.getvalue()) == (None, "wrong_qr")


def test_decoding_an_inspection_code_from_a_photo():
    from inspections.rendering import qr
    from inspections.readers import qr_codes
    token = "IO1.JC20261127-0001.91350100M000100Y43.20261127.abcdefghijklmnopqrstuv"
    png = qr.png_bytes(f"https://10.0.0.5:8501/?code={token}")
    assert qr_codes.decode_inspection_code(png) == (token, None)
    assert qr_codes.decode_inspection_code(qr.png_bytes("https://10.0.0.5:8501/?enterprise=x")) == (None, "wrong_qr")


def test_stored_photos_carry_no_metadata(world):
    """A phone's photo may carry a comment, the camera and where it was taken: none of it is stored (issue
    18 #14: the JPEG comment segment came through)."""
    from PIL import Image as PILImage
    ctx, inspection, inspector, _ = world
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", NOW)
    item = inspecting.walk(ctx, inspector, inspection["id"]).merged.items[0].id
    inspecting.answer_item(ctx, inspector, inspection["id"], item, "fail", note="灭火器过期", now=NOW)
    exif = PILImage.Exif()
    exif[0x010F], exif[0x0110] = "PhoneMaker", "Model-X"
    out = io.BytesIO()
    PILImage.new("RGB", (800, 600), (90, 120, 30)).save(out, format="JPEG", comment=b"GPS 43.8N 125.3E",
                                                         exif=exif.tobytes())
    assert b"GPS 43.8N" in out.getvalue() and b"PhoneMaker" in out.getvalue()
    photo_id = inspecting.add_photo(ctx, inspector, inspection["id"], item, out.getvalue(), NOW)
    path = inspecting.photo_files(ctx, inspector, inspection["id"], [photo_id])[0][1]
    stored = path.read_bytes()
    assert b"GPS 43.8N" not in stored and b"PhoneMaker" not in stored and b"Exif" not in stored
    with PILImage.open(path) as image:
        assert "comment" not in image.info and "exif" not in image.info


def test_an_inspector_of_the_department_not_on_the_team_may_read_but_not_change_the_visit(world):
    """issue 18 #6: the same department was enough to answer, photograph, sign and finish a visit (ids are
    sequential). Every write is the team's: each is refused, and no table's contents change."""
    from inspections.services.shared import access
    from tests.checksums import changed, table_checksums
    ctx, inspection, inspector, _ = world
    colleague = User(f"{inspector.department}2", "x", "inspector", inspector.department)
    assert colleague.username not in inspection["team"] and inspector.department in inspection["departments"]
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", NOW)
    items = inspecting.walk(ctx, inspector, inspection["id"]).merged.items
    for item in items[1:]:
        inspecting.answer_item(ctx, inspector, inspection["id"], item.id, "pass", now=NOW)
    inspecting.answer_item(ctx, inspector, inspection["id"], items[0].id, "fail", note="灭火器过期", now=NOW)
    photo = inspecting.add_photo(ctx, inspector, inspection["id"], items[0].id, jpeg(), NOW)
    before, files = table_checksums(ctx.db.query), sorted(ctx.db.path.parent.rglob("*.jpg"))

    with pytest.raises(inspecting.InspectionError) as check_in:      # check-in finds only one's own visits
        inspecting.check_in(ctx, colleague, inspection["enterprise_code"], "typed", NOW)
    assert check_in.value.reason == "nothing_today"
    assert inspection["id"] in ctx.in_progress      # the answer path's remembered header, then a fresh read
    for remembered in (True, False):
        if not remembered:
            ctx.in_progress.clear()
        with pytest.raises(access.Forbidden) as answer:
            inspecting.answer_item(ctx, colleague, inspection["id"], items[1].id, "fail", note="x", now=NOW)
        assert answer.value.reason == "not_on_team"
    refused = {
        "delivered answer": lambda: inspecting.deliver_answer(ctx, colleague, inspection["id"], items[1].id, "fail",
                                                              seen_version=1, client_key="k-outsider"),
        "photo": lambda: inspecting.add_photo(ctx, colleague, inspection["id"], items[0].id, jpeg(), NOW),
        "photo removed": lambda: inspecting.remove_photo(ctx, colleague, inspection["id"], items[0].id, photo),
        "finish": lambda: inspecting.finish(ctx, colleague, inspection["id"], jpeg(300, 100), jpeg(300, 100), NOW),
    }
    for what, attempt in refused.items():
        with pytest.raises(access.Forbidden):
            attempt()
            pytest.fail(f"{what} was not refused")
    assert changed(before, table_checksums(ctx.db.query)) == []
    assert sorted(ctx.db.path.parent.rglob("*.jpg")) == files        # no signature or photo file either
    state = inspecting.walk(ctx, colleague, inspection["id"])         # reading stays allowed, read only
    assert not state.on_team and state.answered == len(items)
    assert inspecting.walk(ctx, inspector, inspection["id"]).on_team
    assert inspecting.finish(ctx, inspector, inspection["id"], jpeg(300, 100), jpeg(300, 100), NOW)
