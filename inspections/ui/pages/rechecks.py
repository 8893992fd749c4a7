"""Re-inspection (复查) and close-out (销号) for the inspector's department: the original finding (the item,
what was found, the inspector's photos, level, deadline) beside the enterprise's evidence, then pass
(closes the hazard, after a second explicit tap to confirm) or fail with a reason the enterprise sees; the
audit trail of each hazard. A decision that a colleague's beat (the hazard changed meanwhile) is refused
with a message, not saved. The re-check opinion (整改复查意见书) the decision issued is offered to download."""
from __future__ import annotations

import streamlit as st

from inspections.domain.hazards import TransitionError
from inspections.services.inspector import rechecks
from inspections.services.shared.enforcement import EnforcementRefused
from inspections.services.shared import documents
from inspections.services.shared.photos import path_of
from inspections.domain.refusals import ChangedMeanwhile
from inspections.ui.i18n import t
from inspections.ui.labels import level, plain, refusal
from inspections.ui.runtime import context
from inspections.ui.session import current_user, show_flash
from inspections.ui.widgets.document_downloads import document_buttons
from inspections.ui.widgets.original_finding import finding_and_evidence
from inspections.ui.widgets.trail import show_trail


def render() -> None:
    user = current_user()
    st.title(t("rechecks_title"))
    st.write(t("rechecks_intro"))
    show_flash("recheck_message")
    _issued_opinion(user)
    waiting = rechecks.pending(context(), user)
    if not waiting:
        st.caption(t("rechecks_none"))
    for hazard in waiting:
        name = plain(hazard["enterprise_name"])
        with st.expander(f"{plain(hazard['id'])} · {name} · {level(hazard['level'])} · {hazard['deadline']}"):
            _review(user, hazard)


def _issued_opinion(user) -> None:
    """The re-check opinion of the decision just made (the hazard has left the waiting list), to download."""
    hazard_id = st.session_state.get("recheck_opinion_of")
    if not hazard_id:
        return
    opinions = [d for d in documents.of_hazard(context(), user, hazard_id) if d["kind"] == documents.RECHECK_OPINION]
    if opinions:
        with st.container(border=True, key="recheck-opinion"):
            st.caption(t("recheck_opinion_issued"))
            document_buttons(opinions[-1:], key="opinion", type="primary")


def _review(user, hazard: dict) -> None:
    """The original finding beside what the enterprise says it did (its last submission, its photos), then
    the decision and the trail."""
    hazard_id = hazard["id"]
    events = rechecks.trail(context(), user, hazard_id)
    submission = next((e for e in reversed(events) if e.action == "submit"), None)
    photos = [path_of(context(), p) for p in rechecks.evidence_photos(context(), user, hazard_id, events)]
    finding_and_evidence(hazard["finding"], hazard["description"], hazard["level"], hazard["deadline"],
                         submission.note if submission else "", photos)
    if hazard["acceptance_overdue"]:   # past the rules' days of the report: the department is late
        st.warning(t("recheck_acceptance_overdue", date=hazard["acceptance_due"]))
    elif hazard["acceptance_due"]:     # a major: accepted on site within the rules' days of the report
        st.caption(t("recheck_acceptance_due", date=hazard["acceptance_due"]))
    reason = st.text_input(t("recheck_reason"), key=f"reason-{hazard_id}")
    confirming = f"confirm-{hazard_id}"
    left, right = st.columns(2)
    major = hazard["level"] == "major"     # a major passed is accepted on site, then closed by the office
    left.button(t("recheck_accept" if major else "recheck_pass"), key=f"pass-{hazard_id}", type="primary", width="stretch",
                on_click=_ask_to_confirm, args=(confirming,))
    if right.button(t("recheck_fail"), key=f"fail-{hazard_id}", width="stretch"):
        st.session_state.pop(confirming, None)
        if not reason.strip():
            st.error(t("recheck_reason_required"))
        else:
            _decide(user, hazard_id, False, reason, "recheck_returned")
    if st.session_state.get(confirming):
        _confirm_close(user, hazard_id, confirming, major)
    show_trail(events)


def _ask_to_confirm(confirming: str) -> None:
    st.session_state[confirming] = True


def _confirm_close(user, hazard_id: str, confirming: str, major: bool) -> None:
    """The second tap that closes the hazard (a major: accepts it, for the office to approve the closure);
    cancelling closes nothing."""
    with st.container(border=True, key=f"confirm-box-{hazard_id}"):
        st.warning(t("recheck_confirm_accept" if major else "recheck_confirm", id=plain(hazard_id)))
        yes, no = st.columns(2)
        if no.button(t("recheck_confirm_cancel"), key=f"cancel-pass-{hazard_id}", width="stretch"):
            st.session_state.pop(confirming, None)
            st.rerun()
        if yes.button(t("recheck_confirm_accepted" if major else "recheck_confirm_close"), key=f"confirm-pass-{hazard_id}",
                      type="primary", width="stretch"):
            st.session_state.pop(confirming, None)
            _decide(user, hazard_id, True, "", "recheck_accepted" if major else "recheck_closed")


def _decide(user, hazard_id: str, passed: bool, reason: str, message: str) -> None:
    try:
        rechecks.decide(context(), user, hazard_id, passed, reason)
    except (TransitionError, ChangedMeanwhile, EnforcementRefused) as error:
        st.error(refusal(error))
        return
    st.session_state["recheck_opinion_of"] = hazard_id
    st.session_state["recheck_message"] = t(message, id=plain(hazard_id))
    st.rerun()
