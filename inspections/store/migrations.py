"""Versioned schema migrations. Each step runs once, in order, inside the opening transaction; the
`schema_migrations` table records which have run. The steps themselves are data in schema_foundation
(1 to 10) and schema_record_and_requests (11 on); add a step at the end of the newest; never edit a
released one."""
from __future__ import annotations

import datetime as dt

import duckdb

from inspections.store.schema_foundation import FOUNDATION_STEPS
from inspections.store.schema_record_and_requests import RECORD_AND_REQUEST_STEPS

MIGRATIONS: list[tuple[int, str, str]] = FOUNDATION_STEPS + RECORD_AND_REQUEST_STEPS

LATEST = MIGRATIONS[-1][0]


def current_version(cursor: duckdb.DuckDBPyConnection) -> int:
    exists = cursor.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'").fetchone()[0]
    if not exists:
        return 0
    return cursor.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def migrate(cursor: duckdb.DuckDBPyConnection, at: dt.datetime, until: int | None = None) -> list[int]:
    """Apply every step newer than the database's version (up to `until`, if given: a restore builds the
    schema of the backup's version first), recording `at` (the context's clock); return the versions
    applied."""
    cursor.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)""")
    have = current_version(cursor)
    applied = []
    for version, description, sql in MIGRATIONS:
        if version > have and (until is None or version <= until):
            cursor.execute(sql)
            cursor.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                           [version, description, at])
            applied.append(version)
    return applied
