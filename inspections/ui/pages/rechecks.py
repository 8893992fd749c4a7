"""Re-inspection (复查) and close-out (销号) for the inspector's department: the enterprise's evidence, then
pass (closes the hazard) or fail with a reason the enterprise sees; the audit trail of each hazard. A
decision that a colleague's beat (the hazard changed meanwhile) is refused with a message, not saved."""
from __future__ import annotations

import streamlit as st

from inspections.domain.hazards import TransitionError
from inspections.services.inspector import rechecks
from inspections.domain.refusals import ChangedMeanwhile
from inspections.ui.i18n import t
from inspections.ui.labels import level, plain, refusal
from inspections.ui.runtime import context
from inspections.ui.session import current_user, show_flash
from inspections.ui.widgets.trail import show_trail


def render() -> None:
    user = current_user()
    st.title(t("rechecks_title"))
    st.write(t("rechecks_intro"))
    show_flash("recheck_message")
    waiting = rechecks.pending(context(), user)
    if not waiting:
        st.caption(t("rechecks_none"))
    for hazard in waiting:
        name = plain(hazard["enterprise_name"])
        with st.expander(f"{plain(hazard['id'])} · {name} · {level(hazard['level'])} · {hazard['deadline']}"):
            _review(user, hazard)


def _review(user, hazard: dict) -> None:
    st.text(hazard["description"])
    events = rechecks.trail(context(), user, hazard["id"])
    submission = next((e for e in reversed(events) if e.action == "submit"), None)
    st.markdown(f"**{t('recheck_evidence')}**：{plain(submission.note) if submission else '—'}")
    photos = rechecks.evidence_photos(context(), user, hazard["id"], events)
    if photos:
        from inspections.services.shared.photos import path_of
        st.image([str(path_of(context(), p)) for p in photos], width=160)
    reason = st.text_input(t("recheck_reason"), key=f"reason-{hazard['id']}")
    left, right = st.columns(2)
    if left.button(t("recheck_pass"), key=f"pass-{hazard['id']}", type="primary", width="stretch"):
        _decide(user, hazard["id"], True, "", "recheck_closed")
    if right.button(t("recheck_fail"), key=f"fail-{hazard['id']}", width="stretch"):
        if not reason.strip():
            st.error(t("recheck_reason_required"))
        else:
            _decide(user, hazard["id"], False, reason, "recheck_returned")
    show_trail(events)


def _decide(user, hazard_id: str, passed: bool, reason: str, message: str) -> None:
    try:
        rechecks.decide(context(), user, hazard_id, passed, reason)
    except (TransitionError, ChangedMeanwhile) as error:
        st.error(refusal(error))
        return
    st.session_state["recheck_message"] = t(message, id=plain(hazard_id))
    st.rerun()
