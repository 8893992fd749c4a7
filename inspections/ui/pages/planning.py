"""Planning joint inspections (综合查一次, safety office): one visit at a time with the yearly cap and its
override, merge proposals for visits within the merge window (each previewed: the date kept, chosen among
the visits' dates, the merged departments and items, the cap after; then confirmed), bulk planning for a
sector or scenario and a month, and the year's counts against the caps: the visits beyond them, with and
without an override reason, and every override reason."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from inspections.domain.planning import MAX_CAP
from inspections.services.office import planning
from inspections.ui.i18n import t, title
from inspections.ui.labels import departments, plain, refusal, sector
from inspections.ui.runtime import context, today
from inspections.ui.session import current_user, show_flash
from inspections.ui.widgets.plan_form import plan_form
from inspections.ui.widgets.tables import table


def render() -> None:
    st.title(t("plan_title"))
    show_flash("plan_message")
    new, merge, bulk, caps = st.tabs([t("tab_plan_new"), t("tab_plan_merge"), t("tab_plan_bulk"), t("tab_plan_caps")])
    with new:
        plan_form()
    with merge:
        _proposals()
    with bulk:
        _bulk()
    with caps:
        _caps_editor()
        year_counts(today().year)


def _error(error) -> None:
    for problem in (getattr(error, "problems", None) or [error]):
        st.error(refusal(problem))


def _proposals() -> None:
    user, ctx = current_user(), context()
    found = planning.proposals(ctx, user, today())
    if not found:
        st.caption(t("plan_no_proposals", days=planning.window_days()))
    opened = st.session_state.get("merge_open")
    for n, proposal in enumerate(found):
        visits = "；".join(f"{v['scheduled_on']} {departments(v['departments'])}" for v in proposal["visits"])
        st.markdown(t("plan_proposal", name=plain(proposal["enterprise_name"]), visits=visits))
        if st.button(t("plan_accept"), key=f"merge-{n}"):
            st.session_state["merge_open"] = opened = proposal["inspection_ids"]
        if opened == proposal["inspection_ids"]:
            _merge_preview(proposal)


def _merge_preview(proposal: dict) -> None:
    """What the merge makes, the date kept chosen among the visits' dates, then confirm or leave it."""
    user, ctx, ids = current_user(), context(), proposal["inspection_ids"]
    dates = list(dict.fromkeys(d.isoformat() for d in proposal["dates"]))  # plain strings: the widget's options
    chosen = st.selectbox(t("plan_merge_date"), dates, key=f"merge_date-{ids[0]}", placeholder=t("choose_one"))
    try:
        seen = planning.merge_preview(ctx, user, ids, dt.date.fromisoformat(chosen))
    except planning.PlanningError as error:
        _error(error)
        return
    after = seen["cap_after"]
    with st.container(border=True):
        st.markdown(t("plan_merge_preview", id=seen["keep_id"], date=seen["keep_date"],
                      departments=departments(seen["departments"]), items=seen["items"],
                      team="、".join(seen["team"])))
        cap_line = t("plan_merge_cap", year=after["year"], used=after["used"], cap=after["cap"], tier=after["tier"])
        (st.warning if after["over"] else st.caption)(cap_line)
        left, right = st.columns(2)
        if left.button(t("plan_merge_confirm"), type="primary", key="merge_confirm"):
            try:
                merged = planning.accept_proposal(ctx, user, ids, dt.date.fromisoformat(chosen))
            except planning.PlanningError as error:
                _error(error)
                return
            st.session_state.pop("merge_open", None)
            st.session_state["plan_message"] = t("plan_merged", id=merged["id"])
            st.rerun()
        if right.button(t("plan_merge_leave"), key="merge_leave"):
            st.session_state.pop("merge_open", None)
            st.rerun()


