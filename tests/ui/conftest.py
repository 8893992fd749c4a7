"""AppTest fixtures: each test gets its own copy of a seeded demo database (through INSPECTIONS_DB) and a
cleared `st.cache_resource`, which AppTest instances in one process would otherwise share."""

import pytest
import streamlit as st
from streamlit.navigation.page import calc_hash
from streamlit.testing.v1 import AppTest

from inspections import config
from tests.conftest import copy_demo

APP = str(config.REPO_ROOT / "inspections" / "ui" / "entry" / "main.py")  # the script a tab runs
PASSWORD = "Demo@2026"


@pytest.fixture
def app_env(demo_world, tmp_path, monkeypatch):
    """A copy of the suite's demo world named by INSPECTIONS_DB, for the app under test."""
    target = copy_demo(demo_world, tmp_path / "app")
    monkeypatch.setenv("INSPECTIONS_DB", str(target))
    st.cache_resource.clear()
    yield target
    st.cache_resource.clear()


def app() -> AppTest:
    # the served config shows visitors no error details (.streamlit/config.toml); the tests read them
    st.config.set_option("client.showErrorDetails", "full")
    st.config.set_option("server.address", "127.0.0.1")   # as the tests' servers: the demo is served locally
    return AppTest.from_file(APP, default_timeout=60)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def signed_in(username: str, query: dict | None = None) -> AppTest:
    at = app()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    run(at)
    at.text_input[0].input(username)
    at.text_input[1].input(PASSWORD)
    at.button[0].click()
    return run(at)


def open_page(at: AppTest, url_path: str, **query) -> AppTest:
    """Open a page by its URL path, as typing the address would (AppTest.switch_page knows only files)."""
    for key, value in query.items():
        at.query_params[key] = value
    at._page_hash = calc_hash(url_path)
    return run(at)
