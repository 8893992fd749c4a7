"""The 12345 work orders' import (`python -m inspections tickets import FILE`): a .csv (UTF-8 or GBK) or
.xlsx of work orders, one row a ticket (domain.ticket_rows), all or none: every row checked first, and
if any is wrong nothing is written and every problem is named by row and column as the file's header
wrote it. A new work order becomes a ticket through domain.tickets.apply ('import'); a changed row updates
its ticket with an 'import' event; a row equal to its ticket is left alone, so importing the same file
twice changes nothing. A work order's number may not be one of the app's own tickets."""
from __future__ import annotations

from pathlib import Path

from inspections.domain import ticket_rows
from inspections.domain.rows import ImportProblem, RowProblem
from inspections.domain.tickets import apply, imported_differs
from inspections.store import tickets as ticket_store
from inspections.services.data.imports import ImportReport, located_rows, refused_file
from inspections.services.requests.rules import ticket_rules
from inspections.services.shared import audit
from inspections.services.shared.context import Context


def import_work_orders(ctx: Context, path: str | Path, *, actor: str = audit.CLI_ACTOR) -> ImportReport:
    path = Path(path)
    data, positions, headers = located_rows(path, ticket_rows.COLUMNS, ticket_rows.REQUIRED)
    now = ctx.clock.instant()
    good, problems = ticket_rows.parse_rows(data, positions, ctx.catalogue, ticket_rules(), ctx.clock.zone, now)
    if problems:
        raise refused_file(path, problems, headers)
    note = f"imported from {path.name}"

    def work(cursor) -> ImportReport:
        stored = ticket_store.many(cursor, [row.ticket.id for row in good])
        taken = [RowProblem(row.row, "ticket_id", row.ticket.id, ImportProblem("ticket_id_taken"))
                 for row in good if row.ticket.id in stored and stored[row.ticket.id].requester]
        if taken:
            raise refused_file(path, taken, headers)
        created = updated = 0
        for row in good:
            before = stored.get(row.ticket.id)
            if before is not None and not imported_differs(before, row.ticket):
                continue
            changed, event = apply(before, "import", actor=actor, at=now, new=row.ticket, note=note)
            if before is None:
                ticket_store.insert(cursor, changed, event)
                created += 1
            else:
                ticket_store.save(cursor, changed, event, before)
                updated += 1
        return ImportReport(len(good), created, updated, len(good) - created - updated)
    return ctx.db.write(work)

