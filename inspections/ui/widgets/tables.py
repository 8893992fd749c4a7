"""Every table a page shows goes through `table`: st.dataframe of rows (dicts of column -> value), with
text that a spreadsheet would run as a formula (beginning with = + - @, a tab or a carriage return: the
OWASP CSV-injection rule) given a leading apostrophe. The table's toolbar downloads it as CSV and copies
cells to the clipboard, and what people typed or imported (an enterprise's name, a hazard's description,
a note) must open in Excel as the text it is. Only text is escaped: numbers, negative ones too, dates and
None stay what they are."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from inspections import messages
from inspections.domain.rows import ImportRefused, escape_formula
from inspections.ui.i18n import lang, t


def safe_cell(value: object) -> object:
    """The value as a table shows it: text a spreadsheet would run gets a leading apostrophe."""
    return escape_formula(value) if isinstance(value, str) else value


def table(rows: Iterable[Mapping[str, object]], **options):
    """st.dataframe of `rows`, each cell through `safe_cell`; index hidden and full width unless
    `options` say otherwise (they are st.dataframe's: key, on_select, selection_mode ...). Returns what
    st.dataframe returns (the selection, with on_select)."""
    shown = [{column: safe_cell(value) for column, value in row.items()} for row in rows]
    return st.dataframe(shown, **{"hide_index": True, "width": "stretch", **options})


def import_problems_table(refused: ImportRefused, **options):
    """The problems of a refused import, one a row, in the page's language: the file, the row, the column
    as the file's header wrote it, the value and why."""
    return table([{t("import_col_file"): refused.source, t("import_col_row"): problem.row,
                   t("import_col_column"): problem.column, t("import_col_value"): problem.value,
                   t("import_col_why"): messages.import_why(problem, lang())} for problem in refused.problems],
                 **options)
