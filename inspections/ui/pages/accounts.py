"""Accounts (safety office): create inspectors (with a department), enterprise users (with an
enterprise) and office users; reset a password; deactivate or activate; record or renew an inspector's
enforcement ID (行政执法证), one at a time or from a roster file. Hashes never leave the store."""
from __future__ import annotations

import streamlit as st

from inspections.domain.enforcement import standing
from inspections.services.office import registry
from inspections.services.office.accounts import ROLES, AccountError, password_policy
from inspections.services.shared.access import NotFound
from inspections.ui.i18n import t
from inspections.ui.labels import department, plain, refusal
from inspections.ui.runtime import context
from inspections.ui.session import current_user, show_flash
from inspections.ui.widgets.file_import import imported
from inspections.ui.widgets.tables import table


def render() -> None:
    user = current_user()
    st.title(t("acc_title"))
    show_flash("acc_message")
    people = registry.users(context(), user)
    table([{t("username"): p["username"], t("acc_display"): p["display_name"], t("acc_role"): t(f"role_{p['role']}"),
            t("acc_department"): department(p["department"]) if p["department"] else "",
            t("acc_enterprise"): p["enterprise_code"] or "", t("acc_active"): "✓" if p["active"] else "✗",
            **_enforcement_columns(p)}
           for p in people])
    with st.expander(t("acc_create")), st.form("acc_create", enter_to_submit=False):
        role = st.selectbox(t("acc_role"), ROLES, format_func=lambda r: t(f"role_{r}"), placeholder=t("choose_one"))
        username, display = st.text_input(t("username")), st.text_input(t("acc_display"))
        password = st.text_input(t("password"), type="password", help=_rule())
        dept = st.selectbox(t("acc_department"), [None] + context().catalogue.department_ids,
                            format_func=lambda d: "—" if d is None else department(d), placeholder=t("choose_one"))
        enterprise = st.text_input(t("acc_enterprise"))
        if st.form_submit_button(t("acc_create"), type="primary"):
            _do(lambda: registry.create_account(context(), user, username, password, role, display, dept,
                                                enterprise.strip().upper() or None),
                t("acc_created", username=plain(username)))
    with st.expander(t("acc_reset")), st.form("acc_manage", enter_to_submit=False):
        target = st.selectbox(t("acc_pick"), [p["username"] for p in people], placeholder=t("choose_one"))
        new_password = st.text_input(t("acc_new_password"), type="password", help=_rule())
        done = t("acc_done", username=plain(target))
        left, middle, right = st.columns(3)
        if left.form_submit_button(t("acc_reset")):
            _do(lambda: registry.reset_password(context(), user, target, new_password), done)
        if middle.form_submit_button(t("acc_deactivate")):
            _do(lambda: registry.set_active(context(), user, target, False), done)
        if right.form_submit_button(t("acc_activate")):
            _do(lambda: registry.set_active(context(), user, target, True), done)
    _enforcement_form(user, [p["username"] for p in people if p["role"] == "inspector"])
    _roster_import(user)
    _audit_trail(user)


def _enforcement_columns(person: dict) -> dict:
    """An inspector's enforcement ID and what it lets them do today; nothing for other roles."""
    if person["role"] != "inspector":
        return {t("acc_enforcement_number"): "", t("acc_enforcement_valid_until"): "",
                t("acc_enforcement_standing"): ""}
    found = standing(person["enforcement_number"], person["enforcement_valid_until"], context().clock.today())
    valid_until = person["enforcement_valid_until"]
    return {t("acc_enforcement_number"): person["enforcement_number"] or "",
            t("acc_enforcement_valid_until"): valid_until.isoformat() if valid_until else "",
            t("acc_enforcement_standing"): t(f"acc_standing_{found}")}


def _enforcement_form(user, inspectors: list[str]) -> None:
    with st.expander(t("acc_enforcement")), st.form("acc_enforcement", enter_to_submit=False):
        target = st.selectbox(t("acc_enforcement_pick"), inspectors, index=None, placeholder=t("choose_one"),
                              key="acc_enforcement_user")
        number = st.text_input(t("acc_enforcement_number"), key="acc_enforcement_number")
        issuer = st.text_input(t("acc_enforcement_issuer"), key="acc_enforcement_issuer")
        valid_until = st.date_input(t("acc_enforcement_valid_until"), value=None, key="acc_enforcement_valid_until")
        if st.form_submit_button(t("acc_enforcement_save"), type="primary"):
            if target is None:
                st.error(t("choose_one"))
                return
            _do(lambda: registry.record_enforcement_id(context(), user, target, number, issuer, valid_until),
                t("acc_enforcement_done", username=plain(target)))


def _roster_import(user) -> None:
    report = imported(t("acc_roster_import"), "acc_roster_import", lambda path: registry.import_roster(context(), user, path))
    if report is not None:
        st.success(t("acc_roster_done", rows=report.rows, created=report.created, updated=report.updated,
                     unchanged=report.unchanged))


def _rule() -> str:
    policy = password_policy()
    return t("acc_password_rule", length=policy.min_length, classes=policy.min_classes)


def _audit_trail(user) -> None:
    """Who created, reset, deactivated or reactivated whom, and who downloaded backups: newest first."""
    st.subheader(t("acc_audit"))
    trail = registry.audit_trail(context(), user)
    if not trail:
        st.caption(t("acc_audit_none"))
        return
    names = {p["username"]: p["display_name"] for p in registry.users(context(), user)}
    table([{t("acc_audit_time"): e["occurred_at"].strftime("%Y-%m-%d %H:%M"),
            t("acc_audit_actor"): t("audit_actor_cli") if e["actor"] == "cli"
            else f"{names.get(e['actor'], e['actor'])}（{e['actor']}）",
            t("acc_audit_action"): t(f"audit_{e['action']}"),
            t("acc_audit_subject"): e["subject"], t("acc_audit_detail"): e["detail"]}
           for e in trail])


def _do(action, message: str) -> None:
    try:
        action()
    except (AccountError, NotFound) as error:
        st.error(refusal(error))  # its values (a typed username or code) escaped
        return
    st.session_state["acc_message"] = message
    st.rerun()
