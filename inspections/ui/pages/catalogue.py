"""The catalogue page: areas and tasks, every item with filters by sector and department, and a preview
of the merged list for a scenario (what one joint visit will check)."""
from __future__ import annotations

import streamlit as st

from inspections.services.data import catalogue as catalogue_service
from inspections.ui.i18n import lang, t, title
from inspections.ui.runtime import context
from inspections.ui.widgets.tables import table


def render() -> None:
    catalogue = context().catalogue
    st.title(t("catalogue_title"))
    st.write(t("catalogue_intro", areas=len(catalogue.areas), tasks=len(catalogue.tasks),
               items=len(catalogue.items), shared=sum(i.shared for i in catalogue.items),
               sectors=len(catalogue.sectors)))
    st.caption(t("catalogue_representative", version=catalogue.version))
    tasks_tab, items_tab, merge_tab = st.tabs([t("tab_tasks"), t("tab_items"), t("tab_merge")])
    with tasks_tab:
        _tasks(catalogue)
    with items_tab:
        _items(catalogue)
    with merge_tab:
        _merge(catalogue)


def _names(catalogue, kind: str) -> dict[str, str]:
    objects = catalogue.sectors if kind == "sector" else catalogue.departments
    return {o.id: title(o) for o in objects}


def _tasks(catalogue) -> None:
    served: dict[str, int] = {}
    for item in catalogue.items:
        served[item.task] = served.get(item.task, 0) + 1
    for area in catalogue.areas:
        with st.expander(f"{area.id} · {title(area)} ({len(area.tasks)})"):
            table([{t("col_id"): task.id, t("col_task"): title(task),
                    t("col_items"): served.get(task.id, 0)} for task in area.tasks])


def _items(catalogue) -> None:
    sectors, departments = _names(catalogue, "sector"), _names(catalogue, "department")
    left, middle, right = st.columns(3)
    chosen_sectors = left.multiselect(t("filter_sectors"), list(sectors), format_func=sectors.get,
                                      placeholder=t("filter_all"), select_all=False)
    chosen_departments = middle.multiselect(t("filter_departments"), list(departments),
                                            format_func=departments.get, placeholder=t("filter_all"), select_all=False)
    search = right.text_input(t("filter_search")).strip().lower()
    shown = [item for item in catalogue.items
             if (not chosen_sectors or item.applies_to(set(chosen_sectors)))
             and (not chosen_departments or set(chosen_departments) & set(item.departments))
             and (not search or search in (item.title.zh + item.title.en + item.basis).lower())]
    st.caption(t("items_shown", shown=len(shown), total=len(catalogue.items)))
    table([{
        t("col_id"): item.id, t("col_item"): title(item), t("col_basis"): item.basis,
        t("col_departments"): "、".join(departments[d] for d in item.departments),
        t("col_sectors"): t("all_sectors") if item.for_every_sector else "、".join(sectors[s] for s in item.sectors),
        t("col_task"): item.task, t("col_shared"): t("answer_yes") if item.shared else t("answer_no"),
        t("col_major_if"): item.major_if.get(lang()) if item.major_if else "",
    } for item in shown])


def _merge(catalogue) -> None:
    sectors, departments = _names(catalogue, "sector"), _names(catalogue, "department")
    scenarios = {s.id: title(s) for s in catalogue.scenarios}
    scenario = st.selectbox(t("merge_scenario"), list(scenarios), format_func=scenarios.get,
                            placeholder=t("choose_one"))
    chosen = st.multiselect(t("merge_departments"), list(departments), format_func=departments.get,
                            placeholder=t("merge_departments_placeholder"), select_all=False)
    merged = catalogue_service.merged_list(catalogue, [], chosen or None, scenario)
    st.info(t("merge_summary", sectors="、".join(sectors[s] for s in merged.sectors),
              departments="、".join(departments[d] for d in merged.departments),
              count=len(merged.items), shared=sum(i.shared for i in merged.items)))
    per_department = merged.count_by_department()
    st.caption(t("merge_per_department") + ": " +
               "；".join(f"{departments[d]} {n}" for d, n in per_department.items()))
    table([{
        t("col_section"): t("section_shared") if i.section == "shared" else sectors[i.section],
        t("col_id"): i.id, t("col_item"): i.title.get(lang()),
        t("col_departments"): "、".join(departments[d] for d in i.departments), t("col_task"): i.task,
    } for i in merged.items])
