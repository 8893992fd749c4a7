"""Issue 18 #1: a demo database (its accounts' password is in the README) carries a 演示数据 banner on
every page and is refused on an address other machines reach unless INSPECTIONS_DEMO=1; a real install is
never seeded, shows how to make the first office account, and serves that account once it exists."""
from __future__ import annotations

import streamlit as st

from inspections.services.office import accounts
from inspections.services.data import demo
from inspections.services.shared.context import Context
from tests.ui.conftest import app, run

BANNER = "演示数据"


def _html(at) -> str:
    return " ".join(str(getattr(node, "proto", "")) for node in at.main)


def test_a_demo_database_carries_the_banner_on_the_sign_in_page_and_after(app_env):
    at = run(app())
    assert BANNER in _html(at)
    at.text_input[0].input("office")
    at.text_input[1].input("Demo@2026")
    at.button[0].click()
    run(at)
    assert BANNER in _html(at) and not at.error


def test_a_demo_database_is_refused_on_every_address_but_loopback(app_env, monkeypatch):
    monkeypatch.delenv("INSPECTIONS_DEMO", raising=False)
    for address in ("0.0.0.0", "192.168.1.20", ""):
        at = app()
        st.config.set_option("server.address", address)
        run(at)
        assert "演示数据库" in at.error[0].value and not at.text_input, address   # no sign-in form at all
    monkeypatch.setenv("INSPECTIONS_DEMO", "1")                  # the operator says so, knowingly
    at = app()
    st.config.set_option("server.address", "0.0.0.0")
    run(at)
    assert not at.error and len(at.text_input) == 2 and BANNER in _html(at)
    st.config.set_option("server.address", "127.0.0.1")


def test_a_real_install_is_never_seeded_and_says_how_to_make_the_first_account(tmp_path, monkeypatch):
    path = tmp_path / "real" / "inspections.duckdb"
    monkeypatch.setenv("INSPECTIONS_DB", str(path))
    monkeypatch.delenv("INSPECTIONS_DEMO", raising=False)
    st.cache_resource.clear()
    try:
        at = app()
        st.config.set_option("server.address", "0.0.0.0")      # a real server, reached by tablets
        run(at)
        assert "user create --role office" in at.code[0].value and not at.text_input
        ctx = Context.open(path)
        assert not demo.is_seeded(ctx) and not demo.is_demo(ctx)
        accounts.create_user(ctx, "chief", "Anquan-Ban-7", "office", display_name="张主任")
        ctx.db.close()
        st.cache_resource.clear()
        at = run(app())
        st.config.set_option("server.address", "0.0.0.0")
        at.text_input[0].input("chief")
        at.text_input[1].input("Anquan-Ban-7")
        at.button[0].click()
        run(at)
        assert not at.error and BANNER not in _html(at)
        assert "张主任" in " ".join(c.value for c in at.sidebar.caption)
    finally:
        st.config.set_option("server.address", "127.0.0.1")
        st.cache_resource.clear()
