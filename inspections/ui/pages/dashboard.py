"""The safety office's closure dashboard: the statistics of `stats` (same code, same definitions) by
sector, department, level and month for a period and an as-of date; the overdue list opening each
hazard; open major hazards against "动态清零", supervision, overdue plans and closures to approve; joint inspections and ratings; how visits were
checked in and how many carry a proof of presence."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from inspections.domain.closure import format_rate
from inspections.services.office import oversight
from inspections.services.inspector import presence, rechecks
from inspections.ui.i18n import t
from inspections.ui.labels import department, hazard_status, level, plain, refusal, sector
from inspections.ui.runtime import context, today
from inspections.ui.session import current_user
from inspections.ui.widgets import figures, major_steps
from inspections.ui.widgets.tables import table
from inspections.ui.widgets.trail import show_trail

LABELS = {"sector": sector, "department": department, "level": level, "month": str}


def render() -> None:
    user, ctx = current_user(), context()
    st.title(t("dash_title"))
    left, middle, right = st.columns(3)
    date_from = left.date_input(t("dash_from"), value=None, key="dash_from")
    date_to = middle.date_input(t("dash_to"), value=None, key="dash_to")
    as_of = right.date_input(t("dash_as_of"), value=today(), key="dash_as_of")
    by_sector = oversight.stats(ctx, user, "sector", as_of, date_from, date_to)
    _headline(by_sector.total)
    tabs = st.tabs([t("tab_by_sector"), t("tab_by_department"), t("tab_by_level"), t("tab_by_month"),
                    t("tab_overdue"), t("tab_majors"), t("tab_inspections")])
    for tab, by in zip(tabs[:4], ("sector", "department", "level", "month")):
        with tab:
            report = by_sector if by == "sector" else oversight.stats(ctx, user, by, as_of, date_from, date_to)
            if by == "month":
                figures.monthly(report)
            elif by in ("sector", "department"):
                figures.closure_bars(report, LABELS[by])
            figures.table(report, LABELS[by], ordered=by != "month")
    with tabs[4]:
        _hazard_list(user, *oversight.overdue(ctx, user, as_of), "overdue")
    with tabs[5]:
        _majors(user, as_of)
    with tabs[6]:
        _inspections(user, as_of.year)
        _check_ins(user, date_from or dt.date(as_of.year, 1, 1), date_to or as_of)


def _headline(total) -> None:
    cells = st.columns(5)
    cells[0].metric(t("dash_found"), total.found)
    cells[1].metric(t("dash_closure"), format_rate(total.closure_rate))
    cells[2].metric(t("dash_on_time"), format_rate(total.on_time_rate))
    cells[3].metric(t("dash_overdue"), total.overdue_open)
    cells[4].metric(t("dash_major_open"), total.major_open, help=t("dash_major_goal"))


def _hazard_list(user, rows: list[dict], total: int, key: str) -> None:
    st.caption(t("overdue_pick") + ("" if total <= len(rows) else "；" + t("list_capped", shown=len(rows), total=total)))
    names = {**{s: sector(s) for s in context().catalogue.sector_ids},
             **{v: level(v) for v in ("general", "major")},
             **{f"s:{v}": hazard_status(v) for v in ("open", "rectifying", "submitted", "closed")}}
    picked = table([{
        "ID": r["id"], t("col_enterprise"): r["enterprise_name"], t("col_level"): names[r["level"]],
        t("fig_group"): names[r["sector"]], t("col_deadline"): r["deadline"],
        t("col_days_overdue"): max(r["days_overdue"], 0), t("col_status"): names["s:" + r["status"]],
        t("col_supervised"): "●" if r["supervised"] else ""} for r in rows],
        on_select="rerun", selection_mode="single-row", key=f"list-{key}")
    chosen = picked.selection.rows if picked else []
    if chosen:
        hazard = rows[chosen[0]]
        st.markdown(f"**{plain(hazard['id'])}** · {plain(hazard['enterprise_name'])} · "
                    f"{department(hazard['department'])}")
        st.write(plain(hazard["description"]))
        show_trail(rechecks.trail(context(), user, hazard["id"]))


def _majors(user, as_of: dt.date) -> None:
    majors, total = oversight.open_majors(context(), user, as_of)
    st.metric(t("dash_major_open"), total, help=t("dash_major_goal"))
    _hazard_list(user, majors, total, "majors")
    if majors:
        major_steps.supervision_form(user, majors, today())
    major_steps.supervised_list(user, as_of)
    major_steps.plans_overdue(user, as_of)
    major_steps.acceptances_overdue(user, as_of)
    major_steps.approvals(user)


def _inspections(user, year: int) -> None:
    share = oversight.joint_share(context(), user, year)
    st.metric(t("joint_share", year=year), format_rate(share["share"]), f"{share['joint']} / {share['total']}",
              delta_color="off")
    from inspections.ui.pages.planning import year_counts
    year_counts(year)
    st.markdown(f"**{t('ratings_title')}**")
    table([{t("fig_group"): department(r["department"]), t("col_ratings"): r["ratings"],
            t("col_rating_average"): r["average"], t("col_ratings_low"): r["low"]}
           for r in oversight.ratings(context(), user)])


def _check_ins(user, date_from, date_to) -> None:
    """How visits were checked in over the period, and how many carry a proof of presence (到场码)."""
    st.markdown(f"**{t('dash_checkins')}**（{date_from} – {date_to}）")
    rows = presence.check_in_methods(context(), user, date_from, date_to)
    table([{t("dash_checkin_method"): t(f"checkin_method_{r['method']}"), t("dash_checkin_visits"): r["visits"],
            t("dash_checkin_proven"): r["with_proof"],
            t("dash_checkin_share"): format_rate(r["with_proof"] / r["visits"] if r["visits"] else None)}
           for r in rows])
