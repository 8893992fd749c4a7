"""Reads a .csv or .xlsx file into rows of cells for the importers. CSV may be UTF-8 (with or without
BOM) or GBK/GB18030; .xlsx date cells arrive as dates. Problems become `ImportRefused` with a message
that names the file; nothing here writes anything.

A small file must not take a large memory: both formats are streamed row by row, and only rows with a
value are kept. A workbook's declared size (its <dimension>, often stale, sometimes A1:XFD1048576) is
ignored: the rows are read as they are in the sheet. The limits, each refused with a message that names
it: at most MAX_BYTES on disk, MAX_UNPACKED unpacked from an .xlsx, MAX_LINES lines (blank ones included;
as many rows as a spreadsheet has), MAX_DATA_ROWS data rows (below the header), values in the first
MAX_COLUMNS columns only (empty cells further right are dropped, a value there is refused), and
MAX_ROW_CHARS characters in one CSV row."""
from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from inspections.domain.rows import ImportProblem, ImportRefused, RowProblem

MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_DATA_ROWS = 100_000   # the district's ledger is a few thousand hazards a year; the benchmark imports 100,000
MAX_COLUMNS = 64          # a ledger has 11, the registry 8; extra columns are ignored, up to this many
MAX_LINES = 1_048_576     # the rows of a spreadsheet (Excel's sheet height), blank ones included
MAX_ROW_CHARS = 1_000_000
HEADER_ROOM = 10          # the header is found among the first rows (domain.rows.find_header_row)
EXTENSIONS = (".csv", ".xlsx")
ENCODINGS = ("utf-8-sig", "gb18030")


def read_rows(path: str | Path, *, max_bytes: int = MAX_BYTES) -> list[tuple[int, list[object]]]:
    """Every non-blank row of the file (the first sheet of a workbook), header included, each with the
    row number a spreadsheet shows for it (1-based, blank rows counted), so that problems name the
    row the user sees. Refuses a file with more than MAX_DATA_ROWS + HEADER_ROOM such rows (so more
    than MAX_DATA_ROWS data rows); the importer checks the exact data-row count below the header."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise ImportRefused(name, [ImportProblem("unsupported_type", suffix=suffix or "(none)")])
    if not path.is_file():
        raise ImportRefused(name, [ImportProblem("no_such_file", path=str(path))])
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(name, [ImportProblem("empty")])
    if size > max_bytes:
        shown, limit_mb = f"{size / 1048576:.1f}", max_bytes // 1048576
        if size / 1048576 < float(shown) + 0.05 and float(shown) * 1048576 <= max_bytes:
            # rounding would hide the excess
            raise ImportRefused(name, [ImportProblem("too_large_bytes", size=f"{size:,}", limit_mb=limit_mb)])
        raise ImportRefused(name, [ImportProblem("too_large", size_mb=shown, limit_mb=limit_mb)])
    rows = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    if not rows:
        raise ImportRefused(name, [ImportProblem("empty")])
    return rows


def too_many_rows(data_rows: int | None = None) -> ImportProblem:
    """The refusal of a file over MAX_DATA_ROWS data rows (`data_rows` when counted, None when the
    reader stopped early)."""
    if data_rows is None:
        return ImportProblem("too_many_rows_uncounted", limit=f"{MAX_DATA_ROWS:,}")
    return ImportProblem("too_many_rows", count=f"{data_rows:,}", limit=f"{MAX_DATA_ROWS:,}")


def _kept_rows(name: str, rows: Iterable[list[object] | tuple]) -> list[tuple[int, list[object]]]:
    """The rows with a value, numbered as a spreadsheet numbers them, trimmed to MAX_COLUMNS; none of
    the blank ones is kept. Stops at the first row over a limit."""
    kept: list[tuple[int, list[object]]] = []
    most = MAX_DATA_ROWS + HEADER_ROOM
    number = 0
    for number, cells in enumerate(rows, 1):
        if number > MAX_LINES:
            raise ImportRefused(name, [ImportProblem("too_many_lines", limit=f"{MAX_LINES:,}")])
        if not any(cell is not None and cell != "" for cell in cells):
            continue
        if len(cells) > MAX_COLUMNS:
            beyond = next((i for i in range(len(cells) - 1, MAX_COLUMNS - 1, -1)
                           if cells[i] is not None and cells[i] != ""), None)
            if beyond is not None:
                raise ImportRefused(name, [RowProblem(number, None, None, ImportProblem(
                    "too_many_columns", position=_column(name, beyond), limit=MAX_COLUMNS))])
            cells = cells[:MAX_COLUMNS]
        if len(kept) == most:
            raise ImportRefused(name, [too_many_rows()])
        kept.append((number, list(cells)))
    return kept


def _column(name: str, index: int) -> str:
    """Column `index` (0-based) as the user's program names it: a letter in a workbook, a number in CSV."""
    if not name.lower().endswith(".xlsx"):
        return str(index + 1)
    from openpyxl.utils import get_column_letter
    return f"{get_column_letter(index + 1)} ({index + 1})"


def _read_csv(path: Path) -> list[tuple[int, list[object]]]:
    """Streamed with the csv module, as UTF-8 and, failing that anywhere in the file, as GB18030."""
    for encoding in ENCODINGS:
        try:
            with path.open("r", encoding=encoding, newline="") as handle:
                lines = _LineGuard(path.name, handle)
                return _kept_rows(path.name, lines.rows(csv.reader(lines)))
        except UnicodeDecodeError:
            continue
        except csv.Error as error:
            raise ImportRefused(path.name, [ImportProblem("not_csv", error=str(error))]) from None
    raise ImportRefused(path.name, [ImportProblem("not_text")])


class _LineGuard:
    """The file's lines for csv.reader, refusing binary data (NUL) and a row longer than MAX_ROW_CHARS
    (one line or several joined by quotes) before the reader splits it into cells."""

    def __init__(self, name: str, handle):
        self.name, self.handle = name, handle
        self.row_chars, self.rows_done = 0, 0

    def __iter__(self) -> Iterator[str]:
        for line in self.handle:
            if "\x00" in line:
                raise ImportRefused(self.name, [ImportProblem("binary")])
            self.row_chars += len(line)
            if self.row_chars > MAX_ROW_CHARS:
                raise ImportRefused(self.name, [RowProblem(self.rows_done + 1, None, None, ImportProblem(
                    "row_too_long", limit=f"{MAX_ROW_CHARS:,}"))])
            yield line

    def rows(self, reader) -> Iterator[list[str]]:
        for cells in reader:
            self.rows_done += 1
            self.row_chars = 0
            yield cells


def _read_xlsx(path: Path) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRefused(path.name, [ImportProblem("not_xlsx", error=type(error).__name__)]) from None
    if unpacked > MAX_UNPACKED:
        raise ImportRefused(path.name, [ImportProblem("unpacks_too_large", size_mb=f"{unpacked / 1048576:.1f}",
                                                      limit_mb=MAX_UNPACKED // 1048576)])
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRefused(path.name, [ImportProblem("not_xlsx", error=type(error).__name__)]) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()   # the declared size may be stale or huge: read the rows as they are
        return _kept_rows(path.name, sheet.iter_rows(values_only=True))
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError, EOFError) as error:  # SyntaxError: broken XML
        raise ImportRefused(path.name, [ImportProblem("not_xlsx", error=type(error).__name__)]) from None
    finally:
        workbook.close()
