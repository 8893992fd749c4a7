"""Our QR code (enterprise): the code to post at the entrance, as PNG and as a printable PDF poster with
the enterprise's name and credit code."""
from __future__ import annotations

import streamlit as st

from ...services import portal_documents, qr
from ..i18n import t
from ..labels import plain
from ..runtime import context
from ..session import current_user


def render() -> None:
    user = current_user()
    mine = portal_documents.our_qr(context(), user)
    st.title(t("our_qr_title"))
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
