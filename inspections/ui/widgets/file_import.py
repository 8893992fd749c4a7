"""The one way a page takes a CSV or xlsx file for an import: an uploader limited to the registry's size,
the upload written under its own name to a temporary folder (the readers name files in their errors),
and a refused import shown as its count and its table of problems (file, row, column, value, why).
The import itself is the page's service call, atomic as every import."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from inspections.domain.rows import ImportRefused
from inspections.services.office import registry
from inspections.ui.i18n import t
from inspections.ui.labels import plain
from inspections.ui.widgets.tables import import_problems_table

Report = TypeVar("Report")


def imported(label: str, key: str, run: Callable[[Path], Report]) -> Report | None:
    """`run(path)` on the uploaded file, once per upload shown; None while nothing is uploaded or when the
    import was refused (its problems are shown)."""
    upload = st.file_uploader(label, type=["csv", "xlsx"], max_upload_size=registry.MAX_UPLOAD_MB, key=key)
    if upload is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            return run(path)
        except ImportRefused as refused:
            st.error(t("reg_import_refused", name=plain(refused.source), count=len(refused.problems)))
            import_problems_table(refused)
            return None
