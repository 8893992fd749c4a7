"""Planning in AppTest: a visit within the cap, one beyond it refused without a reason and created with
one (recorded, and counted on the dashboard), merge proposals and bulk planning, office only."""
import datetime as dt

from tests.ui.conftest import open_page, run, signed_in
from tests.conftest import SUITE_TODAY

TODAY = SUITE_TODAY


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


def _at_cap():
    from inspections.services.office import planning
    from inspections.ui.runtime import context
    rows = planning.inspections_per_enterprise(context(), TODAY.year)
    return next(r for r in rows if r["at_cap"] and r["cap"] >= 1)


def test_over_the_cap_needs_a_reason_and_shows_on_the_dashboard(app_env):
    at = open_page(signed_in("office"), "planning")
    capped = _at_cap()
    at.selectbox(key="plan_enterprise").set_value(capped["enterprise_code"])
    at.date_input(key="plan_date").set_value(TODAY + dt.timedelta(days=3))
    run(at)
    assert any("已达年度频次上限" in w.value for w in at.warning)
    at.button(key="plan_create").click()
    run(at)
    assert any(e.value.startswith(f"已达 {capped['tier']} 级企业年度上限") for e in at.error), [e.value for e in at.error]
    before = _q("SELECT count(*) FROM inspections")[0][0]
    at.text_input(key="plan_override").input("群众反映存在重大隐患线索，经分管领导批准")
    at.button(key="plan_create").click()
    run(at)
    assert any(s.value.startswith("已创建检查 JC") for s in at.success)
    assert _q("SELECT count(*) FROM inspections")[0][0] == before + 1
    assert _q("SELECT cap_override_reason FROM inspections WHERE enterprise_code = ? AND cap_override_reason <> ''",
              [capped["enterprise_code"]]) == [("群众反映存在重大隐患线索，经分管领导批准",)]
    dash = signed_in("office")
    counts = dash.tabs[6].dataframe[0].value  # the counts against the caps come first in that tab
    row = counts[counts["企业"] == capped["enterprise_name"]].iloc[0]
    assert (row["已计入"], row["上限"], row["超频"]) == (capped["used"] + 1, capped["cap"], capped["overrides"] + 1)


def test_a_complaint_check_is_exempt_but_needs_a_reason(app_env):
    at = open_page(signed_in("office"), "planning")
    capped = _at_cap()
    at.selectbox(key="plan_enterprise").set_value(capped["enterprise_code"])
    at.selectbox(key="plan_kind").set_value("complaint")
    run(at)
    assert any(c.value == "该类型检查不计入年度频次上限。" for c in at.caption) and not at.warning
    at.button(key="plan_create").click()
    run(at)
    assert any(e.value == "该类型检查须填写事由。" for e in at.error)
    at.text_input(key="plan_reason").input("12345 投诉：油烟扰民")
    at.button(key="plan_create").click()
    run(at)
    assert any(s.value.startswith("已创建检查") for s in at.success)


def test_bulk_planning_for_a_scenario(app_env):
    at = open_page(signed_in("office"), "planning")
    at.selectbox(key="bulk_scenario").set_value("restaurant")
    at.button(key="bulk_propose").click()
    run(at)
    proposed = len(at.tabs[2].dataframe[0].value)
    left_out = len(at.tabs[2].dataframe[1].value)
    restaurants = _q("SELECT count(*) FROM enterprises WHERE scenario = 'restaurant'")[0][0]
    assert proposed + left_out == restaurants and proposed > 0
    before = _q("SELECT count(*) FROM inspections")[0][0]
    at.button(key="bulk_create").click()
    run(at)
    assert _q("SELECT count(*) FROM inspections")[0][0] == before + proposed
    assert any(s.value == f"已创建 {proposed} 次检查" for s in at.success)


def test_planning_is_office_only(app_env):
    for username in ("market1", "ent01"):
        at = open_page(signed_in(username), "planning")
        assert at.title[0].value != "联合检查计划（综合查一次）"


def test_caps_are_configurable_and_apply(app_env):
    from inspections.services.office import planning
    from inspections.ui.runtime import context
    at = open_page(signed_in("office"), "planning")
    capped = _at_cap()
    at.number_input(key=f"cap-{capped['tier']}").set_value(capped["cap"] + 1)
    at.get("form_submit_button")[0].click()
    run(at)
    assert any(s.value == "已保存频次上限。" for s in at.success)
    assert planning.caps(context())[capped["tier"]] == capped["cap"] + 1
    at.selectbox(key="plan_enterprise").set_value(capped["enterprise_code"])
    run(at)
    assert not at.warning  # one more routine visit now fits under the raised cap


def test_accepting_a_merge_proposal(app_env):
    from inspections.services.office import planning
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    office = User("office", "o", "office")
    code = _q("SELECT code FROM enterprises WHERE scenario = 'restaurant' ORDER BY code DESC LIMIT 1")[0][0]
    people = {p["department"]: p["username"] for p in planning.inspector_options(context(), office)}
    first = planning.create(context(), office, code, TODAY + dt.timedelta(days=5), "market", ["market"],
                            [people["market"]], "special", "食品安全专项", "专项")
    second = planning.create(context(), office, code, TODAY + dt.timedelta(days=20), "fire_rescue", ["fire_rescue"],
                             [people["fire_rescue"]], "special", "消防专项", "专项")
    at = open_page(signed_in("office"), "planning")
    proposals = planning.proposals(context(), office, TODAY)
    wanted = next(n for n, p in enumerate(proposals) if {first["id"], second["id"]} <= set(p["inspection_ids"]))
    at.button(key=f"merge-{wanted}").click()
    run(at)
    departments, status = _q("SELECT departments, status FROM inspections WHERE id = ?", [first["id"]])[0]
    assert {"market", "fire_rescue"} <= set(departments) and status == "scheduled"
    assert _q("SELECT status FROM inspections WHERE id = ?", [second["id"]]) == [("cancelled",)]
    assert any(s.value.startswith(f"已合并为 {first['id']}") for s in at.success)
