"""The inspector's re-check and check-in in AppTest: the original finding beside the evidence, close-out
only after a second explicit tap (one tap or a cancel closes nothing), the hazard trail naming people and
departments under translated headers, check-in at a visit finished today (said so, with the link to it,
above the camera), and every refused photo of an item card named while the accepted ones are kept."""
import pytest

from inspections.services.inspector import inspecting
from inspections.services.shared.auth import User
from inspections.ui.labels import plain
from tests.conftest import SUITE_TODAY, jpeg
from tests.ui.conftest import open_page, run, signed_in


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


def _ctx():
    from inspections.ui.runtime import context
    return context()


@pytest.fixture
def submitted(app_env):
    """(the department's inspector's page, hazard id): the first submission waiting for a re-check."""
    department, hazard_id = _q("""SELECT department, id FROM hazards WHERE status = 'submitted'
        AND source = 'inspection' ORDER BY deadline, id LIMIT 1""")[0]
    return open_page(signed_in(f"{department}1"), "rechecks"), hazard_id


def _status(hazard_id: str) -> str:
    return _q("SELECT status FROM hazards WHERE id = ?", [hazard_id])[0][0]


def _review_of(at, hazard_id: str):
    return next(e for e in at.expander if e.label.startswith(plain(hazard_id)))


def test_the_original_finding_is_shown_beside_the_evidence(submitted):
    from inspections.services.shared import merged_lists, photos
    from inspections.store import hazards, inspections
    at, hazard_id = submitted
    hazard = hazards.get(_ctx().db, hazard_id)
    header = inspections.header(_ctx().db, hazard.inspection_id)
    title = next(i.title.zh for i in merged_lists.of(_ctx(), header).items if i.id == hazard.item_id)

    def add_finding_photo(cursor):
        answer = inspections.answer(cursor, hazard.inspection_id, hazard.item_id)
        photo = photos.store(_ctx(), cursor, jpeg(800, 600), enterprise_code=hazard.enterprise_code,
                             purpose="finding", uploaded_by="x", inspection_id=hazard.inspection_id)
        inspections.upsert_answer(cursor, {**answer, "photos": list(answer["photos"]) + [photo]})
    _ctx().db.write(add_finding_photo)
    run(at)
    finding, evidence = _review_of(at, hazard_id).columns[:2]
    shown = [m.value for m in finding.markdown]
    level = "重大隐患" if hazard.level == "major" else "一般隐患"
    assert shown == ["**原检查发现**", f"检查事项：{plain(title)}", f"发现问题：{plain(hazard.description)}",
                     f"{level} · 整改期限 {hazard.deadline}"]
    assert len(finding.get("image")) == 1
    submission = _q("SELECT note FROM hazard_events WHERE hazard_id = ? AND action = 'submit' "
                    "ORDER BY occurred_at DESC LIMIT 1", [hazard_id])[0][0]
    assert [m.value for m in evidence.markdown] == ["**企业提交的整改情况**", plain(submission)]


def test_close_out_takes_a_second_tap_and_cancel_closes_nothing(submitted):
    at, hazard_id = submitted
    at.button(key=f"pass-{hazard_id}").click()
    run(at)
    assert _status(hazard_id) == "submitted"                       # one tap closes nothing
    assert f"确认复查合格并将隐患 {plain(hazard_id)} 销号？销号后不能撤回。" in [w.value for w in at.warning]
    at.button(key=f"cancel-pass-{hazard_id}").click()
    run(at)
    assert _status(hazard_id) == "submitted" and not [b for b in at.button if b.key == f"confirm-pass-{hazard_id}"]
    at.button(key=f"pass-{hazard_id}").click()
    run(at)
    at.button(key=f"confirm-pass-{hazard_id}").click()
    run(at)
    assert _status(hazard_id) == "closed"
    assert f"隐患 {plain(hazard_id)} 已销号。" in [s.value for s in at.success]


