"""Two inspectors on one joint visit: an answer carries the version its screen showed; a colleague's newer,
different answer refuses it with theirs (who, when, what) and writes nothing; replacing theirs is a
deliberate second answer; every change is kept in the answer history."""
from __future__ import annotations

import datetime as dt

import pytest

from inspections.services.inspector import inspecting
from inspections.services.shared.access import NotFound
from inspections.services.shared.auth import User
from tests.conftest import SUITE_TODAY


@pytest.fixture
def joint(demo_ctx):
    """Today's joint visit of several departments, checked in, and two of its inspectors."""
    ctx = demo_ctx
    visit = ctx.db.query_dicts("SELECT * FROM inspections WHERE scheduled_on = ? AND status = 'scheduled' "
                               "AND len(departments) >= 2 ORDER BY id LIMIT 1", [SUITE_TODAY])[0]
    first, second = [User(u, u, "inspector", d) for u, d in zip(visit["team"], visit["departments"])][:2]
    inspecting.check_in(ctx, first, visit["enterprise_code"], "typed")
    item = inspecting.walk(ctx, first, visit["id"]).merged.items[0].id
    return ctx, visit["id"], item, first, second


def _stored(ctx, inspection_id, item):
    return ctx.db.query("SELECT result, note, answered_by, version FROM inspection_items WHERE inspection_id = ? "
                        "AND item_id = ? AND NOT self_check", [inspection_id, item])


def test_an_older_screens_different_answer_is_refused_with_the_colleagues(joint):
    ctx, visit, item, first, second = joint
    mine = inspecting.answer_item(ctx, first, visit, item, "fail", note="灭火器过期", seen_version=0)
    assert mine["version"] == 1
    ctx.clock.advance(dt.timedelta(minutes=2))
    with pytest.raises(inspecting.AnswerConflict) as refused:        # the colleague's screen shows no answer
        inspecting.answer_item(ctx, second, visit, item, "pass", seen_version=0)
    theirs = refused.value.theirs
    assert (theirs["result"], theirs["note"], theirs["answered_by"], theirs["version"]) == \
        ("fail", "灭火器过期", first.username, 1)
    name = ctx.db.scalar("SELECT display_name FROM users WHERE username = ?", [first.username])
    assert refused.value.values == {"name": name, "time": f"{mine['answered_at']:%H:%M:%S}"}
    assert _stored(ctx, visit, item) == [("fail", "灭火器过期", first.username, 1)]   # nothing written
    # the same answer as the colleague's is no conflict
    same = inspecting.answer_item(ctx, second, visit, item, "fail", note="灭火器过期", seen_version=0)
    assert same["version"] == 2


def test_replacing_the_colleagues_answer_is_deliberate_and_kept_in_the_history(joint):
    ctx, visit, item, first, second = joint
    inspecting.answer_item(ctx, first, visit, item, "fail", note="灭火器过期", seen_version=0)
    with pytest.raises(inspecting.AnswerConflict) as refused:
        inspecting.answer_item(ctx, second, visit, item, "pass", seen_version=0)
    replaced = inspecting.answer_item(ctx, second, visit, item, "pass", seen_version=refused.value.theirs["version"])
    assert replaced["version"] == 2 and _stored(ctx, visit, item) == [("pass", "", second.username, 2)]
    with pytest.raises(inspecting.AnswerConflict):                   # the first tablet is now the older one
        inspecting.answer_item(ctx, first, visit, item, "fail", note="灭火器过期（复核）", seen_version=1)
    history = inspecting.answer_history(ctx, first, visit, item)
    assert [(h["version"], h["changed_by"], h["from_result"], h["to_result"], h["from_note"], h["to_note"])
            for h in history] == [(1, first.username, None, "fail", None, "灭火器过期"),
                                  (2, second.username, "fail", "pass", "灭火器过期", "")]


def test_a_tablet_learns_that_colleagues_answered(joint):
    ctx, visit, item, first, second = joint
    before = inspecting.answers_fingerprint(ctx, second, visit)
    inspecting.answer_item(ctx, first, visit, item, "pass", seen_version=0)
    after = inspecting.answers_fingerprint(ctx, second, visit)
    assert after != before
    inspecting.answer_item(ctx, first, visit, item, "fail", note="复核不符合", seen_version=1)
    assert inspecting.answers_fingerprint(ctx, second, visit) not in (before, after)
    assert inspecting.answers_fingerprint(ctx, first, visit) == before          # one's own answers: no news
    departments = ctx.db.scalar("SELECT departments FROM inspections WHERE id = ?", [visit])
    outsider = User("nobody", "x", "inspector", next(d for d in ctx.catalogue.department_ids if d not in departments))
    with pytest.raises(NotFound):
        inspecting.answers_fingerprint(ctx, outsider, visit)


def test_an_answer_delivered_twice_is_saved_once(joint):
    """A tablet's queue resends a delivery whose acknowledgement was lost in a dead zone: one answer,
    one history row, the same version."""
    ctx, visit, item, first, _ = joint
    once = inspecting.deliver_answer(ctx, first, visit, item, "pass", seen_version=0, client_key="tap-1")
    twice = inspecting.deliver_answer(ctx, first, visit, item, "pass", seen_version=0, client_key="tap-1")
    assert once["version"] == twice["version"] == 1
    assert len(inspecting.answer_history(ctx, first, visit, item)) == 1
    assert ctx.db.scalar("SELECT count(*) FROM answer_keys WHERE key = 'tap-1'") == 1
    # one's own later tap from an older screen is no conflict: it is the same inspector's answer
    changed = inspecting.deliver_answer(ctx, first, visit, item, "not_applicable", seen_version=0, client_key="tap-2")
    assert changed["version"] == 2


def test_a_delivered_fail_keeps_the_note_the_item_has(joint):
    ctx, visit, item, first, _ = joint
    inspecting.answer_item(ctx, first, visit, item, "fail", note="安全出口堵塞", level="major", seen_version=0)
    again = inspecting.deliver_answer(ctx, first, visit, item, "fail", seen_version=1, client_key="tap-3")
    assert (again["note"], again["level"]) == ("安全出口堵塞", "major")
