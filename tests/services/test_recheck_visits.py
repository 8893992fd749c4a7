"""Re-check visits (复查) on a real demo database: today's visit finds six failures; one is closed at the desk,
the others left open, rectifying or submitted. A re-check of that visit takes only the still-open items,
worded as the earlier visit's stored list had them, with those hazards' departments and a reason naming
the visit; it is refused for a visit with nothing open, an unfinished visit, another enterprise's visit,
and never merged. Its finish raises no hazard: each answer decides its hazard through the lifecycle (a
general pass closes, a major pass is accepted and waits for approval, a failure on a submitted one rejects
it with the note, on a rectifying one records recheck_failed, not applicable changes nothing), each
decision's opinion stored with it; a hazard decided at the desk meanwhile makes the finish write nothing."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from inspections.domain.hazards import Level, Status, apply
from inspections.domain.merge import MergedList
from inspections.domain.refusals import ChangedMeanwhile
from inspections.services.inspector import inspecting, notices, recheck_visits, rechecks
from inspections.services.office import oversight, planning, recheck_plans
from inspections.services.shared import documents
from inspections.services.shared.access import NotFound
from inspections.services.shared.auth import User
from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from tests.conftest import SUITE_TODAY, jpeg, office_user, today_at

OFFICE = office_user()
FOUND = today_at(9, 30)
RECHECKED = today_at(15, 0)
# the six failures of the earlier visit, and what becomes of each before the re-check
FATES = ("closed", "submitted", "rectifying", "major_open", "open", "not_applicable")


def _save(ctx, hazard_id: str, action: str, actor: str, note: str = "") -> None:
    changed, event = apply(hazard_store.get(ctx.db, hazard_id), action, actor=actor, at=FOUND, note=note)
    ctx.db.write(lambda c: hazard_store.save(c, changed, event))


@pytest.fixture
def earlier(todays_visit):
    """Today's visit finished with six failed items (the fourth a major), their hazards then taken to
    FATES' states; returns (ctx, the visit, {fate: hazard id}, the lead inspector)."""
    ctx, visit, lead = todays_visit.ctx, todays_visit.inspection, todays_visit.inspector
    inspecting.check_in(ctx, lead, visit["enterprise_code"], "typed", FOUND)
    items = inspecting.walk(ctx, lead, visit["id"]).merged.items
    for n, item in enumerate(items):
        failed = n < len(FATES)
        inspecting.answer_item(ctx, lead, visit["id"], item.id, "fail" if failed else "pass", now=FOUND,
                               note=f"发现问题{n + 1}" if failed else "",
                               level=Level.MAJOR if n == 3 else Level.GENERAL if failed else None)
    raised = inspecting.finish(ctx, lead, visit["id"], jpeg(300, 100), jpeg(300, 100), FOUND)
    hazards = dict(zip(FATES, (h.id for h in raised)))
    firm = f"{visit['enterprise_code']}·rep"
    _save(ctx, hazards["closed"], "submit", firm, "已整改")
    department = hazard_store.get(ctx.db, hazards["closed"]).department
    rechecks.decide(ctx, User(f"{department}1", "x", "inspector", department), hazards["closed"], True, now=FOUND)
    _save(ctx, hazards["submitted"], "submit", firm, "已更换灭火器")
    _save(ctx, hazards["rectifying"], "start", firm)
    return ctx, visit, hazards, lead


def _team(departments: list[str]) -> list[str]:
    return [d + "1" for d in departments] + ([departments[0] + "2"] if len(departments) == 1 else [])


def _plan_recheck(ctx, visit, day=SUITE_TODAY, **changes) -> dict:
    seen = planning.preview(ctx, OFFICE, visit["enterprise_code"], [], "recheck", day, recheck_of=visit["id"])
    deps = seen["merged"].departments
    return planning.create(ctx, OFFICE, visit["enterprise_code"], day, deps[0], deps, _team(deps), "recheck",
                           today=SUITE_TODAY, confirm_nearby=True, recheck_of=visit["id"], **changes)


