"""The safety office's part of a major hazard's steps, on the dashboard's majors tab: putting a hazard
under supervision (挂牌督办: unit, supervisor, deadline) or taking it off, the supervised hazards with
their details, the majors whose 五落实 plan is overdue, and the majors accepted on site that wait for the
office's approval to close (approve, or keep open with a reason: 继续挂账)."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from inspections.services.office import oversight
from inspections.ui.i18n import t
from inspections.ui.labels import department, plain
from inspections.ui.widgets.decision import carry_out, two_choices
from inspections.ui.runtime import context
from inspections.ui.widgets.tables import table


def supervision_form(user, majors: list[dict], today: dt.date) -> None:
    with st.form("supervise", enter_to_submit=False):
        options = {m["id"]: f"{m['id']} · {m['enterprise_name']}" for m in majors}
        picked = st.selectbox(t("supervise_pick"), list(options), format_func=options.get, placeholder=t("choose_one"))
        unit_cell, supervisor_cell, deadline_cell = st.columns(3)
        unit = unit_cell.text_input(t("supervise_unit"))
        supervisor = supervisor_cell.text_input(t("supervise_supervisor"))
        deadline = deadline_cell.date_input(t("supervise_deadline"), value=None, min_value=today, key="supervise_deadline")
        note = st.text_input(t("supervise_note"))
        flag_on, flag_off = two_choices(t("supervise_on"), t("supervise_off"))
    if flag_on or flag_off:
        carry_out(lambda: oversight.set_supervised(context(), user, picked, bool(flag_on), note, supervising_unit=unit,
                                                   supervisor=supervisor, supervision_deadline=deadline),
                  t("supervise_done", id=plain(picked)))


def supervised_list(user, as_of: dt.date) -> None:
    rows, total = oversight.supervised(context(), user, as_of)
    st.markdown(f"**{t('supervised_title')}**（{total}）")
    table([{"ID": r["id"], t("col_enterprise"): r["enterprise_name"], t("supervise_unit"): r["supervising_unit"],
            t("supervise_supervisor"): r["supervisor"], t("supervise_deadline"): r["supervision_deadline"],
            t("col_deadline"): r["deadline"]} for r in rows])


def plans_overdue(user, as_of: dt.date) -> None:
    rows, total = oversight.plans_overdue(context(), user, as_of)
    st.markdown(f"**{t('plans_overdue_title')}**（{total}）")
    table([{"ID": r["id"], t("col_enterprise"): r["enterprise_name"], t("col_found_on"): r["found_on"],
            t("col_deadline"): r["deadline"]} for r in rows])


def acceptances_overdue(user, as_of: dt.date) -> None:
    """Completion reported, acceptance on site past its last day: the department is late, not the enterprise."""
    rows, total = oversight.acceptances_overdue(context(), user, as_of)
    st.markdown(f"**{t('acceptances_overdue_title')}**（{total}）")
    table([{"ID": r["id"], t("col_enterprise"): r["enterprise_name"], t("col_department"): department(r["department"]),
            t("col_reported_on"): r["rectified_on"], t("col_deadline"): r["deadline"]} for r in rows])


def approvals(user) -> None:
    """Accepted majors waiting for the office: approve the closure, or keep it open with the reason."""
    waiting = oversight.awaiting_approval(context(), user)
    st.markdown(f"**{t('approval_title')}**（{len(waiting)}）")
    if not waiting:
        st.caption(t("approval_none"))
        return
    table([{"ID": r["id"], t("col_enterprise"): r["enterprise_name"], t("approval_accepted_on"): r["accepted_on"],
            t("approval_accepted_by"): r["accepted_by"], t("col_deadline"): r["deadline"]} for r in waiting])
    with st.form("approve_closure", enter_to_submit=False):
        options = {r["id"]: f"{r['id']} · {r['enterprise_name']}" for r in waiting}
        picked = st.selectbox(t("approval_pick"), list(options), format_func=options.get, placeholder=t("choose_one"))
        reason = st.text_input(t("approval_reason"))
        approve, keep_open = two_choices(t("approval_approve"), t("approval_keep_open"))
    if approve or keep_open:
        carry_out(lambda: oversight.approve_closure(context(), user, picked, bool(approve), reason),
                  t("approval_done" if approve else "approval_kept_open", id=plain(picked)))
