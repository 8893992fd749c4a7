"""Our QR code (enterprise): the code to post at the entrance, as PNG and as a printable PDF poster with
the enterprise's name and credit code; and the presence code (到场码) that the representative reads out to
arriving inspectors, which changes every ten minutes (refreshed on the phone every 20 seconds)."""
from __future__ import annotations

import streamlit as st

from inspections.services.enterprise import portal_documents
from inspections.services.inspector import presence
from inspections.rendering import qr
from inspections.ui.i18n import t
from inspections.ui.labels import plain
from inspections.ui.runtime import context
from inspections.ui.session import current_user


def render() -> None:
    user = current_user()
    mine = portal_documents.our_qr(context(), user)
    st.title(t("our_qr_title"))
    _presence_code(user)
    st.caption(t("our_qr_intro"))
    st.markdown(f"**{plain(mine['name'])}**　{mine['code']}")
    png = qr.png_bytes(mine["url"], box_size=8)
    st.image(png, width=280)
    st.code(mine["url"], language=None)
    ctx = context()
    left, right = st.columns(2)
    left.download_button(t("our_qr_png"), data=png, file_name=f"企业码-{mine['code']}.png", mime="image/png",
                         on_click="ignore", width="stretch")
    right.download_button(t("our_qr_pdf"), data=lambda: portal_documents.poster_pdf(ctx, user),
                          file_name=f"企业码-{mine['code']}.pdf", mime="application/pdf", on_click="ignore",
                          type="primary", width="stretch")


@st.fragment(run_every=20)
def _presence_code(user) -> None:
    shown = presence.code_for_enterprise(context(), user)
    with st.container(border=True):
        st.markdown(f"**{t('presence_code_title')}**")
        st.caption(t("presence_code_intro"))
        st.markdown(f"<div style='font-size:2.6rem;font-weight:700;letter-spacing:.35em;font-variant-numeric:"
                    f"tabular-nums'>{shown.code[:3]} {shown.code[3:]}</div>", unsafe_allow_html=True)
        st.caption(t("presence_code_valid_until", time=shown.valid_until.strftime("%H:%M")))
