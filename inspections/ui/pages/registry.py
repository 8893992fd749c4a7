"""The enterprise registry (safety office): search and filter, add and edit with credit-code validation,
import through the same atomic importer as the CLI (the row-level error table when a file is refused),
and a printable QR sheet for the enterprises shown, with a progress bar."""
from __future__ import annotations

import streamlit as st

from inspections.domain.enterprises import TIERS
from inspections.services.office import registry
from inspections.ui.i18n import t, title
from inspections.ui.labels import plain, refusal, sector
from inspections.ui.runtime import context
from inspections.ui.session import current_user
from inspections.ui.widgets.file_import import imported
from inspections.ui.widgets.tables import table


def render() -> None:
    user, catalogue = current_user(), context().catalogue
    st.title(t("reg_title"))
    text = st.text_input(t("reg_search"), key="reg_text", max_chars=60)
    left, middle, right = st.columns(3)
    chosen_sector = left.selectbox(t("reg_sector"), [None] + catalogue.sector_ids, key="reg_sector",
                                   format_func=lambda s: t("filter_all") if s is None else sector(s),
                                   placeholder=t("choose_one"))
    scenarios = {s.id: title(s) for s in catalogue.scenarios}
    chosen_scenario = middle.selectbox(t("reg_scenario"), [None] + list(scenarios), key="reg_scenario",
                                       format_func=lambda s: t("filter_all") if s is None else scenarios[s],
                                       placeholder=t("choose_one"))
    chosen_tier = right.selectbox(t("reg_tier"), [None, *TIERS], key="reg_tier",
                                  format_func=lambda s: t("filter_all") if s is None else s,
                                  placeholder=t("choose_one"))
    found = registry.search(context(), user, text, chosen_sector, chosen_scenario, chosen_tier)
    st.caption(t("reg_found", count=len(found)))
    table([{t("reg_code"): e.code, t("reg_name"): e.name, t("reg_sector"): "、".join(sector(s) for s in e.sectors),
            t("reg_scenario"): scenarios.get(e.scenario, ""), t("reg_tier"): e.tier, t("reg_address"): e.address,
            t("reg_contact"): e.contact, t("reg_phone"): e.phone} for e in found], key="reg_table")
    _qr_sheet(user, [e.code for e in found])
    _edit_form(user, catalogue, scenarios, {e.code: e for e in found})
    _import(user)


def _qr_sheet(user, codes: list[str]) -> None:
    with st.expander(t("reg_qr_sheet")):
        if st.button(t("reg_qr_make"), key="reg_qr_make", disabled=not codes):
            bar = st.progress(0.0)
            pdf = registry.qr_sheet(context(), user, codes, progress=lambda done, total: bar.progress(done / total))
            st.session_state["reg_qr_pdf"] = (pdf, len(codes))
        if st.session_state.get("reg_qr_pdf"):
            pdf, count = st.session_state["reg_qr_pdf"]
            st.download_button(t("reg_qr_ready", count=count), data=pdf, file_name="企业二维码张贴单.pdf",
                               mime="application/pdf", on_click="ignore", type="primary")


def _edit_form(user, catalogue, scenarios: dict, shown: dict) -> None:
    """Add an enterprise, or edit one of those shown: the form starts from every stored field, so a save
    changes only what was changed."""
    with st.expander(t("reg_edit")):
        chosen = st.selectbox(t("reg_pick"), [None, *shown], key="reg_pick",
                              format_func=lambda c: t("reg_pick_new") if c is None else f"{shown[c].name}（{c}）",
                              placeholder=t("choose_one"))
        current = shown.get(chosen)
        keyed = f"reg-{chosen or 'new'}"          # the fields start afresh for each enterprise picked
        with st.form(keyed, enter_to_submit=False):
            code = st.text_input(t("reg_code"), value=chosen or "", max_chars=20, disabled=current is not None,
                                 key=f"{keyed}-code")
            name = st.text_input(t("reg_name"), value=current.name if current else "", key=f"{keyed}-name")
            sectors = st.multiselect(t("reg_sector"), catalogue.sector_ids, format_func=sector,
                                     default=current.sectors if current else [], key=f"{keyed}-sectors",
                                     placeholder=t("choose_many"), select_all=False)
            options = [None, *scenarios]
            scenario = st.selectbox(t("reg_scenario"), options, key=f"{keyed}-scenario",
                                    index=options.index(current.scenario) if current and current.scenario in options else 0,
                                    format_func=lambda s: "—" if s is None else scenarios[s],
                                    placeholder=t("choose_one"))
            tier = st.selectbox(t("reg_tier"), TIERS, index=TIERS.index(current.tier) if current else 1,
                                key=f"{keyed}-tier", placeholder=t("choose_one"))
            address = st.text_input(t("reg_address"), value=current.address if current else "", key=f"{keyed}-address")
            contact = st.text_input(t("reg_contact"), value=current.contact if current else "", key=f"{keyed}-contact")
            phone = st.text_input(t("reg_phone"), value=current.phone if current else "", key=f"{keyed}-phone")
            submitted = st.form_submit_button(t("reg_update") if current else t("reg_new"), type="primary")
    if submitted:
        try:
            saved = registry.save(context(), user, chosen or code, name, sectors, scenario, address, contact, phone,
                                  tier, new=current is None)
        except registry.RegistryError as error:
            st.error(refusal(error))
            return
        except LookupError:
            st.error(t("not_found"))
            return
        st.success(t("reg_saved", name=plain(saved.name)))


def _import(user) -> None:
    report = imported(t("reg_import"), "reg_import", lambda path: registry.import_file(context(), user, path))
    if report is not None:
        st.success(t("reg_import_done", summary=report.summary("enterprise")))
