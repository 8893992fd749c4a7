"""One checklist item on the tablet, as its own fragment: changing an answer reruns only this card. Every
change is saved by its widget's callback the moment it is made; the card shows when it was saved. The
first answer to an item reruns the whole page, so the progress bar, the next-item banner and, after the
last item, the finish panel are right at once."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from inspections.domain.hazards import Level, latest_deadline
from inspections.domain.merge import MergedItem
from inspections.domain.visits import RESULTS, Result
from inspections.services.shared import access
from inspections.services.inspector import answers, inspecting
from inspections.services.shared import photos
from inspections.services.shared.photos import PhotoRefused
from inspections.ui.i18n import lang, t
from inspections.ui.labels import departments, plain, refusal, refused_files
from inspections.ui.runtime import context
from inspections.ui.session import current_user
from inspections.ui.widgets.original_finding import finding_and_evidence
from inspections.ui.widgets.spot_fix import spot_fix

# Plain strings for the widgets' options: Streamlit inspects Enum options on every run (a measured cost of
# the answer rerun); the values compare equal to the enums all the same.
RESULT_VALUES = tuple(r.value for r in RESULTS)
LEVEL_VALUES = tuple(level.value for level in Level)

PAGE_RERUN = "_item_card_page_rerun"   # set by a save that answered a new item; the card then reruns the page
NEW_ANSWER = "_item_card_new_answer"   # likewise, for the page: it may move on to the next open section


def _key(kind: str, item_id: str) -> str:
    return f"{kind}-{item_id}"


def _save(inspection_id: str, item_id: str, seen_version: int | None = None, **changes) -> None:
    """Save the card's current state, as an answer to the version this screen shows (a colleague's newer,
    different answer is refused and shown); errors are kept for the card to show."""
    result = st.session_state.get(_key("res", item_id))
    if result is None:  # tapping the chosen result again clears the control; the saved answer stays
        st.session_state[_key("res", item_id)] = (st.session_state.get(_key("ans", item_id)) or {}).get("result")
        return
    note = st.session_state.get(_key("note", item_id), "")
    level = st.session_state.get(_key("lvl", item_id))
    deadline = st.session_state.get(_key("dl", item_id)) if changes.get("deadline_changed") else None
    if seen_version is None:
        seen_version = (st.session_state.get(_key("ans", item_id)) or {}).get("version", 0)
    try:
        answer = inspecting.answer_item(context(), current_user(), inspection_id, item_id, result,
                                        note=note, level=level, deadline=deadline, seen_version=seen_version)
    except inspecting.AnswerConflict as conflict:
        conflict_met(item_id, conflict.theirs, result, refusal(conflict))
        return
    except (inspecting.InspectionError, access.Forbidden) as error:
        st.session_state[_key("err", item_id)] = refusal(error)
        return
    st.session_state.pop(_key("conflict", item_id), None)
    st.session_state.pop(_key("err", item_id), None)
    st.session_state[_key("ans", item_id)] = answer
    answered = st.session_state.setdefault(_key("answered", inspection_id), set())
    if item_id not in answered:
        answered.add(item_id)
        st.session_state[PAGE_RERUN] = st.session_state[NEW_ANSWER] = True
    if changes.get("level_changed"):
        st.session_state[_key("dl", item_id)] = answer["deadline"]


def _add_photos(inspection_id: str, item_id: str, uploads) -> None:
    """Store every accepted photo; the message names every refused file with its own reason."""
    refused, error = [], None
    for upload in uploads:
        try:
            inspecting.add_photo(context(), current_user(), inspection_id, item_id, upload.getvalue())
        except PhotoRefused as why:
            refused.append((upload.name, why))
        except (inspecting.InspectionError, answers.AnswerRefused, access.Forbidden) as why:
            error = refusal(why)
            break                                   # the item or the visit refuses them all alike
    if error or refused:
        st.session_state[_key("err", item_id)] = "\n\n".join(filter(None, [error, refused_files(refused)]))
    else:
        st.session_state.pop(_key("err", item_id), None)
    st.session_state[_key("ans", item_id)] = inspecting.answer_for(context(), current_user(), inspection_id, item_id)
    st.session_state[_key("upn", item_id)] = st.session_state.get(_key("upn", item_id), 0) + 1


def _take(item_id: str, answer: dict | None) -> None:
    """Show `answer` (a colleague's, newer than this screen's): the card's controls are set to it (set,
    not forgotten: the browser is told the new values)."""
    st.session_state[_key("ans", item_id)] = answer
    for kind, value in _controls(answer).items():
        st.session_state[_key(kind, item_id)] = value


def _controls(answer: dict | None) -> dict:
    """What each of the card's controls shows for an answer (none: nothing chosen)."""
    answer = answer or {}
    return {"res": answer.get("result"), "note": answer.get("note", ""), "lvl": answer.get("level") or Level.GENERAL.value,
            "dl": answer.get("deadline")}


