"""Re-check visits in AppTest: the office plans one from the planning form (kind 整改复查, the earlier visit
with open hazards chosen: its open items only, the reason naming it); walking the demo's coming re-check
(moved to today and checked in) shows on each item card the original finding of its hazard: what was
found, its level, deadline and status, and what the enterprise reported."""
from inspections.domain.merge import MergedList
from tests.conftest import SUITE_NOW, SUITE_TODAY
from tests.ui.conftest import open_page, run, signed_in


def _context():
    from inspections.ui.runtime import context
    return context()


def _demo_recheck() -> dict:
    return _context().db.query_dicts("SELECT * FROM inspections WHERE recheck_of IS NOT NULL ORDER BY id LIMIT 1")[0]


def test_the_planning_form_plans_a_recheck_of_the_earlier_visit(app_env):
    at = open_page(signed_in("office"), "planning")
    earlier = _context().db.query_dicts("""SELECT i.id, i.enterprise_code, i.merged_list_json FROM inspections i
        WHERE i.status = 'completed' AND EXISTS (SELECT 1 FROM hazards h WHERE h.inspection_id = i.id
        AND h.status <> 'closed' AND h.source = 'inspection') ORDER BY i.scheduled_on DESC, i.id LIMIT 1""")[0]
    open_items = {r[0] for r in _context().db.query(
        "SELECT item_id FROM hazards WHERE inspection_id = ? AND status <> 'closed'", [earlier["id"]])}
    at.selectbox(key="plan_enterprise").set_value(earlier["enterprise_code"])
    at.selectbox(key="plan_kind").set_value("recheck")
    run(at)
    chooser = at.selectbox(key=f"plan_recheck_of-{earlier['enterprise_code']}")
    chooser.set_value(earlier["id"])
    run(at)
    assert any(c.value.startswith("不填则为：复查 " + earlier["id"]) for c in at.caption)
    assert any(i.value.startswith(f"合并清单 {len(open_items)} 项") for i in at.info)
    nearby = [c for c in at.checkbox if c.key.startswith("plan_confirm_nearby")]
    if nearby:
        nearby[0].check()
        run(at)
    at.button(key="plan_create").click()
    run(at)
    assert any(s.value.startswith("已创建检查 JC") for s in at.success), [e.value for e in at.error]
    created = _context().db.query_dicts("SELECT * FROM inspections WHERE recheck_of = ? AND kind = 'recheck'",
                                        [earlier["id"]])
    assert len(created) == 1 and earlier["id"] in created[0]["reason"]
    assert {i.id for i in MergedList.model_validate_json(created[0]["merged_list_json"]).items} == open_items


def test_walking_a_recheck_shows_each_card_its_original_finding(app_env):
    recheck = _demo_recheck()
    db = _context().db
    db.write(lambda c: c.execute("""UPDATE inspections SET scheduled_on = ?, status = 'in_progress',
        checked_in_at = ?, checkin_method = 'typed', checked_in_by = team[1] WHERE id = ?""",
                                 [SUITE_TODAY, SUITE_NOW, recheck["id"]]))
    hazards = db.query_dicts("SELECT id, item_id, description, status, deadline FROM hazards WHERE inspection_id = ? "
                             "AND status <> 'closed' ORDER BY id", [recheck["recheck_of"]])
    at = open_page(signed_in(recheck["team"][0]), "inspection", inspection=recheck["id"])
    assert any(i.value.startswith(f"整改复查 {recheck['recheck_of']} 未销号的隐患") for i in at.info)
    shown = [m.value for m in at.markdown]
    assert shown.count("**原检查发现**") == len([h for h in hazards if any(
        m.startswith(f"**{h['item_id']}") for m in shown)]) >= 1
    first = next(h for h in hazards if any(m.startswith(f"**{h['item_id']}") for m in shown))
    assert f"发现问题：{first['description']}" in shown
    assert any(m.startswith("一般隐患") or m.startswith("重大隐患") for m in shown if str(first["deadline"]) in m)
    assert any("待整改" in m or "整改中" in m for m in shown if str(first["deadline"]) in m)
    assert "**企业提交的整改情况**" in shown
