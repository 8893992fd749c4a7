"""A list of checklist items as cards rather than a table: on a phone a table cuts the titles and pushes
the departments off-screen, while a card wraps the title and puts the departments below it (readable at
every width). The enterprise's coming checks and the public verification page use it."""
from __future__ import annotations

import streamlit as st

from inspections.ui.i18n import lang
from inspections.ui.labels import departments, plain


def item_cards(items) -> None:
    """One bordered card per merged-list item: its id and title (wrapping), the departments below."""
    for item in items:
        with st.container(border=True):
            st.markdown(f"**{plain(item.id)}** {plain(item.title.get(lang()))}")
            st.caption(departments(item.departments))
