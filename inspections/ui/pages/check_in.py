"""扫码入企: an inspection starts only by checking in at the enterprise, from the posted QR (the tablet's
camera app opens `/?enterprise=CODE`), from a photo decoded here, or from the typed credit code. What
refuses a check-in is said above the camera (a tablet held landscape, 1024x768, shows it without
scrolling); a visit of today that is finished already is said to be, with the way to open it."""
from __future__ import annotations

import streamlit as st

from inspections.services.inspector import inspecting
from inspections.services.shared.access import Forbidden
from inspections.readers import qr_codes
from inspections.ui.i18n import t
from inspections.ui.labels import refusal
from inspections.ui.routes import go, link
from inspections.ui.runtime import context
from inspections.ui.session import current_user


def render() -> None:
    user = current_user()
    st.title(t("check_in_title"))
    st.write(t("check_in_intro"))
    notice = st.container(key="check_in_notice")      # above the camera: what the tap below led to
    linked = st.query_params.get("enterprise")
    if linked:
        _check_in(notice, user, linked, "qr_link")
        return
    photo = st.camera_input(t("check_in_camera"), key="check_in_photo")
    if photo is not None:
        code = _decode(notice, photo.getvalue())
        if code:
            _check_in(notice, user, code, "camera")
            return
    with st.form("typed_code", enter_to_submit=False):
        typed = st.text_input(t("check_in_typed"), max_chars=20)
        if st.form_submit_button(t("check_in_button"), type="primary") and typed.strip():
            _check_in(notice, user, typed, "typed")


def _decode(notice, image_bytes: bytes) -> str | None:
    """The enterprise code in a photo of its posted QR, or None (with a message)."""
    code, why = qr_codes.decode_enterprise_code(image_bytes)
    if why:
        notice.warning(t(f"check_in_{why}"))
    return code


def _check_in(notice, user, code: str, method: str) -> None:
    try:
        inspection_id = inspecting.check_in(context(), user, code, method)
    except (inspecting.InspectionError, Forbidden) as error:   # Forbidden: a helper, an expired enforcement ID
        with notice:
            if error.reason == "finished_today":
                st.info(refusal(error), icon=":material/task_alt:")
                link("inspection", t("check_in_open_finished"), inspection=error.values["inspection_id"])
            else:
                st.error(refusal(error))
        return
    go("inspection", inspection=inspection_id)
