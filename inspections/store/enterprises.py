"""Enterprise registry queries."""
from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from inspections.domain.enterprises import Enterprise
from inspections.store import bulk
from inspections.store.conditions import Where
from inspections.store.database import Database

FIELDS = ("code", "name", "sectors", "scenario", "address", "contact", "phone", "tier")
_UPSERT = ("ON CONFLICT (code) DO UPDATE SET "
           + ", ".join(f"{f} = excluded.{f}" for f in FIELDS[1:])
           + ", updated_at = excluded.updated_at WHERE "
           + " OR ".join(f"enterprises.{f} IS DISTINCT FROM excluded.{f}" for f in FIELDS[1:]))


SCHEMA = {"sectors": pa.list_(pa.string()), "created_at": bulk.INSTANT, "updated_at": bulk.INSTANT}


def upsert(cursor: duckdb.DuckDBPyConnection, enterprises: list[Enterprise], at: dt.datetime) -> int:
    """Insert new enterprises and update changed ones (stamped `at`); returns how many rows changed."""
    return bulk.insert(cursor, "enterprises", _columns(enterprises, at), SCHEMA, _UPSERT)


def insert_missing(cursor: duckdb.DuckDBPyConnection, enterprises: list[Enterprise], at: dt.datetime) -> int:
    """Insert the enterprises whose code is not yet known; known ones stay as they are."""
    return bulk.insert(cursor, "enterprises", _columns(enterprises, at), SCHEMA, "ON CONFLICT (code) DO NOTHING")


def _columns(enterprises: list[Enterprise], at: dt.datetime) -> dict[str, list]:
    columns = {f: [getattr(e, f) for e in enterprises] for f in FIELDS}
    columns["created_at"] = columns["updated_at"] = [at] * len(enterprises)
    return columns


def existing_codes(cursor: duckdb.DuckDBPyConnection, codes: list[str]) -> set[str]:
    if not codes:
        return set()
    table = pa.table({"code": pa.array(sorted(set(codes)), pa.string())})
    cursor.register("wanted_codes", table)
    try:
        return {row[0] for row in cursor.execute(
            "SELECT e.code FROM enterprises e JOIN wanted_codes w ON e.code = w.code").fetchall()}
    finally:
        cursor.unregister("wanted_codes")


def get(db: Database, code: str) -> Enterprise | None:
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM enterprises WHERE code = ?", [code])
    return Enterprise(**rows[0]) if rows else None


def list_all(db: Database) -> list[Enterprise]:
    return [Enterprise(**row) for row in
            db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM enterprises ORDER BY code")]


def count(db: Database) -> int:
    return db.scalar("SELECT count(*) FROM enterprises")


def search(db: Database, text: str = "", sector: str | None = None, scenario: str | None = None,
           tier: str | None = None, limit: int = 5000) -> list[Enterprise]:
    """Enterprises whose name, code, address or contact contains `text` (a plain substring: the
    user's text is a parameter, never SQL), filtered by sector, scenario and tier."""
    where = Where()
    if text.strip():
        where.add("(contains(name, ?) OR contains(code, upper(?)) OR contains(address, ?) OR contains(contact, ?))",
                  *[text.strip()] * 4)
    where.when(sector, "list_contains(sectors, ?)")
    where.when(scenario, "scenario = ?")
    where.when(tier, "tier = ?")
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM enterprises WHERE {where.sql} "
                          f"ORDER BY name LIMIT {int(limit)}", where.params)
    return [Enterprise(**row) for row in rows]