def _start_controls(item_id: str, answer: dict | None) -> None:
    """The controls start from the stored answer; after that they hold what the inspector chose. (The
    widgets take their values from here, never from a default, so a colleague's answer can be set.)"""
    for kind, value in _controls(answer).items():
        if value is not None or kind == "res":
            st.session_state.setdefault(_key(kind, item_id), value)


def conflict_met(item_id: str, theirs: dict, mine: str, message: str) -> None:
    """A save of `mine` (a result) met a colleague's newer, different answer: the card shows theirs and
    asks whether to keep it or replace it."""
    st.session_state[_key("conflict", item_id)] = (message, theirs, mine)


def _keep_theirs(inspection_id: str, item_id: str) -> None:
    """The colleague's answer stands: the card shows the answer as stored now."""
    st.session_state.pop(_key("conflict", item_id), None)
    _take(item_id, inspecting.answer_for(context(), current_user(), inspection_id, item_id))


def _replace_theirs(inspection_id: str, item_id: str) -> None:
    _, theirs, mine = st.session_state[_key("conflict", item_id)]
    st.session_state[_key("res", item_id)] = mine
    _save(inspection_id, item_id, seen_version=theirs["version"])


def _conflict(inspection_id: str, item_id: str) -> None:
    message, theirs, _ = st.session_state[_key("conflict", item_id)]
    st.warning(message, icon=":material/group:")
    note = f"（{plain(theirs['note'])}）" if theirs.get("note") else ""
    st.caption(t("conflict_theirs", result=t(f"result_{theirs['result']}"), note=note))
    keep, replace = st.columns(2)
    keep.button(t("conflict_keep"), key=_key("keep", item_id), on_click=_keep_theirs,
                args=(inspection_id, item_id), width="stretch")
    replace.button(t("conflict_replace"), key=_key("replace", item_id), on_click=_replace_theirs,
                   args=(inspection_id, item_id), type="primary", width="stretch")


def remember(inspection_id: str, answered: set[str], total: int) -> None:
    """What the page knows at a full run: the answered items and how many there are; each card's save
    adds to it, so a card's caption shows the progress without rerunning the page."""
    st.session_state[_key("answered", inspection_id)] = answered
    st.session_state[_key("total", inspection_id)] = total


def _saved_line(inspection_id: str, answer: dict) -> str:
    time = answer["answered_at"].strftime("%H:%M:%S")
    total = st.session_state.get(_key("total", inspection_id))
    if not total:
        return t("item_saved", time=time)
    answered = len(st.session_state.get(_key("answered", inspection_id), ()))
    return t("item_saved_progress", time=time, answered=answered, total=total)


def _remove_photo(inspection_id: str, item_id: str, photo_id: str) -> None:
    """A photo taken by mistake comes off the finding (the file stays, as every stored photo does)."""
    try:
        inspecting.remove_photo(context(), current_user(), inspection_id, item_id, photo_id)
    except (inspecting.InspectionError, access.Forbidden) as error:
        st.session_state[_key("err", item_id)] = refusal(error)
    except LookupError:
        st.session_state[_key("err", item_id)] = t("not_found")
    st.session_state[_key("ans", item_id)] = inspecting.answer_for(context(), current_user(), inspection_id, item_id)


