"""Walking the merged checklist on site: shared items first, then sector by sector, a progress bar,
one fragment per item (answers saved the moment they are given), and finishing with signatures. The
inspection id lives in the URL, so a reload or a new sign-in comes back to it, at the first open item.
An inspector of the visit's department who is not on its team sees it read only: no answer controls, no
answer queue, no finish panel (the services refuse their writes anyway)."""
from __future__ import annotations

import streamlit as st

from inspections.domain.merge import SHARED_SECTION
from inspections.domain.visits import VisitStatus, found_on
from inspections.services.shared import access, codes
from inspections.services.inspector import inspecting, recheck_visits
from inspections.rendering import qr
from inspections.ui.i18n import t
from inspections.ui.labels import departments, plain, sector
from inspections.ui.routes import go
from inspections.ui.runtime import context
from inspections.ui.session import current_user
from inspections.ui.widgets import finish_panel
from inspections.ui.widgets.item_card import NEW_ANSWER, conflict_met, item_card, remember
from inspections.ui.widgets.answer_queue import answer_queue
from inspections.ui.widgets.colleagues import watch_colleagues
from inspections.ui.widgets.presence_check import presence_check
from inspections.ui.widgets.scroll_to import scroll_once


def render() -> None:
    user, inspection_id = current_user(), st.query_params.get("inspection", "")
    if not inspection_id:
        st.info(t("walk_choose"))
        if st.button(t("nav_my_inspections")):
            go("my_inspections")
        return
    try:
        state = inspecting.walk(context(), user, inspection_id)
    except access.NotFound:
        st.error(t("not_found"))
        return
    inspection = state.inspection
    st.header(plain(state.enterprise.name), anchor=False)      # a long name in one or two modest lines
    st.caption(t("walk_when_and_who", date=inspection["scheduled_on"].isoformat(),
                 departments=departments(inspection["departments"])))
    if inspection.get("recheck_of") and inspection["status"] != VisitStatus.COMPLETED:
        st.info(t("walk_recheck_of", id=inspection["recheck_of"]))
    if not state.on_team and inspection["status"] != VisitStatus.COMPLETED:
        st.info(t("walk_read_only"))
    if inspection["status"] == VisitStatus.SCHEDULED:
        st.warning(t("walk_check_in_first"))
        return
    _inspection_code(inspection)
    presence_check(inspection, state.on_team and inspection["status"] == VisitStatus.IN_PROGRESS)
    if inspection["status"] == VisitStatus.COMPLETED:
        finish_panel.finished(state)
        return
    _progress(state)
    watch_colleagues(inspection["id"], inspecting.answers_fingerprint(context(), user, inspection["id"]))
    if state.on_team:
        met = answer_queue(inspection["id"], {i: a.get("version", 1) for i, a in state.answers.items()},
                           [item.id for item in state.merged.items])
        if met:
            conflict_met(met["item_id"], met["theirs"], met["mine"], t("error_answer_conflict", name=met["name"],
                                                                          time=met["time"]))
    _items(state)
    if state.first_unanswered is None and state.on_team:
        finish_panel.finish_form(state)


def _inspection_code(inspection: dict) -> None:
    with st.expander(t("inspection_code_label")):
        url = codes.code_url(context().base_url, codes.code_of(context(), inspection))
        st.image(_qr(url))
        st.code(url, language=None)


@st.cache_data(max_entries=256, show_spinner=False)
def _qr(url: str) -> bytes:
    return qr.png_bytes(url, box_size=5)


def _progress(state) -> None:
    """The bar as of this run. Between full runs each card's caption counts on (item_card.remember):
    a timed fragment rerun here would preempt a card's own fragment run after its save and leave that
    card without its "saved" line (found by tests/reliability/test_kill9_server.py)."""
    answered, total = state.answered, len(state.merged.items)
    remember(state.inspection["id"], set(state.answers), total)
    st.progress(answered / total if total else 1.0, text=t("walk_progress", answered=answered, total=total))


def _items(state) -> None:
    sections = state.sections()
    names = [name for name, _ in sections]
    first = state.first_unanswered
    if first is not None:
        item = state.merged.items[first]
        st.info(t("walk_next", item=f"{item.id} {item.title.zh}"))
    default = state.merged.items[first].section if first is not None else names[0]
    label = {name: (t("section_shared") if name == SHARED_SECTION else sector(name)) +
             f" {sum(i.id in state.answers for i in items)}/{len(items)}" for name, items in sections}
    section_key = f"section-{state.inspection['id']}"
    occasion = state.inspection["id"]                       # scroll to the first open item once a load
    shown = st.session_state.get(section_key)
    count_key = f"answered-count-{state.inspection['id']}"        # answers delivered by the tablet's queue count too
    more = st.session_state.pop(NEW_ANSWER, False) or state.answered > st.session_state.get(count_key, state.answered)
    st.session_state[count_key] = state.answered
    if more and first is not None and shown and shown != default \
            and all(i.id in state.answers for i in dict(sections)[shown]):
        st.session_state[section_key] = default             # the section is done: on to the next open item
        occasion = f"{state.inspection['id']}:{default}"
    chosen = st.segmented_control(t("walk_section"), names, format_func=label.get, default=default,
                                  key=section_key, width="stretch") or default
    only_open = st.toggle(t("walk_only_open"), key="only_open")      # its own line: never cut off
    editable = state.inspection["status"] == VisitStatus.IN_PROGRESS and state.on_team
    originals = recheck_visits.originals(context(), current_user(), state)    # a re-check's: what each re-checks
    for item in dict(sections)[chosen]:
        if only_open and item.id in state.answers:
            continue
        item_card(state.inspection["id"], item, state.answers.get(item.id), state.self_check.get(item.id), editable,
                  found_on(state.inspection), originals.get(item.id))
    target = state.merged.items[first] if first is not None else None
    if target is not None and target.section == chosen and dict(sections)[chosen][0].id != target.id:
        scroll_once(f"card-{target.id}", occasion)         # the section's first card needs no scroll
