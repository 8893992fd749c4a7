"""User-typed text is shown exactly as typed, never rendered as Markdown or HTML: hostile values written
through the services and stores (enterprise name, address and contact, hazard description, rating
comment, extension reason and decision, re-inspection reason, over-cap reason, display name, username,
a scanned code, a hazard id) appear escaped (`labels.plain`) in every Markdown-rendering element of the
pages that show them, never raw and never escaped twice; tables keep them as typed, except that text a
spreadsheet would run as a formula gets a leading apostrophe (the table's CSV download)."""
import datetime as dt

from inspections.ui.labels import plain
from tests.ui.conftest import app, open_page, run, signed_in
from tests.conftest import SUITE_TODAY, an_enterprise_at_its_cap, teams

TODAY = SUITE_TODAY


def hostile(label: str) -> str:
    """Markdown, HTML and a link around a label that tells which field it is."""
    return f"**{label}** <b>x</b> [链接](http://evil)"


def escaped(label: str) -> str:
    """`hostile(label)` as it must reach a Markdown element (written out, not computed with `plain`)."""
    return rf"\*\*{label}\*\* \<b\>x\</b\> \[链接\]\(http\://evil\)"


def test_plain_escapes_the_hostile_text():
    assert plain(hostile("粗体")) == escaped("粗体")
    assert plain(None) == ""


def _bodies(at) -> list[str]:
    """The text of every element that renders Markdown: markdown and st.write, captions, headings,
    alerts, toasts and expander labels (sidebar included)."""
    elements = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.info, *at.success,
                *at.warning, *at.error, *at.toast]
    return [e.value for e in elements] + [e.label for e in at.expander]


def assert_plain(at, label: str) -> None:
    """The field marked `label` is shown escaped once, and nowhere raw."""
    bodies = _bodies(at)
    assert any(escaped(label) in b for b in bodies), (label, [b for b in bodies if label in b])
    raw = [b for b in bodies if f"**{label}**" in b or "[链接](http" in b or "<b>" in b]
    assert not raw, raw
    twice = [b for b in bodies if label in b and "\\\\" in b]
    assert not twice, twice


def _ctx():
    from inspections.ui.runtime import context
    return context()


def _q(sql, params=()):
    return _ctx().db.query(sql, list(params))


def _code_of(username: str) -> str:
    return _q("SELECT enterprise_code FROM users WHERE username = ?", [username])[0][0]


def _rename(code: str, **fields) -> None:
    """Change an enterprise's fields through the registry store."""
    from inspections.store import enterprises as enterprise_store
    current = enterprise_store.get(_ctx().db, code)
    ctx = _ctx()
    ctx.db.write(lambda c: enterprise_store.upsert(c, [current.model_copy(update=fields)], ctx.clock.instant()))


def _display_name(username: str, name: str) -> None:
    _ctx().db.write(lambda c: c.execute("UPDATE users SET display_name = ? WHERE username = ?", [name, username]))


def _user(username: str):
    from inspections.services.shared.auth import User
    row = _q("SELECT username, display_name, role, department, enterprise_code FROM users WHERE username = ?",
             [username])[0]
    return User(row[0], row[1], row[2], department=row[3], enterprise_code=row[4])


def _table_values(at) -> set[str]:
    return {str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()}


# -- the enterprise portal --------------------------------------------------------------------------

def test_portal_shows_rating_comment_inspectors_and_name_as_typed(app_env):
    from inspections.services.enterprise import portal
    at = signed_in("ent04")
    code = _code_of("ent04")
    _rename(code, name=hostile("企业名"))
    _display_name("emergency1", hostile("检查员"))
    finished = _q("""SELECT id FROM inspections WHERE enterprise_code = ? AND status = 'completed'
        AND id NOT IN (SELECT inspection_id FROM evaluations) ORDER BY scheduled_on DESC LIMIT 1""", [code])[0][0]
    portal.rate(_ctx(), _user("ent04"), finished, 2, hostile("评价"))
    at = open_page(at, "our-inspections")
    assert_plain(at, "评价")
    assert_plain(at, "检查员")
    assert_plain(open_page(at, "our-qr"), "企业名")


# -- the inspector's pages --------------------------------------------------------------------------

