"""Shared rules for tabular imports: header mapping, cell text, dates, and the row-level problem: row N
(the row number a spreadsheet shows, the header counting as a row), column C (the field; the importer
names it as the file's header wrote it), the value and why, an `ImportProblem` (a reason key, `import_<reason>`
in ui/messages.yaml). inspections.messages renders it in the page's language, or English for the CLI:
`row N, column C: 'value': why`."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime

from inspections.domain.refusals import BadInput

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula (OWASP)


class ImportProblem(BadInput):
    """Why a file, a row or a cell is refused: the message `import_<reason>` with its values. A value
    named `column` or `other` is a field name, which the importer replaces by the file's own header."""


COLUMN_VALUES = ("column", "other")   # the values of an ImportProblem that name a field


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    column: str | None
    value: object
    why: ImportProblem

    def as_written(self, headers: dict[str, str]) -> RowProblem:
        """The same problem with its field names as the file's header wrote them (`headers`: field ->
        header text); a field the file has no column for keeps its name."""
        values = {name: headers.get(value, value) if name in COLUMN_VALUES and isinstance(value, str) else value
                  for name, value in self.why.values.items()}
        return dataclasses.replace(self, column=headers.get(self.column, self.column),
                                   why=ImportProblem(self.why.reason, **values))


class ImportRefused(ValueError):
    """A file that cannot be imported; `problems` lists every reason (RowProblems; a whole-file problem
    has no row and no column), nothing was written. inspections.messages.import_problems says them."""

    def __init__(self, source: str, problems: list[RowProblem | ImportProblem]):
        self.source = source
        self.problems = [p if isinstance(p, RowProblem) else RowProblem(None, None, None, p) for p in problems]
        super().__init__(f"{source}: {len(self.problems)} problem(s); nothing was imported")


def map_headers(headers: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Canonical column name -> position, accepting any of each column's names (English or Chinese)."""
    names = {}
    for canonical, accepted in columns.items():
        for name in accepted:
            names[_fold(name)] = canonical
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        canonical = names.get(_fold(header))
        if canonical and canonical not in found:
            found[canonical] = position
    return found


def find_header_row(rows: list[list[object]], columns: dict[str, tuple[str, ...]],
                    required: tuple[str, ...], look_at: int = 10) -> tuple[int, list[str]]:
    """(index, []) of the first of the first `look_at` rows that names every required column: ledgers
    often carry a title row or two above the header, and those are skipped. Failing that, (index,
    missing required columns) of the row naming most of the known columns, which is the header the
    user meant (the first row when none names any)."""
    best, best_missing, best_named = 0, list(required), 0
    for index, row in enumerate(rows[:look_at]):
        mapped = map_headers([cell_text(c) for c in row], columns)
        missing = [name for name in required if name not in mapped]
        if not missing:
            return index, []
        if len(mapped) > best_named:
            best, best_missing, best_named = index, missing, len(mapped)
    return best, best_missing


def cell_text(value: object) -> str:
    """A cell as trimmed text; integral floats lose their '.0'; dates become ISO text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_date(value: object) -> tuple[date | None, ImportProblem | None]:
    """(date, None), (None, None) for an empty cell, or (None, why) for a value that is not a date."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = str(value).strip()
    if not text:
        return None, None
    match = ISO_DATE.match(text)
    if not match:
        return None, ImportProblem("not_iso_date")
    try:
        return date(int(match[1]), int(match[2]), int(match[3])), None
    except ValueError:
        return None, ImportProblem("no_such_date")


def unescape_formula(text: str) -> str:
    """Undo the leading apostrophe that exports put before text that a spreadsheet would run as a
    formula, so an export imports back to the same text."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def escape_formula(text: str) -> str:
    """Text that begins with = + - @, a tab or a carriage return gets a leading apostrophe, so that
    spreadsheets show it as text (exports, and the tables pages show: their CSV download)."""
    if text and text[0] in FORMULA_PREFIXES:
        return "'" + text
    return text


def _fold(name: object) -> str:
    return "".join(str(name or "").split()).lower().lstrip("\ufeff")
