"""Sign-in sessions: one row per sign-in, found by its id (the tab's handle) or by the hash of its
cookie's token. Tokens themselves are never stored."""
from __future__ import annotations

import datetime as dt

import duckdb

from inspections.store.database import Database

FIELDS = ("id", "username", "cookie_hash", "ticket_hash", "ticket_expires_at", "created_at", "last_seen_at",
          "ended_at", "ended_why", "session_version")


def insert(cursor: duckdb.DuckDBPyConnection, session: dict) -> None:
    names = [f for f in FIELDS if f in session]
    cursor.execute(f"INSERT INTO sessions ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                   [session[n] for n in names])


def by_id(db: Database, session_id: str) -> dict | None:
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM sessions WHERE id = ?", [session_id])
    return rows[0] if rows else None


def by_cookie(db: Database, cookie_hash: str) -> dict | None:
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM sessions WHERE cookie_hash = ?", [cookie_hash])
    return rows[0] if rows else None


def adopt(cursor: duckdb.DuckDBPyConnection, ticket_hash: str, cookie_hash: str, at: dt.datetime) -> int:
    """Give the session whose live ticket this is its cookie (once: the ticket is spent); 1 or 0."""
    return cursor.execute("""UPDATE sessions SET cookie_hash = ?, ticket_hash = NULL, ticket_expires_at = NULL
        WHERE ticket_hash = ? AND ticket_expires_at >= ? AND ended_at IS NULL AND cookie_hash IS NULL""",
                          [cookie_hash, ticket_hash, at]).fetchone()[0]


def touch(cursor: duckdb.DuckDBPyConnection, session_id: str, at: dt.datetime) -> None:
    cursor.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL", [at, session_id])


def end(cursor: duckdb.DuckDBPyConnection, session_id: str, why: str, at: dt.datetime) -> int:
    return cursor.execute("UPDATE sessions SET ended_at = ?, ended_why = ? WHERE id = ? AND ended_at IS NULL",
                          [at, why, session_id]).fetchone()[0]


def end_for_user(cursor: duckdb.DuckDBPyConnection, username: str, why: str, at: dt.datetime) -> int:
    return cursor.execute("""UPDATE sessions SET ended_at = ?, ended_why = ? WHERE username = ?
        AND ended_at IS NULL""", [at, why, username]).fetchone()[0]
