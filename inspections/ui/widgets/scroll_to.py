"""Bring an element into view once when a page is loaded (a reload mid-visit lands on the first open item)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

_scroll = st.components.v2.component(
    "inspect_once.scroll_to", js=(Path(__file__).parent.parent / "assets" / "scroll_to.js").read_text())


def scroll_once(container_key: str, occasion: str) -> None:
    """Scroll to the container made with `key=container_key`, once per page load and occasion."""
    _scroll(data={"target": f"st-key-{container_key}", "occasion": occasion}, key="scroll_once", height=0)
