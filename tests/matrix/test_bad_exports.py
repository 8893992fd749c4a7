"""The bad-input matrix (tests/matrix/helpers.py), the exports: text a spreadsheet would run as a formula is
written as text."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspections.services.data import exports, imports
from inspections.services.data.stats import closure_stats
from tests.conftest import write_csv
from tests.matrix.conftest import TODAY, copy_template, new_code
from tests.matrix.helpers import HEADER, ZH_HEADER, ledger

ZH_FIELDS = dict(zip(ZH_HEADER, HEADER, strict=True))   # the export's Chinese header -> the field


FORMULAS = {"equals": "=HYPERLINK(\"http://evil.example\",\"点我\")", "plus": "+SUM(1,2)",
            "minus": "-2+3*cmd|' /C calc'!A0", "at": "@SUM(A1:A9)"}


@pytest.fixture(scope="module")
def formula_exports(template, catalogue, tmp_path_factory):
    """A copy whose ledger holds hazards and enterprises named like formulas, exported both ways."""
    from tests.matrix.conftest import open_ctx
    folder = tmp_path_factory.mktemp("formulas")
    ctx = open_ctx(copy_template(template, folder / "db"), catalogue)
    rows = [ledger(f"FX-{key}", ent=new_code(80 + n), name=text, desc=text) for n, (key, text) in
            enumerate(FORMULAS.items())]
    imports.import_hazards(ctx, write_csv(folder / "formulas.csv", HEADER, rows))
    outputs = {}
    for suffix in (".csv", ".xlsx"):
        exports.export_hazards(ctx, folder / f"ledger{suffix}")
        outputs[suffix] = folder / f"ledger{suffix}"
    report = closure_stats(ctx, "enterprise", TODAY)
    labels = {row.group: FORMULAS[list(FORMULAS)[n % len(FORMULAS)]] for n, row in enumerate(report.rows)}
    outputs["stats"] = exports.stats_xlsx(report, labels)
    outputs["labels"] = labels
    ctx.close()
    return outputs


def _csv_row(path: Path, hazard_id: str) -> dict:
    """The exported row of the hazard by field name (the office's export has the Chinese header)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        fields = [ZH_FIELDS[name] for name in next(rows)]
        return next(dict(zip(fields, row, strict=True)) for row in rows if row[0] == hazard_id)


def _xlsx_row(path: Path, hazard_id: str) -> dict:
    sheet = load_workbook(path).active
    header = [ZH_FIELDS[c.value] for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == hazard_id)
    return dict(zip(header, row, strict=False))


@pytest.mark.parametrize("column", ["description", "enterprise_name"])
@pytest.mark.parametrize("key", FORMULAS)
def test_csv_export_puts_an_apostrophe_before_formula_text(formula_exports, key, column):
    assert _csv_row(formula_exports[".csv"], f"FX-{key}")[column] == "'" + FORMULAS[key]


@pytest.mark.parametrize("column", ["description", "enterprise_name"])
@pytest.mark.parametrize("key", FORMULAS)
def test_xlsx_export_writes_formula_text_as_a_string_cell(formula_exports, key, column):
    cell = _xlsx_row(formula_exports[".xlsx"], f"FX-{key}")[column]
    assert (cell.data_type, cell.value) == ("s", FORMULAS[key])


@pytest.mark.parametrize("key", FORMULAS)
def test_statistics_workbook_writes_formula_labels_as_string_cells(formula_exports, key):
    sheet = load_workbook(io.BytesIO(formula_exports["stats"])).active
    cells = [row[0] for row in sheet.iter_rows(min_row=3)]
    labelled = [c for c in cells if c.value == FORMULAS[key]]
    assert labelled and all(c.data_type == "s" for c in labelled)
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
