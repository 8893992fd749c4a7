"""Who is signed in for this browser session, idle expiry, and values carried across a sign-in
(the enterprise code of a scanned QR link). Nothing entered depends on the session: answers are saved
by the services the moment they are given."""
from __future__ import annotations

import streamlit as st

from ..services import auth
from ..services.auth import User
from .runtime import context

USER_KEY, SEEN_KEY, PENDING_ENTERPRISE = "user", "last_seen", "pending_enterprise"


def current_user() -> User | None:
    """The signed-in user, or None; a session idle for 8 hours is signed out here."""
    user = st.session_state.get(USER_KEY)
    if user is None:
        return None
    now = context().clock.instant()
    if auth.expired(st.session_state.get(SEEN_KEY), now):
        sign_out()
        st.session_state["expired_notice"] = True
        return None
    st.session_state[SEEN_KEY] = now
    return user


def sign_in_as(user: User) -> None:
    st.session_state[USER_KEY] = user
    st.session_state[SEEN_KEY] = context().clock.instant()


def sign_out() -> None:
    for key in (USER_KEY, SEEN_KEY):
        st.session_state.pop(key, None)


def remember_scanned_enterprise() -> None:
    """Keep `?enterprise=CODE` (from the tablet camera app scanning a posted QR) until after sign-in."""
    code = st.query_params.get("enterprise")
    if code:
        st.session_state[PENDING_ENTERPRISE] = code


def take_scanned_enterprise() -> str | None:
    return st.session_state.pop(PENDING_ENTERPRISE, None)


def show_flash(key: str) -> None:
    """The success message an action left in st.session_state[key] before its st.rerun(), shown once."""
    message = st.session_state.pop(key, None)
    if message:
        st.success(message)
