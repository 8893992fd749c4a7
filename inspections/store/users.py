"""User account queries (hashes only; hashing lives in services.office.accounts)."""
from __future__ import annotations

import datetime as dt

import duckdb

from inspections.store.database import Database

FIELDS = ("username", "display_name", "password_hash", "role", "department", "enterprise_code",
          "active", "failed_attempts", "locked_until", "session_version",
          "enforcement_number", "enforcement_issuer", "enforcement_valid_until")
ENFORCEMENT_FIELDS = ("username", "display_name", "department", "role", "active",
                      "enforcement_number", "enforcement_issuer", "enforcement_valid_until")


def insert(cursor: duckdb.DuckDBPyConnection, user: dict, at: dt.datetime) -> None:
    """A new account, created `at`."""
    names = [f for f in FIELDS if f in user and f != "session_version"]
    cursor.execute(f"INSERT INTO users ({', '.join(names)}, created_at) VALUES ({', '.join('?' for _ in names)}, ?)",
                   [user[n] for n in names] + [at])


def get(db: Database, username: str) -> dict | None:
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM users WHERE username = ?", [username])
    return rows[0] if rows else None


def list_all(db: Database) -> list[dict]:
    return db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM users ORDER BY role, username")


def count(db: Database) -> int:
    return db.scalar("SELECT count(*) FROM users")


def count_failure(cursor: duckdb.DuckDBPyConnection, username: str, max_failures: int,
                  locked_until: dt.datetime) -> dt.datetime | None:
    """Count one failed sign-in in the writing statement itself (parallel failures all count); the
    `max_failures`-th locks the account until `locked_until` and starts the count again. Returns the lock
    in force after this failure, if any."""
    row = cursor.execute("""UPDATE users SET
            failed_attempts = CASE WHEN failed_attempts + 1 >= ? THEN 0 ELSE failed_attempts + 1 END,
            locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END
        WHERE username = ? RETURNING locked_until""", [max_failures, max_failures, locked_until, username]).fetchone()
    return row[0] if row else None


def record_success(cursor: duckdb.DuckDBPyConnection, username: str) -> None:
    cursor.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE username = ?", [username])


def set_password(cursor: duckdb.DuckDBPyConnection, username: str, password_hash: str) -> int:
    """A new hash; the session version moves on, so sessions of the old password cannot continue."""
    return cursor.execute("UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = NULL, "
                          "session_version = session_version + 1 WHERE username = ?",
                          [password_hash, username]).fetchone()[0]


def set_active(cursor: duckdb.DuckDBPyConnection, username: str, active: bool) -> int:
    """Deactivation moves the session version on (and so does reactivation: nothing from before revives)."""
    return cursor.execute("UPDATE users SET session_version = session_version + CASE WHEN active <> ? THEN 1 "
                          "ELSE 0 END, active = ? WHERE username = ?", [active, active, username]).fetchone()[0]


def set_enforcement_id(cursor: duckdb.DuckDBPyConnection, username: str, number: str, issuer: str,
                       valid_until: dt.date) -> int:
    """Record or renew an inspector's enforcement ID; the number of inspector accounts changed (0 or 1)."""
    return cursor.execute("""UPDATE users SET enforcement_number = ?, enforcement_issuer = ?,
        enforcement_valid_until = ? WHERE username = ? AND role = 'inspector'""",
                          [number, issuer, valid_until, username]).fetchone()[0]


def enforcement_ids(cursor: duckdb.DuckDBPyConnection, usernames: list[str]) -> dict[str, dict]:
    """The accounts named, by username, with their departments and enforcement IDs (None: no ID)."""
    if not usernames:
        return {}
    rows = cursor.execute(f"SELECT {', '.join(ENFORCEMENT_FIELDS)} FROM users WHERE username IN "
                          f"({', '.join('?' for _ in usernames)})", list(usernames)).fetchall()
    return {row[0]: dict(zip(ENFORCEMENT_FIELDS, row)) for row in rows}


def inspector_usernames(cursor: duckdb.DuckDBPyConnection, usernames: list[str]) -> set[str]:
    """Which of the usernames are inspector accounts."""
    return {u for u, row in enforcement_ids(cursor, usernames).items() if row["role"] == "inspector"}
