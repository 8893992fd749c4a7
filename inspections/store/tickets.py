"""Ticket queries (有求必应): a ticket with its trail, a lifecycle change stored only if the ticket is
still as it was decided from (`save`, as store.hazards.save), the lists each role sees, the enterprises
assigned to a service specialist, and the few columns the rates count (domain.ticket_rates)."""
from __future__ import annotations

import datetime as dt

import duckdb

from inspections.domain.ticket_rates import TicketTimes
from inspections.domain.tickets import Ticket, TicketEvent
from inspections.store.database import Database

FIELDS = tuple(Ticket.model_fields)
EVENT_FIELDS = tuple(TicketEvent.model_fields)
RATE_FIELDS = ("department", "category", "source", "received_at", "signed_at", "due_on", "replied_at",
               "called_back_at", "resolved", "callback", "merged_into")
assert RATE_FIELDS == tuple(f.name for f in TicketTimes.__dataclass_fields__.values())


def _value(value):
    return value.value if hasattr(value, "value") else value


def next_number(cursor: duckdb.DuckDBPyConnection) -> int:
    return cursor.execute("SELECT nextval('ticket_number')").fetchone()[0]


def insert(cursor: duckdb.DuckDBPyConnection, ticket: Ticket, event: TicketEvent) -> None:
    cursor.execute(f"INSERT INTO tickets ({', '.join(FIELDS)}) VALUES ({', '.join('?' for _ in FIELDS)})",
                   [_value(getattr(ticket, f)) for f in FIELDS])
    insert_event(cursor, event)


def insert_event(cursor: duckdb.DuckDBPyConnection, event: TicketEvent) -> None:
    cursor.execute(f"INSERT INTO ticket_events ({', '.join(EVENT_FIELDS)}) "
                   f"VALUES ({', '.join('?' for _ in EVENT_FIELDS)})", [_value(getattr(event, f)) for f in EVENT_FIELDS])


def save(cursor: duckdb.DuckDBPyConnection, ticket: Ticket, event: TicketEvent, before: Ticket) -> int:
    """Store the ticket's new state and its event in the caller's transaction, provided the stored ticket is
    still `before` (the ticket as read) in every field. Returns 1; 0 when it changed meanwhile, and then
    nothing was written: the caller refuses (domain.refusals.ChangedMeanwhile)."""
    names = FIELDS[1:]
    assignments = ", ".join(f"{f} = ?" for f in names)
    guarded = " AND ".join(f"{f} IS NOT DISTINCT FROM ?" for f in names)
    changed = cursor.execute(f"UPDATE tickets SET {assignments} WHERE id = ? AND {guarded}",
                             [_value(getattr(ticket, f)) for f in names] + [ticket.id]
                             + [_value(getattr(before, f)) for f in names]).fetchone()[0]
    if changed == 1:
        insert_event(cursor, event)
    return changed


def _tickets(rows: list[dict]) -> list[Ticket]:
    return [Ticket(**row) for row in rows]


def get(db: Database, ticket_id: str) -> Ticket | None:
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM tickets WHERE id = ?", [ticket_id])
    return Ticket(**rows[0]) if rows else None


def many(cursor: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Ticket]:
    """The stored tickets among `ids`, by id (the importer's read of what a file would change)."""
    if not ids:
        return {}
    result = cursor.execute(f"SELECT {', '.join(FIELDS)} FROM tickets WHERE id IN (SELECT unnest(?))", [ids])
    names = [d[0] for d in result.description]
    return {row[0]: Ticket(**dict(zip(names, row))) for row in result.fetchall()}


def events(db: Database, ticket_id: str) -> list[TicketEvent]:
    rows = db.query_dicts(f"SELECT {', '.join(EVENT_FIELDS)} FROM ticket_events WHERE ticket_id = ? "
                          "ORDER BY occurred_at, rowid", [ticket_id])
    return [TicketEvent(**row) for row in rows]


ORDER = "ORDER BY (status = 'closed'), received_at DESC, id"


def raised_by(db: Database, username: str) -> list[Ticket]:
    """What this account raised (a grid worker's reports)."""
    return _tickets(db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM tickets WHERE requester = ? {ORDER}",
                                   [username]))


def of_enterprises(db: Database, codes: list[str]) -> list[Ticket]:
    """The tickets about these enterprises (an enterprise's own requests; a specialist's enterprises')."""
    if not codes:
        return []
    return _tickets(db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM tickets "
                                   f"WHERE enterprise_code IN (SELECT unnest(?)) {ORDER}", [list(codes)]))


def of_department(db: Database, department: str) -> list[Ticket]:
    """What was assigned to the department (its inbox: assigned and later; not what is only triaged to it)."""
    return _tickets(db.query_dicts(f"""SELECT {', '.join(FIELDS)} FROM tickets WHERE department = ?
        AND status NOT IN ('received', 'triaged') {ORDER}""", [department]))


def all_tickets(db: Database, *, status: str | None = None) -> list[Ticket]:
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    return _tickets(db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM tickets {where} {ORDER}", params))


def rate_rows(db: Database) -> list[TicketTimes]:
    """What the rates read of every ticket (domain.ticket_rates counts them)."""
    rows = db.query(f"SELECT {', '.join(RATE_FIELDS)} FROM tickets")
    return [TicketTimes(*row) for row in rows]


def specialist_enterprises(db: Database, username: str) -> list[str]:
    return [row[0] for row in db.query("SELECT enterprise_code FROM specialist_enterprises WHERE username = ? "
                                       "ORDER BY enterprise_code", [username])]


def assign_enterprise(cursor: duckdb.DuckDBPyConnection, username: str, enterprise_code: str, by: str,
                      at: dt.datetime) -> int:
    """Give a specialist an enterprise to look after; 0 when it was theirs already."""
    return cursor.execute("""INSERT INTO specialist_enterprises (username, enterprise_code, assigned_at, assigned_by)
        VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""", [username, enterprise_code, at, by]).fetchone()[0]
