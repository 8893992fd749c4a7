"""The inspector's pages in AppTest: sign-in and lockout, what a signed-out visitor reaches, check-in by
link and typed code, walking with autosave and resume, finishing, re-inspection, and every id-taking
parameter tried from another department."""
import datetime as dt

import pytest

from inspections.ui.navigation import PAGES, ROLE_PAGES
from tests.conftest import SUITE_NOW, SUITE_TODAY, jpeg
from tests.ui.conftest import app, open_page, run, signed_in

TODAY = SUITE_TODAY


def _query(db, sql, params=()):
    """Read through the app's own cached context: one process holds one connection to the file."""
    from inspections.ui.runtime import context
    assert context().db.path == db
    return context().db.query(sql, list(params))


def small_visit(db):
    """Today's small special check (traffic police only) of a transport company."""
    return _query(db, "SELECT id, enterprise_code FROM inspections WHERE scheduled_on = ? AND "
                      "departments = ['traffic_police']", [TODAY])[0]


def test_sign_in_and_lockout(app_env):
    at = run(app())
    assert at.title[0].value == "登录"
    for _ in range(4):
        at.text_input[0].input("fire_rescue1")
        at.text_input[1].input("nope")
        at.button[0].click()
        run(at)
        assert at.error[0].value == "用户名或密码错误。"
    at.text_input[1].input("nope")
    at.button[0].click()
    run(at)
    assert "账号已锁定" in at.error[0].value
    at.text_input[1].input("Demo@2026")
    at.button[0].click()
    run(at)
    assert "账号已锁定" in at.error[0].value and at.title[0].value == "登录"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_signed_out_reaches_only_sign_in_and_verification(app_env, name):
    inspection_id, code = small_visit(app_env)
    at = open_page(run(app()), PAGES[name][1], inspection=inspection_id, enterprise=code)
    expected = {"verify": "检查码核验"}.get(name, "登录")
    assert at.title[0].value == expected
    assert ROLE_PAGES[None] == ["sign_in", "verify"]


def test_sign_out(app_env):
    at = signed_in("market1")
    assert at.title[0].value == "我的检查"
    at.button(key="sign_out").click()
    assert run(at).title[0].value == "登录"


def test_scanned_link_lands_on_check_in_then_the_walk(app_env):
    inspection_id, code = small_visit(app_env)
    at = signed_in("traffic_police1", {"enterprise": code})
    assert at.query_params["inspection"] == [inspection_id] or at.query_params["inspection"] == inspection_id
    (name,), = _query(app_env, "SELECT name FROM enterprises WHERE code = ?", [code])
    assert at.header[0].value == name
    assert any(c.value.startswith(f"检查日期：{TODAY.year}-") for c in at.caption)
    rows = _query(app_env, "SELECT status, checkin_method, checked_in_by FROM inspections WHERE id = ?", [inspection_id])
    assert rows == [("in_progress", "qr_link", "traffic_police1")]


def test_typed_check_in_refused_without_a_visit_today(app_env):
    elsewhere = _query(app_env, "SELECT code FROM enterprises WHERE code NOT IN (SELECT enterprise_code FROM "
                                "inspections WHERE scheduled_on = ?) LIMIT 1", [TODAY])[0][0]
    at = open_page(signed_in("traffic_police1"), "check-in")
    at.text_input[0].input(elsewhere)
    at.button[0].click()
    run(at)
    assert "今天没有安排您参加的检查" in at.error[0].value
    assert _query(app_env, "SELECT count(*) FROM inspections WHERE checked_in_at IS NOT NULL AND scheduled_on = ?",
                  [TODAY]) == [(0,)]


def _sections(at) -> tuple[str, list[str]]:
    from inspections.domain.merge import MergedList
    key = next(g.key for g in at.get("button_group") if g.key.startswith("section-"))
    merged = MergedList.model_validate_json(_query_app("SELECT merged_list_json FROM inspections WHERE id = ?",
                                                       [key[len("section-"):]])[0][0])
    return key, list(dict.fromkeys(item.section for item in merged.items))


