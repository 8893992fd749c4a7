"""The rates of tickets as one report (the `tickets stats` JSON contract of the 有求必应 issue), counted by
domain.ticket_rates, the one definition, for the CLI and, next, the office's dashboard alike."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from inspections.domain.closure import format_rate
from inspections.domain.ticket_rates import COUNT_NAMES, FIGURE_NAMES, GROUPINGS, TicketFigures, count
from inspections.store import tickets as ticket_store
from inspections.services.shared.context import Context

END_OF_DAY = dt.time(23, 59, 59, 999999)


class RatesRow(BaseModel):
    key: str
    figures: TicketFigures


class RatesReport(BaseModel):
    by: str
    as_of: dt.datetime
    date_from: dt.date | None
    date_to: dt.date | None
    rows: list[RatesRow]
    total: TicketFigures

    def contract_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(timespec="seconds"), "by": self.by,
                "rows": [{"key": row.key, **row.figures.figures()} for row in self.rows],
                "total": self.total.figures()}

    def table(self) -> list[list[str]]:
        """Header and rows as text, rates as percentages ('—' for no denominator)."""
        lines = [[self.by] + list(FIGURE_NAMES)]
        for key, figures in [(r.key, r.figures) for r in self.rows] + [("TOTAL", self.total)]:
            values = figures.figures()
            lines.append([key or "—"] + [str(values[n]) if n in COUNT_NAMES else format_rate(values[n])
                                         for n in FIGURE_NAMES])
        return lines


def as_of_instant(ctx: Context, as_of: dt.date | dt.datetime | None) -> dt.datetime:
    """T as an instant in the district: now when none is given, the end of the day for a date, a
    wall-clock time of the district for a naive time."""
    if as_of is None:
        return ctx.clock.instant()
    if isinstance(as_of, dt.datetime):
        return ctx.clock.local(as_of)
    return ctx.clock.at(as_of, END_OF_DAY)


def ticket_rates(ctx: Context, by: str, as_of: dt.date | dt.datetime | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None) -> RatesReport:
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping '{by}' (use one of: {', '.join(GROUPINGS)})")
    if date_from and date_to and date_from > date_to:
        raise ValueError(f"--from {date_from} is after --to {date_to}")
    instant = as_of_instant(ctx, as_of)
    groups, total = count(ticket_store.rate_rows(ctx.db), by, instant, date_from, date_to)
    return RatesReport(by=by, as_of=instant, date_from=date_from, date_to=date_to,
                       rows=[RatesRow(key=key, figures=figures) for key, figures in groups], total=total)
