"""Photo records: where each stored image lives and whose premises it shows."""
from __future__ import annotations

import duckdb

from inspections.store.database import Database

FIELDS = ("id", "enterprise_code", "inspection_id", "hazard_id", "purpose", "path", "bytes", "width",
          "height", "uploaded_by", "uploaded_at")


def insert(cursor: duckdb.DuckDBPyConnection, photo: dict) -> None:
    cursor.execute(f"INSERT INTO photos ({', '.join(FIELDS)}) VALUES ({', '.join('?' for _ in FIELDS)})",
                   [photo.get(f) for f in FIELDS])


def get(db: Database, photo_id: str) -> dict | None:
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM photos WHERE id = ?", [photo_id])
    return rows[0] if rows else None


def many(db: Database, photo_ids: list[str]) -> list[dict]:
    if not photo_ids:
        return []
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM photos WHERE list_contains(?, id)", [photo_ids])
    order = {pid: n for n, pid in enumerate(photo_ids)}
    return sorted(rows, key=lambda row: order[row["id"]])
