"""Fixes on the spot (立查立改) recorded on a visit's failed items during the walk: what was done and the
photo of it, one per item (recorded again, it replaces the earlier one); the finish turns each into a
hazard found and closed that day (services.inspector.inspecting.finish)."""
from __future__ import annotations

import duckdb

from inspections.store.database import Database, dicts_of

FIELDS = ("inspection_id", "item_id", "what_was_done", "photo_id", "recorded_by", "recorded_at")


def record(cursor: duckdb.DuckDBPyConnection, fix: dict) -> None:
    cursor.execute(f"INSERT OR REPLACE INTO spot_fixes ({', '.join(FIELDS)}) VALUES ({', '.join('?' for _ in FIELDS)})",
                   [fix[f] for f in FIELDS])


def remove(cursor: duckdb.DuckDBPyConnection, inspection_id: str, item_id: str) -> int:
    return cursor.execute("DELETE FROM spot_fixes WHERE inspection_id = ? AND item_id = ?",
                          [inspection_id, item_id]).fetchone()[0]


def of_inspection(db: Database | duckdb.DuckDBPyConnection, inspection_id: str) -> dict[str, dict]:
    """The visit's fixes by item id."""
    sql = f"SELECT {', '.join(FIELDS)} FROM spot_fixes WHERE inspection_id = ?"
    rows = db.query_dicts(sql, [inspection_id]) if isinstance(db, Database) else dicts_of(db, sql, [inspection_id])
    return {row["item_id"]: row for row in rows}
