"""The message catalogue: every key the pages use exists, in Chinese and in English."""
import re

from inspections.ui.i18n import catalogue
from tests.conftest import REPO


def test_every_used_key_exists_in_both_languages():
    used = set()
    for path in (REPO / "inspections" / "ui").rglob("*.py"):
        used |= set(re.findall(r"\bt\(\"(\w+)\"", path.read_text(encoding="utf-8")))
    messages = catalogue()
    assert used, "no message keys found: the scan is broken"
    assert sorted(used - set(messages)) == []
    for key, text in messages.items():
        assert text.zh and text.en, key


# Refusals the pages show as t(f"error_{reason}", **values) (photos as photo_{reason}).
SHOWN_AS = {"InspectionError": "error_", "PortalError": "error_", "OversightError": "error_", "RegistryError": "error_",
            "PlanningError": "error_", "PhotoRefused": "photo_", "ChangedMeanwhile": "error_", "Forbidden": "error_"}
ADDED_BY_PAGES = {"photo_": {"name"}}   # the pages add the uploaded file's name to photo refusals


def _refusals():
    """(file:line, message key, keyword names) of every refusal raised with a literal reason in the
    services, the readers and the domain (every subfolder)."""
    import ast
    found = []
    for path in sorted(p for folder in ("services", "readers", "domain")
                       for p in (REPO / "inspections" / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SHOWN_AS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append((f"{path.name}:{node.lineno}", SHOWN_AS[node.func.id] + node.args[0].value,
                              {k.arg for k in node.keywords}, any(k.arg is None for k in node.keywords)))
    return found


def test_every_refusal_has_a_message_whose_placeholders_it_fills():
    messages = catalogue()
    refusals = _refusals()
    assert len(refusals) > 40, "the scan found too few refusals: it is broken"
    problems = []
    for where, key, given, spread in refusals:
        if key not in messages:
            problems.append(f"{where}: no message '{key}'")
            continue
        wanted = {name for text in (messages[key].zh, messages[key].en) for name in re.findall(r"{(\w+)}", text)}
        given = given | ADDED_BY_PAGES.get(key[:key.index("_") + 1], set())
        if not spread and wanted - given:
            problems.append(f"{where}: '{key}' needs {sorted(wanted - given)}, given {sorted(given)}")
    assert problems == []


def test_every_hazard_action_has_a_label():
    from inspections.domain.hazards import TRANSITIONS
    messages = catalogue()
    assert sorted(a for a in [*TRANSITIONS, "import"] if f"action_{a}" not in messages) == []
