"""Issue 18 #18 as the two people on site meet it: the enterprise's representative opens 我们的二维码 on
the phone and reads out the 到场码; the inspector, checked in by the posted code, types it on the tablet,
and the visit's record (the tablet, the public verification) says how it was checked in and that presence
was proven. A stale code is refused with the reason."""
from inspections.domain import presence
from tests.conftest import SUITE_TODAY
from tests.ui.conftest import app, open_page, run, signed_in


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


def _shown(at) -> str:
    return " ".join(str(node.proto) for node in at.main)


def _joint_visit_of(username: str):
    code = _q("SELECT enterprise_code FROM users WHERE username = ?", [username])[0][0]
    inspection_id, team = _q("SELECT id, team FROM inspections WHERE enterprise_code = ? AND scheduled_on = ?",
                             [code, SUITE_TODAY])[0]
    return code, inspection_id, team


def test_the_phone_shows_the_code_of_now(app_env):
    from inspections.ui.runtime import context
    code, _, _ = _joint_visit_of("ent04")
    at = open_page(signed_in("ent04"), "our-qr")
    expected = presence.current_code(context().secret, code, context().clock.instant())
    assert f"{expected[:3]} {expected[3:]}" in _shown(at)
    until = context().clock.local(presence.window_ends(context().clock.instant())).strftime("%H:%M")
    assert any(until in c.value for c in at.caption)


def test_the_tablet_takes_the_code_and_the_record_says_presence_was_proven(app_env):
    from inspections.services.shared import codes
    from inspections.ui.runtime import context
    code, inspection_id, team = _joint_visit_of("ent04")
    at = signed_in(team[0], {"enterprise": code})                 # checked in by the posted code
    assert any("扫描张贴的企业码" in e.label and "未核验到场" in e.label for e in at.expander)
    ctx = context()
    stale = presence.code_for(ctx.secret, code, presence.window_of(ctx.clock.instant()) - 2)
    box = next(b for b in at.text_input if b.label.startswith("到场码"))
    box.input(stale)
    next(b for b in at.get("form_submit_button") if b.label == "核验到场").click()
    run(at)
    assert any("到场码不对或已过期" in e.value for e in at.error)
    assert _q("SELECT presence_proof FROM inspections WHERE id = ?", [inspection_id]) == [(None,)]
    box = next(b for b in at.text_input if b.label.startswith("到场码"))
    box.input(presence.current_code(ctx.secret, code, ctx.clock.instant()))
    next(b for b in at.get("form_submit_button") if b.label == "核验到场").click()
    run(at)
    assert _q("SELECT presence_proof, presence_confirmed_by FROM inspections WHERE id = ?",
              [inspection_id]) == [("presence_code", team[0])]
    at = open_page(at, "inspection", inspection=inspection_id)
    assert any("已核验到场" in c.value for c in at.caption)
    name = _q("SELECT display_name FROM users WHERE username = ?", [team[0]])[0][0]
    public = open_page(run(app()), "verify", code=codes.issue_code(ctx, inspection_id))   # signed out
    line = next(c.value for c in public.caption if "签到方式" in c.value)
    assert "扫描张贴的企业码" in line and "已核验到场" in line and name in line