def _query_app(sql, params):
    from inspections.ui.runtime import context
    return context().db.query(sql, params)


def _answer_all(at, fail_item=None, note="灭火器压力不足"):
    """Answer every item of every section: pass, except `fail_item`."""
    key, sections = _sections(at)
    for section in sections:
        at.button_group(key=key).set_value(section)
        run(at)
        for group in [g for g in at.get("button_group") if g.key.startswith("res-")]:
            item = group.key[4:]
            at.button_group(key=group.key).set_value("fail" if item == fail_item else "pass")
            run(at)
            if item == fail_item:
                at.text_area(key=f"note-{item}").input(note)
                run(at)


def _signature(monkeypatch, image):
    import inspections.ui.widgets.signature as signature
    monkeypatch.setattr(signature, "signature_pad", lambda key, height=160: image)


def test_walk_autosave_resume_and_finish(app_env, monkeypatch):
    _signature(monkeypatch, jpeg(460, 160, (255, 255, 255)))
    inspection_id, code = small_visit(app_env)
    at = signed_in("traffic_police1", {"enterprise": code})
    first_group = [g for g in at.get("button_group") if g.key.startswith("res-")][0]
    first_item = first_group.key[4:]
    first_group.set_value("fail")
    run(at)
    assert _query(app_env, "SELECT result, level FROM inspection_items WHERE inspection_id = ? AND item_id = ?",
                  [inspection_id, first_item]) == [("fail", "general")]
    assert [c.value for c in at.caption if c.value.startswith("已保存")][0].endswith("本次检查已答 1/12 项")
    second_group = [g for g in at.get("button_group") if g.key.startswith("res-")][1]
    second_group.set_value("pass")
    run(at)
    saved = [c.value for c in at.caption if c.value.startswith("已保存")]
    assert len(saved) == 2 and saved[1].endswith("本次检查已答 2/12 项")     # counted on by the card itself
    at.text_area(key=f"note-{first_item}").input("未见安全例会记录")
    run(at)
    # a reload is a new session: sign in again, continue, and the answer is still there
    again = signed_in("traffic_police1")
    again.button[0].click()  # 继续检查
    run(again)
    assert again.button_group(key=f"res-{first_item}").value == "fail"
    assert again.text_area(key=f"note-{first_item}").value == "未见安全例会记录"
    assert any("下一个未答事项" in i.value for i in again.info)
    _answer_all(again, fail_item=first_item, note="未见安全例会记录")
    answered = _query(app_env, "SELECT count(*) FROM inspection_items WHERE inspection_id = ?", [inspection_id])[0][0]
    assert answered == 12
    again.button(key="finish").click()
    run(again)
    assert any("检查已完成，形成隐患 1 条" in s.value for s in again.success)
    assert _query(app_env, "SELECT status FROM inspections WHERE id = ?", [inspection_id]) == [("completed",)]
    hazards = _query(app_env, "SELECT description, department, status FROM hazards WHERE inspection_id = ?", [inspection_id])
    assert hazards == [("未见安全例会记录", "traffic_police", "open")]
    assert again.get("download_button")


def test_progress_banner_and_finish_are_right_after_every_answer(app_env):
    """Answered one by one, in the order shown: after each answer the bar counts it and the banner names
    the next open item; after the last, the bar says all, no banner is left, and the finish panel is
    there without touching a section tab."""
    inspection_id, code = small_visit(app_env)
    at = signed_in("traffic_police1", {"enterprise": code})
    key, sections = _sections(at)
    order = []                                               # (section, item) as the pages show them
    for section in sections:
        at.button_group(key=key).set_value(section)
        order += [(section, g.key[4:]) for g in run(at).get("button_group") if g.key.startswith("res-")]
    assert len(order) == 12
    for n, (section, item) in enumerate(order, 1):
        if at.button_group(key=key).value != section:        # the inspector moves on to the next section
            at.button_group(key=key).set_value(section)
            run(at)
        at.button_group(key=f"res-{item}").set_value("pass")
        run(at)
        assert at.get("progress")[0].proto.text == f"进度：已答 {n} / 12 项"
        banners = [i.value for i in at.info if i.value.startswith("下一个未答事项")]
        if n < len(order):
            assert len(banners) == 1 and banners[0].startswith(f"下一个未答事项：{order[n][1]} ")
            assert "完成检查" not in [h.value for h in at.subheader]
        else:
            assert banners == [] and "完成检查" in [h.value for h in at.subheader]
            assert at.button(key="finish")


