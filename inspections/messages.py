"""The message catalogue (inspections/ui/messages.yaml: every text in Chinese and English) and the one way
a refusal becomes a sentence, without Streamlit: the pages (ui.i18n, ui.labels) and the command line
(cli, in English) read the same texts. The file stays beside the pages, which use nearly all of it."""
from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from inspections.domain.catalogue import Text
from inspections.domain.refusals import Refused
from inspections.domain.rows import ImportRefused, RowProblem
from inspections.readers import strict_yaml

MESSAGES = Path(__file__).parent / "ui" / "messages.yaml"
LIST_SEPARATORS = {"zh": "；", "en": "; "}   # between the refusals of a list (a password's problems)

# Values of these names are ids shown by their label (`action_submit`, `hazard_status_open`, `ticket_action_sign`).
LABELLED = {"action": "action_", "hazard_status": "hazard_status_", "ticket_action": "ticket_action_",
            "ticket_status": "ticket_status_"}


@cache
def catalogue() -> dict[str, Text]:
    raw = strict_yaml.load(MESSAGES.read_text(encoding="utf-8"))
    return {key: Text.model_validate(value) for key, value in raw.items()}


def text(key: str, lang: str, **values: object) -> str:
    template = catalogue()[key].get(lang)
    return template.format(**values) if values else template


def refusal(refused: Refused, lang: str = "en", prefix: str = "error", *,
            escape: Callable[[str], str] | None = None, **extra: object) -> str:
    """The message `{prefix}_{reason}` of a refusal with its values: a value that is itself a refusal (a
    cause) is rendered in its place, a list of refusals joined; ids named in LABELLED by their label;
    other text through `escape` (the pages escape what the user typed for Markdown)."""
    return text(f"{prefix}_{refused.reason}", lang,
                **{name: _value(name, value, lang, escape) for name, value in {**refused.values, **extra}.items()})


def _value(name: str, value: object, lang: str, escape):
    if isinstance(value, Refused):
        return refusal(value, lang, escape=escape)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Refused) for v in value):
        return LIST_SEPARATORS[lang].join(refusal(v, lang, escape=escape) for v in value)
    if name in LABELLED and f"{LABELLED[name]}{value}" in catalogue():
        return text(f"{LABELLED[name]}{value}", lang)
    if isinstance(value, str) and escape is not None:
        return escape(value)
    return value


def english(refused: Refused) -> str:
    """A refusal as an English sentence, for the command line and logs."""
    return refusal(refused, "en")


def import_why(problem: RowProblem, lang: str = "en") -> str:
    """Why an importer refused a row, a cell or the file (`import_<reason>`), without where."""
    return refusal(problem.why, lang, "import")


def import_problem(problem: RowProblem, lang: str = "en") -> str:
    """One problem of a refused import as a sentence: `row 3, column 统一社会信用代码: 'X': why` (the
    column as the file's header wrote it)."""
    if problem.row is not None and problem.column is not None:
        where = text("import_at_row_column", lang, row=problem.row, column=problem.column)
    elif problem.row is not None:
        where = text("import_at_row", lang, row=problem.row)
    else:
        where = None
    why = import_why(problem, lang)
    if problem.value is not None:
        why = text("import_with_value", lang, value=problem.value, why=why)
    return text("import_where", lang, where=where, why=why) if where else why


def import_problems(refused: ImportRefused, lang: str = "en") -> list[str]:
    """Every problem of a refused import as a sentence (English for the command line)."""
    return [import_problem(problem, lang) for problem in refused.problems]
