"""Planning in AppTest: a visit within the cap, one beyond it refused without a reason and created with
one (recorded, and counted on the dashboard), a double tap on 创建检查 planning one visit, a visit near
another flagged and planned only once confirmed, merge proposals previewed and then confirmed, bulk
planning, office only; the dashboard's visits beyond the caps."""
import datetime as dt

from tests.ui.conftest import open_page, run, signed_in
from tests.conftest import SUITE_TODAY, an_enterprise_at_its_cap, teams

TODAY = SUITE_TODAY


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


def _at_cap():
    """An enterprise at its cap this year, clear of the merge window of the days the tests plan on."""
    from inspections.ui.runtime import context
    return an_enterprise_at_its_cap(context(), TODAY)


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
    people = teams(planning.inspector_options(context(), office))
    first = planning.create(context(), office, code, TODAY + dt.timedelta(days=5), "market", ["market"],
                            people["market"], "special", "食品安全专项", "专项", confirm_nearby=True)
    second = planning.create(context(), office, code, TODAY + dt.timedelta(days=20), "fire_rescue", ["fire_rescue"],
                             people["fire_rescue"], "special", "消防专项", "专项", confirm_nearby=True)
    at = open_page(signed_in("office"), "planning")
    proposals = planning.proposals(context(), office, TODAY)
    wanted = next(n for n, p in enumerate(proposals) if {first["id"], second["id"]} <= set(p["inspection_ids"]))
    ids = proposals[wanted]["inspection_ids"]
    kept = ids[0]                  # the earliest of the group (the demo may have booked one before `first`)
    at.button(key=f"merge-{wanted}").click()
    run(at)
    # the preview first: nothing merged yet, the kept visit, the dates to choose from, the cap after
    assert _q("SELECT status FROM inspections WHERE id = ?", [second["id"]]) == [("scheduled",)]
    assert any(f"合并后保留 **{kept}**" in m.value for m in at.markdown), [m.value for m in at.markdown]
    chooser = at.selectbox(key=f"merge_date-{ids[0]}")
    assert chooser.options == list(dict.fromkeys(str(d) for d in proposals[wanted]["dates"]))
    later = str(TODAY + dt.timedelta(days=20))
    chooser.set_value(later)
    run(at)
    seen = planning.merge_preview(context(), office, ids, TODAY + dt.timedelta(days=20))
    assert any(f"{later}" in m.value and f"合并清单 {seen['items']} 项" in m.value for m in at.markdown)
    after = seen["cap_after"]
    assert any(c.value == f"合并后 {after['year']} 年已计入频次 {after['used']} 次，{after['tier']} 级企业上限 "
               f"{after['cap']} 次。" for c in [*at.caption, *at.warning])
    at.button(key="merge_confirm").click()
    run(at)
    departments, status, day = _q("SELECT departments, status, scheduled_on FROM inspections WHERE id = ?",
                                  [kept])[0]
    assert {"market", "fire_rescue"} <= set(departments) and status == "scheduled"
    assert str(day) == later                                  # the date the office chose
    assert _q("SELECT count(*) FROM inspections WHERE list_contains(?, id) AND status = 'cancelled'",
              [ids[1:]]) == [(len(ids) - 1,)]
    assert any(s.value.startswith(f"已合并为 {kept}") for s in at.success)


def _free_enterprise(day, room: int = 1):
    """An enterprise with room for `room` more visits below its cap and no scheduled visit within the merge
    window of `day`."""
    from inspections.services.office import planning
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    office = User("office", "o", "office")
    return next(r for r in planning.inspections_per_enterprise(context(), day.year)
                if r["cap"] - r["used"] >= room and not planning.nearby(context(), office, r["enterprise_code"], day))


def test_a_double_tap_on_create_plans_one_visit(app_env):
    at = open_page(signed_in("office"), "planning")
    day = TODAY + dt.timedelta(days=7)                      # the form's own default date
    free = _free_enterprise(day)
    at.selectbox(key="plan_enterprise").set_value(free["enterprise_code"])
    run(at)
    before = _q("SELECT count(*) FROM inspections")[0][0]
    at.button(key="plan_create").click()
    run(at)
    created = [s.value for s in at.success if s.value.startswith("已创建检查 JC")]
    assert len(created) == 1 and _q("SELECT count(*) FROM inspections")[0][0] == before + 1
    at.button(key="plan_create").click()                    # the same form, sent again
    run(at)
    assert _q("SELECT count(*) FROM inspections")[0][0] == before + 1
    assert [s.value for s in at.success if s.value.startswith("已创建检查 JC")] == created   # the one visit
    assert _q("SELECT count(*) FROM inspections WHERE enterprise_code = ? AND scheduled_on = ?",
              [free["enterprise_code"], day]) == [(1,)]


