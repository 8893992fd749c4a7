"""Access control as a matrix generated from the page list: every page, opened with every id-taking
query parameter pointing at objects the role must not touch, by each role (signed out, an inspector of
department X, an inspector of a visit's department who is not on its team, an enterprise user of A), shows
nothing of those objects and changes nothing. The office may see everything, so it has no forbidden
objects here. A page that starts reading a new query parameter fails
`test_every_query_parameter_is_covered` until the matrix knows it.

"Changes nothing" is by content: a checksum of every table's full contents (tests/checksums.py), taken
after signing in and again after the page ran, so that an update keeping the row count (a visit checked
in) shows too. Left out, because any page run by a signed-in user moves it: `sessions.last_seen_at`. Nothing
else is left out (the audit log included: no page writes to it by being opened).

The inspector not on the team (`not_on_team`, department Y) is given today's joint visit whose lead
department Y sends one of its two inspectors (a one-department visit sends both, as a team needs two
officers), the other being the user, and its enterprise, so that the
check-in page is opened with it: that visit may be read (the enterprise's name and the visit are not
secrets to its department) but not checked in, answered or finished. The hazard it is given is another
department's, on an enterprise Y never visited, as for the inspector of X.

The inspection code (`?code=`) is public by design (anyone who scans it may verify it), so it is not a
forbidden key; tampered codes are covered by the bad-input matrix."""
import re

import pytest

from inspections.ui.navigation import PAGES
from tests.checksums import CHANGED_BY_ANY_REQUEST, changed, table_checksums
from tests.conftest import REPO, SUITE_TODAY
from tests.ui.conftest import app, open_page, run, signed_in

ID_PARAMS = ("inspection", "hazard", "enterprise")
PUBLIC_PARAMS = ("code",)
ROLES = (None, "inspector", "not_on_team", "enterprise")


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


def test_every_query_parameter_is_covered():
    read = set()
    for path in (REPO / "inspections" / "ui").rglob("*.py"):
        read |= set(re.findall(r"query_params\.get\(\"(\w+)\"", path.read_text(encoding="utf-8")))
    assert read, "no query parameters found: the scan is broken"
    assert read <= set(ID_PARAMS) | set(PUBLIC_PARAMS), read - set(ID_PARAMS) - set(PUBLIC_PARAMS)


def _forbidden(role: str | None) -> tuple[str | None, dict, list[str]]:
    """(username, query parameters naming forbidden objects, texts that must not appear)."""
    if role == "enterprise":
        mine = _q("SELECT enterprise_code FROM users WHERE username = 'ent04'")[0][0]
        other = _q("SELECT enterprise_code FROM users WHERE username = 'ent05'")[0][0]
        assert mine != other
        username, code = "ent04", other
        inspection = _q("SELECT id FROM inspections WHERE enterprise_code = ? ORDER BY status = 'scheduled' DESC LIMIT 1", [code])[0][0]
        # a finding ent04's own hazards do not share word for word (its own cards show their findings)
        hazard, description = _q("""SELECT id, description FROM hazards WHERE enterprise_code = ? AND description NOT IN
            (SELECT description FROM hazards WHERE enterprise_code = ?) ORDER BY id LIMIT 1""", [code, mine])[0]
    elif role == "not_on_team":
        inspection, code, team, department = next(
            row for row in _q("""SELECT id, enterprise_code, team, lead_department FROM inspections
                WHERE scheduled_on = ? AND status = 'scheduled' ORDER BY id""", [SUITE_TODAY])
            if sum(m in {u for (u,) in _q("SELECT username FROM users WHERE department = ?", [row[3]])}
                   for m in row[2]) == 1)
        username = next(u for (u,) in _q("SELECT username FROM users WHERE department = ? ORDER BY 1", [department])
                        if u not in team)
        hazard, description = _q("""SELECT h.id, h.description FROM hazards h WHERE h.department <> ?
            AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.enterprise_code = h.enterprise_code
                            AND list_contains(i.departments, ?))
            ORDER BY h.status = 'submitted' DESC, h.id LIMIT 1""", [department, department])[0]
        return username, {"inspection": inspection, "hazard": hazard, "enterprise": code}, [hazard, description]
    else:
        # department X = traffic_police; an enterprise that X never visited, and its hazards of other departments
        username = "traffic_police1" if role == "inspector" else None
        code = _q("""SELECT e.code FROM enterprises e WHERE NOT EXISTS (SELECT 1 FROM inspections i
                     WHERE i.enterprise_code = e.code AND list_contains(i.departments, 'traffic_police'))
                     AND EXISTS (SELECT 1 FROM hazards h WHERE h.enterprise_code = e.code) ORDER BY e.code LIMIT 1""")[0][0]
        inspection = _q("SELECT id FROM inspections WHERE enterprise_code = ? ORDER BY status = 'in_progress' DESC, "
                        "status = 'scheduled' DESC LIMIT 1", [code])[0][0]
        hazard, description = _q("SELECT id, description FROM hazards WHERE enterprise_code = ? AND department <> "
                                 "'traffic_police' ORDER BY status = 'submitted' DESC LIMIT 1", [code])[0]
    name = _q("SELECT name FROM enterprises WHERE code = ?", [code])[0][0]
    # what only the database knows; the enterprise code itself came from the visitor's own URL (the sign-in
    # page repeats a scanned code back), so echoing it reveals nothing. An inspector who scans a posted QR
    # may read the enterprise's name (it is printed beside the code and in the public business registry);
    # another department's inspection and hazards stay hidden.
    texts = [inspection, hazard, description] + ([] if role == "inspector" else [name])
    return username, {"inspection": inspection, "hazard": hazard, "enterprise": code}, texts


def _shown(at) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "code",
                 "metric", "text"):
        parts += [str(getattr(e, "value", "")) for e in at.get(kind)]
    parts += [e.label for e in at.get("expander")]
    parts += [b.label for b in at.get("button")] + [b.label for b in at.get("download_button")]
    for frame in at.get("arrow_data_frame") + at.get("dataframe"):
        parts.append(frame.value.to_string())
    for widget in at.get("text_input") + at.get("text_area"):
        parts.append(str(widget.value))
    return "\n".join(parts)


def _checksums():
    return table_checksums(_q, CHANGED_BY_ANY_REQUEST)   # left out, and why: above


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "signed_out")
@pytest.mark.parametrize("page", sorted(PAGES))
def test_nothing_of_a_forbidden_object_is_shown_or_changed(app_env, page, role):
    at = run(app())  # opens the app's context on this test's database copy
    username, params, secrets = _forbidden(role)
    at = signed_in(username) if username else at
    before = _checksums()          # after signing in, which writes its session
    at = open_page(at, PAGES[page][1], **params)
    shown = _shown(at)
    leaked = [s for s in secrets if s and s in shown]
    assert not leaked, f"{page} as {role or 'signed out'} shows {leaked}"
    assert changed(before, _checksums()) == [], f"{page} as {role or 'signed out'} changed them"