def _joint_visit():
    """Today's joint visit of ent04 (emergency, market, fire rescue)."""
    code = _code_of("ent04")
    inspection_id = _q("SELECT id FROM inspections WHERE enterprise_code = ? AND scheduled_on = ?", [code, TODAY])[0][0]
    return inspection_id, code


def test_inspector_pages_show_the_enterprise_as_typed(app_env):
    at = signed_in("emergency1")
    inspection_id, code = _joint_visit()
    _rename(code, name=hostile("企业名"), address=hostile("地址"))
    at = open_page(at, "my-inspections")
    assert_plain(at, "企业名")
    assert_plain(at, "地址")
    at = open_page(at, "check-in", enterprise=code)  # checks in, then the walk
    assert at.header[0].value.startswith(escaped("企业名"))
    assert_plain(at, "企业名")
    refused = open_page(signed_in("market2"), "check-in", enterprise=code)  # not on today's team
    assert "今天没有安排您参加的检查" in refused.error[0].value
    assert_plain(refused, "企业名")


def test_verify_page_shows_enterprise_and_inspectors_as_typed(app_env):
    from inspections.services.shared import codes
    run(app())
    inspection_id, code = _joint_visit()
    _rename(code, name=hostile("企业名"))
    _display_name("market1", hostile("检查员"))
    token = codes.issue_code(_ctx(), inspection_id)
    at = open_page(run(app()), "verify", code=token)
    assert at.success[0].value == "检查码有效：该检查已备案。"
    assert_plain(at, "企业名")
    assert_plain(at, "检查员")


def test_recheck_reason_on_rechecks_my_hazards_and_trail(app_env):
    username, code, department, hazard_id = _q(
        """SELECT u.username, h.enterprise_code, h.department, h.id FROM hazards h
           JOIN users u ON u.enterprise_code = h.enterprise_code AND u.role = 'enterprise'
           WHERE h.status = 'submitted' ORDER BY h.id LIMIT 1""")[0]   # an enterprise account's submitted hazard
    at = signed_in(username)
    _rename(code, name=hostile("企业名"))
    inspector = signed_in(f"{department}1")
    inspector = open_page(inspector, "rechecks")
    assert any(e.label.startswith(plain(hazard_id)) for e in inspector.expander)  # the id escaped too
    assert_plain(inspector, "企业名")
    inspector.text_input(key=f"reason-{hazard_id}").input(hostile("退回理由"))
    inspector.button(key=f"fail-{hazard_id}").click()
    run(inspector)
    at = open_page(at, "our-hazards")
    rejected = f"复查未通过：{escaped('退回理由')}。请整改后重新提交。"
    assert any(w.value == rejected for w in at.warning)
    assert_plain(at, "退回理由")
    assert hostile("退回理由") in _table_values(at)  # the trail's table keeps it as typed


# -- the safety office's pages ----------------------------------------------------------------------

def _major_with_extension(username: str) -> str:
    """A major hazard of the user's enterprise with a hostile description and a pending extension request
    with a hostile reason; returns the hazard id."""
    from inspections.domain.hazards import Level, Status
    from inspections.services.enterprise import rectification
    from inspections.store import hazards as hazard_store
    code = _code_of(username)
    base = hazard_store.for_enterprise(_ctx().db, code)[0]
    major = base.model_copy(update={"id": "EXT-PLAIN", "level": Level.MAJOR, "status": Status.OPEN, "closed_on": None,
                                    "rectified_on": None, "found_on": TODAY - dt.timedelta(days=10),
                                    "deadline": TODAY + dt.timedelta(days=5), "description": hostile("隐患描述")})
    _ctx().db.write(lambda c: hazard_store.insert_hazards(c, [major]))
    rectification.request_extension(_ctx(), _user(username), "EXT-PLAIN", TODAY + dt.timedelta(days=30),
                                     hostile("延期理由"))
    _rename(code, name=hostile("企业名"))
    return "EXT-PLAIN"


def test_extensions_page_and_the_decision_note(app_env):
    at = signed_in("office")
    _major_with_extension("ent03")
    at = open_page(at, "extensions")
    for label in ("企业名", "隐患描述", "延期理由"):
        assert_plain(at, label)
    at.text_input[0].input(hostile("审批意见"))
    at.get("form_submit_button")[0].click()  # approve, with a note
    run(at)
    assert _q("SELECT status FROM extension_requests WHERE hazard_id = 'EXT-PLAIN'") == [("approved",)]
    portal = open_page(signed_in("ent03"), "our-hazards")
    assert_plain(portal, "审批意见")  # the extension line under the hazard