def test_sign_out_forgets_the_scanned_enterprise(app_env):
    """A link scanned before signing in takes the inspector to the check-in; after sign-out, the next user
    to sign in on the tablet lands on their own first page, and checks in nowhere."""
    inspection_id, code = small_visit(app_env)
    at = signed_in("traffic_police1", {"enterprise": code})
    assert dict(at.query_params).get("inspection") in ([inspection_id], inspection_id)
    at.button(key="sign_out").click()
    run(at)
    assert not dict(at.query_params)
    at.text_input[0].input("traffic_police2")
    at.text_input[1].input("Demo@2026")
    at.button[0].click()
    assert run(at).title[0].value == "我的检查"
    assert _query(app_env, "SELECT checked_in_by FROM inspections WHERE id = ?", [inspection_id]) == \
        [("traffic_police1",)]


def test_finish_refused_without_signatures(app_env, monkeypatch):
    _signature(monkeypatch, None)
    inspection_id, code = small_visit(app_env)
    at = signed_in("traffic_police1", {"enterprise": code})
    _answer_all(at)
    at.button(key="finish").click()
    run(at)
    assert at.error[0].value == "需检查人员和企业负责人在平板上签名。"
    assert _query(app_env, "SELECT status FROM inspections WHERE id = ?", [inspection_id]) == [("in_progress",)]


def test_other_department_cannot_open_the_inspection_or_its_hazards(app_env):
    inspection_id, code = small_visit(app_env)
    at = open_page(signed_in("market1"), "inspection", inspection=inspection_id)
    assert at.error[0].value == "未找到。" and not at.get("button_group")
    at = open_page(signed_in("market1"), "check-in", enterprise=code)
    assert "今天没有安排您参加的检查" in at.error[0].value
    foreign = _query(app_env, "SELECT id FROM hazards WHERE department <> 'market' AND status = 'submitted' LIMIT 1")[0][0]
    at = open_page(signed_in("market1"), "rechecks")
    assert all(foreign not in e.label for e in at.expander)


def test_recheck_pass_and_fail(app_env):
    department, hazard_id = _query(app_env, "SELECT department, id FROM hazards WHERE status = 'submitted' "
                                            "AND level = 'general' ORDER BY deadline, id LIMIT 1")[0]
    at = open_page(signed_in(f"{department}1"), "rechecks")
    plain_id = hazard_id.replace("-", "\\-")  # ids are escaped for Markdown (labels.plain)
    assert any(plain_id in e.label for e in at.expander)
    at.button(key=f"fail-{hazard_id}").click()
    run(at)
    assert [e.value for e in at.error] == ["退回整改须填写原因。"]
    at.text_input(key=f"reason-{hazard_id}").input("整改照片不清晰")
    at.button(key=f"fail-{hazard_id}").click()
    run(at)
    assert any(f"隐患 {plain_id} 已退回整改" in s.value for s in at.success)
    assert _query(app_env, "SELECT status FROM hazards WHERE id = ?", [hazard_id]) == [("rectifying",)]
    notes = _query(app_env, "SELECT note FROM hazard_events WHERE hazard_id = ? AND action = 'reject' "
                            "ORDER BY occurred_at DESC LIMIT 1", [hazard_id])
    assert notes == [("整改照片不清晰",)]


