"""AppTest fixtures: each test gets its own database file (through INSPECTIONS_DB) and a cleared
`st.cache_resource`, which AppTest instances in one process would otherwise share."""
import pytest
import streamlit as st

from inspections import config


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory):
    """One demo database for the page tests (seeding takes a few seconds)."""
    from inspections.services import demo
    from inspections.services.context import Context
    path = tmp_path_factory.mktemp("ui") / "ui.duckdb"
    ctx = Context.open(path)
    demo.seed(ctx)
    ctx.close()
    return path


@pytest.fixture
def app_env(seeded_db, monkeypatch):
    monkeypatch.setenv("INSPECTIONS_DB", str(seeded_db))
    st.cache_resource.clear()
    yield seeded_db
    st.cache_resource.clear()


APP = str(config.REPO_ROOT / "streamlit_app.py")
