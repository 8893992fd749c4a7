"""The documents of a visit as issued, on a real database: finishing a visit issues its on-site record
(现场检查记录) in the same transaction, read back with pdftotext as a reader meets it (every item with its
result, the findings, the statement or "无", the notice of rights from the rules file, every officer);
a name changed after issue leaves the stored PDF byte-identical; a re-check decision issues its opinion
(整改复查意见书); another enterprise's download is 'not found'."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from inspections.domain.hazards import apply
from inspections.rendering.pdf_fonts import FontMissing, find_cjk_font
from inspections.rendering.record_pdf import RESULT_ZH
from inspections.services.enterprise import portal_documents
from inspections.services.inspector import inspecting, notices, rechecks
from inspections.services.shared import documents
from inspections.services.shared.access import NotFound
from inspections.services.shared.auth import User
from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from tests.conftest import jpeg, today_at

try:
    find_cjk_font()
except FontMissing:
    pytest.skip("no CJK font for PDFs on this machine", allow_module_level=True)
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

NOW = today_at(10, 15)
STATEMENT = "我单位对检查结果无异议，消防通道堵塞系临时堆放，将于三日内清理完毕。"
FURNITURE = re.compile(r"^第\s*\d+\s*页\s*/\s*共|^(现场检查记录|整改复查意见书|隐患整改通知书)\s+\S+号$")


def printed(pdf: bytes) -> str:
    """The PDF's text as pdftotext reads it, page furniture left out, all whitespace removed."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")
    return "".join("".join(line.split()) for line in text.splitlines()
                   if line.strip() and not FURNITURE.search(line.strip()))


def squeeze(text: str) -> str:
    return "".join(text.split())


def finish_visit(visit, statement: str) -> tuple[list, list]:
    """Check in, fail the first item and the last (n/a the second), pass the rest, finish with both
    signatures; returns (the merged items, the hazards raised)."""
    ctx, inspection, inspector = visit.ctx, visit.inspection, visit.inspector
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", today_at(9, 0))
    items = inspecting.walk(ctx, inspector, inspection["id"]).merged.items
    for n, item in enumerate(items):
        result = "fail" if n in (0, len(items) - 1) else "not_applicable" if n == 1 else "pass"
        inspecting.answer_item(ctx, inspector, inspection["id"], item.id, result,
                               note=f"第{n + 1}项问题：消防通道堵塞" if result == "fail" else "", now=today_at(9, 5))
    hazards = inspecting.finish(ctx, inspector, inspection["id"], jpeg(300, 100), jpeg(300, 100, (0, 0, 0)), NOW,
                                enterprise_signer="王海燕", statement=statement)
    return items, hazards


def the_record(visit) -> dict:
    listed = documents.of_inspection(visit.ctx, visit.inspector, visit.inspection["id"])
    records = [d for d in listed if d["kind"] == documents.INSPECTION_RECORD]
    assert len(records) == 1 and {d["kind"] for d in listed} <= {documents.INSPECTION_RECORD, *documents.NOTICE_KINDS}
    return records[0]