def test_verify_code_page(app_env):
    from inspections.services.shared import codes
    from inspections.services.shared.context import Context
    inspection_id, _ = small_visit(app_env)
    ctx = Context.open(app_env)
    token = codes.issue_code(ctx, inspection_id)
    ctx.close()
    at = open_page(run(app()), "verify", code=token)
    assert at.success[0].value == "检查码有效：该检查已备案。"
    assert "检查事项（共 12 项" in at.markdown[-1].value or any("共 12 项" in m.value for m in at.markdown)
    from inspections.services.shared import merged_lists
    from inspections.store import inspections
    from inspections.ui.labels import plain
    from inspections.ui.runtime import context
    items = merged_lists.of(context(), inspections.header(context().db, inspection_id)).items
    assert not at.dataframe                                 # cards, readable on a phone: title, departments below
    cards = [m.value for m in at.main.markdown if m.value.startswith("**")]
    assert [f"**{plain(i.id)}** {plain(i.title.zh)}" for i in items] == cards[-len(items):]
    assert sum(c.value == "公安交警大队" for c in at.caption) == len(items)
    bad = open_page(run(app()), "verify", code=token[:-3] + "xyz")
    assert bad.error[0].value.startswith("检查码无效")


def test_scanned_code_links_open_verification_signed_in_or_out(app_env):
    """What the QR on a notice says (`/verify?code=`), what notices printed before said (`/?code=`), and
    the whole link pasted into the box: each shows the verification, signed out and signed in."""
    from inspections.services.shared import codes
    from inspections.services.shared.context import Context
    inspection_id, _ = small_visit(app_env)
    ctx = Context.open(app_env)
    token = codes.issue_code(ctx, inspection_id)
    url = codes.code_url(ctx.base_url, token)
    ctx.close()
    signed_out = app()
    signed_out.query_params["code"] = token                   # the old `/?code=` lands on the default page
    assert run(signed_out).title[0].value == "检查码核验" and signed_out.success
    inspector = signed_in("market1")
    inspector.query_params["code"] = token
    assert run(inspector).title[0].value == "检查码核验" and inspector.success
    pasted = open_page(run(app()), "verify")
    pasted.text_input(key="verify_token").input(url)
    assert run(pasted).success[0].value == "检查码有效：该检查已备案。"
    pasted.text_input(key="verify_token").input(url.replace(token, token[:-1] + ("x" if token[-1] != "x" else "y")))
    assert run(pasted).error[0].value.startswith("检查码无效")


def test_self_check_answers_show_beside_items_as_self_reported(app_env):
    inspection_id, code = small_visit(app_env)
    from inspections.store import inspections as store
    from inspections.ui.runtime import context
    at = signed_in("traffic_police1", {"enterprise": code})
    first = [g for g in at.get("button_group") if g.key.startswith("res-")][0].key[4:]
    context().db.write(lambda c: store.upsert_answer(c, {
        "inspection_id": inspection_id, "item_id": first, "result": "fail", "note": "例会记录不全",
        "photos": [], "answered_by": "ent", "answered_at": SUITE_NOW, "self_check": True}))
    at = open_page(signed_in("traffic_police1"), "inspection", inspection=inspection_id)
    assert any(c.value == "企业自查（自报）：:material/cancel: 不符合（例会记录不全）" for c in at.caption)
    assert at.button_group(key=f"res-{first}").value is None  # the inspector's own answer is still open


def test_finished_inspection_shows_hazard_trails_and_the_notice(app_env, monkeypatch):
    _signature(monkeypatch, jpeg(460, 160, (255, 255, 255)))
    inspection_id, code = small_visit(app_env)
    at = signed_in("traffic_police1", {"enterprise": code})
    first = [g for g in at.get("button_group") if g.key.startswith("res-")][0].key[4:]
    _answer_all(at, fail_item=first, note="例会记录缺失")
    at.button(key="finish").click()
    run(at)
    later = open_page(signed_in("traffic_police1"), "inspection", inspection=inspection_id)
    assert any(e.label.startswith(f"YH-{inspection_id}-001".replace("-", "\\-")) for e in later.expander)
    assert later.get("download_button")
    other = open_page(signed_in("market1"), "inspection", inspection=inspection_id)
    assert other.error[0].value == "未找到。" and not other.get("download_button")


