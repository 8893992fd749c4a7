"""Colleagues' answers on a joint visit appear on each tablet within about 5 s: the browser polls a small
route (no timed Streamlit rerun, which would cut a card's own run short) and asks for one rerun when a
colleague's answer changed."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from inspections.ui.http_routes import colleagues_path

POLL_EVERY_MS = 4000

_poll = st.components.v2.component(
    "inspect_once.colleagues", js=(Path(__file__).parent.parent / "assets" / "colleagues.js").read_text())


def watch_colleagues(inspection_id: str, fingerprint: int) -> None:
    """Rerun the page when the colleagues' answers differ from `fingerprint` (what this run shows)."""
    _poll(data={"url": colleagues_path(inspection_id), "seen": fingerprint, "every_ms": POLL_EVERY_MS},
          key="colleagues", on_changed_change=lambda: None, height=0)
