"""Inspect Once (综合查一次): the script every browser tab runs (streamlit_app.py serves it). Page set-up, the
language toggle, the sign-in gate (a session found by the tab or by its cookie), and navigation built from
the signed-in role: a page outside the role's list cannot be reached. Before any of it, the deployment
check: a demo database is refused on an address other machines reach (unless INSPECTIONS_DEMO=1) and
marked 演示数据 on every page; a database without accounts says how to make the first one."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from inspections.services.shared import deployment
from inspections.services.shared.context import CatalogueInvalid, StoreError
from inspections.ui import i18n, navigation, routes, session
from inspections.ui.errors import shielded
from inspections.ui.i18n import t
from inspections.ui.labels import plain
from inspections.ui.runtime import context

SIGNED_OUT = "_just_signed_out"
TOUCH_CSS = Path(__file__).resolve().parent.parent / "assets" / "touch.css"   # 44 px tap targets, titles that fit

st.set_page_config(page_title="综合查一次 · Inspect Once", page_icon=":material/shield:", layout="wide")
st.html(TOUCH_CSS)
session.remember_scanned_enterprise()

with st.sidebar:
    english = st.toggle("English", key="lang_toggle")
    st.session_state[i18n.LANG_KEY] = "en" if english else "zh"
    st.markdown(f"**{t('app_title')}**")
    st.caption(t("app_subtitle"))

try:
    context()
except CatalogueInvalid as invalid:
    st.error(t("error_catalogue"))
    st.code("\n".join(invalid.problems))
    st.stop()
except StoreError as error:
    st.error(t("error_database", error=error))
    st.stop()

SERVING = "_deployment_serving"   # decided once per browser session once accounts exist: it cannot change then
serving = st.session_state.get(SERVING) or deployment.serving(context(), st.get_option("server.address"))
if not serving.without_accounts:
    st.session_state[SERVING] = serving
if serving.refused:
    st.error(t("demo_refused"))
    st.stop()
if serving.without_accounts:
    st.title(t("setup_title"))
    st.write(t("setup_first_account"))
    st.code(deployment.FIRST_ACCOUNT_COMMAND, language="bash")
    st.stop()
if serving.demo:
    st.html(f'<div role="status" style="background:#fff3cd;color:#664d03;border:1px solid #ffda6a;'
            f'border-radius:.5rem;padding:.35rem .75rem;font-weight:600">{plain(t("demo_banner"))}</div>')

user = session.current_user()
if user is not None:
    with st.sidebar:
        st.caption(t("signed_in_as", name=plain(user.display_name)))
        if st.button(t("sign_out"), key="sign_out"):
            session.sign_out()
            st.session_state[SIGNED_OUT] = True
            st.rerun()
session.hand_over_cookie()

pages = navigation.pages_for(user)
current = st.navigation(list(pages.values()))
if st.session_state.pop(SIGNED_OUT, False) and current is not pages["sign_in"]:
    routes.go("sign_in")  # the next user starts from the sign-in page, not from the last user's page
if st.query_params.get("code") and current is not pages["verify"]:
    routes.go("verify", code=st.query_params["code"])  # notices printed before links said /?code=…
if user is not None and user.role == "inspector":
    scanned = session.take_scanned_enterprise()
    if scanned and current is not pages["check_in"]:
        routes.go("check_in", enterprise=scanned)
if current is pages[navigation.START]:
    routes.go(navigation.first_page(user), **st.query_params.to_dict())   # "/" shows the role's first page
shielded(current.run, current.title)