def test_a_recheck_takes_only_the_still_open_items_as_the_earlier_visit_worded_them(earlier):
    ctx, visit, hazards, _ = earlier
    stored = MergedList.model_validate_json(visit["merged_list_json"])
    reworded = stored.items[1].model_copy(update={"title": stored.items[1].title.model_copy(
        update={"zh": "（旧版措辞）" + stored.items[1].title.zh})})
    old_list = stored.model_copy(update={"items": [stored.items[0], reworded, *stored.items[2:]]})
    ctx.db.write(lambda c: c.execute("UPDATE inspections SET merged_list_json = ? WHERE id = ?",
                                     [old_list.model_dump_json(), visit["id"]]))
    assert [v["id"] for v in recheck_plans.candidates(ctx, OFFICE, visit["enterprise_code"])][:1] == [visit["id"]]
    created = _plan_recheck(ctx, visit)
    merged = MergedList.model_validate_json(created["merged_list_json"])
    open_ids = [hazard_store.get(ctx.db, hazards[f]) for f in FATES[1:]]
    assert [i.id for i in merged.items] == [h.item_id for h in open_ids] == [i.id for i in stored.items[1:6]]
    assert merged.items[0].title.zh == "（旧版措辞）" + stored.items[1].title.zh       # the stored wording
    assert created["departments"] == merged.departments == \
        [d for d in ctx.catalogue.department_ids if d in {h.department for h in open_ids}]
    assert (created["kind"], created["recheck_of"], created["checklist_version"]) == \
        ("recheck", visit["id"], visit["checklist_version"])
    assert created["reason"] == documents.rules().recheck_visit_reason.format(
        inspection_id=visit["id"], date=visit["scheduled_on"].isoformat())
    assert visit["id"] in created["reason"]
    given = _plan_recheck(ctx, visit, day=SUITE_TODAY + dt.timedelta(days=3), reason="企业申请提前复查")
    assert given["reason"] == "企业申请提前复查"


def test_refused_rechecks(earlier):
    ctx, visit, _, _ = earlier
    code = visit["enterprise_code"]

    def refusal(earlier_id: str, enterprise_code: str = code) -> str:
        with pytest.raises(planning.PlanningError) as refused:
            planning.create(ctx, OFFICE, enterprise_code, SUITE_TODAY, "x", [], ["x"], "recheck",
                            today=SUITE_TODAY, confirm_nearby=True, recheck_of=earlier_id)
        return refused.value.reason

    nothing_open = ctx.db.scalar("""SELECT i.id FROM inspections i WHERE i.status = 'completed' AND NOT EXISTS
        (SELECT 1 FROM hazards h WHERE h.inspection_id = i.id AND h.status <> 'closed') ORDER BY i.id LIMIT 1""")
    unfinished = ctx.db.scalar("SELECT id FROM inspections WHERE status = 'scheduled' ORDER BY id LIMIT 1")
    before = ctx.db.scalar("SELECT count(*) FROM inspections")
    assert refusal("") == "recheck_visit_required"
    assert refusal("JC00000000-0000") == "recheck_unknown_visit"
    assert refusal(nothing_open, inspection_store.get(ctx.db, nothing_open)["enterprise_code"]) == "recheck_nothing_open"
    assert refusal(unfinished, inspection_store.get(ctx.db, unfinished)["enterprise_code"]) == "recheck_not_finished"
    other = ctx.db.scalar("SELECT code FROM enterprises WHERE code <> ? ORDER BY code LIMIT 1", [code])
    assert refusal(visit["id"], other) == "recheck_other_enterprise"
    assert ctx.db.scalar("SELECT count(*) FROM inspections") == before
    with pytest.raises(planning.PlanningError, match="recheck_visit_required"):
        planning.bulk_proposal(ctx, OFFICE, sector=ctx.catalogue.sector_ids[0], month=SUITE_TODAY, kind="recheck",
                               reason="复查")


