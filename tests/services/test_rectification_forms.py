"""The rectification requirements issued at a visit's finish, on a real database, read back with pdftotext:
the emergency department's hazards go into its 责令限期整改指令书 (title, number, every problem with its
basis, level and deadline, the remedy from the rules file, each officer's enforcement ID number, both
signatures as drawn), the other departments' into the joint 隐患整改通知书; one kind of hazard gives one
document and none gives neither; both are stored as issued (a renamed enterprise leaves them as they
were); a visit with no stored notice (finished before notices were stored) still gets one rendered on
demand; the enterprise downloads its own, nobody else does."""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from inspections.rendering.pdf_text import zh_date
from inspections.services.enterprise import portal_documents
from inspections.services.inspector import inspecting, notices
from inspections.services.shared import documents
from inspections.services.shared.access import NotFound
from inspections.services.shared.auth import User
from tests.conftest import today_at
from tests.services.test_notice_pdf import ENTERPRISE_STROKES, INSPECTOR_STROKES, _drawn, _like
from tests.services.test_visit_documents import printed, pytestmark, squeeze  # noqa: F401 - skipped as it is

NOW = today_at(11, 20)
RENAMED = "改名以后的有限公司"


def officer_of(visit, department: str) -> User:
    """The visit's team member of `department` (an officer with an enforcement ID in the demo world)."""
    ctx = visit.ctx
    username = next(u for u in visit.inspection["team"]
                    if ctx.db.scalar("SELECT department FROM users WHERE username = ?", [u]) == department)
    return User(username, username, "inspector", department)


def finish(visit, finisher: User, failing: dict[str, int]) -> list:
    """Check in, fail the items of `failing` (item id: days to its deadline), pass the rest; finish as
    `finisher` with both signatures drawn. Returns the hazards raised."""
    ctx, inspection = visit.ctx, visit.inspection
    inspecting.check_in(ctx, finisher, inspection["enterprise_code"], "typed", today_at(9, 0))
    found_on = inspection["scheduled_on"]
    for item in inspecting.walk(ctx, finisher, inspection["id"]).merged.items:
        if item.id in failing:
            inspecting.answer_item(ctx, finisher, inspection["id"], item.id, "fail", note=f"{item.id}处发现问题：通道堵塞",
                                   deadline=found_on + dt.timedelta(days=failing[item.id]), now=today_at(9, 5))
        else:
            inspecting.answer_item(ctx, finisher, inspection["id"], item.id, "pass", now=today_at(9, 5))
    return inspecting.finish(ctx, finisher, inspection["id"], _drawn(INSPECTOR_STROKES), _drawn(ENTERPRISE_STROKES),
                             NOW, enterprise_signer="王海燕")


def items_of(visit, test) -> list:
    """The visit's merged items for which `test(item.departments)` holds, in list order."""
    return [i for i in inspecting.walk(visit.ctx, visit.inspector, visit.inspection["id"]).merged.items
            if test(i.departments)]


def only(kind: str, visit) -> dict:
    listed = [d for d in notices.issued(visit.ctx, visit.inspector, visit.inspection["id"]) if d["kind"] == kind]
    assert len(listed) == 1, listed
    return listed[0]


def text_of(visit, document: dict) -> str:
    return printed(documents.pdf(visit.ctx, visit.inspector, document["id"]))


def joint_finish(visit) -> tuple[list, list]:
    """Finished by the market officer: two emergency-only items failed (different deadlines) and one item
    the market department checks. Returns (the emergency hazards, the market ones)."""
    emergency_items = items_of(visit, lambda d: "emergency" in d and "market" not in d)[:2]
    market_item = items_of(visit, lambda d: "market" in d)[0]
    hazards = finish(visit, officer_of(visit, "market"),
                     {emergency_items[0].id: 10, emergency_items[1].id: 20, market_item.id: 15})
    emergency = [h for h in hazards if h.department == "emergency"]
    market = [h for h in hazards if h.department == "market"]
    assert len(emergency) == 2 and len(market) == 1 and len(hazards) == 3
    return emergency, market


