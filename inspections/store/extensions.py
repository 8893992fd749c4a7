"""Deadline extension requests for major hazards: asked by the enterprise, decided by the office."""
from __future__ import annotations

import duckdb

from inspections.store.database import Database, dicts_of

FIELDS = ("id", "hazard_id", "enterprise_code", "requested_by", "requested_at", "current_deadline",
          "requested_deadline", "reason", "status", "decided_by", "decided_at", "decided_deadline",
          "decision_note")


def insert(cursor: duckdb.DuckDBPyConnection, request: dict) -> None:
    names = [f for f in FIELDS if f in request]
    cursor.execute(f"INSERT INTO extension_requests ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                   [request[n] for n in names])


def for_hazards(db: Database, hazard_ids: list[str]) -> dict[str, list[dict]]:
    if not hazard_ids:
        return {}
    rows = db.query_dicts(f"""SELECT {', '.join(FIELDS)} FROM extension_requests
        WHERE list_contains(?, hazard_id) ORDER BY requested_at""", [hazard_ids])
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["hazard_id"], []).append(row)
    return grouped


def pending_for(source: Database | duckdb.DuckDBPyConnection, hazard_id: str) -> dict | None:
    """The hazard's pending extension request, from the database or through a writing transaction's cursor."""
    cursor = source.cursor() if isinstance(source, Database) else source
    rows = dicts_of(cursor, f"SELECT {', '.join(FIELDS)} FROM extension_requests "
                            "WHERE hazard_id = ? AND status = 'pending'", [hazard_id])
    return rows[0] if rows else None


def pending(db: Database) -> list[dict]:
    return db.query_dicts(f"""SELECT {', '.join('x.' + f for f in FIELDS)}, e.name AS enterprise_name,
               h.found_on, h.description, h.department
        FROM extension_requests x JOIN hazards h ON h.id = x.hazard_id JOIN enterprises e ON e.code = x.enterprise_code
        WHERE x.status = 'pending' ORDER BY x.requested_at""")


def get(db: Database, request_id: str) -> dict | None:
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM extension_requests WHERE id = ?", [request_id])
    return rows[0] if rows else None


def decide(cursor: duckdb.DuckDBPyConnection, request_id: str, status: str, by: str, at, deadline, note: str) -> int:
    return cursor.execute("""UPDATE extension_requests SET status = ?, decided_by = ?, decided_at = ?,
        decided_deadline = ?, decision_note = ? WHERE id = ? AND status = 'pending'""",
                          [status, by, at, deadline, note, request_id]).fetchone()[0]
