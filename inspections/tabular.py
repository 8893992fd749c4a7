"""Reads a .csv or .xlsx file into rows of cells for the importers. CSV may be UTF-8 (with or without
BOM) or GBK/GB18030; .xlsx date cells arrive as dates. Problems become `ImportRefused` with a message
that names the file; nothing here writes anything."""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from .domain.rows import ImportRefused

MAX_BYTES = 50 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")


def read_rows(path: str | Path, *, max_bytes: int = MAX_BYTES) -> list[tuple[int, list[object]]]:
    """Every non-blank row of the file (the first sheet of a workbook), header included, each with the
    row number a spreadsheet shows for it (1-based, blank rows counted), so that problems name the
    row the user sees."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise ImportRefused(name, [f"unsupported file type '{suffix or '(none)'}': use .csv or .xlsx"])
    if not path.is_file():
        raise ImportRefused(name, [f"no such file: {path}"])
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(name, ["the file is empty: expected a header row and data rows"])
    if size > max_bytes:
        shown = f"{size / 1048576:.1f} MB"
        if size / 1048576 < float(shown[:-3]) + 0.05 and float(shown[:-3]) * 1048576 <= max_bytes:
            shown = f"{size:,} bytes"  # rounding would hide the excess
        raise ImportRefused(name, [f"the file is {shown}; the limit is {max_bytes // 1048576} MB"])
    rows = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    rows = [(number, row) for number, row in enumerate(rows, 1) if any(cell not in (None, "") for cell in row)]
    if not rows:
        raise ImportRefused(name, ["the file is empty: expected a header row and data rows"])
    return rows


def _read_csv(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused(path.name, ["the file is neither UTF-8 nor GBK text"])
    if "\x00" in text:
        raise ImportRefused(path.name, ["the file holds binary data, not CSV text"])
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise ImportRefused(path.name, [f"not valid CSV: {error}"]) from None


def _read_xlsx(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRefused(path.name, [f"not a readable .xlsx workbook ({type(error).__name__})"]) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
