"""One language: every page of every role, in Chinese (the default), shows no English word outside a
short allow-list of names and units. What a page shows is read from the messages AppTest received, every
text field of every element (labels, help, placeholders, options, bodies, captions), and the tables'
column names and text cells, with the demo world's data on them. Login names, internal codes
(`fire_rescue`, `general`) and untranslated headers are exactly what this catches.

Streamlit's own frontend strings (the uploader's "Browse files", the camera's "Take Photo") are not in
these messages: the README lists them as what could not be translated."""
from __future__ import annotations

import re

import pytest

from inspections.ui.navigation import PAGES, ROLE_PAGES
from tests.ui.conftest import app, open_page, run, signed_in

TAG = re.compile(r"<style.*?</style>|<script.*?</script>|<[^>]*>", re.S | re.I)
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
# a word of Latin letters, not part of a code: a credit code, a hazard or item id (YH202611-00566, FR-01)
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_.@/-])[A-Za-z]{2,}(?![A-Za-z0-9]|-\d)")
# Names and units a Chinese page writes in Latin letters: formats, brands, units, our own brand's English
# half in the sidebar toggle and title.
ALLOWED = {"PDF", "QR", "CSV", "XLSX", "xlsx", "csv", "MB", "KB", "PNG", "JPEG", "JPG", "Excel", "WPS",
           "English", "Inspect", "Once", "ID", "URL", "WiFi", "App",
           # the prefixes of national and trade standards the checklist cites (GB 50720-2011, JGJ 59-2011)
           "GB", "GBT", "JGJ", "TSG", "CJJ", "AQ", "DB", "TN"}
NOT_USER_TEXT = {"id", "form_id", "key", "page_script_hash", "url_path", "format", "icon", "type",
                 "default", "value", "component_name", "spec", "vega_lite_spec", "data", "css_class",
                 "anchor", "theme", "file_uploader_id", "element_id", "page_name", "json", "js_content",
                 "css_content", "autocomplete", "columns", "html_content", "code_text", "language", "page"}


def _texts(message, path=""):
    """Every string in a protobuf message, except fields that are ids, formats or data."""
    for field, value in message.ListFields():
        if field.name in NOT_USER_TEXT:
            continue
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, str):
                # an HTML block's text, not its markup; Markdown's escapes undone (FR\\-01 is FR-01)
                yield f"{path}{field.name}", MARKDOWN_ESCAPE.sub(r"\1", TAG.sub(" ", item))
            elif hasattr(item, "ListFields"):
                yield from _texts(item, f"{path}{field.name}.")


def _shown(at) -> list[tuple[str, str]]:
    found = []
    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            found.extend((type(node).__name__ + ":" + field, text) for field, text in _texts(proto))
        if type(node).__name__ == "Dataframe":
            frame = node.value
            found.extend(("table column", str(c)) for c in frame.columns)
            for column in frame.columns:
                found.extend(("table cell", v) for v in frame[column] if isinstance(v, str))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at._tree)
    return found


def english(at) -> list[tuple[str, str]]:
    return sorted({(where, text) for where, text in _shown(at)
                   if any(w not in ALLOWED for w in ENGLISH_WORD.findall(text))})


@pytest.mark.parametrize("role, username", [("inspector", "emergency1"), ("enterprise", "ent04"),
                                            ("office", "office")])
def test_every_page_of_the_role_is_chinese(app_env, role, username):
    at = signed_in(username)
    from inspections.ui.runtime import context
    logins = {row[0] for row in context().db.query("SELECT username FROM users")}
    query = {}
    if role == "inspector":     # the walk of a finished visit of theirs with findings, not the empty page
        query["inspection"] = context().db.scalar(
            """SELECT i.id FROM inspections i WHERE i.status = 'completed' AND list_contains(i.team, ?)
               AND EXISTS (SELECT 1 FROM hazards h WHERE h.inspection_id = i.id) ORDER BY i.id LIMIT 1""",
            [username])
        assert query["inspection"]
    leaks = {}
    for name in ROLE_PAGES[role]:
        open_page(at, PAGES[name][1], **(query if name == "inspection" else {}))
        # the account page manages login names: there, and only there, a login name is the data itself
        found = [(where, text) for where, text in english(at) if not (name == "accounts" and text in logins)]
        if found:
            leaks[name] = found
    assert not leaks, "English on Chinese pages:\n" + "\n".join(
        f"  {page}: {where}: {text[:120]!r}" for page, found in leaks.items() for where, text in found)


def test_the_signed_out_pages_are_chinese(app_env):
    at = run(app())
    leaks = english(at)
    open_page(at, PAGES["verify"][1])
    leaks += english(at)
    assert not leaks, leaks


def test_the_check_catches_english():
    """The scan itself: a login name, an internal code and an English header are caught; a credit code,
    a hazard id, a unit and a brand are not."""
    words = lambda text: [w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED]
    assert words("by traffic_police1") == ["by", "traffic"]
    assert words("部门：fire_rescue · 等级：general") == ["fire", "general"]
    assert words("91220100FHGG0D46FH YH202611-00566 JC20261208-0001 单张不超过 10 MB 下载 PDF") == []