def test_the_trail_names_the_person_and_department_under_chinese_headers(submitted):
    at, hazard_id = submitted
    trail = _review_of(at, hazard_id).dataframe[-1].value
    assert list(trail.columns) == ["时间", "操作", "操作人", "状态变化", "说明"]
    actors = [a for (a,) in _q("SELECT actor FROM hazard_events WHERE hazard_id = ? ORDER BY occurred_at, rowid",
                               [hazard_id])]
    accounts = {u: (name, dept) for u, name, dept in _q("SELECT username, display_name, department FROM users")}
    departments = {d.id: d.title.zh for d in _ctx().catalogue.departments}
    inspector = next(a for a in actors if a in accounts and accounts[a][1])   # the one who found it
    expected = f"{accounts[inspector][0]}（{departments[accounts[inspector][1]]}）"
    assert expected in list(trail["操作人"]) and inspector not in list(trail["操作人"])


def _small_visit():
    return _q("SELECT id, enterprise_code FROM inspections WHERE scheduled_on = ? AND "
              "departments = ['traffic_police']", [SUITE_TODAY])[0]


def _nodes(block):
    """Every element under `block`, in page order."""
    for child in block.children.values():
        if hasattr(child, "children") and child.children:
            yield from _nodes(child)
        else:
            yield child


def _above_the_camera(at, element) -> bool:
    nodes = list(_nodes(at.main))
    camera = next(n for n, node in enumerate(nodes) if node.type == "camera_input")
    return next(n for n, node in enumerate(nodes) if node is element) < camera


def test_check_in_at_a_visit_finished_today_says_so_and_links_to_it(app_env):
    inspection_id, code = _small_visit()
    lead = User("traffic_police1", "x", "inspector", "traffic_police")
    inspecting.check_in(_ctx(), lead, code, "typed")
    for item in inspecting.walk(_ctx(), lead, inspection_id).merged.items:
        inspecting.answer_item(_ctx(), lead, inspection_id, item.id, "pass")
    inspecting.finish(_ctx(), lead, inspection_id, jpeg(460, 160), jpeg(460, 160))
    at = open_page(signed_in("traffic_police1"), "check-in")
    at.text_input[0].input(code)
    at.button[0].click()
    run(at)
    name = _q("SELECT name FROM enterprises WHERE code = ?", [code])[0][0]
    assert [i.value for i in at.info] == [f"{plain(name)} 今天的检查已经完成，无需再次签到。"]
    assert not at.error
    opened = at.get("page_link")
    assert [link.value for link in opened] == ["查看已完成的检查"]
    assert f"inspection={inspection_id}" in opened[0].proto.query_string
    assert _above_the_camera(at, at.info[0]) and _above_the_camera(at, opened[0])


def test_a_refused_check_in_is_said_above_the_camera(app_env):
    elsewhere = _q("SELECT code FROM enterprises WHERE code NOT IN (SELECT enterprise_code FROM inspections "
                   "WHERE scheduled_on = ?) LIMIT 1", [SUITE_TODAY])[0][0]
    at = open_page(signed_in("traffic_police1"), "check-in")
    at.text_input[0].input(elsewhere)
    at.button[0].click()
    run(at)
    assert "今天没有安排您参加的检查" in at.error[0].value
    assert _above_the_camera(at, at.error[0])


def test_an_item_cards_refused_photos_are_each_named_and_the_accepted_kept(app_env):
    inspection_id, code = _small_visit()
    at = signed_in("traffic_police1", {"enterprise": code})
    item = [g for g in at.get("button_group") if g.key.startswith("res-")][0].key[4:]
    at.button_group(key=f"res-{item}").set_value("fail")
    run(at)
    at.file_uploader(key=f"up-{item}-0").set_value([
        ("铭牌.txt", b"no image", "text/plain"), ("现场.jpg", jpeg(640, 480), "image/jpeg"),
        ("空.png", b"", "image/png")])
    at.run()
    # a browser reruns the card's fragment after the upload; AppTest runs the whole page, where that
    # fragment rerun is refused (after the photos were taken): the next run shows the card as the fragment would
    assert all('scope="fragment"' in e.message for e in at.exception)
    run(at)
    message = next(e.value for e in at.error if "铭牌" in e.value)
    assert f"文件 {plain('铭牌.txt')} 不是图片，未保存。" in message
    assert f"文件 {plain('空.png')} 不是图片，未保存。" in message and plain("现场.jpg") not in message
    stored = _q("SELECT photos FROM inspection_items WHERE inspection_id = ? AND item_id = ? AND NOT self_check",
                [inspection_id, item])[0][0]
    assert len(stored) == 1
