"""Queries of a visit's check-in record: how it was checked in, and the proof of presence given."""
from __future__ import annotations

import datetime as dt

import duckdb

from inspections.store.database import Database


def confirm(cursor: duckdb.DuckDBPyConnection, inspection_id: str, proof: str, at: dt.datetime,
            username: str) -> int:
    """Record the proof once, on a visit checked in and not yet confirmed; 1 or 0 rows."""
    return cursor.execute("""UPDATE inspections SET presence_proof = ?, presence_confirmed_at = ?,
            presence_confirmed_by = ?
        WHERE id = ? AND presence_proof IS NULL AND status IN ('in_progress', 'completed')""",
                          [proof, at, username, inspection_id]).fetchone()[0]


def record_of(db: Database, inspection_id: str) -> dict | None:
    rows = db.query_dicts("""SELECT i.checkin_method, i.checked_in_at, i.checked_in_by, i.presence_proof,
            i.presence_confirmed_at, i.presence_confirmed_by,
            coalesce(u.display_name, i.presence_confirmed_by) AS presence_confirmed_by_name
        FROM inspections i LEFT JOIN users u ON u.username = i.presence_confirmed_by WHERE i.id = ?""",
                          [inspection_id])
    return rows[0] if rows else None


def methods(db: Database, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Visits checked in between two dates (inclusive, by the district's day), by check-in method: how
    many, and how many of them with a proof of presence."""
    return db.query_dicts("""SELECT checkin_method AS method, count(*) AS visits,
            count(presence_proof) AS with_proof
        FROM inspections WHERE checked_in_at IS NOT NULL
          AND CAST(checked_in_at AS DATE) BETWEEN ? AND ?
        GROUP BY checkin_method ORDER BY visits DESC, method""", [date_from, date_to])
