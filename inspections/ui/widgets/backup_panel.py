"""The office's backup section (on the Exports page): back up the running app's data now, and take a
finished backup away as a .zip. The command line cannot reach a database the app holds open.

The .zip holds neither the signing secret nor any password hash, and it is offered only after the office
user has typed their own password again (a wrong one counts as a failed sign-in); the page keeps the
resulting grant for a few minutes, and every download is written to the audit trail."""
from __future__ import annotations

import streamlit as st

from inspections.services.shared import auth
from inspections.services.office import backup
from inspections.services.shared.context import StoreError
from inspections.ui.i18n import t
from inspections.ui.labels import plain
from inspections.ui.runtime import context
from inspections.ui.session import current_user

RESTORE_COMMANDS = ("python -m inspections --db data/inspections.duckdb restore FOLDER --force --new-secret\n"
                    "python -m inspections user reset-password --username USERNAME")

GRANT = "_backup_grant"


def backup_panel() -> None:
    user, ctx = current_user(), context()
    st.subheader(t("backup_title"))
    st.caption(t("backup_help"))
    st.code(RESTORE_COMMANDS, language="bash")
    if st.button(t("backup_now"), key="backup_now", icon=":material/backup:"):
        with st.spinner(t("backup_running")):
            try:
                made = backup.backup_now(ctx, user)
            except StoreError as error:
                st.error(t("backup_failed", why=str(error)))
            else:
                st.success(t("backup_done", folder=plain(made["folder"]), tables=made["tables"]))
    found = backup.backups(ctx, user)
    if not found:
        st.info(t("backup_none"))
        return
    chosen = st.selectbox(t("backup_choose"), [b["name"] for b in found], key="backup_choice",
                          format_func=lambda name: t("backup_entry", name=name, megabytes=next(
                              f"{b['bytes'] / 1048576:.1f}" for b in found if b["name"] == name)),
                              placeholder=t("choose_one"))
    st.caption(t("backup_download_holds"))
    if not backup.grant_valid(ctx, user, st.session_state.get(GRANT)):
        with st.form("backup_unlock", clear_on_submit=True, enter_to_submit=False):
            password = st.text_input(t("backup_password"), type="password", key="backup_password",
                                     autocomplete="current-password")
            submitted = st.form_submit_button(t("backup_unlock"))
        if not submitted:
            return
        try:
            st.session_state[GRANT] = backup.confirm_password(ctx, user, password)
        except auth.SignInError as error:
            if error.reason == "locked":
                st.error(t("sign_in_locked", until=error.until.strftime("%H:%M")))
            elif error.reason == "inactive":
                st.error(t("sign_in_inactive"))
            else:
                st.error(t("backup_password_wrong"))
            return
    grant = st.session_state[GRANT]
    st.download_button(t("backup_download"), data=lambda: backup.backup_zip(ctx, user, chosen, grant),
                       file_name=f"inspect-once-backup-{chosen}.zip", mime="application/zip",
                       on_click="ignore", key="backup_zip")