def test_dashboard_hazard_opened_from_the_list(app_env):
    at = signed_in("office")
    hazard_id = _major_with_extension("ent03")
    at = run(at)
    rows = at.tabs[5].dataframe[0].value
    position = list(rows["ID"]).index(hazard_id)
    at.session_state["list-majors"] = {"selection": {"rows": [position], "columns": []}}
    run(at)
    assert_plain(at, "企业名")
    assert_plain(at, "隐患描述")


def test_registry_saved_message(app_env):
    from inspections.domain import credit_code
    at = open_page(signed_in("office"), "registry")
    form = at.expander[1]
    form.text_input[0].input(credit_code.complete("91350100M000100Y4"))
    form.text_input[1].input(hostile("企业名"))
    form.multiselect[0].set_value(["fire"])
    form.text_input[2].input(hostile("地址"))
    form.text_input[3].input(hostile("联系人"))
    at.get("form_submit_button")[0].click()  # add
    run(at)
    assert at.success[0].value == f"已保存：{escaped('企业名')}"
    assert_plain(at, "企业名")
    at = run(at)  # the table above the form now lists it, as typed
    assert {hostile("企业名"), hostile("地址"), hostile("联系人")} <= _table_values(at)


def test_over_cap_reason_and_name_on_planning(app_env):
    at = open_page(signed_in("office"), "planning")
    capped = an_enterprise_at_its_cap(_ctx(), TODAY, clear_of=(3,))
    _rename(capped["enterprise_code"], name=hostile("企业名"))
    at = run(at)
    at.selectbox(key="plan_enterprise").set_value(capped["enterprise_code"])
    at.date_input(key="plan_date").set_value(TODAY + dt.timedelta(days=3))
    run(at)
    at.text_input(key="plan_override").input(hostile("超频理由"))
    at.button(key="plan_create").click()
    run(at)
    assert any(s.value.startswith("已创建检查 JC") for s in at.success)
    assert_plain(at, "超频理由")
    assert_plain(at, "企业名")


def test_merge_proposal_names_the_enterprise_as_typed(app_env):
    from inspections.services.office import planning
    at = signed_in("office")
    office = _user("office")
    code = _q("SELECT code FROM enterprises WHERE scenario = 'restaurant' ORDER BY code DESC LIMIT 1")[0][0]
    people = teams(planning.inspector_options(_ctx(), office))
    for days, department in ((5, "market"), (20, "fire_rescue")):
        planning.create(_ctx(), office, code, TODAY + dt.timedelta(days=days), department, [department],
                        people[department], "special", "专项", "专项", confirm_nearby=True)
    _rename(code, name=hostile("企业名"))
    assert_plain(open_page(at, "planning"), "企业名")


# -- signed out, the sidebar and accounts -------------------------------------------------------------

def test_scanned_code_on_the_sign_in_page(app_env):
    at = app()
    at.query_params["enterprise"] = hostile("码")
    run(at)
    assert_plain(at, "码")


def test_display_name_in_the_sidebar_and_usernames_on_accounts(app_env):
    at = open_page(signed_in("office"), "accounts")
    form = at.expander[0]
    form.selectbox[0].set_value("office")
    form.text_input[0].input("**账号**")
    form.text_input[1].input(hostile("显示名"))
    form.text_input[2].input("Start@2026x")
    at.get("form_submit_button")[0].click()
    run(at)
    assert any(s.value == r"已创建账号 \*\*账号\*\*" for s in at.success)
    at.expander[0].selectbox[0].set_value("office")
    at.expander[0].text_input[0].input("**账号**")
    at.expander[0].text_input[2].input("Start@2026x")
    at.get("form_submit_button")[0].click()
    run(at)
    assert any(r"用户名“\*\*账号\*\*”已被使用" in e.value for e in at.error)  # the typed name, as text
    assert not any("'**账号**'" in e.value for e in at.error)
    manage = at.expander[1]
    manage.selectbox[0].set_value("**账号**")
    manage.text_input[0].input("Changed@2026x")
    at.get("form_submit_button")[1].click()  # reset the password
    run(at)
    assert any(s.value == r"已更新账号 \*\*账号\*\*" for s in at.success)
    assert_plain(signed_in_as("**账号**"), "显示名")


