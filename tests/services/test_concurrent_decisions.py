"""Two decisions at once on one real DuckDB file (issue 18 #13): two re-inspections of one submitted
hazard (closed and rejected), two submissions of one rectification, a supervision and an extension of one
hazard, two tablets finishing one visit, a visit finished while a colleague changes an answer.

Database.write serialises writes in the process, so the race is between the read a use case decides from
and its write. Each test makes it happen every time: the read each use case decides from is held (by a
threading.Barrier) until every racer has read, so all of them decide from the same state before any
writes. Exactly one may win; the others get ChangedMeanwhile, and nothing of theirs is written."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from inspections.domain.hazards import Level, Status
from inspections.services.shared import access
from inspections.services.inspector import inspecting, rechecks
from inspections.services.office import oversight
from inspections.services.enterprise import rectification
from inspections.services.shared.auth import User
from inspections.domain.refusals import ChangedMeanwhile
from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from tests.conftest import SUITE_TODAY, jpeg, office_user, today_at

TODAY = SUITE_TODAY
NOW = today_at(15)


def signature() -> bytes:
    """A signature as the pad sends it: a small dark JPEG."""
    return jpeg(300, 100, (20, 20, 20))


def race(monkeypatch, module, name: str, *calls) -> list:
    """Run `calls` in threads of their own at once, each holding after its first call of `module.name`
    (the read it decides from) until every one has read. Returns each call's result or exception."""
    barrier, original, held = threading.Barrier(len(calls), timeout=30), getattr(module, name), threading.local()

    def read_then_wait(*args, **kwargs):
        found = original(*args, **kwargs)
        if getattr(held, "racing", False) and not getattr(held, "waited", False):
            held.waited = True
            barrier.wait()
        return found
    monkeypatch.setattr(module, name, read_then_wait)
    outcomes: list = [None] * len(calls)

    def run(n, call):
        held.racing = True
        try:
            outcomes[n] = call()
        except Exception as error:  # noqa: BLE001 - the outcome under test
            outcomes[n] = error
    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    monkeypatch.setattr(module, name, original)
    return outcomes


def _won_and_lost(outcomes: list) -> tuple[list, list]:
    lost = [o for o in outcomes if isinstance(o, ChangedMeanwhile)]
    others = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ChangedMeanwhile)]
    assert others == [], others
    return [o for o in outcomes if not isinstance(o, Exception)], lost


def test_two_recheck_decisions_at_once_decide_once(demo_ctx, monkeypatch):
    ctx = demo_ctx
    hazard_id, department = ctx.db.query("SELECT id, department FROM hazards WHERE status = 'submitted' "
                                         "ORDER BY id LIMIT 1")[0]
    first, second = (User(f"{department}{n}", "x", "inspector", department) for n in (1, 2))
    decisions_before = len(hazard_store.events(ctx.db, hazard_id))
    outcomes = race(monkeypatch, access, "hazard",
                    lambda: rechecks.decide(ctx, first, hazard_id, True, now=NOW),
                    lambda: rechecks.decide(ctx, second, hazard_id, False, reason="照片不清晰", now=NOW))
    won, lost = _won_and_lost(outcomes)
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert (lost[0].reason, lost[0].values) == ("hazard_changed_meanwhile", {"id": hazard_id})
    events = hazard_store.events(ctx.db, hazard_id)[decisions_before:]
    assert [e.action for e in events] == ["close" if won[0].status == Status.CLOSED else "reject"]
    stored = hazard_store.get(ctx.db, hazard_id)
    assert stored.status == won[0].status == events[0].to_status
    assert (stored.closed_on is not None) == (stored.status == Status.CLOSED)
    assert ctx.db.query("SELECT kind, issued_by FROM documents WHERE hazard_id = ?", [hazard_id]) == \
        [("recheck_opinion", (first if won[0].status == Status.CLOSED else second).username)]   # the winner's only


def test_one_rectification_sent_twice_at_once_is_submitted_once(demo_ctx, monkeypatch):
    ctx = demo_ctx
    hazard_id, username, code = ctx.db.query("""SELECT h.id, u.username, u.enterprise_code FROM hazards h
        JOIN users u ON u.enterprise_code = h.enterprise_code AND u.role = 'enterprise'
        WHERE h.status IN ('open', 'rectifying') ORDER BY h.id, u.username LIMIT 1""")[0]
    user = User(username, "e", "enterprise", enterprise_code=code)
    before = len(hazard_store.events(ctx.db, hazard_id))
    outcomes = race(monkeypatch, access, "hazard",
                    *[lambda n=n: rectification.submit(ctx, user, hazard_id, f"已整改（设备{n}）", TODAY, [], now=NOW)
                      for n in (1, 2)])
    won, lost = _won_and_lost(outcomes)
    assert len(won) == 1 and len(lost) == 1, outcomes
    events = hazard_store.events(ctx.db, hazard_id)[before:]
    assert [e.action for e in events] == ["submit"] and hazard_store.get(ctx.db, hazard_id).status == Status.SUBMITTED