def test_a_recheck_is_never_merged(earlier):
    ctx, visit, _, _ = earlier
    day = SUITE_TODAY + dt.timedelta(days=2)
    recheck = _plan_recheck(ctx, visit, day=day)
    deps = list(planning.preview(ctx, OFFICE, visit["enterprise_code"], [], "routine", day)["counts"])
    routine = planning.create(ctx, OFFICE, visit["enterprise_code"], day + dt.timedelta(days=1), deps[0], deps,
                              _team(deps), "routine", today=SUITE_TODAY, confirm_nearby=True,
                              override_reason="测试")
    proposed = [set(p["inspection_ids"]) for p in planning.proposals(ctx, OFFICE, SUITE_TODAY)]
    assert not any(recheck["id"] in ids for ids in proposed)
    with pytest.raises(planning.PlanningError) as refused:
        planning.merge_preview(ctx, OFFICE, [recheck["id"], routine["id"]], today=SUITE_TODAY)
    assert (refused.value.reason, refused.value.values) == ("recheck_not_merged", {"inspection_id": recheck["id"]})


def _walk_recheck(ctx, visit, answers: dict[str, tuple[str, str]], hazards: dict[str, str]):
    """Plan today's re-check of `visit`, check in and answer each fate's item (result, note); returns
    (the re-check, its first officer)."""
    recheck = _plan_recheck(ctx, visit)
    officer_name = recheck["team"][0]
    department = ctx.db.scalar("SELECT department FROM users WHERE username = ?", [officer_name])
    officer = User(officer_name, officer_name, "inspector", department)
    inspecting.check_in(ctx, officer, visit["enterprise_code"], "typed", RECHECKED)
    for fate, (result, note) in answers.items():
        item_id = hazard_store.get(ctx.db, hazards[fate]).item_id
        inspecting.answer_item(ctx, officer, recheck["id"], item_id, result, note=note, now=RECHECKED)
    return recheck, officer


ANSWERS = {"submitted": ("fail", "灭火器仍过期"), "rectifying": ("fail", "疏散通道仍堆放杂物"),
           "major_open": ("pass", ""), "open": ("pass", ""), "not_applicable": ("not_applicable", "")}


def _events(ctx, hazard_id):
    return [(e.action, e.from_status, e.to_status, e.note) for e in hazard_store.events(ctx.db, hazard_id)]


