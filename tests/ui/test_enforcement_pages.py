"""Who may inspect, on the pages: the office's accounts page shows each inspector's enforcement ID and
standing today, records a renewal with the form and a roster with the uploader (a bad roster refused
whole, its rows in the problems table); the public verify page shows every officer's name, department
and ID number, and why the visit happens; an inspector whose ID expired is told so at check-in."""
import datetime as dt

from tests.checksums import CHANGED_BY_ANY_REQUEST, changed, table_checksums
from tests.ui.conftest import app, open_page, run, signed_in
from tests.conftest import SUITE_TODAY


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


def _id_of(username):
    return _q("SELECT enforcement_number, enforcement_issuer, enforcement_valid_until FROM users "
              "WHERE username = ?", [username])[0]


def test_the_accounts_page_shows_ids_and_renews_one(app_env):
    at = open_page(signed_in("office"), "accounts")
    people = at.dataframe[0].value
    number, _, valid_until = _id_of("market1")
    row = people[people["用户名"] == "market1"].iloc[0]
    assert (row["执法证号"], row["有效期至"], row["执法资格（今日）"]) == (number, valid_until.isoformat(), "执法人员")
    assert people[people["用户名"] == "office"].iloc[0]["执法证号"] == ""
    form = next(e for e in at.expander if e.label == "登记或换发行政执法证")
    form.selectbox(key="acc_enforcement_user").set_value("market1")
    form.text_input(key="acc_enforcement_number").input("吉2201-换-0001")
    form.text_input(key="acc_enforcement_issuer").input("长春市人民政府")
    form.date_input(key="acc_enforcement_valid_until").set_value(SUITE_TODAY - dt.timedelta(days=1))
    next(b for b in at.get("form_submit_button") if b.label == "保存执法证").click()
    run(at)
    assert any(s.value == "已登记 market1 的行政执法证" for s in at.success)
    assert _id_of("market1") == ("吉2201-换-0001", "长春市人民政府", SUITE_TODAY - dt.timedelta(days=1))
    shown = at.dataframe[0].value
    assert shown[shown["用户名"] == "market1"].iloc[0]["执法资格（今日）"] == "执法证已过期"
    assert at.dataframe[-1].value["操作"][0] == "登记或换发行政执法证"


def test_a_roster_is_imported_from_the_accounts_page_or_refused_whole(app_env):
    at = open_page(signed_in("office"), "accounts")
    before = table_checksums(_q, CHANGED_BY_ANY_REQUEST)
    bad = "用户名,执法证号,发证机关,有效期至\nmarket1,吉2201-9,长春市人民政府,2031-02-29\nnobody,吉2201-8,长春市人民政府,2031-01-01\n"
    at.get("file_uploader")[0].upload("执法证.csv", bad.encode("utf-8"), "text/csv")
    run(at)
    assert at.error[0].value.startswith("文件 执法证\\.csv 未导入（1 个问题）")
    problems = at.dataframe[1].value
    assert [row[1:4] for row in problems.itertuples(index=False, name=None)] == [(2, "有效期至", "2031-02-29")]
    assert changed(before, table_checksums(_q, CHANGED_BY_ANY_REQUEST)) == []
    good = "用户名,执法证号,发证机关,有效期至\nmarket1,吉2201-9,长春市人民政府,2031-01-31\n"
    at.get("file_uploader")[0].upload("执法证.csv", good.encode("utf-8"), "text/csv")
    run(at)
    assert any(s.value == "导入完成：共 1 行，新登记 0 个，换发 1 个，未变 0 个" for s in at.success)
    assert _id_of("market1") == ("吉2201-9", "长春市人民政府", dt.date(2031, 1, 31))


def test_the_verify_page_shows_every_officers_id_and_why_the_visit_happens(app_env):
    from inspections.services.shared import codes
    from inspections.services.shared.context import Context
    ctx = Context.open(app_env)
    visit = ctx.db.query_dicts("SELECT id, team, departments, kind, reason, plan_number FROM inspections WHERE scheduled_on = ? "
                               "AND kind = 'special' ORDER BY id LIMIT 1", [SUITE_TODAY])[0]
    token = codes.issue_code(ctx, visit["id"])
    people = {r[0]: r[1:] for r in ctx.db.query(
        "SELECT username, display_name, enforcement_number, department FROM users WHERE list_contains(?, username)",
        [visit["team"]])}
    ctx.close()
    at = open_page(run(app()), "verify", code=token)
    lines = [m.value for m in at.markdown]
    from inspections.ui.labels import department, plain
    for username in visit["team"]:
        name, number, dept = people[username]
        assert any(plain(name) in line and number in line and department(dept) in line for line in lines), username
    assert len(visit["team"]) >= 2
    assert visit["plan_number"].startswith("汽开检计〔")            # the demo's special visits are planned
    assert any(m.value == f"检查事由：专项检查——{plain(visit['reason'])}（计划备案编号 {plain(visit['plan_number'])}；"
                          f"检查编号 {visit['id']}）" for m in at.markdown)


def test_an_expired_id_is_told_at_check_in(app_env):
    from inspections.services.shared.context import Context
    ctx = Context.open(app_env)
    visit = ctx.db.query_dicts("SELECT id, team, enterprise_code FROM inspections WHERE scheduled_on = ? "
                               "AND status = 'scheduled' ORDER BY id LIMIT 1", [SUITE_TODAY])[0]
    ctx.db.write(lambda c: c.execute("UPDATE users SET enforcement_valid_until = ? WHERE username = ?",
                                     [SUITE_TODAY - dt.timedelta(days=1), visit["team"][0]]))
    ctx.close()
    at = open_page(signed_in(visit["team"][0]), "check_in", enterprise=visit["enterprise_code"])
    assert any("行政执法证有效期至" in e.value and "已失效" in e.value for e in at.error), [e.value for e in at.error]
    assert _q("SELECT status FROM inspections WHERE id = ?", [visit["id"]]) == [("scheduled",)]
