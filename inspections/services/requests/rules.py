"""The rules of tickets (`inspections/rules/tickets.yaml`: categories with their time limits, sources and
callback verdicts with their names), read once and checked by domain.tickets.TicketRules; and the due
days a category's limits give, in working days of the official holiday calendar."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from inspections import config
from inspections.domain.tickets import TicketRules
from inspections.domain.working_days import HolidayCalendar, add_working_days
from inspections.readers.holiday_calendar import official_calendar
from inspections.readers.rules_files import load_rules

RULES_FILE = config.REPO_ROOT / "inspections" / "rules" / "tickets.yaml"


@functools.cache
def ticket_rules(path: Path = RULES_FILE) -> TicketRules:
    return load_rules(path, TicketRules)


def due_days(rules: TicketRules, category: str, received_on: dt.date,
             calendar: HolidayCalendar | None = None) -> tuple[dt.date, dt.date | None]:
    """(the reply's due day, the day it should be resolved by or None) for a ticket of `category` received
    on `received_on`; domain.working_days.CalendarYearNotCovered when the count reaches a year the
    calendar does not cover."""
    calendar = calendar or official_calendar()
    limits = rules.categories[category]
    resolve_by = add_working_days(calendar, received_on, limits.resolve_days) if limits.resolve_days else None
    return add_working_days(calendar, received_on, limits.answer_days), resolve_by
