"""The audit trail's queries: one append-only row per administrative act (accounts, backups), never
updated or deleted."""
from __future__ import annotations

import datetime as dt

import duckdb

from inspections.store.database import Database

FIELDS = ("id", "occurred_at", "actor", "action", "subject", "detail")


def append(cursor: duckdb.DuckDBPyConnection, at: dt.datetime, actor: str, action: str, subject: str = "",
           detail: str = "") -> None:
    cursor.execute("INSERT INTO audit_log (occurred_at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                   [at, actor, action, subject, detail])


def recent(db: Database, limit: int = 200, action: str | None = None) -> list[dict]:
    """The newest entries first (optionally of one action)."""
    where, params = ("WHERE action = ?", [action]) if action else ("", [])
    return db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM audit_log {where} ORDER BY id DESC LIMIT ?",
                          params + [limit])
