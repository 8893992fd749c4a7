"""Fixed on the spot (立查立改) on a failed item's card: the fix recorded (what was done), to take back;
or, behind a switch, the form for what was done and its photo. The finish then closes the item's hazard
the day it was found (services.inspector.spot_fixes)."""
from __future__ import annotations

import streamlit as st

from inspections.domain.refusals import Refused
from inspections.services.inspector import spot_fixes
from inspections.services.shared import photos
from inspections.services.shared.photos import PhotoRefused
from inspections.ui.i18n import t
from inspections.ui.labels import plain, refusal
from inspections.ui.runtime import context
from inspections.ui.session import current_user


def _take_back(inspection_id: str, item_id: str) -> None:
    spot_fixes.remove(context(), current_user(), inspection_id, item_id)


def spot_fix(inspection_id: str, item_id: str, editable: bool) -> None:
    fix = spot_fixes.of_visit(context(), current_user(), inspection_id).get(item_id)
    if fix:
        st.success(t("spot_fix_recorded", what=plain(fix["what_was_done"])), icon=":material/build:")
        if editable:
            st.button(t("spot_fix_take_back"), key=f"spotfix-undo-{item_id}", on_click=_take_back,
                      args=(inspection_id, item_id))
        return
    if not editable or not st.toggle(t("spot_fix_toggle"), key=f"spotfix-on-{item_id}"):
        return
    with st.form(f"spotfix-{item_id}", enter_to_submit=False):
        what = st.text_area(t("spot_fix_what"), key=f"spotfix-what-{item_id}")
        photo = st.file_uploader(t("spot_fix_photo", limit_mb=photos.MAX_MB), max_upload_size=photos.MAX_MB,
                                 key=f"spotfix-photo-{item_id}")
        if not st.form_submit_button(t("spot_fix_submit"), type="primary"):
            return
    try:
        spot_fixes.record(context(), current_user(), inspection_id, item_id, what, photo.getvalue() if photo else b"")
    except PhotoRefused as why:
        st.error(refusal(why, "photo", name=plain(photo.name)))
        return
    except Refused as error:
        st.error(refusal(error))
        return
    st.rerun(scope="fragment")
