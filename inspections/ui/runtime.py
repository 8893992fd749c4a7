"""The app's shared context: opened once per process and database file (`st.cache_resource`). The app
never seeds: a demo database is made by `python -m inspections init --demo` (scripts/run.sh does it on a
fresh clone), a real one by `init` and `user create --role office`."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from inspections import config
from inspections.services.shared.context import Context


@st.cache_resource(show_spinner="正在准备数据库 / Preparing the database…")
def _open(db_path: str) -> Context:
    return Context.open(db_path)


def context() -> Context:
    return _open(str(config.db_path()))


def today() -> dt.date:
    """The district's date, from the context's clock (what every page means by "today")."""
    return context().clock.today()
