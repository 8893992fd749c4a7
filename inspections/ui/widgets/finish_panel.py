"""Finishing an inspection: the summary of findings, both signatures, the notice of rights and the
enterprise representative's statement (陈述、申辩), and the finish button; after it, the hazards raised,
the rectification notice and/or 指令书 and the documents as issued (the on-site record, re-check opinions) to
download."""
from __future__ import annotations

import streamlit as st

from inspections.domain.visits import Result, VisitKind
from inspections.services.shared import access, documents
from inspections.services.inspector import inspecting, notices, rechecks
from inspections.domain.refusals import ChangedMeanwhile
from inspections.ui.i18n import lang, t
from inspections.ui.labels import hazard_status, level, plain, refusal
from inspections.ui.runtime import context
from inspections.ui.session import current_user, show_flash
from inspections.ui.widgets import signature
from inspections.ui.widgets.document_downloads import document_buttons
from inspections.ui.widgets.notice_download import notice_download
from inspections.ui.widgets.trail import show_trail


def summary(state) -> None:
    results = [a["result"] for a in state.answers.values()]
    st.write(t("finish_summary", total=len(state.merged.items), passed=results.count(Result.PASS),
               failed=results.count(Result.FAIL),
               na=results.count(Result.NOT_APPLICABLE)))
    failed = [i for i in state.merged.items if state.answers.get(i.id, {}).get("result") == Result.FAIL]
    st.markdown(f"**{t('finish_findings')}**")
    if not failed:
        st.caption(t("finish_no_findings"))
    for item in failed:       # a re-check's failures keep their hazards' level and deadline: only the note
        answer = state.answers[item.id]
        found = "" if state.inspection.get("recheck_of") else f"（{level(answer['level'])}，{answer['deadline']}）"
        st.markdown(f"- **{item.id}** {item.title.get(lang())}：{plain(answer['note']) or '—'}{found}")


def finish_form(state) -> None:
    st.subheader(t("finish_title"))
    summary(state)
    st.caption(t("finish_sign_inspector"))
    inspector_png = signature.signature_pad(f"sig-inspector-{state.inspection['id']}")
    st.caption(t("finish_sign_enterprise"))
    enterprise_png = signature.signature_pad(f"sig-enterprise-{state.inspection['id']}")
    signer = st.text_input(t("finish_enterprise_signer"), value=state.enterprise.contact,
                           key=f"signer-{state.inspection['id']}")
    with st.expander(t("finish_rights_title")):
        for paragraph in documents.rules().rights_notice:
            st.caption(paragraph)
    statement = st.text_area(t("finish_statement"), key=f"statement-{state.inspection['id']}",
                             max_chars=documents.rules().statement_max_chars)
    if st.button(t("finish_button"), type="primary", width="stretch", key="finish"):
        try:
            raised = inspecting.finish(context(), current_user(), state.inspection["id"],
                                       inspector_png or b"", enterprise_png or b"", enterprise_signer=signer,
                                       statement=statement)
        except (inspecting.InspectionError, access.Forbidden, ChangedMeanwhile) as error:
            st.error(refusal(error))     # e.g. finished a moment earlier on a colleague's tablet
            return
        st.session_state["finished_notice"] = (t("finish_recheck_done") if state.inspection.get("recheck_of")
                                               else t("finish_done", count=len(raised)))
        st.rerun()


def finished(state) -> None:
    show_flash("finished_notice")
    summary(state)
    ctx, user, inspection_id = context(), current_user(), state.inspection["id"]
    for hazard in state.hazards:
        with st.expander(t("hazard_line", id=plain(hazard.id), level=level(hazard.level), deadline=hazard.deadline,
                           status=hazard_status(hazard.status))):
            show_trail(rechecks.trail(ctx, user, hazard.id))
    listed = documents.of_inspection(ctx, user, inspection_id)
    if state.inspection["kind"] != VisitKind.RECHECK:    # a re-check issues opinions, not a notice
        notice_download(lambda: notices.notice_pdf(ctx, user, inspection_id), inspection_id, key="notice",
                        issued=[d for d in listed if d["kind"] in documents.NOTICE_KINDS], type="primary")
    document_buttons([d for d in listed if d["kind"] not in documents.NOTICE_KINDS], key="document")
