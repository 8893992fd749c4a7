"""Exports of the hazard ledger in the import format (.csv or .xlsx). The office opens it in Excel or WPS,
so by default (`lang="zh"`) the headers are the ledger's Chinese column names and sectors, departments and
levels their Chinese names (道路交通, 交通运输局, 一般), all of which the importer reads back; `lang="en"`
writes the field names and ids instead (the command line's `--lang en`). Text that a spreadsheet would run
as a formula (leading = + - @) is written as text: a leading apostrophe in CSV, a string cell in xlsx."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from inspections.domain.hazards import LEVEL_NAMES
from inspections.domain.ledger import COLUMNS, EXPORT_ORDER
from inspections.domain.rows import escape_formula
from inspections.store import hazards as hazard_store
from inspections.services.shared.context import Context

TEXT_COLUMNS = {"hazard_id", "enterprise_code", "enterprise_name", "sector", "department", "level",
                "description"}
LANGUAGES = ("zh", "en")
SHEET_NAMES = {"zh": "隐患台账", "en": "hazards"}


def headers(lang: str = "zh") -> list[str]:
    """The ledger's header row: the Chinese column names (zh) or the field names (en)."""
    return [COLUMNS[name][1] if lang == "zh" else name for name in EXPORT_ORDER]


def export_hazards(ctx: Context, out: str | Path, *, lang: str = "zh", **filters) -> int:
    """Write the ledger (or the part `filters` selects: sector, department, level, status, found_from,
    found_to) to `out` (.csv or .xlsx), in Chinese or with English headers and ids (`lang`); returns
    the number of hazards written."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{out.name}: the export file must end in .csv or .xlsx")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}': use zh or en")
    table = hazard_store.ledger_filtered(ctx.db, **filters)
    columns = {name: table.column(name).to_pylist() for name in EXPORT_ORDER}
    if lang == "zh":
        columns.update(_chinese_names(ctx, columns))
    rows = list(zip(*(columns[name] for name in EXPORT_ORDER)))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    if suffix == ".csv":
        _write_csv(tmp, rows, headers(lang))
    else:
        _write_xlsx(tmp, rows, headers(lang), SHEET_NAMES[lang])
    tmp.replace(out)
    return len(rows)


def _chinese_names(ctx: Context, columns: dict[str, list]) -> dict[str, list]:
    """The sector, department and level columns by their Chinese names (an id the catalogue no longer
    knows stays as it is)."""
    catalogue = ctx.catalogue
    sectors = {s.id: s.title.zh for s in catalogue.sectors}
    departments = {d.id: d.title.zh for d in catalogue.departments}
    levels = {level.value: name for level, name in LEVEL_NAMES.items()}
    return {"sector": [sectors.get(v, v) for v in columns["sector"]],
            "department": [departments.get(v, v) for v in columns["department"]],
            "level": [levels.get(v, v) for v in columns["level"]]}


def _write_csv(path: Path, rows: list[tuple], header: list[str]) -> None:
    text_positions = [i for i, name in enumerate(EXPORT_ORDER) if name in TEXT_COLUMNS]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            row = list(row)
            for i in text_positions:
                row[i] = escape_formula(row[i] or "")
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row])


def _write_xlsx(path: Path | io.BytesIO, rows: list[tuple], header: list[str], sheet_name: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(header)
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


SUPERVISED_FIELDS = ("id", "enterprise_name", "level", "description", "found_on", "deadline", "status",
                     "supervising_unit", "supervisor", "supervision_deadline")


def supervised_xlsx(rows: list[dict], header: list[str], sheet_name: str) -> bytes:
    """The supervised hazards (挂牌督办: services.office.oversight.supervised, values as the page labels
    them), one a row in SUPERVISED_FIELDS' order under `header`, as an .xlsx workbook (text never a
    formula)."""
    buffer = io.BytesIO()
    _write_xlsx(buffer, [tuple(row[f] for f in SUPERVISED_FIELDS) for row in rows], header, sheet_name)
    return buffer.getvalue()


def stats_xlsx(report, labels: dict[str, str] | None = None, *, heading: str | None = None,
               columns: list[str] | None = None, total: str = "TOTAL") -> bytes:
    """The statistics table as shown (one row per group and the total), as an .xlsx workbook; rates
    are numbers formatted as percentages, empty where they have no denominator. The page gives the
    words in its language: `labels` of the groups, the `heading` line, the `columns` (the group's, then
    one per figure of FIGURE_NAMES) and the `total` row's label; without them, the field names."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from inspections.domain.closure import FIGURE_NAMES
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("stats")
    sheet.append([heading or f"by {report.by}, as of {report.as_of}, found {report.date_from or '…'} to "
                             f"{report.date_to or '…'}"])
    sheet.append(columns or [report.by] + list(FIGURE_NAMES))
    for group, figures in [(r.group, r.figures) for r in report.rows] + [(None, report.total)]:
        label = WriteOnlyCell(sheet, value=total if group is None else (labels or {}).get(group, group))
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