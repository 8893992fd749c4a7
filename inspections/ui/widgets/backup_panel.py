"""The office's backup section (on the Exports page): back up the running app's data now, and take any
earlier backup away as a .zip. The command line cannot reach a database the app holds open."""
from __future__ import annotations

import streamlit as st

from ...services import backup
from ...store import StoreError
from ..i18n import t
from ..labels import plain
from ..runtime import context
from ..session import current_user


def backup_panel() -> None:
    user, ctx = current_user(), context()
    st.subheader(t("backup_title"))
    st.caption(t("backup_help"))
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
                              f"{b['bytes'] / 1048576:.1f}" for b in found if b["name"] == name)))
    st.download_button(t("backup_download"), data=lambda: backup.backup_zip(ctx, user, chosen),
                       file_name=f"inspect-once-backup-{chosen}.zip", mime="application/zip",
                       on_click="ignore", key="backup_zip")
