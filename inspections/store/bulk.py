"""Bulk writes through Arrow: a list of rows becomes one `INSERT ... SELECT` (hundreds of thousands of
rows a second, where row-by-row inserts manage a few thousand)."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa

_names = itertools.count()
# The Arrow type of a TIMESTAMPTZ column. Arrow turns an aware datetime into its UTC instant, but would
# take a naive one as UTC too (eight hours off for a district wall-clock time), so naive ones are refused.
INSTANT = pa.timestamp("us", tz="UTC")


def arrow_table(columns: dict[str, list], schema: dict[str, pa.DataType] | None = None) -> pa.Table:
    schema = schema or {}
    for name, values in columns.items():
        if schema.get(name) == INSTANT:
            _require_aware(name, values)
    return pa.table({name: pa.array(values, type=schema.get(name)) for name, values in columns.items()})


def _require_aware(name: str, values: list) -> None:
    naive = next((v for v in values if v is not None and v.tzinfo is None), None)
    if naive is not None:
        raise TypeError(f"column {name}: {naive!r} has no time zone; take times from the context's clock")


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
