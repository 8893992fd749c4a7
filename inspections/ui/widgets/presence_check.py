"""到场核验 on the tablet: how the visit was checked in, and, until presence is proven, a box for the
six-digit code the enterprise's phone shows (it changes every ten minutes). A fragment, so that giving
the code does not rerun the checklist. `presence_line` is the record's one sentence, for any page."""
from __future__ import annotations

import streamlit as st

from inspections.services.inspector import presence
from inspections.services.shared.enforcement import EnforcementRefused
from inspections.ui.i18n import t
from inspections.ui.labels import plain, refusal
from inspections.ui.runtime import context
from inspections.ui.session import current_user


def presence_line(record: dict | None) -> str:
    """E.g. "签到方式：扫描张贴的企业码 · 已核验到场（企业到场码，消防·李，10:42）"."""
    if not record or record.get("checkin_method") is None:
        return t("presence_not_checked_in_line")
    method = t(f"checkin_method_{record['checkin_method']}")
    if record.get("presence_proof"):
        proven = t("presence_proven", who=plain(record["presence_confirmed_by_name"]),
                   time=context().clock.local(record["presence_confirmed_at"]).strftime("%H:%M"))
    else:
        proven = t("presence_unproven")
    return t("presence_line", method=method, proof=proven)


PROVEN = "_presence_proven"   # session cache: a proven presence never changes again


@st.fragment
def presence_check(inspection: dict, on_team: bool) -> None:
    """`inspection`: the visit's header as the page loaded it (with `checkin_method` and `presence_proof`).
    An unproven visit is described from it; a proven one reads who confirmed it once per session."""
    inspection_id = inspection["id"]
    record = _record(inspection)
    line = presence_line(record)
    if (record or {}).get("presence_proof") or not on_team:
        st.caption(line)
        return
    with st.expander(line + " · " + t("presence_check_open")):
        st.caption(t("presence_check_help"))
        with st.form(f"presence_{inspection_id}", clear_on_submit=True, enter_to_submit=False):
            typed = st.text_input(t("presence_code_label"), max_chars=7, placeholder="123456")
            if st.form_submit_button(t("presence_confirm"), type="primary"):
                try:
                    presence.confirm(context(), current_user(), inspection_id, typed)
                except (presence.PresenceRefused, EnforcementRefused) as refused:
                    st.error(refusal(refused))
                    return
                st.rerun()                    # once per visit: the whole page shows the proof


def _record(inspection: dict) -> dict | None:
    proven = st.session_state.setdefault(PROVEN, {})
    if inspection["id"] in proven:
        return proven[inspection["id"]]
    if not inspection.get("presence_proof"):
        return {"checkin_method": inspection.get("checkin_method"), "presence_proof": None}
    record = presence.record(context(), inspection["id"])
    if record and record.get("presence_proof"):
        proven[inspection["id"]] = record
    return record
