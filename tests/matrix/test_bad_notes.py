"""The bad-input matrix (tests/matrix/helpers.py), notes holding HTML and markdown: stored exactly, printed
and shown as text."""
from __future__ import annotations

import re
import subprocess

import pytest

from inspections.services.inspector import inspecting, notices, rechecks
from inspections.services.enterprise import portal, rectification
from inspections.services.office import registry
from inspections.store import enterprises as enterprise_store
from inspections.store import hazards as hazard_store
from tests.matrix.conftest import MARKDOWN_PAYLOADS, PAYLOADS, note
from tests.ui.conftest import open_page, signed_in
from tests.matrix.helpers import OFFICE, state


def _stored(ctx, w, surface: str, pid: str) -> list[str]:
    if surface == "inspector-finding-note":
        answer = inspecting.walk(ctx, w.finished_inspector, w.finished_id).answers[w.finding_items[pid]]
        return [answer["note"], hazard_store.get(ctx.db, w.finding_hazards[pid]).description]
    if surface == "rectification-note":
        return [next(e.note for e in rechecks.trail(ctx, w.finished_inspector, w.finding_hazards[pid])
                     if e.action == "submit")]
    if surface == "re-inspection-rejection-reason":
        return [rectification.last_rejection(ctx, w.enterprise_user, w.rejected_hazards[pid])]
    if surface == "self-check-note":
        return [portal.check(ctx, w.self_user, w.self_id)["self_check"][w.self_items[pid]]["note"]]
    found = registry.search(ctx, OFFICE, PAYLOADS[pid])  # the name is also searched for as plain text
    return [enterprise_store.get(ctx.db, w.named[pid]).name] + [e.name for e in found]


NOTE_SURFACES = {"inspector-finding-note": "finding", "rectification-note": "rectification",
                 "re-inspection-rejection-reason": "rejection", "self-check-note": "self_check",
                 "enterprise-name": None}


@pytest.mark.parametrize("pid", PAYLOADS)
@pytest.mark.parametrize("surface", NOTE_SURFACES)
def test_note_is_stored_exactly_as_typed(shared, surface, pid):
    ctx, w = shared
    expected = note(NOTE_SURFACES[surface], pid) if NOTE_SURFACES[surface] else PAYLOADS[pid]
    assert _stored(ctx, w, surface, pid) == [expected] * (2 if surface in ("inspector-finding-note",
                                                                           "enterprise-name") else 1)


def test_rectification_notice_pdf_prints_notes_holding_html_as_text(shared):
    from inspections.rendering.pdf_fonts import FontMissing, find_cjk_font
    try:
        find_cjk_font()
    except FontMissing:
        pytest.skip("no CJK font for PDFs on this machine")
    ctx, w = shared
    before = state(ctx)
    pdf = notices.notice_pdf(ctx, w.finished_inspector, w.finished_id)
    assert pdf.startswith(b"%PDF") and state(ctx) == before
    import shutil
    if shutil.which("pdftotext"):  # each finding note is printed as typed
        text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        printed = "".join(text.decode("utf-8").split())
        assert all("".join(note("finding", pid).split()) in printed for pid in PAYLOADS), printed


MARKDOWN_ELEMENTS = {"Markdown", "Alert", "Heading"}  # element protos whose text Streamlit renders as markdown


def _unescape(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def places(at, text: str) -> list[tuple[str, bool, bool]]:
    """Where the page shows `text`: (element, rendered as markdown, HTML allowed). Text in a markdown
    element counts as rendered when it appears there unescaped."""
    found = []

    def visit(node):
        proto = getattr(node, "proto", None)
        kind = type(proto).__name__ if proto is not None else ""
        if kind in MARKDOWN_ELEMENTS:
            body = proto.body
            if text in body:
                found.append((kind, True, bool(getattr(proto, "allow_html", False))))
            elif text in _unescape(body):
                found.append((kind + " (escaped)", False, False))
        elif kind == "Expandable" and text in proto.label:
            found.append(("expander label", True, False))
        elif kind in ("Text", "Code") and text in (getattr(proto, "body", "") or getattr(proto, "code_text", "")):
            found.append((kind, False, False))
        elif type(node).__name__ == "Dataframe" and any(text == str(v) for v in node.value.to_numpy().ravel()):
            found.append(("dataframe", False, False))
        elif kind in ("TextInput", "TextArea") and text in (node.value or ""):
            found.append((kind, False, False))
        for child in (getattr(node, "children", None) or {}).values():
            visit(child)

    visit(at._tree)
    return found


NOTE_PAGES = {  # page -> how to open it
    "inspection-summary": lambda w: open_page(signed_in("traffic_police1"), "inspection", inspection=w.finished_id),
    "re-inspection": lambda w: open_page(signed_in("traffic_police1"), "rechecks"),
    "our-hazards": lambda w: open_page(signed_in(w.enterprise_user.username), "our-hazards"),
}
# (page, the note on it, where the page renders it as markdown today)
NOTE_ON_PAGE = [
    ("inspection-summary", "finding", "finish_panel.summary writes the finding note into st.markdown"),
    ("re-inspection", "finding", "rechecks._review shows the hazard description with st.write"),
    ("re-inspection", "rectification", "rechecks._review writes the enterprise's rectification note into st.markdown"),
    ("our-hazards", "finding", "my_hazards._hazard shows the hazard description with st.write"),
    ("our-hazards", "rejection", "my_hazards._hazard writes the rejection reason into st.warning (markdown)"),
]
NOTE_PAGE_CASES = [
    pytest.param(page, kind, pid, id=f"{page}-{kind}-{pid}", marks=[])
    for page, kind, where in NOTE_ON_PAGE for pid in PAYLOADS]


@pytest.fixture(scope="module")
def rendered(page_db, template):
    """Each notes page rendered once per module (AppTest), on the page database."""
    pages: dict[str, object] = {}

    def get(page: str):
        if page not in pages:
            pages[page] = NOTE_PAGES[page](template[1])
        return pages[page]
    return get


@pytest.mark.parametrize("page, kind, pid", NOTE_PAGE_CASES)
def test_note_is_shown_as_text_not_rendered(rendered, page, kind, pid):
    at = rendered(page)
    text = note(kind, pid)
    shown = places(at, text)
    assert shown, f"{text!r} is not shown on {page}"
    rendered_as_markup = [element for element, markdown, html in shown
                          if html or (markdown and pid in MARKDOWN_PAYLOADS)]
    assert not rendered_as_markup, f"{text!r} is rendered by {rendered_as_markup} on {page}"
