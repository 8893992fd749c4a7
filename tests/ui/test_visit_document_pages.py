"""The documents of a visit as people reach them in AppTest: the inspector finishes on the tablet with the
representative's statement typed under the notice of rights; the statement is stored with the visit; the
finished visit offers its on-site record (现场检查记录) and its notice as issued to download, as does the
enterprise's own list of finished visits, with the bytes as issued."""
from __future__ import annotations

from tests.conftest import jpeg
from tests.ui.conftest import open_page, run, signed_in
from tests.ui.test_inspector_pages import _answer_all, _query, _signature, small_visit

STATEMENT = "对检查结果无异议，将按期整改。"


def _record_buttons(at) -> list:
    return [b for b in at.get("download_button") if b.key and b.key.startswith("document-")]


def test_the_statement_is_recorded_and_the_record_is_downloaded_by_inspector_and_enterprise(app_env, monkeypatch):
    from inspections.services.shared import documents
    _signature(monkeypatch, jpeg(460, 160, (255, 255, 255)))
    inspection_id, code = small_visit(app_env)
    at = signed_in("traffic_police1", {"enterprise": code})
    first = [g for g in at.get("button_group") if g.key.startswith("res-")][0].key[4:]
    _answer_all(at, fail_item=first, note="例会记录缺失")
    assert any(e.label == "权利告知（陈述、申辩、回避）" for e in at.expander)
    assert documents.rules().rights_notice[0] in [c.value for c in at.caption]
    at.text_area(key=f"statement-{inspection_id}").input(STATEMENT)
    at.button(key="finish").click()
    run(at)
    assert _query(app_env, "SELECT enterprise_statement FROM inspections WHERE id = ?", [inspection_id]) == \
        [(STATEMENT,)]
    (document_id,), = _query(app_env, "SELECT id FROM documents WHERE inspection_id = ? AND kind = ?",
                                 [inspection_id, documents.INSPECTION_RECORD])
    later = open_page(signed_in("traffic_police1"), "inspection", inspection=inspection_id)
    buttons = _record_buttons(later)
    assert [b.key for b in buttons] == [f"document-{document_id}"] and "现场检查记录" in buttons[0].proto.label
    (username,), = _query(app_env, "SELECT username FROM users WHERE role = 'enterprise' AND enterprise_code = ? "
                                   "ORDER BY username LIMIT 1", [code])
    portal = open_page(signed_in(username), "our-inspections")
    (notice_id,), = _query(app_env, "SELECT id FROM documents WHERE inspection_id = ? AND kind = ?",
                           [inspection_id, documents.RECTIFICATION_NOTICE])     # the notice, as issued, too
    assert sorted(b.key for b in _record_buttons(portal)) == sorted([f"document-{document_id}", f"document-{notice_id}"])
    notice_buttons = [b for b in later.get("download_button") if b.key.startswith("notice-")]
    assert [(b.key, b.proto.label) for b in notice_buttons] == [(f"notice-{notice_id}", "下载整改通知书（PDF）")]
    other = _query(app_env, "SELECT username FROM users WHERE role = 'enterprise' AND enterprise_code <> ? "
                            "ORDER BY username LIMIT 1", [code])[0][0]
    assert f"document-{document_id}" not in [b.key for b in _record_buttons(open_page(signed_in(other),
                                                                                      "our-inspections"))]


def test_a_recheck_decision_offers_its_opinion_on_the_recheck_page(app_env):
    from inspections.services.shared import documents
    department, hazard_id = _query(app_env, """SELECT department, id FROM hazards WHERE status = 'submitted'
        AND source = 'inspection' ORDER BY deadline, id LIMIT 1""")[0]
    at = open_page(signed_in(f"{department}1"), "rechecks")
    assert not [b for b in at.get("download_button") if b.key and b.key.startswith("opinion-")]  # none decided yet
    at.text_input(key=f"reason-{hazard_id}").input("灭火器仍未更换")
    at.button(key=f"fail-{hazard_id}").click()
    run(at)
    (document_id,), = _query(app_env, "SELECT id FROM documents WHERE hazard_id = ? AND kind = ?",
                             [hazard_id, documents.RECHECK_OPINION])
    assert "已出具整改复查意见书。" in [c.value for c in at.caption]
    opinion = [b for b in at.get("download_button") if b.key == f"opinion-{document_id}"]
    assert opinion and "整改复查意见书" in opinion[0].proto.label
