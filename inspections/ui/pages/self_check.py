"""Self-check (自查): the enterprise walks the same merged list before the visit, each item saved as it is
answered, with notes and photos; a failed item can become the enterprise's own hazard (自查自改)."""
from __future__ import annotations

import streamlit as st

from inspections.domain.merge import SHARED_SECTION
from inspections.domain.visits import SELF_CHECK_OPEN, Result
from inspections.services.shared import access
from inspections.services.enterprise import portal
from inspections.services.inspector.answers import AnswerRefused
from inspections.services.shared import photos
from inspections.services.shared.photos import PhotoRefused
from inspections.ui.i18n import lang, t
from inspections.ui.labels import departments, plain, refusal, sector
from inspections.ui.runtime import context
from inspections.ui.session import current_user
from inspections.ui.widgets.item_card import RESULT_VALUES


def render() -> None:
    user, inspection_id = current_user(), st.query_params.get("inspection", "")
    st.title(t("self_title"))
    st.caption(t("self_intro"))
    if not inspection_id:
        st.info(t("self_choose"))
        return
    try:
        visit = portal.check(context(), user, inspection_id)
    except access.NotFound:
        st.error(t("not_found"))
        return
    st.markdown(f"**{visit['scheduled_on']} · {departments(visit['departments'])}**")
    total, answered = len(visit["merged"].items), len(visit["self_check"])
    st.progress(answered / total if total else 1.0, text=t("portal_self_progress", answered=answered, total=total))
    editable = visit["status"] in SELF_CHECK_OPEN
    if not editable:
        st.warning(t("error_self_check_closed"))
    for key, items in visit["merged"].sections():
        st.subheader(t("section_shared") if key == SHARED_SECTION else sector(key))
        for item in items:
            _card(inspection_id, item, visit["self_check"].get(item.id), editable)


def _save(inspection_id: str, item_id: str) -> None:
    result = st.session_state.get(f"sres-{item_id}")
    if result is None:
        return
    try:
        portal.self_check_answer(context(), current_user(), inspection_id, item_id, result,
                                 st.session_state.get(f"snote-{item_id}", ""))
    except portal.PortalError as error:
        st.session_state[f"serr-{item_id}"] = refusal(error)


@st.fragment
def _card(inspection_id: str, item, saved: dict | None, editable: bool) -> None:
    with st.container(border=True, key=f"scard-{item.id}"):
        st.markdown(f"**{item.id}　{item.title.get(lang())}**")
        st.caption(t("item_basis", basis=item.basis))
        st.segmented_control(t("item_result"), RESULT_VALUES, format_func=lambda r: t(f"result_{r}"),
                             default=saved["result"] if saved else None, key=f"sres-{item.id}", width="stretch",
                             disabled=not editable, on_change=_save, args=(inspection_id, item.id),
                             label_visibility="collapsed")
        st.text_input(t("self_note"), value=saved["note"] if saved else "", key=f"snote-{item.id}",
                      disabled=not editable, on_change=_save, args=(inspection_id, item.id))
        if editable and saved:
            generation = st.session_state.get(f"supn-{item.id}", 0)
            upload = st.file_uploader(t("finding_photos", limit_mb=photos.MAX_MB), max_upload_size=photos.MAX_MB,
                                      key=f"sup-{item.id}-{generation}")
            if upload is not None:
                try:
                    portal.self_check_photo(context(), current_user(), inspection_id, item.id, upload.getvalue())
                except PhotoRefused as refused:
                    st.session_state[f"serr-{item.id}"] = refusal(refused, "photo", name=upload.name)
                except AnswerRefused as refused:
                    st.session_state[f"serr-{item.id}"] = refusal(refused)
                st.session_state[f"supn-{item.id}"] = generation + 1  # a fresh uploader: each file is taken once
                st.rerun(scope="fragment")
        if saved and saved["photos"]:
            st.caption(f"📎 × {len(saved['photos'])}")
        if saved and saved["result"] == Result.FAIL and st.button(t("self_own_hazard"), key=f"own-{item.id}"):
            try:
                hazard = portal.own_hazard(context(), current_user(), inspection_id, item.id)
                st.success(t("self_recorded", id=plain(hazard.id)))
            except portal.PortalError as error:
                st.error(refusal(error))
        if st.session_state.get(f"serr-{item.id}"):
            st.error(st.session_state.pop(f"serr-{item.id}"))