def test_a_photo_taken_by_mistake_comes_off_the_finding(app_env):
    from inspections.services.inspector import inspecting
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    inspection_id, code = small_visit(app_env)
    at = signed_in("traffic_police1", {"enterprise": code})
    item = [g for g in at.get("button_group") if g.key.startswith("res-")][0].key[4:]
    at.button_group(key=f"res-{item}").set_value("fail")
    run(at)
    inspector = User("traffic_police1", "x", "inspector", "traffic_police")
    kept, wrong = (inspecting.add_photo(context(), inspector, inspection_id, item, jpeg(colour=c))
                   for c in ((200, 40, 40), (40, 40, 200)))
    at.session_state[f"ans-{item}"] = inspecting.answer_for(context(), inspector, inspection_id, item)
    run(at)
    assert {b.key for b in at.button if b.key and b.key.startswith(f"rm-{item}-")} == \
        {f"rm-{item}-{kept}", f"rm-{item}-{wrong}"}
    at.button(key=f"rm-{item}-{wrong}").click()
    run(at)
    assert _query(app_env, "SELECT photos FROM inspection_items WHERE inspection_id = ? AND item_id = ? "
                  "AND NOT self_check", [inspection_id, item]) == [([kept],)]
    assert [b.key for b in at.button if b.key and b.key.startswith(f"rm-{item}-")] == [f"rm-{item}-{kept}"]


def test_a_colleague_not_on_the_team_sees_the_visit_read_only(app_env):
    """issue 18 #6: an inspector of the visit's department who is not on its team may read the visit, with
    no answer controls, no answer queue and no finish panel (the services refuse their writes anyway)."""
    from inspections.services.inspector import inspecting
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    # a joint visit today whose lead department sends one of its two inspectors (a one-department visit
    # sends both: a team needs two officers)
    inspection_id, code, team, lead_department = next(
        row for row in _query(app_env, "SELECT id, enterprise_code, team, lead_department FROM inspections "
                                       "WHERE scheduled_on = ? AND status = 'scheduled' ORDER BY id", [TODAY])
        if sum(member.startswith(row[3]) for member in row[2]) == 1)
    colleague = next(u for (u,) in _query(app_env, "SELECT username FROM users WHERE department = ? ORDER BY 1",
                                          [lead_department]) if u not in team)
    open_page(signed_in(team[0]), "check-in", enterprise=code)
    lead = User(team[0], "x", "inspector", lead_department)
    for item in inspecting.walk(context(), lead, inspection_id).merged.items:
        inspecting.answer_item(context(), lead, inspection_id, item.id, "pass")
    mine = open_page(signed_in(team[0]), "inspection", inspection=inspection_id)
    assert mine.button(key="finish") and not any(g.proto.disabled for g in mine.get("button_group")
                                                 if g.key.startswith("res-"))
    theirs = open_page(signed_in(colleague), "inspection", inspection=inspection_id)
    assert "您不在本次检查的检查组中，以下内容仅供查看。" in [i.value for i in theirs.info]
    cards = [g for g in theirs.get("button_group") if g.key.startswith("res-")]
    assert cards and all(g.proto.disabled for g in cards)
    assert "finish" not in {b.key for b in theirs.button} and "完成检查" not in [h.value for h in theirs.subheader]