def test_finishing_a_recheck_decides_each_hazard_and_raises_none(earlier):
    ctx, visit, hazards, _ = earlier
    recheck, officer = _walk_recheck(ctx, visit, ANSWERS, hazards)
    before = {fate: _events(ctx, hazard_id) for fate, hazard_id in hazards.items()}
    count = hazard_store.count(ctx.db)
    raised = inspecting.finish(ctx, officer, recheck["id"], jpeg(300, 100), jpeg(300, 100), RECHECKED)
    assert raised == [] and hazard_store.count(ctx.db) == count
    assert hazard_store.for_inspection(ctx.db, recheck["id"]) == []
    notes = documents.rules().recheck_notes
    after = {fate: _events(ctx, hazard_id)[len(before[fate]):] for fate, hazard_id in hazards.items()}
    assert after["open"] == [("submit", Status.OPEN, Status.SUBMITTED, notes.confirmed_on_site),
                             ("close", Status.SUBMITTED, Status.CLOSED, notes.closed)]
    assert after["major_open"] == [("submit", Status.OPEN, Status.SUBMITTED, notes.confirmed_on_site),
                                   ("accept", Status.SUBMITTED, Status.SUBMITTED, notes.accepted)]
    assert after["submitted"] == [("reject", Status.SUBMITTED, Status.RECTIFYING, "灭火器仍过期")]
    assert after["rectifying"] == [("recheck_failed", Status.RECTIFYING, Status.RECTIFYING, "疏散通道仍堆放杂物")]
    assert after["not_applicable"] == [] and after["closed"] == []
    state = {fate: hazard_store.get(ctx.db, hazard_id) for fate, hazard_id in hazards.items()}
    assert state["open"].closed_on == RECHECKED.date() and state["not_applicable"].status == Status.OPEN
    major = state["major_open"]
    assert (major.status, major.accepted_by, major.accepted_on) == (Status.SUBMITTED, officer.username, RECHECKED.date())
    assert major.id in [h["id"] for h in oversight.awaiting_approval(ctx, OFFICE)]
    assert oversight.approve_closure(ctx, OFFICE, major.id, True, now=RECHECKED).status == Status.CLOSED
    issued = documents.of_inspection(ctx, officer, recheck["id"])
    opinions = {d["hazard_id"]: d for d in issued if d["kind"] == documents.RECHECK_OPINION}
    assert sorted(opinions) == sorted(hazards[f] for f in ("submitted", "rectifying", "major_open", "open"))
    assert [d["kind"] for d in issued].count(documents.INSPECTION_RECORD) == 1
    assert not [d for d in issued if d["kind"] in documents.NOTICE_KINDS]   # it requires nothing new
    with pytest.raises(NotFound):
        notices.notice_pdf(ctx, officer, recheck["id"])
    if shutil.which("pdftotext"):
        text = "".join(_text(documents.pdf(ctx, officer, opinions[hazards["submitted"]]["id"])).split())
        assert "灭火器仍过期" in text and hazards["submitted"] in text
        record = next(d for d in issued if d["kind"] == documents.INSPECTION_RECORD)
        printed = "".join(_text(documents.pdf(ctx, officer, record["id"])).split())
        assert hazards["submitted"] in printed and hazards["rectifying"] in printed and hazards["open"] not in printed


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")


def test_a_hazard_decided_at_the_desk_meanwhile_makes_the_finish_write_nothing(earlier, monkeypatch):
    ctx, visit, hazards, _ = earlier
    recheck, officer = _walk_recheck(ctx, visit, ANSWERS, hazards)
    submitted = hazard_store.get(ctx.db, hazards["submitted"])
    desk = User(f"{submitted.department}2", "x", "inspector", submitted.department)
    render = documents.inspection_record

    def decided_meanwhile(*args, **kwargs):      # after the finish decided, before its transaction
        rechecks.decide(ctx, desk, submitted.id, True, now=RECHECKED)
        return render(*args, **kwargs)
    monkeypatch.setattr(documents, "inspection_record", decided_meanwhile)
    trails = {fate: _events(ctx, hazard_id) for fate, hazard_id in hazards.items() if fate != "submitted"}
    with pytest.raises(ChangedMeanwhile):
        inspecting.finish(ctx, officer, recheck["id"], jpeg(300, 100), jpeg(300, 100), RECHECKED)
    assert inspection_store.get(ctx.db, recheck["id"])["status"] == "in_progress"
    assert {fate: _events(ctx, hazards[fate]) for fate in trails} == trails
    assert [e.action for e in hazard_store.events(ctx.db, submitted.id)][-1] == "close"   # the desk's alone
    assert documents.of_inspection(ctx, officer, recheck["id"]) == []


def test_the_walk_shows_each_item_its_original_finding(earlier):
    ctx, visit, hazards, lead = earlier
    recheck, officer = _walk_recheck(ctx, visit, {}, hazards)
    state = inspecting.walk(ctx, officer, recheck["id"])
    shown = recheck_visits.originals(ctx, officer, state)
    submitted = hazard_store.get(ctx.db, hazards["submitted"])
    assert set(shown) == {i.id for i in state.merged.items}
    assert shown[submitted.item_id].hazard == submitted and shown[submitted.item_id].reported == "已更换灭火器"
    assert shown[submitted.item_id].finding.item.id == submitted.item_id
    assert sorted(h.id for h in state.hazards) == sorted(hazards[f] for f in FATES[1:])
    assert recheck_visits.originals(ctx, lead, inspecting.walk(ctx, lead, visit["id"])) == {}   # no re-check
