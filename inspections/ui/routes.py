"""Moving between the visitor's pages with ids in the URL (so a reload comes back to the same place)."""
from __future__ import annotations

import streamlit as st

PAGES_KEY = "_pages"


def go(name: str, **query_params: str) -> None:
    st.switch_page(st.session_state[PAGES_KEY][name], query_params=query_params or None)


def link(name: str, label: str, **query_params: str) -> None:
    page = st.session_state.get(PAGES_KEY, {}).get(name)
    if page is not None:
        st.page_link(page, label=label, query_params=query_params or None)
