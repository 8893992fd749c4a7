"""Sign-in for every role. Five failed attempts lock an account for 15 minutes."""
from __future__ import annotations

import streamlit as st

from inspections.services.shared import auth
from inspections.ui.i18n import t
from inspections.ui.labels import plain
from inspections.ui.runtime import context
from inspections.ui.session import PENDING_ENTERPRISE, sign_in_as


def render() -> None:
    st.title(t("sign_in_title"))
    st.write(t("sign_in_intro"))
    notice = st.session_state.pop("expired_notice", None)
    if notice:
        st.warning(t(notice))
    pending = st.session_state.get(PENDING_ENTERPRISE)
    if pending:
        st.info(t("scanned_enterprise_hint", code=plain(pending)))
    with st.form("sign_in", enter_to_submit=False):
        username = st.text_input(t("username"), autocomplete="username")
        password = st.text_input(t("password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("sign_in_button"), type="primary", width="stretch")
    if not submitted:
        return
    try:
        user = auth.sign_in(context(), username, password)
    except auth.SignInError as error:
        if error.reason == "locked":
            st.error(t("sign_in_locked", until=error.until.strftime("%H:%M")))
        else:
            st.error(t(f"sign_in_{error.reason}"))
        return
    sign_in_as(user)
    st.rerun()
