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


def _refusal_classes() -> dict[str, type]:
    """Every Refused subclass in the package, by name (all its modules but the pages imported)."""
    import importlib
    from inspections.domain.refusals import Refused
    for path in sorted((REPO / "inspections").rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if "ui" not in parts and parts[-1] not in ("__main__",):
            importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    found, todo = {}, [Refused]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo += cls.__subclasses__()
    return found


# The pages show a refusal as t(f"error_{reason}", **values) (photos as photo_{reason}, sign-in as
# sign_in_{reason}, an importer's row problem as import_{reason}); the command line
# writes the same catalogue's English (inspections.messages).
PREFIXES = {"PhotoRefused": "photo_", "ImageRefused": "photo_", "SignInError": "sign_in_", "ImportProblem": "import_"}
POSITIONAL = {"SignInError": ("until",)}   # SignInError("locked", until)
ADDED_BY_PAGES = {"photo_": {"name"}}   # the pages add the uploaded file's name to photo refusals
PLAN_PROBLEMS = {"PlanProblem"}         # domain.planning's problems, which PlanningError carries


def _refusals():
    """(file:line, message key, keyword names, values spread or not literal) of every refusal raised with
    a literal reason anywhere in the package, pages included."""
    import ast
    classes = _refusal_classes()
    assert {"NotFound", "NotAllowed", "BadInput", "Conflict", "AccountError", "PlanningError", "TransitionError",
            "PasswordProblem", "AnswerRefused"} <= set(classes), sorted(classes)
    found = []
    for path in sorted((REPO / "inspections").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            if name in PLAN_PROBLEMS:
                reason = next((k.value for k in node.keywords if k.arg == "reason"), None)
                if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
                    found.append((where, "error_" + reason.value, set(), True))
                continue
            if name not in classes or not node.args or not isinstance(node.args[0], ast.Constant) \
                    or not isinstance(node.args[0].value, str):
                continue
            if name in ("NotFound", "UnknownInspection"):      # NotFound(what): the reason is 'not_found'
                found.append((where, "error_not_found", set(), False))
                continue
            given = {k.arg for k in node.keywords} | set(POSITIONAL.get(name, ())[:len(node.args) - 1])
            found.append((where, PREFIXES.get(name, "error_") + node.args[0].value, given,
                          any(k.arg is None for k in node.keywords)))
    return found


def test_every_refusal_has_a_message_whose_placeholders_it_fills():
    messages = catalogue()
    refusals = _refusals()
    assert len(refusals) > 100, f"the scan found too few refusals ({len(refusals)}): it is broken"
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


def test_a_refusal_reads_the_same_catalogue_in_both_languages_and_its_cause_is_translated():
    from inspections import messages
    from inspections.domain.hazards import TransitionError
    from inspections.services.enterprise.portal import PortalError
    cause = TransitionError("action_not_allowed", action="submit", hazard_status="submitted")
    refused = PortalError("cannot_submit", why=cause)
    assert messages.refusal(refused, "zh") == "不能提交：隐患当前为“已提交待复查”，不能进行“提交整改”。"
    assert messages.english(refused) == "Cannot submit: “Rectification submitted” is not possible while the hazard is “Submitted”."
    assert messages.refusal(PortalError("cannot_submit", why="<b>"), "en", escape=lambda s: s.upper()) \
        == "Cannot submit: <B>"


def test_the_refusal_kinds():
    from inspections.domain import refusals
    from inspections.services.shared import access, codes
    assert access.NotFound is refusals.NotFound and issubclass(access.NotFound, LookupError)
    assert issubclass(codes.UnknownInspection, LookupError)
    leaves = {name: cls for name, cls in _refusal_classes().items()
              if name not in ("Refused", "NotFound", "NotAllowed", "BadInput", "Conflict")}
    assert [name for name, cls in leaves.items() if not issubclass(cls, refusals.KINDS)] == []


def test_every_hazard_action_has_a_label():
    from inspections.domain.hazards import TRANSITIONS
    messages = catalogue()
    assert sorted(a for a in [*TRANSITIONS, "import"] if f"action_{a}" not in messages) == []


def test_the_deadline_and_credit_code_causes_are_translated_in_place():
    """A refused deadline or credit code shows its cause in the page's language, not in English."""
    import datetime as dt

    from inspections import messages
    from inspections.domain import credit_code
    from inspections.domain.hazards import deadline_refusal
    from inspections.domain.refusals import BadInput
    late = BadInput("bad_deadline", why=deadline_refusal(dt.date(2026, 3, 1), dt.date(2026, 6, 1)))
    assert messages.refusal(late, "zh") == "整改期限有误：期限超过发现之日起 90 天"
    assert messages.refusal(late, "en") == "Deadline refused: the deadline is more than 90 days after the finding"
    wrong = credit_code.complete("91350100M00010001")[:17] + "X"
    if credit_code.is_valid(wrong):
        wrong = wrong[:17] + "Y"
    code = BadInput("bad_credit_code", why=credit_code.refusal(wrong))
    expected = credit_code.check_character(wrong[:17])
    assert messages.refusal(code, "zh") == f"信用代码有误：校验位是“{wrong[17]}”，按 GB 32100-2015 应为“{expected}”"
    assert credit_code.problem(wrong) == f"check character is '{wrong[17]}' but GB 32100-2015 gives '{expected}'"


def test_streamlit_draws_no_english_where_it_lets_the_page_choose():
    """Issue 'One language': 'Choose options', 'Select all' and 'Press Enter to submit form' came from
    Streamlit. Every select on a page has a placeholder from the catalogue, no multiselect offers
    'Select all', and no form hints at Enter (its submit button stays)."""
    import ast
    found, wrong = 0, []
    for path in sorted((REPO / "inspections" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(getattr(node, "func", None), "attr", None)
            if not isinstance(node, ast.Call) or name not in ("selectbox", "multiselect", "form"):
                continue
            given = {k.arg: k.value for k in node.keywords}
            where = f"{path.name}:{node.lineno} {name}"
            if name == "form":
                if getattr(node.func.value, "id", None) == "st":
                    found += 1
                    if getattr(given.get("enter_to_submit"), "value", True) is not False:
                        wrong.append(where)
                continue
            found += 1
            placeholder = given.get("placeholder")
            if not (isinstance(placeholder, ast.Call) and getattr(placeholder.func, "id", None) == "t"):
                wrong.append(where + " placeholder")
            if name == "multiselect" and getattr(given.get("select_all"), "value", True) is not False:
                wrong.append(where + " select_all")
    assert found > 30, found
    assert wrong == []