def test_a_supervision_and_an_extension_at_once_lose_neither_change(demo_ctx, monkeypatch):
    """Neither changes the status, so a status guard alone would let the second overwrite the first (the
    deadline, or the flag): the whole hazard as read is the guard."""
    ctx = demo_ctx
    hazard = hazard_store.for_enterprise(ctx.db, ctx.db.scalar("SELECT enterprise_code FROM users WHERE username = 'ent01'"))[0]
    major = hazard.model_copy(update={"id": "MJ-RACE", "level": Level.MAJOR, "status": Status.RECTIFYING,
                                      "found_on": TODAY - dt.timedelta(days=20), "deadline": TODAY + dt.timedelta(days=10),
                                      "rectified_on": None, "closed_on": None, "supervised": False})
    ctx.db.write(lambda c: hazard_store.insert_hazards(c, [major]))
    ent = User("ent01", "e", "enterprise", enterprise_code=major.enterprise_code)
    request = rectification.request_extension(ctx, ent, major.id, major.deadline + dt.timedelta(days=20), "设备采购", now=NOW)
    office, office2 = office_user(), User("office2", "安委办2", "office")
    outcomes = race(monkeypatch, access, "hazard",
                    lambda: oversight.set_supervised(ctx, office, major.id, True, "挂牌督办", now=NOW,
                                                      supervising_unit="区安委办", supervisor="赵六",
                                                      supervision_deadline=major.deadline),
                    lambda: oversight.decide_extension(ctx, office2, request["id"], True, now=NOW))
    won, lost = _won_and_lost(outcomes)
    assert len(won) == 1 and len(lost) == 1, outcomes
    stored, events = hazard_store.get(ctx.db, major.id), hazard_store.events(ctx.db, major.id)
    decision = ctx.db.scalar("SELECT status FROM extension_requests WHERE id = ?", [request["id"]])
    if isinstance(won[0], dict):          # the extension won: its deadline, no flag, the request approved
        assert (stored.deadline, stored.supervised, decision) == (request["requested_deadline"], False, "approved")
        assert [e.action for e in events] == ["extend"]
    else:                                 # the supervision won: the flag, the old deadline, the request pending
        assert (stored.deadline, stored.supervised, decision) == (major.deadline, True, "pending")
        assert [e.action for e in events] == ["supervise"]


@pytest.fixture
def answered_joint_visit(demo_ctx):
    """Today's joint visit, checked in, every item answered (the first failed), ready to finish."""
    ctx = demo_ctx
    visit = ctx.db.query_dicts("SELECT id, enterprise_code, team FROM inspections WHERE scheduled_on = ? "
                               "AND len(departments) >= 2 ORDER BY id LIMIT 1", [TODAY])[0]
    team = [User(name, name, "inspector", ctx.db.scalar("SELECT department FROM users WHERE username = ?", [name]))
            for name in visit["team"]]
    inspecting.check_in(ctx, team[0], visit["enterprise_code"], "typed", NOW)
    items = inspecting.walk(ctx, team[0], visit["id"]).merged.items
    inspecting.answer_item(ctx, team[0], visit["id"], items[0].id, "fail", note="灭火器过期", now=NOW)
    for item in items[1:]:
        inspecting.answer_item(ctx, team[0], visit["id"], item.id, "pass", now=NOW)
    return ctx, visit["id"], team, items


def test_two_tablets_finishing_one_visit_at_once_finish_it_once(answered_joint_visit, monkeypatch):
    ctx, inspection_id, team, _ = answered_joint_visit
    outcomes = race(monkeypatch, inspecting, "walk",
                    *[lambda user=user: inspecting.finish(ctx, user, inspection_id, signature(), signature(), NOW)
                      for user in team[:2]])
    won, lost = _won_and_lost(outcomes)
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].reason == "visit_changed_meanwhile"
    stored = inspection_store.get(ctx.db, inspection_id)
    assert stored["status"] == "completed" and len(won[0]) == 1
    assert [h.id for h in hazard_store.for_inspection(ctx.db, inspection_id)] == [h.id for h in won[0]]
    assert ctx.db.scalar("SELECT count(*) FROM photos WHERE inspection_id = ? AND purpose = 'signature'",
                         [inspection_id]) == 2
    assert ctx.db.scalar("SELECT count(*) FROM documents WHERE inspection_id = ? AND kind = 'inspection_record'",
                         [inspection_id]) == 1


def test_finishing_refuses_answers_changed_since_it_read_them(answered_joint_visit, monkeypatch):
    """A colleague's new finding arrives between the answers finishing read and its write: the hazards
    would be raised from the old answers. It is refused instead, and the visit stays open."""
    ctx, inspection_id, team, items = answered_joint_visit
    original = inspecting._walk_state           # what finishing reads the answers with

    def read_then_colleague_answers(*args, **kwargs):
        state = original(*args, **kwargs)
        monkeypatch.setattr(inspecting, "_walk_state", original)
        inspecting.answer_item(ctx, team[1], inspection_id, items[1].id, "fail", note="疏散通道堵塞", now=NOW)
        return state
    monkeypatch.setattr(inspecting, "_walk_state", read_then_colleague_answers)
    with pytest.raises(ChangedMeanwhile) as refused:
        inspecting.finish(ctx, team[0], inspection_id, signature(), signature(), NOW)
    assert refused.value.reason == "visit_changed_meanwhile"
    assert inspection_store.get(ctx.db, inspection_id)["status"] == "in_progress"
    assert hazard_store.for_inspection(ctx.db, inspection_id) == []
    assert ctx.db.scalar("SELECT count(*) FROM documents WHERE inspection_id = ?", [inspection_id]) == 0
    assert len(inspecting.finish(ctx, team[0], inspection_id, signature(), signature(), NOW)) == 2   # both findings
