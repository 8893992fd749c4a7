"""My inspections: today's and upcoming joint visits with me on the team, and the finished ones with
their findings."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from inspections.domain.visits import COMING, VisitStatus
from inspections.services.inspector import inspecting
from inspections.ui.i18n import t
from inspections.ui.labels import departments, inspection_status, plain
from inspections.ui.routes import go
from inspections.ui import runtime
from inspections.ui.runtime import context
from inspections.ui.session import current_user


def render() -> None:
    user = current_user()
    st.title(t("my_title"))
    rows = inspecting.my_inspections(context(), user)
    today = runtime.today()
    upcoming = sorted([r for r in rows if r["status"] in COMING and r["scheduled_on"] >= today
                       or r["status"] == VisitStatus.IN_PROGRESS], key=lambda r: (r["scheduled_on"], r["id"]))
    finished = [r for r in rows if r["status"] == VisitStatus.COMPLETED]
    st.subheader(t("my_today"))
    if not upcoming:
        st.caption(t("my_none"))
    for row in upcoming:
        _card(row, today)
    st.subheader(t("my_finished"))
    if not finished:
        st.caption(t("my_none"))
    for row in finished[:30]:
        _card(row, today)


def _card(row: dict, today: dt.date) -> None:
    with st.container(border=True):
        badge = f" · **{t('today_badge')}**" if row["scheduled_on"] == today else ""
        st.markdown(f"**{plain(row['enterprise_name'])}**{badge}  \n{plain(row['address'])}")
        st.caption(t("inspection_line", date=row["scheduled_on"].isoformat(), status=inspection_status(row["status"]),
                     departments=departments(row["departments"]), count=row["item_count"]))
        if row["status"] != VisitStatus.SCHEDULED:
            st.caption(t("progress_line", answered=row["answered"], total=row["item_count"], failed=row["failed"]))
        if row["status"] == VisitStatus.SCHEDULED and row["scheduled_on"] == today:
            if st.button(t("open_check_in"), key=f"in-{row['id']}", type="primary"):
                go("check_in", enterprise=row["enterprise_code"])
        elif row["status"] == VisitStatus.IN_PROGRESS:
            if st.button(t("continue_inspection"), key=f"go-{row['id']}", type="primary"):
                go("inspection", inspection=row["id"])
        elif row["status"] == VisitStatus.COMPLETED:
            if st.button(t("view_inspection"), key=f"view-{row['id']}"):
                go("inspection", inspection=row["id"])
