"""The rates of requests and 12345 work orders: the one definition of every count and rate (the issue's
"One definition of the rates"), read by the CLI, the dashboard and exports alike. Pure: it counts the
few times and verdicts of each ticket (TicketTimes, as store.tickets.rate_rows reads them).

For an as-of instant T (in the district's time zone), over tickets received on or before T (and, given a
period, received on a day within it), duplicates merged into another ticket left out (the ticket they
were merged into counts the matter once):
  received         every such ticket
  signed_in_24h    signed within 24 hours of being received, and by T
  replied          replied by T
  due              due_on before T's date
  replied_on_time  due, and replied on or before due_on (the district's day of the reply)
  overdue_open     due, and not replied by T
  called_back      a callback recorded by T
  resolved         called back by T, and resolved = yes
  satisfied        called back by T, and 满意 or 基本满意
Rates: sign_rate = signed_in_24h / received, on_time_rate = replied_on_time / due, resolution_rate =
resolved / called_back, satisfaction_rate = satisfied / called_back; None (shown "—") when the
denominator is 0 (domain.closure.ratio, as the closure rates).
Groups: department, category (a ticket not yet triaged has neither: its key is ''), source, month
(YYYY-MM of the day received)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pydantic import BaseModel, computed_field

from inspections.domain.closure import ratio
from inspections.domain.tickets import SATISFIED

COUNT_NAMES = ("received", "signed_in_24h", "replied", "due", "replied_on_time", "overdue_open",
               "called_back", "resolved", "satisfied")
RATE_NAMES = ("sign_rate", "on_time_rate", "resolution_rate", "satisfaction_rate")
FIGURE_NAMES = COUNT_NAMES + RATE_NAMES
GROUPINGS = ("department", "category", "source", "month")
SIGN_WITHIN = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class TicketTimes:
    """What the rates read of a ticket."""
    department: str | None
    category: str | None
    source: str
    received_at: datetime
    signed_at: datetime | None
    due_on: date | None
    replied_at: datetime | None
    called_back_at: datetime | None
    resolved: bool | None
    callback: str | None
    merged_into: str | None = None


class TicketFigures(BaseModel):
    received: int = 0
    signed_in_24h: int = 0
    replied: int = 0
    due: int = 0
    replied_on_time: int = 0
    overdue_open: int = 0
    called_back: int = 0
    resolved: int = 0
    satisfied: int = 0

    @computed_field
    @property
    def sign_rate(self) -> float | None:
        return ratio(self.signed_in_24h, self.received)

    @computed_field
    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.replied_on_time, self.due)

    @computed_field
    @property
    def resolution_rate(self) -> float | None:
        return ratio(self.resolved, self.called_back)

    @computed_field
    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied, self.called_back)

    def figures(self) -> dict[str, int | float | None]:
        return {name: getattr(self, name) for name in FIGURE_NAMES}


def conditions(ticket: TicketTimes, as_of: datetime) -> dict[str, bool]:
    """Which counts the ticket is in, as of `as_of` (aware; its zone is the district's, whose day the
    'before T's date' and 'on or before due_on' comparisons take)."""
    zone = as_of.tzinfo
    replied = ticket.replied_at is not None and ticket.replied_at <= as_of
    due = ticket.due_on is not None and ticket.due_on < as_of.astimezone(zone).date()
    called_back = ticket.called_back_at is not None and ticket.called_back_at <= as_of
    return {
        "received": True,
        "signed_in_24h": ticket.signed_at is not None and ticket.signed_at <= as_of
                         and ticket.signed_at - ticket.received_at <= SIGN_WITHIN,
        "replied": replied,
        "due": due,
        "replied_on_time": due and ticket.replied_at is not None
                           and ticket.replied_at.astimezone(zone).date() <= ticket.due_on,
        "overdue_open": due and not replied,
        "called_back": called_back,
        "resolved": called_back and ticket.resolved is True,
        "satisfied": called_back and ticket.callback in {s.value for s in SATISFIED},
    }


def group_key(ticket: TicketTimes, by: str, zone) -> str:
    if by == "month":
        return ticket.received_at.astimezone(zone).strftime("%Y-%m")
    return getattr(ticket, by) or ""


def in_scope(ticket: TicketTimes, as_of: datetime, date_from: date | None, date_to: date | None) -> bool:
    """Received on or before T, on a day within the period if one is given, and not a merged duplicate."""
    day = ticket.received_at.astimezone(as_of.tzinfo).date()
    return (ticket.merged_into is None and ticket.received_at <= as_of and (date_from is None or day >= date_from)
            and (date_to is None or day <= date_to))


def count(tickets: Iterable[TicketTimes], by: str, as_of: datetime, date_from: date | None = None,
          date_to: date | None = None) -> tuple[list[tuple[str, TicketFigures]], TicketFigures]:
    """([(group, figures)] in plain string order of the key, the total) as of `as_of`."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping '{by}' (use one of: {', '.join(GROUPINGS)})")
    groups: dict[str, dict[str, int]] = {}
    total = dict.fromkeys(COUNT_NAMES, 0)
    for ticket in tickets:
        if not in_scope(ticket, as_of, date_from, date_to):
            continue
        counts = groups.setdefault(group_key(ticket, by, as_of.tzinfo), dict.fromkeys(COUNT_NAMES, 0))
        for name, holds in conditions(ticket, as_of).items():
            counts[name] += holds
            total[name] += holds
    rows = sorted(groups.items(), key=lambda item: item[0].encode("utf-8"))
    return [(key, TicketFigures(**counts)) for key, counts in rows], TicketFigures(**total)

