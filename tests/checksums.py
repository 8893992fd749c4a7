"""What "nothing changed" means, by content rather than by row counts: a checksum of every table's full
contents (an update that keeps the count, such as a visit checked in or finished, changes it).

Each row is cast to text as a whole (`CAST(t AS VARCHAR)` of the row, every column, lists and
timestamps included), hashed with md5, and the table's hashes are joined in sorted order and hashed
again, so the checksum does not depend on the order DuckDB returns rows in. (DuckDB's own `hash` over a
row is not portable across versions, and `bit_xor(hash(columns(*)))` yields one value per column and
cancels out rows that are there twice.)"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

ROW_MD5 = "md5(CAST(t AS VARCHAR))"
# Columns any signed-in request moves (a session's last_seen_at): left out where pages or routes run.
CHANGED_BY_ANY_REQUEST = {"sessions": ("last_seen_at",)}


def table_checksums(query: Callable[[str], list[tuple]],
                    skip_columns: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, tuple[int, str | None]]:
    """{table: (row count, checksum of its contents)} for every table of the database `query` reads
    (a function running SQL and returning rows, such as Database.query). `skip_columns` names columns
    left out of a table's checksum (a session's last_seen_at, which every request moves)."""
    skip_columns = skip_columns or {}
    tables = [row[0] for row in query("SELECT table_name FROM information_schema.tables "
                                      "WHERE table_type = 'BASE TABLE' ORDER BY 1")]
    sums = {}
    for table in tables:
        skipped = skip_columns.get(table)
        columns = f"* EXCLUDE ({', '.join(skipped)})" if skipped else "*"
        sums[table] = tuple(query(f"""SELECT count(*), md5(string_agg({ROW_MD5}, ',' ORDER BY {ROW_MD5}))
            FROM (SELECT {columns} FROM "{table}") t""")[0])
    return sums


def changed(before: dict, after: dict) -> list[str]:
    """The tables whose contents differ (or that appeared or went)."""
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def file_checksums(path: Path, skip_columns: Mapping[str, tuple[str, ...]] | None = None) -> dict:
    """table_checksums of the database file at `path`, read on a read-only connection of its own (for a
    file no process of this one holds open: a CLI run's database, a restored copy)."""
    import duckdb
    with duckdb.connect(str(path), read_only=True) as connection:
        return table_checksums(lambda sql: connection.execute(sql).fetchall(), skip_columns)


def row_counts(sums: dict) -> dict[str, int]:
    """{table: row count} from table_checksums' result."""
    return {table: count for table, (count, _) in sums.items()}