def test_a_recheck_a_colleague_decided_meanwhile_is_refused_with_a_message(app_env, monkeypatch):
    """issue 18 #13: two inspectors of the department decide the same submission at once; the one whose
    decision comes second is told so in plain words (nothing saved), not shown a traceback."""
    from inspections.services.inspector import rechecks
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    department, hazard_id = _query(app_env, "SELECT department, id FROM hazards WHERE status = 'submitted' "
                                            "ORDER BY deadline, id LIMIT 1")[0]
    at = open_page(signed_in(f"{department}1"), "rechecks")
    decide_from = rechecks.apply

    def colleague_decides_first(*args, **kwargs):        # after this decision was read, before it is written
        monkeypatch.setattr(rechecks, "apply", decide_from)
        rechecks.decide(context(), User(f"{department}2", "x", "inspector", department), hazard_id, False,
                        reason="整改照片不清晰")
        return decide_from(*args, **kwargs)
    at.button(key=f"pass-{hazard_id}").click()
    run(at)
    monkeypatch.setattr(rechecks, "apply", colleague_decides_first)
    at.button(key=f"confirm-pass-{hazard_id}").click()           # close-out asks for a second tap
    run(at)
    from inspections.ui.labels import plain                    # the id is escaped for markdown, shown as is
    assert at.error[0].value == f"隐患 {plain(hazard_id)} 在此期间已被他人处理或修改，本次操作未保存。请刷新页面后查看最新状态。"
    assert _query(app_env, "SELECT status FROM hazards WHERE id = ?", [hazard_id]) == [("rectifying",)]
    assert _query(app_env, "SELECT count(*) FROM hazard_events WHERE hazard_id = ? AND action IN ('close', 'reject') "
                           "AND occurred_at >= ?", [hazard_id, SUITE_NOW - dt.timedelta(minutes=1)]) == [(1,)]


def test_a_failed_item_fixed_on_the_spot_from_its_card(app_env):
    """The switch opens the form (AppTest cannot upload a file: the photo is refused as missing, then
    given through the service the form calls); the card shows the fix and takes it back."""
    from inspections.services.inspector import spot_fixes
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    inspection_id, code = small_visit(app_env)
    at = signed_in("traffic_police1", {"enterprise": code})
    item = [g for g in at.get("button_group") if g.key.startswith("res-")][0].key[4:]
    at.button_group(key=f"res-{item}").set_value("fail")
    run(at)
    at.toggle(key=f"spotfix-on-{item}").set_value(True)
    run(at)
    at.text_area(key=f"spotfix-what-{item}").input("当场补齐安全例会记录")
    next(b for b in at.get("form_submit_button") if b.proto.form_id == f"spotfix-{item}").click()
    run(at)
    assert any(e.value == "请附当场整改后的照片。" for e in at.error)
    assert _query(app_env, "SELECT count(*) FROM spot_fixes WHERE inspection_id = ?", [inspection_id]) == [(0,)]
    spot_fixes.record(context(), User("traffic_police1", "x", "inspector", "traffic_police"), inspection_id, item,
                      "当场补齐安全例会记录", jpeg())
    run(at)
    assert any(s.value == "已立查立改：当场补齐安全例会记录（完成检查时即销号）" for s in at.success)
    at.button(key=f"spotfix-undo-{item}").click()
    run(at)
    assert _query(app_env, "SELECT count(*) FROM spot_fixes WHERE inspection_id = ?", [inspection_id]) == [(0,)]
    assert not any(s.value.startswith("已立查立改") for s in at.success)


@pytest.mark.parametrize("role", ["grid", "specialist"])
def test_a_grid_worker_or_specialist_signs_in_to_verification_and_reaches_no_other_roles_page(app_env, role):
    """The request loop's roles exist before their pages (issue 14): signing in works and leads to the code
    check, and an inspector's or the office's address gives them nothing of it."""
    from inspections.services.office import accounts
    from inspections.services.shared.context import Context
    from tests.ui.conftest import app
    password = "Wangge-Fuwu#2026"
    ctx = Context.open(app_env)
    try:
        accounts.create_user(ctx, f"{role}9", password, role, display_name="新角色")
    finally:
        ctx.close()
    at = run(app())
    at.text_input[0].input(f"{role}9")
    at.text_input[1].input(password)
    at.button[0].click()
    at = run(at)
    assert at.title[0].value == "检查码核验"
    for path in ("my-inspections", "dashboard", "our-hazards"):
        assert open_page(at, path).title[0].value == "检查码核验"
