"""Our inspections (enterprise): every coming joint visit told in advance with date, departments,
inspectors and the full item list grouped as the inspector will see it, its printable sheet and the
self-check; finished visits with their findings, their documents as issued (现场检查记录, 整改复查意见书) and
a one-time rating."""
from __future__ import annotations


import streamlit as st

from inspections.domain.merge import SHARED_SECTION
from inspections.domain.visits import COMING, SELF_CHECK_OPEN, VisitStatus
from inspections.services.enterprise import portal, portal_documents
from inspections.services.shared import documents
from inspections.ui.i18n import t
from inspections.ui.labels import departments, inspection_status, plain, refusal, sector
from inspections.ui.routes import go, link
from inspections.ui import runtime
from inspections.ui.runtime import context
from inspections.ui.session import current_user
from inspections.ui.widgets.document_downloads import document_buttons
from inspections.ui.widgets.item_list import item_cards


def render() -> None:
    user = current_user()
    st.title(t("portal_title"))
    st.caption(t("portal_intro"))
    link("my_hazards", t("nav_my_hazards"))  # phones keep the sidebar folded: the next step is one tap away
    visits = portal.checks(context(), user)
    today = runtime.today()
    coming = [v for v in visits if v["status"] in COMING and v["scheduled_on"] >= today]
    st.subheader(t("portal_upcoming"))
    if not coming:
        st.caption(t("my_none"))
    for visit in sorted(coming, key=lambda v: v["scheduled_on"]):
        _coming(user, visit)
    st.subheader(t("portal_finished"))
    for visit in [v for v in visits if v["status"] == VisitStatus.COMPLETED][:20]:
        _finished(user, visit)


def _line(visit: dict) -> str:
    return t("portal_visit", date=visit["scheduled_on"].isoformat(), departments=departments(visit["departments"]),
             count=len(visit["merged"].items), inspectors="、".join(plain(name) for name in visit["inspectors"]))


def _coming(user, visit: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{_line(visit)}** · {inspection_status(visit['status'])}")
        with st.expander(t("portal_items")):
            for key, items in visit["merged"].sections():
                st.markdown(f"**{t('section_shared') if key == SHARED_SECTION else sector(key)}**")
                item_cards(items)
        ctx, inspection_id = context(), visit["id"]
        left, right = st.columns(2)
        left.download_button(t("portal_sheet"), data=lambda: portal_documents.item_sheet_pdf(ctx, user, inspection_id),
                             file_name=f"告知单-{inspection_id}.pdf", mime="application/pdf",
                             key=f"sheet-{inspection_id}", on_click="ignore", width="stretch")
        if visit["status"] in SELF_CHECK_OPEN and right.button(t("portal_self_check"), key=f"self-{inspection_id}",
                                                           type="primary", width="stretch"):
            go("self_check", inspection=inspection_id)


def _finished(user, visit: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{_line(visit)}**")
        document_buttons(documents.of_inspection(context(), user, visit["id"]), key="document", width="stretch")
        if visit["rating"] is not None:
            st.caption(t("rate_done", stars="★" * visit["rating"], comment=plain(visit["rating_comment"]) or "—"))
            return
        stars = st.feedback("stars", key=f"stars-{visit['id']}")
        comment = st.text_input(t("rate_comment"), key=f"comment-{visit['id']}", max_chars=500)
        if st.button(t("rate_submit"), key=f"rate-{visit['id']}"):
            if stars is None:
                st.error(t("rate_choose"))
                return
            try:
                portal.rate(context(), user, visit["id"], stars + 1, comment)
            except portal.PortalError as error:
                st.error(refusal(error))
                return
            st.toast(t("rate_thanks"))
            st.rerun()