def _bulk() -> None:
    user, ctx = current_user(), context()
    catalogue = ctx.catalogue
    scenarios = {s.id: title(s) for s in catalogue.scenarios}
    left, middle, right = st.columns(3)
    chosen_sector = left.selectbox(t("reg_sector"), [None] + catalogue.sector_ids, key="bulk_sector",
                                   format_func=lambda s: "—" if s is None else sector(s), placeholder=t("choose_one"))
    chosen_scenario = middle.selectbox(t("reg_scenario"), [None] + list(scenarios), key="bulk_scenario",
                                       format_func=lambda s: "—" if s is None else scenarios[s],
                                       placeholder=t("choose_one"))
    month = right.date_input(t("plan_month"), value=today() + dt.timedelta(days=31), key="bulk_month")
    if st.button(t("plan_propose"), key="bulk_propose"):
        try:
            st.session_state["bulk"] = planning.bulk_proposal(ctx, user, chosen_sector, chosen_scenario,
                                                              month=month.replace(day=1))
        except planning.PlanningError as error:
            _error(error)
    proposal = st.session_state.get("bulk")
    if proposal is None:
        return
    st.markdown(f"**{t('plan_bulk_visits', count=len(proposal.visits))}**")
    table([{t("col_enterprise"): v.enterprise_name, t("reg_tier"): v.tier, t("plan_date"): v.scheduled_on,
            t("col_departments"): departments(v.departments), t("plan_team"): "、".join(v.team)}
           for v in proposal.visits])
    st.markdown(f"**{t('plan_bulk_left_out', count=len(proposal.left_out))}**")
    table([{t("col_enterprise"): o.enterprise_name, t("col_why_left_out"): t(f"left_{o.reason}", **o.values)}
           for o in proposal.left_out])
    if proposal.visits and st.button(t("plan_bulk_create"), type="primary", key="bulk_create"):
        try:
            created = planning.bulk_create(ctx, user, proposal)
        except planning.PlanningError as error:
            _error(error)
            return
        st.session_state.pop("bulk")
        st.session_state["plan_message"] = t("plan_bulk_created", count=len(created))
        st.rerun()


def _caps_editor() -> None:
    """The yearly cap of routine visits per enterprise by risk tier (re-checks and complaints exempt)."""
    user, ctx = current_user(), context()
    current = planning.caps(ctx)
    with st.form("caps", enter_to_submit=False):
        st.markdown(f"**{t('plan_caps_title')}**")
        cells = st.columns(len(current))
        wanted = {tier: cells[n].number_input(tier, min_value=0, max_value=MAX_CAP, value=cap, step=1,
                                              key=f"cap-{tier}")
                  for n, (tier, cap) in enumerate(sorted(current.items()))}
        if st.form_submit_button(t("plan_caps_save")):
            try:
                planning.set_caps(ctx, user, {tier: int(v) for tier, v in wanted.items()})
            except planning.PlanningError as error:
                _error(error)
                return
            st.session_state["plan_message"] = t("plan_caps_saved")
            st.rerun()


def year_counts(year: int) -> None:
    """Inspections per enterprise this year against the caps, and the overrides (also on the dashboard)."""
    user, ctx = current_user(), context()
    rows = planning.inspections_per_enterprise(ctx, year, user=user)
    st.markdown(f"**{t('plan_caps_year', year=year)}**")
    table([{t("plan_enterprise"): r["enterprise_name"], t("reg_tier"): r["tier"], t("col_used"): r["used"],
            t("col_cap"): r["cap"], t("col_overrides"): r["overrides"],
            t("col_beyond_without_reason"): r["beyond_without_reason"]}
           for r in sorted(rows, key=lambda r: (-r["used"] / max(r["cap"], 1), r["enterprise_name"]))],
          key=f"caps-{year}")
    over = planning.over_cap_summary(rows)
    st.metric(t("plan_beyond_caps"), over["beyond"],
              help=t("plan_beyond_caps_help", with_reason=over["with_reason"], without_reason=over["without_reason"]))
    st.caption(t("plan_beyond_caps_split", with_reason=over["with_reason"], without_reason=over["without_reason"],
                 enterprises=over["enterprises"]))
    overrides = planning.overrides_report(ctx, year, user=user)
    st.markdown(f"**{t('plan_overrides')}**（{len(overrides)}）")
    for row in overrides:
        st.markdown(t("plan_override_line", date=row["scheduled_on"], name=plain(row["enterprise_name"]),
                      tier=row["tier"], departments=departments(row["departments"]),
                      reason=plain(row["cap_override_reason"])))
