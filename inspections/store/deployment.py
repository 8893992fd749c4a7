"""Facts about the deployment kept in its database: whether the demo seeder made it ('demo')."""
from __future__ import annotations

import duckdb

from inspections.store.database import Database


def mark(cursor: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    cursor.execute("INSERT OR REPLACE INTO deployment (key, value) VALUES (?, ?)", [key, value])


def get(db: Database, key: str) -> str | None:
    return db.scalar("SELECT max(value) FROM deployment WHERE key = ?", [key])
