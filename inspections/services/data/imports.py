"""Atomic imports of the enterprise registry, the hazard ledger and the inspectors' roster of
enforcement IDs (行政执法证) from .csv or .xlsx: every row is
checked first; if any is wrong, nothing is written and every problem is reported by row and column.
The file is read by inspections.readers.tabular, within its limits (at most tabular.MAX_DATA_ROWS data rows,
MAX_COLUMNS columns, MAX_BYTES on disk); a file over one is refused whole, naming the limit. A row problem
names its column as the file's header wrote it (统一社会信用代码 or enterprise_code, whichever the file has)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from inspections.domain import enforcement
from inspections.domain import enterprises as registry
from inspections.domain import ledger
from inspections.domain.enterprises import Enterprise
from inspections.domain.hazards import status_from_dates
from inspections.domain.rows import ImportProblem, ImportRefused, RowProblem, cell_text, find_header_row, map_headers
from inspections.store import enterprises as enterprise_store
from inspections.store import hazards as hazard_store
from inspections.store import users as user_store
from inspections.services.shared import audit
from inspections.readers import tabular
from inspections.readers.tabular import read_rows
from inspections.services.shared.context import Context


MAX_UPLOAD_MB = tabular.MAX_BYTES // 1048576   # the import uploaders' limit (and server.maxUploadSize)


@dataclass(frozen=True)
class ImportReport:
    rows: int
    created: int
    updated: int
    unchanged: int
    enterprises_created: int = 0

    def summary(self, what: str) -> str:
        text = (f"{self.rows} {what} rows: {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged")
        if self.enterprises_created:
            text += f"; {self.enterprises_created} new enterprises created from the ledger"
        return text


def located_rows(path: Path, columns: dict, required: tuple[str, ...]):
    """(data rows with their spreadsheet row numbers, column positions, each field's header as the file
    wrote it) or ImportRefused."""
    numbered = read_rows(path)
    header_index, missing = find_header_row([row for _, row in numbered], columns, required)
    header_number, header = numbered[header_index]
    if missing:
        accepted = "; ".join(f"{name} ({' / '.join(columns[name][1:2]) or name})" for name in missing)
        raise ImportRefused(path.name, [RowProblem(header_number, None, None,
                                                   ImportProblem("header_missing", columns=accepted))])
    positions = map_headers([str(c or "") for c in header], columns)
    data = numbered[header_index + 1:]
    if not data:
        raise ImportRefused(path.name, [ImportProblem("no_data_rows")])
    if len(data) > tabular.MAX_DATA_ROWS:
        raise ImportRefused(path.name, [tabular.too_many_rows(len(data))])
    return data, positions, {field: cell_text(header[position]) for field, position in positions.items()}


def refused_file(path: Path, problems: list[RowProblem], headers: dict[str, str]) -> ImportRefused:
    """The refusal of the file, each problem naming its column as the file's header did."""
    return ImportRefused(path.name, [problem.as_written(headers) for problem in problems])


def import_enterprises(ctx: Context, path: str | Path) -> ImportReport:
    path = Path(path)
    data, positions, headers = located_rows(path, registry.COLUMNS, registry.REQUIRED)
    good, problems = registry.parse_rows(data, positions, ctx.catalogue)
    if problems:
        raise refused_file(path, problems, headers)
    enterprises = [row.enterprise for row in good]
    at = ctx.clock.instant()
    changed = ctx.db.write(lambda cursor: _upsert_enterprises(cursor, enterprises, at))
    created, updated = changed
    return ImportReport(len(enterprises), created, updated, len(enterprises) - created - updated)


def _upsert_enterprises(cursor, enterprises: list[Enterprise], at: dt.datetime) -> tuple[int, int]:
    known = enterprise_store.existing_codes(cursor, [e.code for e in enterprises])
    changed = enterprise_store.upsert(cursor, enterprises, at)
    created = sum(e.code not in known for e in enterprises)
    return created, changed - created


