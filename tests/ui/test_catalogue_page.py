"""The first page: the catalogue, Chinese first, English on the toggle, filters and merged preview."""
from tests.ui.conftest import app, open_page, signed_in
from tests.ui.conftest import run as _run


def run(at=None):
    """The catalogue page, opened by a signed-in office user (every role reaches it)."""
    if at is None:
        return open_page(signed_in("office"), "catalogue")
    return _run(at)


def test_chinese_by_default(app_env):
    at = run()
    assert at.title[0].value == "检查事项目录"
    assert "53 项任务" in at.markdown[1].value or any("53 项任务" in m.value for m in at.markdown)
    assert [t.label for t in at.tabs] == ["任务分解", "检查事项", "合并清单预览"]


def test_english_toggle(app_env):
    at = run()
    at.toggle(key="lang_toggle").set_value(True)
    run(at)
    assert at.title[0].value == "Checklist catalogue"
    assert [t.label for t in at.tabs] == ["Areas and tasks", "Inspection items", "Merged list preview"]


def test_items_filter_by_sector_and_department(app_env, catalogue):
    at = run()
    items_tab = at.tabs[1]
    items_tab.multiselect[0].set_value(["gas"])
    run(at)
    shown = at.tabs[1].dataframe[0].value
    expected = [i.id for i in catalogue.items if i.applies_to({"gas"})]
    assert list(shown["编号"]) == expected
    at.tabs[1].multiselect[1].set_value(["housing"])
    run(at)
    shown = at.tabs[1].dataframe[0].value
    assert list(shown["编号"]) == [i.id for i in catalogue.items
                                   if i.applies_to({"gas"}) and "housing" in i.departments]
    assert any(f"显示 {len(shown)} / {len(catalogue.items)} 项" in c.value for c in at.caption)


def test_merge_preview_for_a_scenario(app_env, catalogue):
    from inspections.domain.merge import merge
    at = run()
    at.tabs[2].selectbox[0].set_value("pharmacy")
    run(at)
    expected = merge(catalogue, [], scenario="pharmacy")
    table = at.tabs[2].dataframe[0].value
    assert list(table["编号"]) == [i.id for i in expected.items]
    assert "FD-11" in list(table["编号"]) and "FD-01" not in list(table["编号"])
    at.tabs[2].multiselect[0].set_value(["fire_rescue"])
    run(at)
    narrowed = merge(catalogue, [], ["fire_rescue"], scenario="pharmacy")
    assert list(at.tabs[2].dataframe[0].value["编号"]) == [i.id for i in narrowed.items]
    assert any(f"合并后共 {len(narrowed.items)} 项" in i.value for i in at.info)


def test_first_start_on_an_empty_database_seeds_nothing(tmp_path, monkeypatch):
    """Issue 18 #1: the app never seeds (only `init --demo` does): a fresh database stays empty and the
    page says how to make the first office account."""
    import streamlit as st
    from inspections.services.shared.context import Context
    from inspections.store import enterprises, users
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("INSPECTIONS_DB", str(path))
    st.cache_resource.clear()
    at = _run(app())
    assert at.title[0].value == "还没有账户" and "user create --role office" in at.code[0].value
    st.cache_resource.clear()  # releases the app's handle on the file
    import gc
    gc.collect()
    ctx = Context.open(path)
    try:
        assert enterprises.count(ctx.db) == 0 and users.count(ctx.db) == 0
    finally:
        ctx.close()
