"""Group commit for small writes that arrive from many sessions at once (an inspector's every answer).

One DuckDB statement costs about the same for one row as for fifty, so writing each answer in its own
transaction caps the whole process at ~150 answers a second and makes 50 inspectors queue behind each
other. Here each caller queues its row and waits; whichever caller gets the leader's turn first writes
every queued row in one transaction, then wakes the others (the leader-based group commit of database
write-ahead logs). A caller returns only after the transaction holding its row committed, so an
acknowledged answer is a durable one. `write_many` returns one outcome per row (what `submit` returns
to that row's caller: for answers, None or the status that refused it). If a batch fails, its rows are written one by one so that each
caller gets its own error and one bad row cannot refuse the others'."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

import duckdb

Row = TypeVar("Row")
WriteMany = Callable[[duckdb.DuckDBPyConnection, list], list]


class _Ticket(Generic[Row]):
    __slots__ = ("row", "done", "outcome", "error")

    def __init__(self, row: Row):
        self.row = row
        self.done = False
        self.outcome: object = None
        self.error: BaseException | None = None


class GroupCommit(Generic[Row]):
    def __init__(self, write: Callable[[Callable[[duckdb.DuckDBPyConnection], object]], object],
                 write_many: WriteMany):
        self._write = write                  # Database.write: one transaction under the write lock
        self._write_many = write_many
        self._queue: list[_Ticket[Row]] = []
        self._leading = False                # a caller is writing a batch
        self._changed = threading.Condition()

    def submit(self, row: Row) -> object:
        """Write `row`, together with whatever else is queued; returns its outcome once committed."""
        ticket = _Ticket(row)
        with self._changed:
            self._queue.append(ticket)
            while self._leading and not ticket.done:
                self._changed.wait()
            if not ticket.done:              # nobody is writing: lead, taking everything queued
                self._leading = True
                batch, self._queue = self._queue, []
        if not ticket.done:
            try:
                self._commit(batch)
            finally:
                with self._changed:
                    self._leading = False
                    self._changed.notify_all()   # the batch's callers return; one waiter leads next
        if ticket.error is not None:
            raise ticket.error
        return ticket.outcome

    def _commit(self, batch: list[_Ticket[Row]]) -> None:
        try:
            outcomes = self._write(lambda cursor: self._write_many(cursor, [t.row for t in batch]))
            for ticket, outcome in zip(batch, outcomes, strict=True):
                ticket.outcome = outcome
        except BaseException as error:  # noqa: BLE001  (handed to the caller whose row it was)
            if len(batch) == 1:
                batch[0].error = error
            else:
                for ticket in batch:
                    self._commit_alone(ticket)
        finally:
            for ticket in batch:
                ticket.done = True

    def _commit_alone(self, ticket: _Ticket[Row]) -> None:
        try:
            ticket.outcome, = self._write(lambda cursor: self._write_many(cursor, [ticket.row]))
        except BaseException as error:  # noqa: BLE001
            ticket.error = error