def import_hazards(ctx: Context, path: str | Path, *, actor: str = "import",
                   now: dt.datetime | None = None) -> ImportReport:
    """Import a hazard ledger. Existing hazard ids are updated (equal rows are left alone); unknown
    enterprises are created from the rows, which then must carry the enterprise's name."""
    path = Path(path)
    data, positions, headers = located_rows(path, ledger.COLUMNS, ledger.REQUIRED)
    good, problems = ledger.parse_rows(data, positions, ctx.catalogue)
    if problems:
        raise refused_file(path, problems, headers)
    now = now or ctx.clock.instant()

    def work(cursor):
        known = enterprise_store.existing_codes(cursor, [row.enterprise_code for row in good])
        newcomers, missing_names = _new_enterprises(good, known, ctx.catalogue.sector_ids)
        if missing_names:
            raise refused_file(path, missing_names, headers)
        enterprise_store.insert_missing(cursor, newcomers, now)
        columns = {
            "id": [r.hazard_id for r in good], "enterprise_code": [r.enterprise_code for r in good],
            "sector": [r.sector for r in good], "department": [r.department for r in good],
            "level": [r.level for r in good], "description": [r.description for r in good],
            "found_on": [r.found_on for r in good], "deadline": [r.deadline for r in good],
            "rectified_on": [r.rectified_on for r in good], "closed_on": [r.closed_on for r in good],
            "status": [status_from_dates(r.rectified_on, r.closed_on).value for r in good],
        }
        counts = hazard_store.upsert_ledger(cursor, columns, actor=actor, at=now,
                                            note=f"imported from {path.name}")
        return ImportReport(len(good), counts["created"], counts["updated"], counts["unchanged"],
                            len(newcomers))

    return ctx.db.write(work)


def _new_enterprises(rows: list[ledger.LedgerRow], known: set[str], sector_order: list[str]):
    names: dict[str, str] = {}
    sectors: dict[str, set[str]] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        if row.enterprise_code in known:
            continue
        first_row.setdefault(row.enterprise_code, row.row)
        if row.enterprise_name and row.enterprise_code not in names:
            names[row.enterprise_code] = row.enterprise_name
        sectors.setdefault(row.enterprise_code, set()).add(row.sector)
    missing = [RowProblem(first_row[code], "enterprise_name", "", ImportProblem("name_for_new_enterprise"))
               for code in first_row if code not in names]
    newcomers = [Enterprise(code=code, name=names[code], sectors=sorted(sectors[code], key=sector_order.index))
                 for code in first_row if code in names]
    return newcomers, missing


def import_roster(ctx: Context, path: str | Path, *, actor: str = audit.CLI_ACTOR) -> ImportReport:
    """Record or renew the enforcement IDs of a roster (username, number, issuing body, valid until), all
    or none: every row checked (domain.enforcement.parse_roster), and every username an inspector
    account. Each ID recorded is in the audit trail; rows equal to what is stored are left alone."""
    path = Path(path)
    data, positions, headers = located_rows(path, enforcement.ROSTER_COLUMNS, enforcement.ROSTER_REQUIRED)
    good, problems = enforcement.parse_roster(data, positions)
    if problems:
        raise refused_file(path, problems, headers)

    def work(cursor) -> ImportReport:
        stored = user_store.enforcement_ids(cursor, [row.username for row in good])
        unknown = [RowProblem(row.row, "username", row.username, ImportProblem("not_an_inspector"))
                   for row in good if stored.get(row.username, {}).get("role") != "inspector"]
        if unknown:
            raise refused_file(path, unknown, headers)
        created = updated = 0
        for row in good:
            before, new = stored[row.username], row.credential
            if (before["enforcement_number"], before["enforcement_issuer"], before["enforcement_valid_until"]) \
                    == (new.number, new.issuer, new.valid_until):
                continue
            created += before["enforcement_number"] is None
            updated += before["enforcement_number"] is not None
            user_store.set_enforcement_id(cursor, row.username, new.number, new.issuer, new.valid_until)
            audit.record(cursor, ctx, actor, "enforcement_id_recorded", row.username,
                         f"{new.number} {new.issuer} {new.valid_until} ({path.name})")
        return ImportReport(len(good), created, updated, len(good) - created - updated)
    return ctx.db.write(work)
