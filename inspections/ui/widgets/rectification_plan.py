"""A major hazard's rectification plan (五落实) on the enterprise's hazard card: when it is due or when
it was submitted, and, folded, the form with the responsible person, measures, funds, deadline and
interim measures (filled with the current plan, to be revised)."""
from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from inspections.domain.hazards import RectificationPlan
from inspections.domain.refusals import ChangedMeanwhile, Refused
from inspections.services.enterprise import major_plans
from inspections.ui.i18n import t
from inspections.ui.labels import refusal
from inspections.ui.runtime import context, today


def plan_section(user, hazard, done_key: str) -> None:
    """The plan's state and form for an open major hazard; a submission leaves (hazard id, message) in
    st.session_state[done_key] for the card to confirm."""
    current = major_plans.current_plan(context(), user, hazard.id)
    due = major_plans.plan_due_on(hazard)
    if hazard.plan_on:
        st.caption(t("plan_submitted_on", date=hazard.plan_on))
    elif today() > due:
        st.warning(t('plan_overdue', date=due), icon=":material/schedule:")
    else:
        st.caption(t("plan_due_by", date=due))
    with st.expander(t("rectification_plan_title"), expanded=hazard.plan_on is None):
        with st.form(f"plan-{hazard.id}", enter_to_submit=False):
            responsible = st.text_input(t("plan_responsible"), value=current.responsible if current else "",
                                        key=f"plan-who-{hazard.id}")
            measures = st.text_area(t("plan_measures"), value=current.measures if current else "",
                                    key=f"plan-how-{hazard.id}")
            funds = st.text_input(t("plan_funds"), value=current.funds if current else "", key=f"plan-funds-{hazard.id}")
            deadline = st.date_input(t("plan_deadline"), value=current.deadline if current else hazard.deadline,
                                     min_value=hazard.found_on, max_value=hazard.deadline, key=f"plan-by-{hazard.id}")
            interim = st.text_area(t("plan_interim"), value=current.interim_measures if current else "",
                                   key=f"plan-interim-{hazard.id}")
            if not st.form_submit_button(t("plan_submit"), type="primary", width="stretch"):
                return
    try:
        plan = RectificationPlan(responsible=responsible, measures=measures, funds=funds,
                                             deadline=deadline, interim_measures=interim)
    except ValidationError:
        st.error(t("plan_fields_required"))
        return
    try:
        major_plans.submit_plan(context(), user, hazard.id, plan)
    except (Refused, ChangedMeanwhile) as error:
        st.error(refusal(error))
        return
    st.session_state[done_key] = (hazard.id, t("plan_done"))
    st.rerun()
