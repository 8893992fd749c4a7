"""The enterprise portal's pages in AppTest: checks told in advance, self-check, hazards with
rectification and extension, rating, our QR; and isolation: enterprise A trying B's ids through every
id-taking query parameter sees a plain 'not found' and changes nothing."""

import pytest

from tests.ui.conftest import open_page, run, signed_in
from tests.conftest import SUITE_TODAY
from inspections.ui.labels import plain

TODAY = SUITE_TODAY


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


def _code_of(username):
    return _q("SELECT enterprise_code FROM users WHERE username = ?", [username])[0][0]


@pytest.fixture
def ent04(app_env):
    """ent04: the auto-parts plant with a joint visit today and open findings from 12 days ago."""
    at = signed_in("ent04")
    return at, _code_of("ent04")


def test_checks_page_tells_the_visit_in_advance(ent04):
    at, code = ent04
    assert at.title[0].value == "本企业检查"
    coming = _q("SELECT count(*) FROM inspections WHERE enterprise_code = ? AND status = 'scheduled' "
                "AND scheduled_on >= ?", [code, TODAY])[0][0]
    assert coming >= 1 and len(at.expander) == coming
    assert at.get("download_button")
    assert any("应急管理局" in m.value for m in at.markdown)


def test_rating_a_finished_inspection_once(ent04):
    at, code = ent04
    inspection_id = _q("""SELECT id FROM inspections WHERE enterprise_code = ? AND status = 'completed'
        AND id NOT IN (SELECT inspection_id FROM evaluations) ORDER BY scheduled_on DESC LIMIT 1""", [code])[0][0]
    at.button(key=f"rate-{inspection_id}").click()
    run(at)
    assert at.error[0].value == "请先选择星级。"
    assert at.get("feedback")  # the stars; AppTest has no helper to click one, so set the widget's state
    at.session_state[f"stars-{inspection_id}"] = 3
    at.text_input(key=f"comment-{inspection_id}").input("提前告知清楚")
    at.button(key=f"rate-{inspection_id}").click()
    run(at)
    assert _q("SELECT rating, comment, rated_by FROM evaluations WHERE inspection_id = ?", [inspection_id]) == \
        [(4, "提前告知清楚", "ent04")]
    assert any(c.value.startswith("已评价：★★★★") for c in at.caption)


def test_self_check_saves_and_records_own_hazard(app_env):
    code = _code_of("ent02")
    inspection_id = _q("SELECT id FROM inspections WHERE enterprise_code = ? AND status = 'scheduled' LIMIT 1", [code])[0][0]
    at = open_page(signed_in("ent02"), "self-check", inspection=inspection_id)
    first = [g for g in at.get("button_group") if g.key.startswith("sres-")][0].key[5:]
    at.button_group(key=f"sres-{first}").set_value("fail")
    run(at)
    at.text_input(key=f"snote-{first}").input("应急预案未演练")
    run(at)
    assert _q("SELECT result, note FROM inspection_items WHERE inspection_id = ? AND item_id = ? AND self_check",
              [inspection_id, first]) == [("fail", "应急预案未演练")]
    at.button(key=f"own-{first}").click()
    run(at)
    recorded = f"ZC-{inspection_id}-{first}".replace("-", "\\-")  # ids are escaped for Markdown (labels.plain)
    assert any(s.value.startswith(f"已记为自查隐患 {recorded}") for s in at.success)
    assert _q("SELECT source, status FROM hazards WHERE id = ?", [f"ZC-{inspection_id}-{first}"]) == [("self_check", "open")]


def test_rectification_from_the_hazards_page(ent04):
    at, code = ent04
    at = open_page(at, "our-hazards")
    hazard_id = _q("""SELECT id FROM hazards WHERE enterprise_code = ? AND status IN ('open', 'rectifying')
        ORDER BY (status = 'closed'), deadline, id LIMIT 1""", [code])[0][0]
    at.text_area(key=f"what-{hazard_id}").input("已补齐安全例会记录并培训")
    form_button = next(b for b in at.get("form_submit_button") if b.proto.form_id == f"rectify-{hazard_id}")
    form_button.click()
    run(at)
    assert _q("SELECT status, rectified_on FROM hazards WHERE id = ?", [hazard_id]) == [("submitted", TODAY)]
    assert any(s.value == "已提交，等待检查部门复查。" for s in at.success)


def test_filter_by_status(app_env):
    username, code = _q("""SELECT u.username, u.enterprise_code FROM users u WHERE u.role = 'enterprise' AND EXISTS
        (SELECT 1 FROM hazards h WHERE h.enterprise_code = u.enterprise_code AND h.status = 'closed')
        ORDER BY u.username LIMIT 1""")[0]      # an enterprise of the demo with closed hazards
    at = open_page(signed_in(username), "our-hazards")
    at.button_group(key="hazard_filter").set_value("closed")
    run(at)
    closed = [plain(i) for (i,) in _q("SELECT id FROM hazards WHERE enterprise_code = ? AND status = 'closed'", [code])]
    shown = [c.value.split(" · ")[0] for c in at.caption if " · 发现日期 " in c.value]   # one id line a card
    assert closed and sorted(shown) == sorted(closed)
    assert sum(m.value.endswith(" · 已销号") for m in at.markdown) == len(closed)


