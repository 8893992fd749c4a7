"""A hazard's audit trail: every event, who, when, from and to, the note."""
from __future__ import annotations

import streamlit as st

from inspections.ui.i18n import t
from inspections.ui.labels import hazard_status
from inspections.ui.widgets.tables import table


def show_trail(events) -> None:
    st.markdown(f"**{t('trail_title')}**")
    table([{
        "time": e.occurred_at.strftime("%Y-%m-%d %H:%M"), "action": t(f"action_{e.action}"),
        "by": e.actor, "from → to": f"{hazard_status(e.from_status) if e.from_status else '—'} → "
                                    f"{hazard_status(e.to_status) if e.to_status else '—'}",
        "note": e.note} for e in events])
