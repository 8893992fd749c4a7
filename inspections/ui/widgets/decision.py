"""A decision an office or inspector takes in a form: the two buttons (the primary one first) and the
service call that carries it out, whose refusal is shown as its sentence, and whose success is
confirmed by a toast and a rerun (the lists it changes are read again)."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from inspections.domain.refusals import ChangedMeanwhile, Refused
from inspections.ui.labels import refusal


def two_choices(yes: str, no: str) -> tuple[bool, bool]:
    """The form's two submit buttons side by side: (yes pressed, no pressed)."""
    left, right = st.columns(2)
    return left.form_submit_button(yes, type="primary"), right.form_submit_button(no)


def carry_out(call: Callable[[], object], done: str) -> bool:
    """Run `call`; a refusal (or a change meanwhile) is shown and False returned; else the toast `done`
    and a rerun."""
    try:
        call()
    except (Refused, ChangedMeanwhile) as error:
        st.error(refusal(error))
        return False
    st.toast(done)
    st.rerun()
    return True
