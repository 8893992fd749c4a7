"""Who is signed in for this browser tab, and values carried across a sign-in (the enterprise code of a
scanned QR link). The sign-in is a session row (services.shared.sessions): the tab keeps its id, and the browser
keeps a cookie that finds it again after a reload, a link, or a trip to the camera app. Every run checks
the session against the clock and the account as they are now. Nothing entered depends on the tab:
answers are saved by the services the moment they are given."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from inspections.services.shared import sessions
from inspections.services.shared.auth import User
from inspections.ui.http_routes import ADOPT_PATH, SIGN_OUT_PATH
from inspections.ui.runtime import context

SESSION_KEY, PENDING_ENTERPRISE = "session_id", "pending_enterprise"
HAND_OVER = "_cookie_pending"   # what the browser is to do with the cookie: (path, ticket, once)
ENDED_NOTICE = {"idle": "session_expired", "expired": "session_expired", "account_changed": "session_ended"}

_hand_over = st.components.v2.component(
    "inspect_once.cookie_hand_over", js=(Path(__file__).parent / "assets" / "cookie_hand_over.js").read_text())


def current_user() -> User | None:
    """The signed-in user, or None. The tab's session, else the one the browser's cookie names; an ended
    one (signed out elsewhere, idle, too old, the account changed) signs the tab out with a word why."""
    session_id = st.session_state.get(SESSION_KEY)
    cookie = None if session_id else _cookie()
    resumed = sessions.resume(context(), session_id=session_id, cookie=cookie)
    if resumed is None or resumed.user is None:
        st.session_state.pop(SESSION_KEY, None)
        if resumed is not None and resumed.why in ENDED_NOTICE:
            st.session_state["expired_notice"] = ENDED_NOTICE[resumed.why]
            _forget_cookie(resumed.session_id)
        return None
    st.session_state[SESSION_KEY] = resumed.session_id
    return resumed.user


def _cookie() -> str | None:
    """The session cookie the browser sent with this tab's connection (not there under AppTest)."""
    value = st.context.cookies.get(sessions.COOKIE)
    return value if isinstance(value, str) and value else None


def sign_in_as(user: User) -> None:
    """A new session for a user whose password was just checked; the browser gets its cookie next."""
    started = sessions.start(context(), user)
    st.session_state[SESSION_KEY] = started.session_id
    st.session_state[HAND_OVER] = (ADOPT_PATH, started.ticket, started.session_id)


def sign_out(*, keep_place: bool = False) -> None:
    """End the session (its cookie is refused from now on) and forget whatever the visit's links carried
    (a scanned enterprise code must not reach the next user's sign-in). An expired session keeps its
    place: after signing in again, the same address opens the same page."""
    session_id = st.session_state.pop(SESSION_KEY, None)
    if session_id:
        sessions.end(context(), session_id=session_id)
        _forget_cookie(session_id)
    st.session_state.pop(PENDING_ENTERPRISE, None)
    if not keep_place:
        st.query_params.clear()


def _forget_cookie(session_id: str) -> None:
    st.session_state[HAND_OVER] = (SIGN_OUT_PATH, "", f"out-{session_id}")


def hand_over_cookie() -> None:
    """Run on every page: gives the browser its cookie after a sign-in, or has it deleted after a
    sign-out; nothing shows. It is mounted on every run (a run cut short by a page switch may never
    reach the browser) and the browser sends each request once per tab; it reports nothing back, since
    a rerun of its own could cut short the page switch of a scanned link."""
    pending = st.session_state.get(HAND_OVER)
    if pending:
        path, ticket, once = pending
        _hand_over(data={"path": path, "ticket": ticket, "once": once}, key="cookie_hand_over", height=0)


def remember_scanned_enterprise() -> None:
    """Keep `?enterprise=CODE` (from the tablet camera app scanning a posted QR) until after sign-in."""
    code = st.query_params.get("enterprise")
    if code:
        st.session_state[PENDING_ENTERPRISE] = code


def take_scanned_enterprise() -> str | None:
    return st.session_state.pop(PENDING_ENTERPRISE, None)


def show_flash(key: str) -> None:
    """The success message an action left in st.session_state[key] before its rerun, shown once."""
    message = st.session_state.pop(key, None)
    if message:
        st.success(message)