def test_the_record_holds_every_item_the_statement_the_rights_and_the_officers(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    items, hazards = finish_visit(todays_visit, f"  {STATEMENT}  ")
    record = the_record(todays_visit)
    assert record["issued_at"] == NOW and record["issued_by"] == todays_visit.inspector.username
    text = printed(documents.pdf(ctx, todays_visit.inspector, record["id"]))
    answers = inspection_store.answers(ctx.db, inspection["id"])
    for n, item in enumerate(items, 1):
        result = RESULT_ZH[answers[item.id]["result"]]
        assert squeeze(f"{n}. [{item.id}] {item.title.zh}：{result}") in text, item.id
    assert squeeze(f"（{answers[items[0].id]['note']}）") in text   # a failure carries what was found
    for hazard in hazards:
        found = text.split("被检查单位陈述、申辩")[0].split(squeeze(f"{len(items)}. [{items[-1].id}]"))[1]
        assert hazard.id in found and squeeze(hazard.description) in found     # after the items: the findings
    assert STATEMENT in text.split("被检查单位陈述、申辩")[1].split("权利告知")[0]
    assert inspection_store.statement(ctx.db, inspection["id"]) == STATEMENT
    for paragraph in documents.rules().rights_notice:
        assert squeeze(paragraph) in text
    assert "回避" in text and "陈述" in text
    for username in inspection["team"]:
        name, number = ctx.db.query("SELECT display_name, enforcement_number FROM users WHERE username = ?",
                                    [username])[0]
        assert squeeze(name) in text.split("检查人员签名")[0]
        assert number and squeeze(f"执法证号：{number}") in text, username     # every officer's ID number
    assert text.count("执法证号：") == len(inspection["team"])
    checked_in = inspection_store.get(ctx.db, inspection["id"])["checked_in_at"]
    assert f"{checked_in:%Y}年{checked_in:%m}月{checked_in:%d}日{checked_in:%H:%M}至" in text
    assert f"{NOW:%H:%M}" in text.split("检查时间")[1] and "王海燕" in text
    planned = inspection_store.get(ctx.db, inspection["id"])
    why = {"routine": f"日常检查，按检查计划实施（计划备案编号{planned['plan_number']}", "special": planned["plan_number"],
           "complaint": "投诉举报核查", "recheck": "整改复查"}[planned["kind"]]
    assert squeeze(why) in text.split("检查事项及结果")[0]            # why the visit happened, with its plan


def test_no_statement_prints_as_none(todays_visit):
    finish_visit(todays_visit, "   ")
    text = printed(documents.pdf(todays_visit.ctx, todays_visit.inspector, the_record(todays_visit)["id"]))
    said = text.split("被检查单位陈述、申辩")[1].split("权利告知")[0]
    assert said == documents.rules().no_statement == "无"


def test_a_name_changed_after_issue_leaves_the_stored_record_as_issued(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    finish_visit(todays_visit, STATEMENT)
    record = the_record(todays_visit)
    issued = documents.pdf(ctx, todays_visit.inspector, record["id"])
    old_name = ctx.db.scalar("SELECT name FROM enterprises WHERE code = ?", [inspection["enterprise_code"]])
    lead = inspection["team"][0]
    ctx.db.write(lambda c: c.execute("UPDATE enterprises SET name = '改名后的公司' WHERE code = ?",
                                     [inspection["enterprise_code"]]))
    ctx.db.write(lambda c: c.execute("UPDATE users SET display_name = '新名字' WHERE username = ?", [lead]))
    assert "改名后的公司" not in printed(notices.notice_pdf(ctx, todays_visit.inspector, inspection["id"]))  # issued
    again = documents.pdf(ctx, todays_visit.inspector, record["id"])
    assert again == issued
    assert squeeze(old_name) in printed(again) and "改名后的公司" not in printed(again)
    import hashlib
    assert hashlib.sha256(again).hexdigest() == record["sha256"]


def test_the_enterprise_downloads_its_own_records_and_no_other_enterprise_does(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    finish_visit(todays_visit, STATEMENT)
    record = the_record(todays_visit)
    own = documents.of_inspection(ctx, todays_visit.enterprise, inspection["id"])
    assert [d["id"] for d in own if d["kind"] == documents.INSPECTION_RECORD] == [record["id"]]
    assert documents.pdf(ctx, todays_visit.enterprise, record["id"]).startswith(b"%PDF")
    other_code = ctx.db.scalar("SELECT code FROM enterprises WHERE code <> ? ORDER BY code LIMIT 1",
                               [inspection["enterprise_code"]])
    other = User("other-rep", "别家", "enterprise", enterprise_code=other_code)
    with pytest.raises(NotFound):
        documents.pdf(ctx, other, record["id"])
    with pytest.raises(NotFound):
        documents.of_inspection(ctx, other, inspection["id"])
    with pytest.raises(NotFound):                       # an inspector of a department not on the visit
        documents.pdf(ctx, todays_visit.outsider, record["id"])
    with pytest.raises(NotFound):
        portal_documents.notice_pdf(ctx, other, inspection["id"])  # the notice keeps its own rule


def test_a_recheck_decision_issues_its_opinion(todays_visit):
    ctx = todays_visit.ctx
    _, hazards = finish_visit(todays_visit, "")
    hazard = hazards[0]
    submitted, event = apply(hazard_store.get(ctx.db, hazard.id), "submit", actor="ent", at=NOW, note="已清理通道并设置标识")
    ctx.db.write(lambda c: hazard_store.save(c, submitted, event))
    checker_name = ctx.db.scalar("SELECT username FROM users WHERE role = 'inspector' AND department = ? "
                                 "ORDER BY username LIMIT 1", [hazard.department])
    checker = User(checker_name, "x", "inspector", hazard.department)
    rechecks.decide(ctx, checker, hazard.id, False, reason="标识缺失", now=today_at(15, 40))
    opinions = documents.of_hazard(ctx, todays_visit.enterprise, hazard.id)
    assert [(d["kind"], d["issued_by"]) for d in opinions] == [(documents.RECHECK_OPINION, checker_name)]
    text = printed(documents.pdf(ctx, todays_visit.enterprise, opinions[0]["id"]))
    officer = ctx.db.scalar("SELECT display_name FROM users WHERE username = ?", [checker_name])
    assert "复查不合格" in text and "标识缺失" in text and "已清理通道并设置标识" in text
    assert squeeze(officer) in text and hazard.id in text and "15:40" in text
    assert [d["id"] for d in documents.of_inspection(ctx, todays_visit.inspector, hazard.inspection_id)
            if d["kind"] == documents.RECHECK_OPINION] == [opinions[0]["id"]]


def test_a_statement_over_the_limit_is_refused_and_nothing_is_written(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    limit = documents.rules().statement_max_chars
    with pytest.raises(inspecting.InspectionError) as refused:
        finish_visit(todays_visit, "陈" * (limit + 1))
    assert refused.value.reason == "statement_too_long" and refused.value.values == {"limit": limit}
    assert inspection_store.get(ctx.db, inspection["id"])["status"] == "in_progress"
    assert ctx.db.scalar("SELECT count(*) FROM documents WHERE inspection_id = ?", [inspection["id"]]) == 0
    assert hazard_store.for_inspection(ctx.db, inspection["id"]) == []


def test_the_record_carries_both_signatures_as_drawn(todays_visit, tmp_path):
    from PIL import Image
    from tests.services.test_notice_pdf import _drawn, _like, ENTERPRISE_STROKES, INSPECTOR_STROKES
    ctx, inspection, inspector = todays_visit.ctx, todays_visit.inspection, todays_visit.inspector
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", today_at(9, 0))
    for item in inspecting.walk(ctx, inspector, inspection["id"]).merged.items:
        inspecting.answer_item(ctx, inspector, inspection["id"], item.id, "pass", now=today_at(9, 5))
    inspecting.finish(ctx, inspector, inspection["id"], _drawn(INSPECTOR_STROKES), _drawn(ENTERPRISE_STROKES), NOW)
    path = tmp_path / "record.pdf"
    path.write_bytes(documents.pdf(ctx, inspector, the_record(todays_visit)["id"]))
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "img")], check=True)
    images = [Image.open(p).convert("L") for p in sorted(tmp_path.glob("img-*.png"))]
    assert [i for i in images if _like(i, _drawn(INSPECTOR_STROKES))]
    assert [i for i in images if _like(i, _drawn(ENTERPRISE_STROKES))]
    assert "本次检查未发现事故隐患。" in printed(path.read_bytes())


def test_the_rules_file_is_checked_on_load(tmp_path):
    from inspections.readers.rules_files import RulesFileUnusable
    assert documents.rules().no_statement == "无" and len(documents.rules().rights_notice) >= 3
    broken = tmp_path / "visit_documents.yaml"
    broken.write_text("rights_notice: []\nno_statement: 无\nstatement_max_chars: 0\n", encoding="utf-8")
    with pytest.raises(RulesFileUnusable) as unusable:
        documents.rules(broken)
    assert "rights_notice" in unusable.value.why and "statement_max_chars" in unusable.value.why


def test_a_major_accepted_on_site_issues_an_opinion_that_says_so(todays_visit):
    """A major hazard passed at its re-check is accepted (验收), not closed: its opinion says it waits for
    the second person's approval, never that it failed."""
    from inspections.domain.hazards import Level, Status
    ctx = todays_visit.ctx
    _, hazards = finish_visit(todays_visit, "")
    hazard = hazard_store.get(ctx.db, hazards[0].id)
    major = hazard.model_copy(update={"level": Level.MAJOR})
    ctx.db.write(lambda c: c.execute("UPDATE hazards SET level = 'major' WHERE id = ?", [hazard.id]))
    submitted, event = apply(major, "submit", actor="ent", at=NOW, note="已整改")
    ctx.db.write(lambda c: hazard_store.save(c, submitted, event))
    checker_name = ctx.db.scalar("SELECT username FROM users WHERE role = 'inspector' AND department = ? "
                                 "ORDER BY username LIMIT 1", [hazard.department])
    changed = rechecks.decide(ctx, User(checker_name, "x", "inspector", hazard.department), hazard.id, True,
                              now=today_at(15, 40))
    assert changed.status == Status.SUBMITTED and changed.accepted_on is not None
    opinion, = documents.of_hazard(ctx, todays_visit.enterprise, hazard.id)
    text = printed(documents.pdf(ctx, todays_visit.enterprise, opinion["id"]))
    assert "现场验收合格" in text and "审批" in text and "不合格" not in text
