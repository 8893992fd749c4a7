"""Whole-database backup and restore with DuckDB's EXPORT DATABASE / IMPORT DATABASE (Parquet files plus
the schema and load scripts): readable by any DuckDB, independent of the file format's version."""
from __future__ import annotations

from pathlib import Path

import duckdb

from .database import Database, StoreError

MARKERS = ("schema.sql", "load.sql")


def export_database(db: Database, folder: Path) -> None:
    db.checkpoint()
    db.cursor().execute(f"EXPORT DATABASE '{_quoted(folder)}' (FORMAT parquet)")


def import_database(target: Path, folder: Path) -> None:
    """Build a new database file at `target` (which must not exist) from an exported folder."""
    missing = [name for name in MARKERS if not (folder / name).is_file()]
    if missing:
        raise StoreError(f"{folder} is not a backup: {', '.join(missing)} missing")
    connection = duckdb.connect(str(target))
    try:
        connection.execute(f"IMPORT DATABASE '{_quoted(folder)}'")
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
