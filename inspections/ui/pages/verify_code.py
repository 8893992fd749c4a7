"""Inspection-code verification (检查码核验), open to everyone: a scanned `?code=` link or a pasted code
shows whether the inspection is genuine, and if so, who comes (each officer's name, department and
enforcement ID number: 亮证执法), when, why (the visit's kind and reason), and every item they will check."""
from __future__ import annotations

import streamlit as st

from inspections.services.shared import codes
from inspections.readers import qr_codes
from inspections.ui.i18n import t
from inspections.ui.labels import department, departments, plain
from inspections.ui.runtime import context
from inspections.ui.widgets.presence_check import presence_line
from inspections.ui.widgets.item_list import item_cards


def render() -> None:
    st.title(t("verify_title"))
    st.write(t("verify_intro"))
    if st.toggle(t("verify_camera"), key="verify_scan"):
        photo = st.camera_input(t("verify_camera"), key="verify_photo")
        if photo is not None:
            scanned, why = qr_codes.decode_inspection_code(photo.getvalue())
            if why:
                st.warning(t(f"check_in_{why}"))
            else:
                st.session_state["verify_token"] = scanned
    token = st.text_input(t("verify_input"), value=st.query_params.get("code", ""), key="verify_token")
    if not token.strip():
        return
    view = codes.public_view(context(), codes.token_from(token))
    if view is None:
        st.error(t("verify_invalid"), icon=":material/gpp_bad:")
        return
    st.success(t("verify_genuine"), icon=":material/verified:")
    inspection, enterprise = view["inspection"], view["enterprise"]
    st.write(t("verify_details", name=plain(enterprise.name), code=enterprise.code,
               date=inspection["scheduled_on"].isoformat(), departments=departments(inspection["departments"]),
               inspectors="、".join(plain(name) for name in view["inspectors"])))
    st.write(t(**codes.why(inspection, escape=plain)))
    _officers(view["officers"])
    st.caption(presence_line(view["presence"]))
    st.markdown(f"**{t('verify_items', count=len(view['merged'].items))}**")
    item_cards(view["merged"].items)


def _officers(officers: list[dict]) -> None:
    """One line per team member, readable on a phone: name, department, then the ID number or why none."""
    st.markdown(f"**{t('verify_officers')}**")
    for officer in officers:
        credential = t("verify_officer_id", number=plain(officer["number"]), issuer=plain(officer["issuer"])) \
            if officer["standing"] == "officer" else t(f"verify_officer_{officer['standing']}",
                                                       number=plain(officer["number"]))
        st.markdown(t("verify_officer", name=plain(officer["name"]),
                      department=department(officer["department"]) if officer["department"] else "",
                      credential=credential))
