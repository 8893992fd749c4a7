"""The app's shared context: opened once per process and database file (`st.cache_resource`), with the
demo data seeded on the first start on an empty database."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import config
from ..services import demo
from ..services.context import Context


@st.cache_resource(show_spinner="正在准备数据库 / Preparing the database…")
def _open(db_path: str) -> Context:
    ctx = Context.open(db_path)
    if not demo.is_seeded(ctx):
        demo.seed(ctx)
    return ctx


def context() -> Context:
    return _open(str(config.db_path()))


def today() -> dt.date:
    """The district's date, from the context's clock (what every page means by "today")."""
    return context().clock.today()