@st.fragment
def item_card(inspection_id: str, item: MergedItem, saved: dict | None, self_check: dict | None,
              editable: bool, found_on: dt.date, original=None) -> None:
    """`found_on`: the day the visit's findings count as found (domain.visits.found_on), the first day
    of a failure's deadline. `original`: on a re-check visit, the item's hazard as it was found and
    reported rectified (services.inspector.recheck_visits.Original); a failure then only says what the
    re-check found (the hazard keeps its level and deadline)."""
    if st.session_state.pop(PAGE_RERUN, False):
        st.rerun(scope="app")
    shown = st.session_state.setdefault(_key("ans", item.id), saved)
    if saved and (shown is None or saved.get("version", 0) > shown.get("version", 0)) \
            and _key("conflict", item.id) not in st.session_state:
        _take(item.id, saved)                   # a colleague's answer came in: show it
    answer = st.session_state[_key("ans", item.id)]
    _start_controls(item.id, answer)
    with st.container(border=True, key=f"card-{item.id}"):
        st.markdown(f"**{item.id}　{item.title.get(lang())}**")
        st.caption(t("item_basis", basis=item.basis) + "　" + t("item_departments", departments=departments(item.departments)))
        if self_check:
            note = f"（{plain(self_check['note'])}）" if self_check.get("note") else ""
            st.caption(t("item_self_check", result=t(f"result_{self_check['result']}"), note=note))
        if original is not None:
            hazard = original.hazard
            finding_and_evidence(original.finding, hazard.description, hazard.level, hazard.deadline,
                                 original.reported, original.evidence, status=hazard.status)
        st.segmented_control(
            t("item_result"), RESULT_VALUES, format_func=lambda r: t(f"result_{r}"), key=_key("res", item.id),
            disabled=not editable, width="stretch", on_change=_save, args=(inspection_id, item.id),
            label_visibility="collapsed")
        if answer and answer["result"] == Result.FAIL and original is not None:
            st.text_area(t("recheck_visit_note"), key=_key("note", item.id), disabled=not editable,
                         on_change=_save, args=(inspection_id, item.id))
        elif answer and answer["result"] == Result.FAIL:
            _finding(inspection_id, item, answer, editable, found_on)
        if _key("conflict", item.id) in st.session_state:
            _conflict(inspection_id, item.id)
        elif st.session_state.get(_key("err", item.id)):
            st.error(st.session_state[_key("err", item.id)])
        elif answer:
            st.caption(_saved_line(inspection_id, answer))


def _finding(inspection_id: str, item: MergedItem, answer: dict, editable: bool, found_on: dt.date) -> None:
    st.text_area(t("finding_note"), key=_key("note", item.id), disabled=not editable,
                 on_change=_save, args=(inspection_id, item.id))
    left, right = st.columns(2)
    left.radio(t("finding_level"), LEVEL_VALUES, format_func=lambda v: t(f"level_{v}"), horizontal=True,
               key=_key("lvl", item.id), disabled=not editable,
               on_change=_save, args=(inspection_id, item.id), kwargs={"level_changed": True})
    st.session_state.setdefault(_key("dl", item.id), answer["deadline"])
    right.date_input(t("finding_deadline"), min_value=found_on,
                     max_value=latest_deadline(found_on), key=_key("dl", item.id), disabled=not editable,
                     on_change=_save, args=(inspection_id, item.id), kwargs={"deadline_changed": True})
    if item.major_if:
        st.caption(t("finding_major_hint", hint=item.major_if.get(lang())))
    files = inspecting.photo_files(context(), current_user(), inspection_id, list(answer["photos"]))
    columns = st.columns(4) if files else []
    for number, (photo_id, path) in enumerate(files):
        with columns[number % 4]:
            st.image(str(path), width=160)
            if editable:
                st.button(t("photo_remove"), key=f"rm-{item.id}-{photo_id}", icon=":material/delete:",
                          on_click=_remove_photo, args=(inspection_id, item.id, photo_id))
    if editable:
        generation = st.session_state.get(_key("upn", item.id), 0)
        uploads = st.file_uploader(t("finding_photos", limit_mb=photos.MAX_MB), type=None, accept_multiple_files=True,
                                   max_upload_size=photos.MAX_MB, key=f"up-{item.id}-{generation}")
        if uploads:
            _add_photos(inspection_id, item.id, uploads)
            st.rerun(scope="fragment")
        if st.toggle(t("finding_camera"), key=_key("camtoggle", item.id)):
            shot = st.camera_input(t("finding_camera"), key=f"cam-{item.id}-{generation}")
            if shot is not None:
                _add_photos(inspection_id, item.id, [shot])
                st.rerun(scope="fragment")
    spot_fix(inspection_id, item.id, editable)