def test_a_visit_near_another_is_flagged_and_planned_only_once_confirmed(app_env):
    from inspections.services.office import planning
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    office = User("office", "o", "office")
    day = TODAY + dt.timedelta(days=7)
    free = _free_enterprise(day, room=2)          # the visit near it, and the one planned once confirmed
    code = free["enterprise_code"]
    deps = list(planning.preview(context(), office, code, [], "routine", day)["counts"])
    people = teams(planning.inspector_options(context(), office))
    other = planning.create(context(), office, code, day + dt.timedelta(days=4), deps[0], deps[:1],
                            people[deps[0]], "routine")
    at = open_page(signed_in("office"), "planning")
    at.selectbox(key="plan_enterprise").set_value(code)
    run(at)
    warned = [w.value for w in at.warning if other["id"] in w.value]
    assert warned and str(other["scheduled_on"]) in warned[0]
    before = _q("SELECT count(*) FROM inspections")[0][0]
    at.button(key="plan_create").click()
    run(at)
    shown = [e.value.replace("\\", "") for e in at.error]   # the message as read (markdown escapes dropped)
    assert any(e.startswith(f"该企业在前后 {planning.window_days()} 天内已有检查") and other["id"] in e
               for e in shown), shown
    assert _q("SELECT count(*) FROM inspections")[0][0] == before
    at.checkbox(key=f"plan_confirm_nearby-{other['id']}").check()
    at.button(key="plan_create").click()
    run(at)
    assert any(s.value.startswith("已创建检查 JC") for s in at.success)
    assert _q("SELECT count(*) FROM inspections")[0][0] == before + 1


def test_the_dashboard_counts_the_visits_beyond_the_caps(app_env):
    """The demo has none beyond its caps (the demo obeys them); a visit planned beyond a cap with a reason
    is one with a reason; a cap lowered afterwards leaves visits beyond it without one."""
    from inspections.services.office import planning
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    office = User("office", "o", "office")

    def dashboard():
        at = signed_in("office")
        metric = next(m for m in at.tabs[6].metric if m.label == "超出年度上限的检查")
        split = next(c.value for c in at.tabs[6].caption if c.value.startswith("其中有超频理由"))
        return metric.value, split

    assert dashboard() == ("0", "其中有超频理由 0 次，无理由 0 次；涉及 0 家企业。")
    capped = _at_cap()
    deps = list(planning.preview(context(), office, capped["enterprise_code"], [], "routine", TODAY)["counts"])
    people = teams(planning.inspector_options(context(), office))
    day = min(TODAY + dt.timedelta(days=3), dt.date(TODAY.year, 12, 31))   # in this year, whose caps are shown
    planning.create(context(), office, capped["enterprise_code"], day, deps[0], deps,
                    [u for d in deps for u in people[d]], "routine", override_reason="重大活动安保，经分管领导批准",
                    confirm_nearby=True)
    assert dashboard() == ("1", "其中有超频理由 1 次，无理由 0 次；涉及 1 家企业。")
    # the tier's cap lowered by one: each of its enterprises at the cap is now one beyond it, without a reason
    rows = planning.inspections_per_enterprise(context(), TODAY.year)
    same_tier = [r for r in rows if r["tier"] == capped["tier"] and r["used"] >= capped["cap"]]
    planning.set_caps(context(), office, {capped["tier"]: capped["cap"] - 1})
    # the override visit's enterprise: used cap + 1 against cap - 1, two beyond, one covered by its reason;
    # every other one at the cap: one beyond, no reason
    with_reason, without = 1, 1 + (len(same_tier) - 1)
    assert dashboard() == (str(with_reason + without),
                           f"其中有超频理由 {with_reason} 次，无理由 {without} 次；涉及 {len(same_tier)} 家企业。")
