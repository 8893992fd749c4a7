"""Bulk writes through Arrow: a list of rows becomes one `INSERT ... SELECT` (hundreds of thousands of
rows a second, where row-by-row inserts manage a few thousand)."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa

_names = itertools.count()


def arrow_table(columns: dict[str, list], schema: dict[str, pa.DataType] | None = None) -> pa.Table:
    schema = schema or {}
    return pa.table({name: pa.array(values, type=schema.get(name)) for name, values in columns.items()})


@contextmanager
def staged(cursor: duckdb.DuckDBPyConnection, columns: dict[str, list],
           schema: dict[str, pa.DataType] | None = None) -> Iterator[str]:
    """The rows given column-wise as a relation the cursor can query by the name yielded."""
    name = f"staged_{next(_names)}"
    cursor.register(name, arrow_table(columns, schema))
    try:
        yield name
    finally:
        cursor.unregister(name)


def insert(cursor: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list],
           schema: dict[str, pa.DataType] | None = None, suffix: str = "") -> int:
    """Insert the rows given column-wise; returns the number of rows. `suffix` may add ON CONFLICT."""
    if not columns or not len(next(iter(columns.values()))):
        return 0
    with staged(cursor, columns, schema) as rows:
        names = ", ".join(columns)
        result = cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {rows} {suffix}").fetchone()
        return result[0] if result else 0