def signed_in_as(username: str):
    at = app()
    run(at)
    at.text_input[0].input(username)
    at.text_input[1].input("Changed@2026x")
    at.button[0].click()
    return run(at)


def test_a_refused_extension_shows_in_the_enterprises_trail(app_env):
    """A refused extension's event has its own label in the trail (it once had none: KeyError)."""
    from inspections.services.office import oversight
    hazard_id = _major_with_extension("ent03")
    request_id = _q("SELECT id FROM extension_requests WHERE hazard_id = ?", [hazard_id])[0][0]
    oversight.decide_extension(_ctx(), _user("office"), request_id, False, note="理由不充分")
    portal = open_page(signed_in("ent03"), "our-hazards")
    assert "延期申请未批准" in _table_values(portal)


# -- hazard ids (issue 18 #11) ----------------------------------------------------------------------
# An imported id may only be letters, digits and _ . - (domain.ledger.HAZARD_ID); one that got into the
# database some other way is still shown escaped wherever a Markdown element names it.
HOSTILE_ID = "[点此](http://evil.example) ![x](http://evil.example/t.png)"
ESCAPED_ID = r"\[点此\]\(http\://evil\.example\) \!\[x\]\(http\://evil\.example/t\.png\)"


def assert_id_plain(at) -> None:
    bodies = _bodies(at)
    assert any(ESCAPED_ID in b for b in bodies), [b for b in bodies if "evil" in b]
    raw = [b for b in bodies if "](http" in b or "![x]" in b]
    assert not raw, raw


def _hostile_hazard(username: str, hazard_id: str = HOSTILE_ID, **fields):
    """A copy of one of the user's enterprise's hazards, under `hazard_id`, written through the store;
    returns it."""
    from inspections.domain.hazards import Level, Status
    from inspections.store import hazards as hazard_store
    base = hazard_store.for_enterprise(_ctx().db, _code_of(username))[0]
    hazard = base.model_copy(update={"id": hazard_id, "level": Level.MAJOR, "status": Status.OPEN, "closed_on": None,
                                     "rectified_on": None, "found_on": TODAY - dt.timedelta(days=10),
                                     "deadline": TODAY + dt.timedelta(days=5), **fields})
    _ctx().db.write(lambda c: hazard_store.insert_hazards(c, [hazard]))
    return hazard


def test_a_hostile_hazard_id_is_refused_at_import(app_env, tmp_path):
    from inspections.domain.rows import ImportRefused
    from inspections.services.data.imports import import_hazards
    from tests.conftest import code, write_csv
    header = ["hazard_id", "enterprise_code", "enterprise_name", "sector", "department", "level", "description",
              "found_on", "deadline"]
    path = write_csv(tmp_path / "ids.csv", header, [[HOSTILE_ID, code(7), "演示企业", "roads", "transport",
                                                     "general", "护栏缺失", "2026-01-10", "2026-02-10"]])
    try:
        import_hazards(_ctx(), path)
    except ImportRefused as refused:
        from inspections import messages
        assert messages.import_problems(refused) == [
            f"row 2, column hazard_id: '{HOSTILE_ID}': a hazard id is 1 to 64 letters, digits, '_', '.' or '-', "
            "beginning with a letter or digit"]
    else:
        raise AssertionError("imported")
    assert _q("SELECT count(*) FROM hazards WHERE id = ?", [HOSTILE_ID]) == [(0,)]