def test_a_joint_visit_issues_the_emergency_hazards_on_the_directive_and_the_rest_on_the_notice(todays_visit):
    emergency, market = joint_finish(todays_visit)
    kinds = sorted(d["kind"] for d in documents.of_inspection(todays_visit.ctx, todays_visit.inspector,
                                                              todays_visit.inspection["id"]))
    assert kinds == sorted([documents.INSPECTION_RECORD, documents.RECTIFICATION_NOTICE,
                            documents.RECTIFICATION_DIRECTIVE])
    notice = text_of(todays_visit, only(documents.RECTIFICATION_NOTICE, todays_visit))
    directive = text_of(todays_visit, only(documents.RECTIFICATION_DIRECTIVE, todays_visit))
    assert notice.startswith("隐患整改通知书") and directive.startswith("责令限期整改指令书")
    for hazard in market:
        assert hazard.id in notice and hazard.id not in directive
    for hazard in emergency:
        assert hazard.id in directive and hazard.id not in notice
    assert "本次共发现事故隐患1项，其中重大隐患0项。" in notice
    rules = notices.forms()
    assert squeeze(rules.elsewhere.format(count=2, department="应急管理局", title=rules.directive.title)) in notice
    # the hazard cards offer the document holding the hazard
    ctx, inspection_id = todays_visit.ctx, todays_visit.inspection["id"]
    assert [d["kind"] for d in notices.issued(ctx, todays_visit.inspector, inspection_id, "emergency")] == \
        [documents.RECTIFICATION_DIRECTIVE]
    assert [d["kind"] for d in notices.issued(ctx, todays_visit.inspector, inspection_id, "market")] == \
        [documents.RECTIFICATION_NOTICE]


def test_the_directive_reads_back_with_every_problem_deadline_remedy_id_number_and_both_signatures(
        todays_visit, tmp_path):
    from PIL import Image
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    lead = officer_of(todays_visit, "emergency")
    chosen = items_of(todays_visit, lambda d: "emergency" in d)[:3]
    hazards = finish(todays_visit, lead, {chosen[0].id: 7, chosen[1].id: 30, chosen[2].id: 30})
    assert {h.department for h in hazards} == {"emergency"}
    listed = notices.issued(ctx, lead, inspection["id"])
    assert [d["kind"] for d in listed] == [documents.RECTIFICATION_DIRECTIVE]     # one kind: one document
    pdf = documents.pdf(ctx, lead, listed[0]["id"])
    text, texts = printed(pdf), notices.forms().directive
    assert text.startswith("责令限期整改指令书")
    assert f"（应急）责改〔{inspection['scheduled_on']:%Y}〕{inspection['id']}号" in text
    enterprise = ctx.db.scalar("SELECT name FROM enterprises WHERE code = ?", [inspection["enterprise_code"]])
    assert squeeze(f"{enterprise}：经查，你单位存在下列问题：") in text
    problems = text.split("经查，你单位存在下列问题：")[1]
    for n, (item, hazard) in enumerate(zip(chosen, hazards), 1):
        block = problems.split(squeeze(f"{n}. {item.title.zh}"))[1].split(f"{n + 1}.")[0]
        assert squeeze(hazard.description) in block and hazard.id in block
        assert squeeze(f"依据{item.basis}") in block
        assert f"隐患等级{'一般隐患' if hazard.level == 'general' else '重大隐患'}" in block
        assert f"整改期限{zh_date(hazard.deadline)}" in block
    found_on = inspection["scheduled_on"]
    assert ("以上第1项至第3项问题，责令你单位按下列期限整改完毕" in text     # deadlines differ: each one's
            and f"第1项：{zh_date(found_on + dt.timedelta(days=7))}前" in text
            and f"第2项：{zh_date(found_on + dt.timedelta(days=30))}前" in text
            and f"第3项：{zh_date(found_on + dt.timedelta(days=30))}前" in text)
    assert "逾期不整改的，依法处理" in text
    assert squeeze("如果不服本指令，可以依法在60日内向区人民政府申请行政复议，或者在6个月内依法向区人民法院提起行政诉讼，"
                   "但本指令不停止执行，法律另有规定的除外。") in text
    assert texts.review_body == "区人民政府" and texts.court == "区人民法院"
    emergency_team = [u for u in inspection["team"]
                      if ctx.db.scalar("SELECT department FROM users WHERE username = ?", [u]) == "emergency"]
    for username in emergency_team:
        name, number = ctx.db.query("SELECT display_name, enforcement_number FROM users WHERE username = ?",
                                    [username])[0]
        assert number and squeeze(f"证号：{number}") in text and squeeze(name) in text, username
    assert text.count("证号：") == len(emergency_team)
    assert "被检查单位负责人（签名）：王海燕" in text and f"应急管理局（印章）{zh_date(NOW.date())}" in text
    path = tmp_path / "directive.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "img")], check=True)
    images = [Image.open(p).convert("L") for p in sorted(tmp_path.glob("img-*.png"))]
    assert [i for i in images if _like(i, _drawn(INSPECTOR_STROKES))]
    assert [i for i in images if _like(i, _drawn(ENTERPRISE_STROKES))]