def test_our_qr(ent04):
    at, code = ent04
    at = open_page(at, "our-qr")
    assert at.title[0].value == "本企业二维码" and any(code in m.value for m in at.markdown)
    assert f"?enterprise={code}" in at.code[0].value
    assert len(at.get("download_button")) == 2


def _b_objects():
    b_code = _code_of("ent05")
    return {
        "inspection": _q("SELECT id FROM inspections WHERE enterprise_code = ? ORDER BY status = 'scheduled' DESC LIMIT 1", [b_code])[0][0],
        "hazard": _q("SELECT id FROM hazards WHERE enterprise_code = ? LIMIT 1", [b_code])[0][0],
        "enterprise": b_code,
    }


@pytest.mark.parametrize("path, param", [
    ("self-check", "inspection"), ("inspection", "inspection"), ("our-hazards", "hazard"),
    ("our-inspections", "inspection"), ("our-qr", "enterprise"), ("check-in", "enterprise"),
    ("rechecks", "hazard"),
])
def test_enterprise_a_never_sees_b(app_env, path, param):
    at = signed_in("ent04")
    b = _b_objects()
    before = _q("SELECT (SELECT count(*) FROM inspection_items), (SELECT count(*) FROM hazard_events), "
                "(SELECT count(*) FROM evaluations)")
    at = open_page(at, path, **{param: b[param]})
    shown = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [e.label for e in at.expander]
                     + [x.value for x in at.code] + [e.value for e in at.error])
    assert b["enterprise"] not in shown and b[param] not in shown.replace("未找到", "")
    b_name = _q("SELECT name FROM enterprises WHERE code = ?", [b["enterprise"]])[0][0]
    assert b_name not in shown
    if path == "self-check":
        assert at.error[0].value == "未找到。"
    assert _q("SELECT (SELECT count(*) FROM inspection_items), (SELECT count(*) FROM hazard_events), "
              "(SELECT count(*) FROM evaluations)") == before


def test_coming_checks_list_their_items_as_cards_not_a_table(ent04):
    """A phone shows each item's whole title with its departments below, not a table that cuts both."""
    from inspections.services.shared import merged_lists
    from inspections.store import inspections
    from inspections.ui.runtime import context
    at, code = ent04
    inspection_id = _q("SELECT id FROM inspections WHERE enterprise_code = ? AND status = 'scheduled' "
                       "AND scheduled_on >= ? ORDER BY scheduled_on LIMIT 1", [code, TODAY])[0][0]
    items = merged_lists.of(context(), inspections.header(context().db, inspection_id)).items
    assert not at.dataframe
    shown = {m.value for m in at.markdown}
    captions = [c.value for c in at.caption]
    catalogue = context().catalogue
    for item in items:
        assert f"**{plain(item.id)}** {plain(item.title.zh)}" in shown
        assert "、".join(catalogue.department(d).title.zh for d in item.departments) in captions


def test_a_major_hazards_plan_from_the_hazards_page(app_env):
    username, hazard_id = _q("""SELECT u.username, h.id FROM users u JOIN hazards h ON h.enterprise_code = u.enterprise_code
        WHERE u.role = 'enterprise' AND h.level = 'major' AND h.status <> 'closed' AND h.plan_on IS NULL
        ORDER BY u.username, h.id LIMIT 1""")[0]         # an enterprise of the demo with an open major hazard
    at = open_page(signed_in(username), "our-hazards")
    assert "重大隐患整改方案（五落实）" in [e.label for e in at.expander]   # not the planning page's title
    button = next(b for b in at.get("form_submit_button") if b.proto.form_id == f"plan-{hazard_id}")
    button.click()                                         # empty: refused, nothing written
    run(at)
    assert any(e.value == "五项内容均须填写。" for e in at.error)
    assert _q("SELECT plan_on FROM hazards WHERE id = ?", [hazard_id]) == [(None,)]
    at.text_input(key=f"plan-who-{hazard_id}").input("厂长 王五")
    at.text_area(key=f"plan-how-{hazard_id}").input("更换防爆电气设备")
    at.text_input(key=f"plan-funds-{hazard_id}").input("3万元")
    at.text_area(key=f"plan-interim-{hazard_id}").input("停用该区域，专人值守")
    next(b for b in at.get("form_submit_button") if b.proto.form_id == f"plan-{hazard_id}").click()
    run(at)
    assert _q("SELECT plan_on FROM hazards WHERE id = ?", [hazard_id]) == [(TODAY,)]
    assert _q("SELECT responsible, funds FROM hazard_plans WHERE hazard_id = ?", [hazard_id]) == [("厂长 王五", "3万元")]
    assert any(c.value == f"整改方案已于 {TODAY} 提交" for c in at.caption)
