"""The form that plans one joint inspection: enterprise, date, kind and reason, departments, lead and
team (a re-check: the earlier visit it re-checks, whose open findings are its list and departments), a
live preview of the merged list per department and the yearly cap, the override reason when
the cap is reached, and the enterprise's other visits within the merge window, which must be confirmed
(or merged instead). Each submit carries a key made from this browser session and what the form says:
the same form sent twice (a double tap) plans one visit, and the page shows that one."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import streamlit as st

from inspections.domain.visits import KINDS, VisitKind
from inspections.services.office import planning, recheck_plans, registry
from inspections.ui.i18n import t
from inspections.ui.labels import department, departments, refusal
from inspections.ui.runtime import context, today
from inspections.ui.session import current_user


def plan_form() -> None:
    user, ctx = current_user(), context()
    enterprises = {e.code: e for e in registry.search(ctx, user)}
    code = st.selectbox(t("plan_enterprise"), list(enterprises), key="plan_enterprise",
                        format_func=lambda c: f"{enterprises[c].name}（{c} · {enterprises[c].tier}）",
                        placeholder=t("choose_one"))
    left, right = st.columns(2)
    day = left.date_input(t("plan_date"), value=today() + dt.timedelta(days=7), min_value=today(),
                          key="plan_date")
    kind = right.selectbox(t("plan_kind"), KINDS, format_func=lambda k: t(f"kind_{k}"), key="plan_kind",
                           placeholder=t("choose_one"))
    reason = st.text_input(t("plan_reason"), key="plan_reason") if kind != VisitKind.ROUTINE else ""
    if kind == VisitKind.RECHECK:          # its list and departments are the earlier visit's open findings
        earlier, chosen = _earlier_visit(code), []
        if earlier is None:
            return
    else:
        earlier = ""
        chosen = st.multiselect(t("plan_departments"), ctx.catalogue.department_ids, format_func=department,
                                key="plan_departments", placeholder=t("choose_many"), select_all=False)
    try:
        preview = planning.preview(ctx, user, code, chosen or None, kind, day, recheck_of=earlier)
    except planning.PlanningError as error:
        st.error(refusal(error))
        return
    merged, cap = preview["merged"], preview["cap"]
    if preview["recheck_reason"] and not reason.strip():
        st.caption(t("plan_recheck_reason_default", reason=preview["recheck_reason"]))
    st.info(t("plan_preview", count=len(merged.items),
              counts="；".join(f"{department(d)} {n}" for d, n in preview["counts"].items())))
    st.caption(t("plan_cap_exempt") if cap.exempt else t("plan_cap", used=cap.used, tier=cap.tier, cap=cap.cap))
    shape = f"{code}-{'-'.join(merged.departments)}"  # a new enterprise or department set starts a fresh choice
    lead = st.selectbox(t("plan_lead"), merged.departments, format_func=department, key=f"plan_lead-{shape}",
                        placeholder=t("choose_one"))
    people = [p for p in planning.inspector_options(ctx, user) if p["department"] in merged.departments]
    names = {p["username"]: f"{p['display_name']}（{department(p['department'])}）" for p in people}
    team = st.multiselect(t("plan_team"), list(names), format_func=names.get, key=f"plan_team-{shape}",
                          default=[next(p["username"] for p in people if p["department"] == d)
                                   for d in merged.departments if any(p["department"] == d for p in people)],
                                   placeholder=t("choose_many"), select_all=False)
    override = ""
    if not cap.allowed:
        st.warning(t("plan_over_cap"))
        override = st.text_input(t("plan_override"), key="plan_override")
    confirmed = _nearby(preview["nearby"], preview["window_days"])
    if st.button(t("plan_create"), type="primary", key="plan_create"):
        key = submission_key(code, day, kind, reason, lead, merged.departments, team, earlier)
        try:
            created = planning.create(ctx, user, code, day, lead, merged.departments, team, kind, reason, override,
                                      submission_key=key, confirm_nearby=confirmed, recheck_of=earlier)
        except planning.PlanningError as error:
            for problem in (error.problems or [error]):
                st.error(refusal(problem))
            return
        st.session_state["plan_message"] = t("plan_created", id=created["id"]) + "（" + departments(created["departments"]) + "）"
        st.rerun()


def _earlier_visit(code: str) -> str | None:
    """The finished visit of the enterprise a re-check re-checks (those with open hazards, newest first),
    or None when there is none (said so)."""
    found = recheck_plans.candidates(context(), current_user(), code) if code else []
    if not found:
        st.info(t("plan_recheck_none"))
        return None
    labels = {v["id"]: t("plan_recheck_option", id=v["id"], date=v["scheduled_on"], count=v["open_hazards"])
              for v in found}
    return st.selectbox(t("plan_recheck_of"), list(labels), format_func=labels.get, key=f"plan_recheck_of-{code}",
                        placeholder=t("choose_one"))


def _nearby(visits: list[dict], days: int) -> bool:
    """The enterprise's other visits within the merge window, and whether the office confirms one more
    anyway (True when there are none)."""
    if not visits:
        return True
    lines = "\n".join(t("plan_nearby_line", id=v["id"], date=v["scheduled_on"], kind=t(f"kind_{v['kind']}"),
                         departments=departments(v["departments"])) for v in visits)
    st.warning(t("plan_nearby", days=days) + "\n\n" + lines)
    # keyed by the visits it confirms: another enterprise, or another visit near the date, asks again
    return st.checkbox(t("plan_nearby_confirm"), key="plan_confirm_nearby-" + "-".join(v["id"] for v in visits))


def submission_key(code: str, day: dt.date, kind: str, reason: str, lead: str, chosen: list[str],
                   team: list[str], recheck_of: str = "") -> str:
    """One key per form as filled in, in this browser session: submitted twice, it plans one visit."""
    session = st.session_state.setdefault("plan_session_key", secrets.token_hex(16))
    form = "|".join([session, code, day.isoformat(), kind, (reason or "").strip(), lead or "",
                     ",".join(sorted(chosen)), ",".join(sorted(team))] + ([recheck_of] if recheck_of else []))
    return hashlib.sha256(form.encode("utf-8")).hexdigest()
