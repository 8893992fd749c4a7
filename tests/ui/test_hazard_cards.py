"""The enterprise's hazards on a phone, in AppTest: each hazard a card that says what it is without
expanding (item, what was found, deadline and days left or overdue, level, status, the inspector's
photos), the visit's notice to download (the enterprise's own only), the confirmation of a rectification
inside the card it was sent from, and every refused evidence file named with its own reason."""
import datetime as dt

import pytest

from inspections.services.shared.access import NotFound
from inspections.services.shared.auth import User
from inspections.ui.labels import plain
from tests.conftest import SUITE_TODAY, jpeg
from tests.ui.conftest import open_page, run, signed_in


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


def _enterprise_user(username: str) -> User:
    code = _q("SELECT enterprise_code FROM users WHERE username = ?", [username])[0][0]
    return User(username, username, "enterprise", None, code)


def _first_open(code: str) -> str:
    return _q("""SELECT id FROM hazards WHERE enterprise_code = ? AND status IN ('open', 'rectifying')
        AND source = 'inspection' ORDER BY deadline, id LIMIT 1""", [code])[0][0]


def _hazard(hazard_id: str):
    from inspections.store import hazards
    from inspections.ui.runtime import context
    return hazards.get(context().db, hazard_id)


def _item_title(hazard) -> str:
    from inspections.services.shared import merged_lists
    from inspections.store import inspections
    from inspections.ui.runtime import context
    header = inspections.header(context().db, hazard.inspection_id)
    return next(i.title.zh for i in merged_lists.of(context(), header).items if i.id == hazard.item_id)


def _card(at, hazard_id: str):
    """The card (bordered container) of the hazard: the innermost block holding its id caption."""
    wanted = plain(hazard_id)

    def holds(block) -> bool:
        return any(c.value.startswith(wanted) for c in block.caption)

    block = at.main
    while True:
        inner = [child for child in block.children.values() if hasattr(child, "children") and holds(child)]
        if not inner:
            assert block is not at.main, f"no card of {hazard_id}"
            return block
        block = inner[0]


@pytest.fixture
def ent04_hazards(app_env):
    at = open_page(signed_in("ent04"), "our-hazards")
    return at, _enterprise_user("ent04")


def test_each_card_says_what_the_hazard_is_with_days_left(ent04_hazards):
    at, user = ent04_hazards
    hazard = _hazard(_first_open(user.enterprise_code))
    card = _card(at, hazard.id)
    shown = [m.value for m in card.markdown]
    assert f"**{plain(_item_title(hazard))}**" in shown
    assert f"发现问题：{plain(hazard.description)}" in shown
    days = (hazard.deadline - SUITE_TODAY).days
    assert days > 0 and f"整改期限：{hazard.deadline} · 剩余 {days} 天" in shown
    level = "重大隐患" if hazard.level == "major" else "一般隐患"
    assert f"{level} · 待整改" in shown or f"{level} · 整改中" in shown
    assert card.expander and not any(e.proto.expanded for e in card.expander)   # the actions stay folded


def test_an_overdue_hazard_says_so_in_red(ent04_hazards):
    at, user = ent04_hazards
    hazard = _hazard(_first_open(user.enterprise_code))
    late = hazard.found_on + dt.timedelta(days=1)
    assert late < SUITE_TODAY                              # the demo's open findings are 12 days old
    from inspections.ui.runtime import context
    context().db.write(lambda c: c.execute("UPDATE hazards SET deadline = ? WHERE id = ?", [late, hazard.id]))
    run(at)
    shown = [m.value for m in _card(at, hazard.id).markdown]
    assert f"整改期限：{late} · :red[**逾期 {(SUITE_TODAY - late).days} 天**]" in shown


def test_the_inspectors_photos_show_on_the_card(ent04_hazards):
    from inspections.services.shared import photos
    from inspections.store import inspections
    from inspections.ui.runtime import context
    at, user = ent04_hazards
    hazard = _hazard(_first_open(user.enterprise_code))
    assert not _card(at, hazard.id).get("image")

    def add_finding_photo(cursor):
        answer = inspections.answer(cursor, hazard.inspection_id, hazard.item_id)
        photo = photos.store(context(), cursor, jpeg(800, 600), enterprise_code=hazard.enterprise_code,
                             purpose="finding", uploaded_by="emergency1", inspection_id=hazard.inspection_id)
        inspections.upsert_answer(cursor, {**answer, "photos": list(answer["photos"]) + [photo]})
    context().db.write(add_finding_photo)
    run(at)
    images = _card(at, hazard.id).get("image")
    assert len(images) == 1 and len(images[0].value) == 1


def test_the_notice_button_delivers_our_notice_and_the_service_refuses_anothers(ent04_hazards, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager
    from inspections.services.enterprise import portal_documents
    from inspections.ui.runtime import context
    made = {}
    original = MediaFileManager.add_deferred

    def remember(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)
    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    at, user = ent04_hazards
    run(at)
    hazard = _hazard(_first_open(user.enterprise_code))
    assert _card(at, hazard.id).get("download_button")[0].label == "下载整改通知书（PDF）"
    assert made[f"整改通知书-{hazard.inspection_id}.pdf"]()[:4] == b"%PDF"
    other = _enterprise_user("ent05")
    with pytest.raises(NotFound):
        portal_documents.notice_pdf(context(), other, hazard.inspection_id)


def test_the_rectification_is_confirmed_in_its_own_card(ent04_hazards):
    at, user = ent04_hazards
    hazard_id = _first_open(user.enterprise_code)
    at.text_area(key=f"what-{hazard_id}").input("已补齐安全例会记录并培训")
    next(b for b in at.get("form_submit_button") if b.proto.form_id == f"rectify-{hazard_id}").click()
    run(at)
    assert _q("SELECT status FROM hazards WHERE id = ?", [hazard_id]) == [("submitted",)]
    assert [s.value for s in _card(at, hazard_id).success] == ["已提交，等待检查部门复查。"]
    assert [s.value for s in at.success] == ["已提交，等待检查部门复查。"]   # in that card only, not at the top
    assert [t.proto.body for t in at.toast] == ["已提交，等待检查部门复查。"]


def test_every_refused_evidence_file_is_named_with_its_reason(ent04_hazards):
    at, user = ent04_hazards
    hazard_id = _first_open(user.enterprise_code)
    events_before = _q("SELECT count(*) FROM hazard_events WHERE hazard_id = ?", [hazard_id])
    at.text_area(key=f"what-{hazard_id}").input("已整改")
    uploader = next(u for u in at.get("file_uploader") if u.proto.form_id == f"rectify-{hazard_id}")
    uploader.set_value([("整改后.jpg", jpeg(400, 300), "image/jpeg"), ("说明.txt", b"not a photo", "text/plain"),
                        ("空白.png", b"", "image/png")])
    next(b for b in at.get("form_submit_button") if b.proto.form_id == f"rectify-{hazard_id}").click()
    run(at)
    message = at.error[0].value
    assert message.startswith("有 2 个文件未通过")
    assert f"文件 {plain('说明.txt')} 不是图片，未保存。" in message
    assert f"文件 {plain('空白.png')} 不是图片，未保存。" in message
    assert plain("整改后.jpg") not in message
    assert _q("SELECT status FROM hazards WHERE id = ?", [hazard_id])[0][0] in ("open", "rectifying")
    assert _q("SELECT count(*) FROM hazard_events WHERE hazard_id = ?", [hazard_id]) == events_before
