"""Exports of the hazard ledger in the import format (.csv or .xlsx). Text that a spreadsheet would run
as a formula (leading = + - @) is written as text: a leading apostrophe in CSV, a string cell in xlsx."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from inspections.domain.ledger import EXPORT_ORDER
from inspections.domain.rows import escape_formula
from inspections.store import hazards as hazard_store
from inspections.services.shared.context import Context

TEXT_COLUMNS = {"hazard_id", "enterprise_code", "enterprise_name", "sector", "department", "level",
                "description"}


def export_hazards(ctx: Context, out: str | Path, **filters) -> int:
    """Write the ledger (or the part `filters` selects: sector, department, level, status, found_from,
    found_to) to `out` (.csv or .xlsx); returns the number of hazards written."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{out.name}: the export file must end in .csv or .xlsx")
    table = hazard_store.ledger_filtered(ctx.db, **filters)
    columns = {name: table.column(name).to_pylist() for name in EXPORT_ORDER}
    rows = list(zip(*(columns[name] for name in EXPORT_ORDER)))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    if suffix == ".csv":
        _write_csv(tmp, rows)
    else:
        _write_xlsx(tmp, rows)
    tmp.replace(out)
    return len(rows)


def _write_csv(path: Path, rows: list[tuple]) -> None:
    text_positions = [i for i, name in enumerate(EXPORT_ORDER) if name in TEXT_COLUMNS]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_ORDER)
        for row in rows:
            row = list(row)
            for i in text_positions:
                row[i] = escape_formula(row[i] or "")
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row])


def _write_xlsx(path: Path, rows: list[tuple]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("hazards")
    sheet.append(list(EXPORT_ORDER))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text begins with
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(path)


def stats_xlsx(report, labels: dict[str, str] | None = None) -> bytes:
    """The statistics table as shown (one row per group and the total), as an .xlsx workbook; rates
    are numbers formatted as percentages, empty where they have no denominator."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from inspections.domain.closure import FIGURE_NAMES
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("stats")
    sheet.append([f"by {report.by}, as of {report.as_of}, found {report.date_from or '…'} to {report.date_to or '…'}"])
    sheet.append([report.by] + list(FIGURE_NAMES))
    for group, figures in [(r.group, r.figures) for r in report.rows] + [("TOTAL", report.total)]:
        label = WriteOnlyCell(sheet, value=(labels or {}).get(group, group))
        label.data_type = "s"
        cells = [label]
        for name, value in figures.figures().items():
            cell = WriteOnlyCell(sheet, value=value)
            if name.endswith("_rate"):
                cell.number_format = "0.0%"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()