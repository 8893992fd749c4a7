"""Our hazards (enterprise): every hazard with level, deadline, days left or overdue, status and trail,
filtered by status; rectification with evidence; the inspector's reason after a failed re-check; and
deadline extension requests for major hazards, with their outcome."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from inspections.domain.hazards import Status, may_request_extension, may_submit
from inspections.services.enterprise import rectification
from inspections.services.inspector import rechecks
from inspections.services.shared import photos
from inspections.services.shared.photos import PhotoRefused
from inspections.services.enterprise.portal import PortalError
from inspections.domain.refusals import ChangedMeanwhile
from inspections.ui.i18n import t
from inspections.ui.labels import hazard_status, level, plain, refusal
from inspections.ui.runtime import context, today
from inspections.ui.session import current_user, show_flash
from inspections.ui.widgets.trail import show_trail

FILTERS = (None, "open", "rectifying", "submitted", "closed", "overdue")


def render() -> None:
    user = current_user()
    st.title(t("hazards_title"))
    show_flash("hazard_message")
    chosen = st.segmented_control(t("hazards_filter"), FILTERS, key="hazard_filter", format_func=_filter_label)
    entries = rectification.my_hazards(context(), user, chosen)
    if not entries:
        st.caption(t("hazards_none"))
    for entry in entries:
        hazard = entry["hazard"]
        with st.expander(t("hazard_header", id=plain(hazard.id), level=level(hazard.level), deadline=hazard.deadline,
                           days=_days(entry), status=hazard_status(hazard.status))):
            _hazard(user, entry)


def _filter_label(value) -> str:
    if value is None:
        return t("filter_all_hazards")
    return t("filter_overdue") if value == "overdue" else hazard_status(value)


def _days(entry: dict) -> str:
    if entry["hazard"].status == Status.CLOSED:
        return hazard_status(Status.CLOSED)
    n = entry["days_left"]
    return t("days_due_today") if n == 0 else t("days_left", n=n) if n > 0 else t("days_overdue", n=-n)


def _hazard(user, entry: dict) -> None:
    hazard = entry["hazard"]
    st.text(hazard.description)
    st.caption(t("hazard_found", date=hazard.found_on, source=t(f"source_{hazard.source.value}")))
    rejected = rectification.last_rejection(context(), user, hazard.id)
    if rejected:
        st.warning(t("hazard_rejected", reason=plain(rejected)))
    if may_submit(hazard):
        _rectify_form(user, hazard)
    for request in entry["extensions"]:
        note = f"（{plain(request['decision_note'])}）" if request["decision_note"] else ""
        st.caption(t("extension_line", date=request["requested_at"].date(), requested=request["requested_deadline"],
                     status=t(f"extension_{request['status']}"), note=note))
    if may_request_extension(hazard, today(), pending=any(r["status"] == "pending" for r in entry["extensions"])):
        _extension_form(user, hazard)
    show_trail(rechecks.trail(context(), user, hazard.id))


def _rectify_form(user, hazard) -> None:
    with st.form(f"rectify-{hazard.id}", enter_to_submit=False):
        st.markdown(f"**{t('rectify_title')}**")
        what = st.text_area(t("rectify_what"), key=f"what-{hazard.id}")
        done_on = st.date_input(t("rectify_date"), value=today(), min_value=hazard.found_on,
                                max_value=today(), key=f"done-{hazard.id}")
        files = st.file_uploader(t("rectify_photos", limit_mb=photos.MAX_MB), accept_multiple_files=True,
                                 max_upload_size=photos.MAX_MB, key=f"evidence-{hazard.id}")
        if not st.form_submit_button(t("rectify_submit"), type="primary"):
            return
    from inspections.services.shared.photos import compress
    for upload in files or []:  # name the file that is refused, before anything is submitted
        try:
            compress(upload.getvalue())
        except PhotoRefused as refused:
            st.error(refusal(refused, "photo", name=upload.name))
            return
    try:
        rectification.submit(context(), user, hazard.id, what, done_on, [f.getvalue() for f in files or []])
    except PhotoRefused as refused:
        st.error(refusal(refused, "photo", name=""))
        return
    except (PortalError, ChangedMeanwhile) as error:
        st.error(refusal(error))
        return
    st.session_state["hazard_message"] = t("rectify_done")
    st.rerun()


def _extension_form(user, hazard) -> None:
    with st.form(f"extend-{hazard.id}", enter_to_submit=False):
        st.markdown(f"**{t('extension_title')}**")
        new_deadline = st.date_input(t("extension_deadline"), value=hazard.deadline + dt.timedelta(days=30),
                                     min_value=hazard.deadline + dt.timedelta(days=1), key=f"newdl-{hazard.id}")
        reason = st.text_area(t("extension_reason"), key=f"why-{hazard.id}")
        if not st.form_submit_button(t("extension_submit")):
            return
    try:
        rectification.request_extension(context(), user, hazard.id, new_deadline, reason)
    except PortalError as error:
        st.error(refusal(error))
        return
    st.session_state["hazard_message"] = t("extension_sent")
    st.rerun()
