"""Shared rules for tabular imports: header mapping, cell text, dates, and the row-level problem message
`row N, column C: 'value': why` (N is the row number a spreadsheet shows, the header counting as a row)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula (OWASP)


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    column: str | None
    value: object
    why: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        head = ", ".join(where)
        if self.value is None:
            return f"{head}: {self.why}" if head else self.why
        return f"{head}: '{self.value}': {self.why}" if head else f"'{self.value}': {self.why}"


class ImportRefused(ValueError):
    """A file that cannot be imported; `problems` lists every reason, nothing was written."""

    def __init__(self, source: str, problems: list[RowProblem | str]):
        self.source = source
        self.problems = [str(p) for p in problems]
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


def parse_date(value: object) -> tuple[date | None, str | None]:
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
        return None, "not a date in the form YYYY-MM-DD"
    try:
        return date(int(match[1]), int(match[2]), int(match[3])), None
    except ValueError:
        return None, "no such date in the calendar"


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
