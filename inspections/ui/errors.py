"""What a visitor sees when a page fails unexpectedly: one clear sentence with a reference, never a
traceback (`client.showErrorDetails = "none"` in the served config). The traceback goes to the server's
log under the same reference, for whoever looks into it. Where the config shows details (development,
the tests' AppTest runs), the error propagates as Streamlit shows it, so a failing page fails its test."""
from __future__ import annotations

import logging
import secrets
from typing import Callable

import streamlit as st

from inspections.ui.i18n import t

log = logging.getLogger("inspections.ui")


def details_hidden() -> bool:
    return st.get_option("client.showErrorDetails") in ("none", False, "false")


def shielded(run: Callable[[], None], where: str) -> None:
    """Run a page; an unexpected error becomes a message with a reference (the log has the rest)."""
    try:
        run()
    except Exception:            # Streamlit's stop and rerun are BaseExceptions: they pass through
        if not details_hidden():
            raise
        reference = secrets.token_hex(4)
        log.exception("page %s failed (reference %s)", where, reference)
        st.error(t("error_unexpected", reference=reference))