def test_notices_are_stored_as_issued_and_a_renamed_enterprise_leaves_them_as_they_were(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    joint_finish(todays_visit)
    old_name = ctx.db.scalar("SELECT name FROM enterprises WHERE code = ?", [inspection["enterprise_code"]])
    issued = {d["id"]: documents.pdf(ctx, todays_visit.inspector, d["id"])
              for d in notices.issued(ctx, todays_visit.inspector, inspection["id"])}
    ctx.db.write(lambda c: c.execute("UPDATE enterprises SET name = ? WHERE code = ?",
                                     [RENAMED, inspection["enterprise_code"]]))
    for user in (todays_visit.inspector, todays_visit.enterprise):      # what the download buttons serve
        listed = (notices.issued(ctx, user, inspection["id"]) if user.role == "inspector"
                  else portal_documents.notices(ctx, user, inspection["id"]))
        assert {d["id"] for d in listed} == set(issued)
        for document in listed:
            again = documents.pdf(ctx, user, document["id"])
            assert again == issued[document["id"]]
            assert squeeze(old_name) in printed(again) and RENAMED not in printed(again)
    for again in (notices.notice_pdf(ctx, todays_visit.inspector, inspection["id"]),
                  portal_documents.notice_pdf(ctx, todays_visit.enterprise, inspection["id"])):
        assert squeeze(old_name) in printed(again) and RENAMED not in printed(again)


def test_a_visit_finished_before_notices_were_stored_gets_its_notice_rendered_on_demand(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    emergency, market = joint_finish(todays_visit)
    ctx.db.write(lambda c: c.execute("DELETE FROM documents WHERE inspection_id = ? AND kind IN (?, ?)",
                                     [inspection["id"], *documents.NOTICE_KINDS]))   # as such a visit stands
    ctx.db.write(lambda c: c.execute("UPDATE enterprises SET name = ? WHERE code = ?",
                                     [RENAMED, inspection["enterprise_code"]]))
    assert notices.issued(ctx, todays_visit.inspector, inspection["id"]) == []
    assert portal_documents.notices(ctx, todays_visit.enterprise, inspection["id"], "emergency") == []
    for pdf in (notices.notice_pdf(ctx, todays_visit.inspector, inspection["id"]),
                portal_documents.notice_pdf(ctx, todays_visit.enterprise, inspection["id"])):
        text = printed(pdf)
        assert text.startswith("隐患整改通知书") and squeeze(RENAMED) in text       # made now, as before
        assert all(h.id in text for h in emergency + market)                      # every hazard, as before


def test_a_visit_without_hazards_gets_neither_and_its_page_keeps_the_notice_made_on_demand(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    assert finish(todays_visit, todays_visit.inspector, {}) == []
    assert [d["kind"] for d in documents.of_inspection(ctx, todays_visit.inspector, inspection["id"])] == \
        [documents.INSPECTION_RECORD]
    assert notices.issued(ctx, todays_visit.inspector, inspection["id"]) == []
    assert "本次检查未发现事故隐患。" in printed(notices.notice_pdf(ctx, todays_visit.inspector, inspection["id"]))


def test_a_visit_whose_hazards_are_all_on_a_directive_has_no_joint_notice(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    item = items_of(todays_visit, lambda d: d == ["emergency"])[0]
    finish(todays_visit, officer_of(todays_visit, "market"), {item.id: 10})
    assert [d["kind"] for d in notices.issued(ctx, todays_visit.inspector, inspection["id"])] == \
        [documents.RECTIFICATION_DIRECTIVE]
    with pytest.raises(NotFound):
        notices.notice_pdf(ctx, todays_visit.inspector, inspection["id"])
    # the market officer finished it, and the team's only emergency officer is who the 指令书 names
    text = text_of(todays_visit, only(documents.RECTIFICATION_DIRECTIVE, todays_visit))
    emergency = officer_of(todays_visit, "emergency").username
    name, number = ctx.db.query("SELECT display_name, enforcement_number FROM users WHERE username = ?",
                                [emergency])[0]
    assert squeeze(f"证号：{number}") in text and squeeze(name) in text and text.count("证号：") == 1
    assert f"以上第1项问题，责令你单位于{zh_date(inspection['scheduled_on'] + dt.timedelta(days=10))}前整改完毕" in text


def test_only_who_may_see_the_visit_downloads_its_notices(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    joint_finish(todays_visit)
    listed = portal_documents.notices(ctx, todays_visit.enterprise, inspection["id"])
    assert sorted(d["kind"] for d in listed) == sorted(documents.NOTICE_KINDS)
    assert all(documents.pdf(ctx, todays_visit.enterprise, d["id"]).startswith(b"%PDF") for d in listed)
    other_code = ctx.db.scalar("SELECT code FROM enterprises WHERE code <> ? ORDER BY code LIMIT 1",
                               [inspection["enterprise_code"]])
    other = User("other-rep", "别家", "enterprise", enterprise_code=other_code)
    for document in listed:
        for stranger in (other, todays_visit.outsider):
            with pytest.raises(NotFound):
                documents.pdf(ctx, stranger, document["id"])
    for call in (lambda: portal_documents.notices(ctx, other, inspection["id"]),
                 lambda: notices.issued(ctx, todays_visit.outsider, inspection["id"])):
        with pytest.raises(NotFound):
            call()
