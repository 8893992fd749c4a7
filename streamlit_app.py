"""Inspect Once (综合查一次): the app's entry point. Page set-up, the language toggle, and navigation
built from the pages the visitor may reach (role pages come with sign-in)."""
from __future__ import annotations

import streamlit as st

from inspections.services.context import CatalogueInvalid
from inspections.store import StoreError
from inspections.ui import i18n
from inspections.ui.i18n import t
from inspections.ui.pages import catalogue
from inspections.ui.runtime import context

st.set_page_config(page_title="综合查一次 · Inspect Once", page_icon="🛡️", layout="wide")

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

pages = [st.Page(catalogue.render, title=t("nav_catalogue"), icon="📋", url_path="catalogue", default=True)]
st.navigation(pages).run()
