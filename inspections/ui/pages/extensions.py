"""Deadline extensions for major hazards (safety office): approve with a new deadline (at most 90 days
from the finding unless a reason is given) or reject with a reason; both enter the hazard's trail."""
from __future__ import annotations

import streamlit as st

from inspections.services.office import oversight
from inspections.domain.refusals import ChangedMeanwhile
from inspections.ui.i18n import t
from inspections.ui.labels import plain, refusal
from inspections.ui.runtime import context
from inspections.ui.session import current_user, show_flash
from inspections.ui.widgets.decision import two_choices


def render() -> None:
    user = current_user()
    st.title(t("ext_title"))
    show_flash("ext_message")
    waiting = oversight.pending_extensions(context(), user)
    if not waiting:
        st.caption(t("ext_none"))
    for request in waiting:
        with st.container(border=True):
            st.markdown(t("ext_line", id=plain(request["hazard_id"]), enterprise=plain(request["enterprise_name"]),
                          found=request["found_on"], current=request["current_deadline"],
                          requested=request["requested_deadline"]))
            st.caption(plain(request["description"]))
            st.write(t("ext_reason_given", reason=plain(request["reason"])))
            with st.form(f"ext-{request['id']}", enter_to_submit=False):
                deadline = st.date_input(t("ext_new_deadline"), value=request["requested_deadline"],
                                         min_value=request["current_deadline"])
                note = st.text_input(t("ext_note"))
                approve, reject = two_choices(t("ext_approve"), t("ext_reject"))
            if approve or reject:
                try:
                    oversight.decide_extension(context(), user, request["id"], bool(approve), note, deadline)
                except (oversight.OversightError, ChangedMeanwhile) as error:
                    st.error(refusal(error))
                    continue
                st.session_state["ext_message"] = t("ext_decided", id=plain(request["hazard_id"]))
                st.rerun()