def test_a_hostile_hazard_id_on_the_enterprises_page_the_extensions_and_the_dashboard(app_env):
    from inspections.services.enterprise import rectification
    _hostile_hazard("ent03")
    rectification.request_extension(_ctx(), _user("ent03"), HOSTILE_ID, TODAY + dt.timedelta(days=30),
                                     "设备到货晚")
    assert_id_plain(open_page(signed_in("ent03"), "our-hazards"))            # the hazard's heading
    office = open_page(signed_in("office"), "extensions")
    assert_id_plain(office)                                                   # the request's line
    office.get("form_submit_button")[0].click()                               # approve
    run(office)
    assert_id_plain(office)                                                   # "decided: <id>"
    dash = run(signed_in("office"))
    rows = dash.tabs[5].dataframe[0].value
    dash.session_state["list-majors"] = {"selection": {"rows": [list(rows["ID"]).index(HOSTILE_ID)], "columns": []}}
    run(dash)
    assert_id_plain(dash)                                                     # the opened hazard's heading
    dash.tabs[5].selectbox[0].set_value(HOSTILE_ID)
    dash.tabs[5].text_input[0].input("区安委办")                               # supervision's unit,
    dash.tabs[5].text_input[1].input("督办人")                                 # supervisor and deadline
    dash.tabs[5].date_input[0].set_value(TODAY + dt.timedelta(days=15))
    dash.get("form_submit_button")[0].click()                                 # supervise it
    run(dash)
    assert_id_plain(dash)                                                     # the toast


def test_a_hostile_hazard_id_on_the_rechecks_page_and_the_finished_visit(app_env):
    from inspections.domain.hazards import Status
    hazard = _hostile_hazard("ent06", status=Status.SUBMITTED, rectified_on=TODAY)
    inspector = open_page(signed_in(f"{hazard.department}1"), "rechecks")
    assert_id_plain(inspector)                                                # the hazard's heading
    inspector.button(key=f"pass-{HOSTILE_ID}").click()
    run(inspector)
    assert_id_plain(inspector)                                                # "hazard <id> closed"
    team = _q("SELECT team FROM inspections WHERE id = ?", [hazard.inspection_id])[0][0]
    visit = open_page(signed_in(team[0]), "inspection", inspection=hazard.inspection_id)
    assert_id_plain(visit)                                                    # the finished visit's hazards


# -- tables and their CSV download (issue 18 #12) -----------------------------------------------------
FORMULA = '=HYPERLINK("http://evil.example","点我")'


def test_tables_put_an_apostrophe_before_text_a_spreadsheet_would_run(app_env):
    """An enterprise named like a formula, in the dashboard's list of open major hazards and in the
    registry's table; a rectification note like one, in the hazard's trail on the enterprise's page."""
    from inspections.services.enterprise import rectification
    code = _code_of("ent03")
    _rename(code, name=FORMULA)
    _hostile_hazard("ent03", "FX-1", description=FORMULA)
    rectification.submit(_ctx(), _user("ent03"), "FX-1", "+SUM(1,2)", TODAY, [])   # what was done: the trail's note
    dash = run(signed_in("office"))
    majors = dash.tabs[5].dataframe[0].value
    assert list(majors.loc[majors["ID"] == "FX-1"].iloc[0])[1] == "'" + FORMULA
    registry = open_page(signed_in("office"), "registry")
    assert "'" + FORMULA in _table_values(registry) and FORMULA not in _table_values(registry)
    portal = open_page(signed_in("ent03"), "our-hazards")
    assert "'+SUM(1,2)" in _table_values(portal) and "+SUM(1,2)" not in _table_values(portal)


def test_the_table_widget_escapes_only_text():
    from streamlit.testing.v1 import AppTest

    def script():
        import datetime as dt

        from inspections.ui.widgets.tables import table
        table([{"n": -3, "x": -1.5, "s": "-3", "f": "=1+2", "a": "@A1", "p": "+1", "t": "\tx", "r": "\rx",
                "d": dt.date(2026, 1, 1), "none": None, "ok": "护栏缺失 - 北门"}])

    at = AppTest.from_function(script).run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value.iloc[0].to_dict()
    assert (shown["n"], shown["x"]) == (-3, -1.5) and not isinstance(shown["n"], str)
    assert (shown["s"], shown["f"], shown["a"], shown["p"], shown["t"], shown["r"]) == (
        "'-3", "'=1+2", "'@A1", "'+1", "'\tx", "'\rx")
    assert shown["ok"] == "护栏缺失 - 北门" and shown["none"] is None


def test_every_table_of_the_pages_goes_through_the_table_widget():
    """st.dataframe, st.table and st.data_editor are called in widgets/tables.py only."""
    import re
    from tests.conftest import REPO
    direct = [f"{path.relative_to(REPO)}:{n}" for path in sorted((REPO / "inspections" / "ui").rglob("*.py"))
              if path.name != "tables.py"
              for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"\.(dataframe|data_editor)\(|\bst\.table\(", line)]
    assert direct == []
