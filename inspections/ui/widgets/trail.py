"""A hazard's audit trail: every event, when, what, who (the person's name and department or enterprise,
not the login), from and to, the note; the column headers from the catalogue."""
from __future__ import annotations

import streamlit as st

from inspections.ui.i18n import t
from inspections.ui.labels import department, hazard_status
from inspections.ui.widgets.tables import table


def actor_label(event) -> str:
    """Who acted: 'display name（department）' for an inspector, '（enterprise）' for an enterprise user,
    '（安委办）' for the office; the login as stored when the actor is no account (an import)."""
    name = getattr(event, "actor_name", None)
    if not name:
        return event.actor
    where = {"inspector": lambda: department(event.actor_department) if event.actor_department else "",
             "enterprise": lambda: event.actor_enterprise or "",
             "office": lambda: t("role_office")}.get(event.actor_role, lambda: "")()
    return t("trail_actor", name=name, where=where) if where else name


def _change(event) -> str:
    before = hazard_status(event.from_status) if event.from_status else "—"
    after = hazard_status(event.to_status) if event.to_status else "—"
    return f"{before} → {after}"


def show_trail(events) -> None:
    st.markdown(f"**{t('trail_title')}**")
    table([{t("trail_time"): e.occurred_at.strftime("%Y-%m-%d %H:%M"), t("trail_action"): t(f"action_{e.action}"),
            t("trail_by"): actor_label(e), t("trail_change"): _change(e), t("trail_note"): e.note} for e in events])
