"""Message lookup for the pages: Chinese by default, English when the toggle is on."""
from __future__ import annotations

import streamlit as st

from inspections import messages
from inspections.messages import catalogue  # noqa: F401  (the catalogue is loaded without Streamlit: the CLI reads it too)

LANG_KEY = "lang"


def lang() -> str:
    return st.session_state.get(LANG_KEY, "zh")


def t(key: str, **values: object) -> str:
    return messages.text(key, lang(), **values)


def title(obj) -> str:
    """A catalogue object's title in the current language."""
    return obj.title.get(lang())
