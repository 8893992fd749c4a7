"""Our hazards (enterprise, mostly on a phone): every hazard as a card that says, without expanding, what
it is (the item, what was found, the inspector's photos), its level, deadline, days left or overdue and
status, with the visit's rectification notice to download; filtered by status. Below, folded:
rectification with evidence (its confirmation shown in the card), a major hazard's plan (五落实, due
within the rules' days of the notice), the inspector's reason after a failed re-check, deadline extension requests for major hazards with their outcome, and the trail."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from inspections.domain.hazards import Level, Source, Status, may_request_extension, may_submit
from inspections.services.enterprise import portal_documents, rectification
from inspections.services.inspector import rechecks
from inspections.services.shared import photos
from inspections.services.shared.photos import PhotoRefused, compress
from inspections.services.enterprise.portal import PortalError
from inspections.domain.refusals import ChangedMeanwhile
from inspections.ui.i18n import lang, t
from inspections.ui.labels import hazard_status, level, plain, refusal, refused_files
from inspections.ui.runtime import context, today
from inspections.ui.session import current_user
from inspections.ui.widgets import rectification_plan
from inspections.ui.widgets.notice_download import notice_download
from inspections.ui.widgets.original_finding import photo_row
from inspections.ui.widgets.trail import show_trail

FILTERS = (None, "open", "rectifying", "submitted", "closed", "overdue")
DONE_KEY = "hazard_done"          # (hazard id, message) an action left for the card it was taken in
THUMBNAIL = 96


def render() -> None:
    user = current_user()
    st.title(t("hazards_title"))
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.toast(done[1], icon=":material/check_circle:")   # seen wherever the phone is scrolled to
    chosen = st.segmented_control(t("hazards_filter"), FILTERS, key="hazard_filter", format_func=_filter_label)
    entries = rectification.my_hazards(context(), user, chosen)
    if not entries:
        st.caption(t("hazards_none"))
    for entry in entries:
        hazard = entry["hazard"]
        with st.container(border=True, key=f"hazard-{hazard.id}"):
            _card(user, entry, done[1] if done and done[0] == hazard.id else None)


def _filter_label(value) -> str:
    if value is None:
        return t("filter_all_hazards")
    return t("filter_overdue") if value == "overdue" else hazard_status(value)


def _days(entry: dict) -> str:
    """Days left, due today, or overdue (in red): nothing for a closed hazard."""
    if entry["hazard"].status == Status.CLOSED:
        return ""
    n = entry["days_left"]
    if n < 0:
        return f":red[**{t('days_overdue', n=-n)}**]"
    return t("days_due_today") if n == 0 else t("days_left", n=n)


def _card(user, entry: dict, done: str | None) -> None:
    """What the hazard is, at a glance; then the folded actions and trail."""
    hazard, finding = entry["hazard"], entry["finding"]
    title = finding.item.title.get(lang()) if finding.item else hazard.description
    st.markdown(f"**{plain(title)}**")
    st.markdown(t("hazard_card_state", level=level(hazard.level), status=hazard_status(hazard.status)))
    if finding.item:
        st.markdown(t("hazard_card_found", note=plain(hazard.description)))
    days = _days(entry)
    st.markdown(t("hazard_card_deadline", deadline=hazard.deadline) + (f" · {days}" if days else ""))
    st.caption(t("hazard_card_id", id=plain(hazard.id), date=hazard.found_on,
                 source=t(f"source_{hazard.source.value}")))
    photo_row(finding.photos, width=THUMBNAIL)
    rejected = rectification.last_rejection(context(), user, hazard.id)
    if rejected and hazard.status == Status.RECTIFYING:
        st.warning(t("hazard_rejected", reason=plain(rejected)))
    if hazard.source == Source.INSPECTION and hazard.inspection_id:
        ctx, inspection_id = context(), hazard.inspection_id
        notice_download(lambda: portal_documents.notice_pdf(ctx, user, inspection_id), inspection_id,
                        issued=portal_documents.notices(ctx, user, inspection_id, hazard.department),
                        key=f"notice-{hazard.id}", width="stretch")
    if done:
        st.success(done)
    if may_submit(hazard):
        with st.expander(t("rectify_title"), expanded=bool(rejected)):
            _rectify_form(user, hazard)
    if hazard.level == Level.MAJOR and hazard.status != Status.CLOSED:
        rectification_plan.plan_section(user, hazard, DONE_KEY)
    for request in entry["extensions"]:
        note = f"（{plain(request['decision_note'])}）" if request["decision_note"] else ""
        st.caption(t("extension_line", date=request["requested_at"].date(), requested=request["requested_deadline"],
                     status=t(f"extension_{request['status']}"), note=note))
    if may_request_extension(hazard, today(), pending=any(r["status"] == "pending" for r in entry["extensions"])):
        with st.expander(t("extension_title")):
            _extension_form(user, hazard)
    with st.expander(t("trail_title")):
        show_trail(rechecks.trail(context(), user, hazard.id))


def _refused_uploads(files) -> list[tuple[str, PhotoRefused]]:
    """(name, why) of every file that would be refused, checked before anything is submitted."""
    refused = []
    for upload in files:
        try:
            compress(upload.getvalue())
        except PhotoRefused as why:
            refused.append((upload.name, why))
    return refused


def _rectify_form(user, hazard) -> None:
    with st.form(f"rectify-{hazard.id}", enter_to_submit=False):
        what = st.text_area(t("rectify_what"), key=f"what-{hazard.id}")
        done_on = st.date_input(t("rectify_date"), value=today(), min_value=hazard.found_on,
                                max_value=today(), key=f"done-{hazard.id}")
        files = st.file_uploader(t("rectify_photos", limit_mb=photos.MAX_MB), accept_multiple_files=True,
                                 max_upload_size=photos.MAX_MB, key=f"evidence-{hazard.id}")
        if not st.form_submit_button(t("rectify_submit"), type="primary", width="stretch"):
            return
    refused = _refused_uploads(files or [])
    if refused:   # the submission waits for its evidence: nothing is stored until every photo is accepted
        st.error(t("rectify_photos_refused", count=len(refused)) + "\n\n" + refused_files(refused))
        return
    try:
        rectification.submit(context(), user, hazard.id, what, done_on, [f.getvalue() for f in files or []])
    except PhotoRefused as refused_photo:
        st.error(refusal(refused_photo, "photo", name=""))
        return
    except (PortalError, ChangedMeanwhile) as error:
        st.error(refusal(error))
        return
    st.session_state[DONE_KEY] = (hazard.id, t("rectify_done"))
    st.rerun()


def _extension_form(user, hazard) -> None:
    with st.form(f"extend-{hazard.id}", enter_to_submit=False):
        new_deadline = st.date_input(t("extension_deadline"), value=hazard.deadline + dt.timedelta(days=30),
                                     min_value=hazard.deadline + dt.timedelta(days=1), key=f"newdl-{hazard.id}")
        reason = st.text_area(t("extension_reason"), key=f"why-{hazard.id}")
        if not st.form_submit_button(t("extension_submit"), width="stretch"):
            return
    try:
        rectification.request_extension(context(), user, hazard.id, new_deadline, reason)
    except PortalError as error:
        st.error(refusal(error))
        return
    st.session_state[DONE_KEY] = (hazard.id, t("extension_sent"))
    st.rerun()
