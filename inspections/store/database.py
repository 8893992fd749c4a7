"""One DuckDB database file per deployment, opened once per process. Reads use a cursor per thread;
every write goes through one lock (as Datasette funnels writes through one writer) and is retried when
DuckDB reports a transaction conflict; `snapshot` runs reads in one transaction of their own (a backup
sees one consistent state while others go on writing). A file held by another process becomes
`DatabaseInUse`, whose message names the file and the holder.

The file and its WAL are its owner's alone (0600): a folder the store creates for them is 0700, and the
files are tightened when opened for writing and the WAL again after each commit (DuckDB recreates it 0644
after every checkpoint).

Time: the store never reads the clock of its own. Every connection's TimeZone is the district's (the
clock's zone), so TIMESTAMPTZ values come back as aware datetimes in district time and a cast to DATE
gives the district's day; every timestamp written is a parameter from the context's clock."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from inspections import clock as clocks
from inspections import config, owner_only
from inspections.clock import Clock
from inspections.store.group_commit import GroupCommit, WriteMany
from inspections.store.migrations import migrate

T = TypeVar("T")
RETRIES = 5
HOLDER = re.compile(r"Conflicting lock is held in (?P<program>\S+) \(PID (?P<pid>\d+)\)")


class StoreError(RuntimeError):
    """A database problem worth one clear line to the user."""


class DatabaseInUse(StoreError):
    def __init__(self, path: Path, holder: str):
        self.path, self.holder = path, holder
        super().__init__(f"database {path} is in use by another process ({holder}); "
                         "stop it (or the app) first, or name another file with --db")


def dicts_of(cursor: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> list[dict]:
    """Rows as dicts, read through `cursor`: inside a write, the writing transaction's own, so that the
    read is visibly part of it."""
    result = cursor.execute(sql, params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


class Database:
    def __init__(self, path: str | Path, *, read_only: bool = False, migrate_schema: bool = True,
                 clock: Clock | None = None):
        self.path = Path(path)
        self.clock = clock or clocks.district_clock()
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._groups: dict[WriteMany, GroupCommit] = {}
        self._groups_lock = threading.Lock()
        self._wal = self.path.with_name(self.path.name + ".wal")
        if not read_only:
            owner_only.make_dirs(self.path.parent)
            if self.path.parent == config.DEFAULT_DB_PATH.parent:   # the repository's own data folder
                owner_only.tighten(self.path.parent, owner_only.DIR_MODE)
        try:
            self._connection = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as error:
            match = HOLDER.search(str(error))
            if match or "lock" in str(error).lower():
                holder = (f"{Path(match['program']).name}, PID {match['pid']}" if match
                          else "another process")
                raise DatabaseInUse(self.path, holder) from None
            raise StoreError(f"cannot open database {self.path}: {error}") from None
        # every cursor of this connection reads and casts timestamps in the district's zone
        self._connection.execute(f"SET GLOBAL TimeZone = '{self.clock.zone.key}'")
        if migrate_schema and not read_only:
            self.write(lambda cursor: migrate(cursor, self.clock.instant()))
        if not read_only:
            owner_only.tighten(self.path)
            owner_only.tighten(self._wal)

    # -- reads ---------------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (DuckDB connections are not shared between threads)."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._connection.cursor()
            self._local.cursor = cursor
        return cursor

    def query(self, sql: str, params: object = None) -> list[tuple]:
        return self.cursor().execute(sql, params).fetchall()

    def query_dicts(self, sql: str, params: object = None) -> list[dict]:
        return dicts_of(self.cursor(), sql, params)

    def scalar(self, sql: str, params: object = None):
        row = self.cursor().execute(sql, params).fetchone()
        return row[0] if row else None

    # -- writes --------------------------------------------------------------------------------
    def write(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run `work(cursor)` in one transaction under the process's write lock; all or nothing.
        A conflict with another transaction is retried; any other error rolls back and propagates."""
        with self._write_lock:
            cursor = self.cursor()
            for attempt in range(RETRIES):
                cursor.execute("BEGIN TRANSACTION")
                try:
                    result = work(cursor)
                    cursor.execute("COMMIT")
                    owner_only.tighten(self._wal)     # one stat: DuckDB made a new WAL 0644 if it had none
                    return result
                except duckdb.TransactionException as error:
                    _rollback(cursor)
                    if "conflict" not in str(error).lower() or attempt == RETRIES - 1:
                        raise
                    time.sleep(0.01 * (attempt + 1))
                except BaseException:
                    _rollback(cursor)
                    raise
        raise AssertionError("unreachable")

    def write_grouped(self, write_many: WriteMany, row: object) -> object:
        """Write one row through `write_many(cursor, rows) -> outcomes` together with the rows other
        sessions are writing the same way at the same moment, in one transaction (see group_commit.py).
        Returns the row's outcome once it is committed; raises what writing it raised."""
        with self._groups_lock:
            group = self._groups.get(write_many)
            if group is None:
                group = self._groups[write_many] = GroupCommit(self.write, write_many)
        return group.submit(row)

    def snapshot(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run `work(cursor)` in one transaction on a cursor of its own, without the write lock: every
        statement in it sees the same committed state while other threads go on writing."""
        cursor = self._connection.cursor()
        try:
            cursor.execute("BEGIN TRANSACTION")
            try:
                result = work(cursor)
            except BaseException:
                _rollback(cursor)
                raise
            cursor.execute("COMMIT")
            return result
        finally:
            cursor.close()

    def checkpoint(self) -> None:
        with self._write_lock:
            self.cursor().execute("CHECKPOINT")

    def close(self) -> None:
        with self._write_lock:
            self._connection.close()


def _rollback(cursor: duckdb.DuckDBPyConnection) -> None:
    try:
        cursor.execute("ROLLBACK")
    except duckdb.Error:
        pass
