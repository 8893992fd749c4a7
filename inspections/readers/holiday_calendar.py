"""The official Chinese holiday calendar as domain.working_days.HolidayCalendar, from the pinned
`chinese-calendar` package (requirements.txt), which carries the State Council's notices year by year
(1.11.0: 2004 to 2026). A year it does not carry is outside the calendar's years, and so refused by the
domain, never guessed: a new year's notice comes with a newer release of the package."""
from __future__ import annotations

import functools

from chinese_calendar import constants

from inspections.domain.working_days import HolidayCalendar


@functools.cache
def official_calendar() -> HolidayCalendar:
    days = set(constants.holidays) | set(constants.workdays)
    make_up = {day for day in constants.workdays if day.weekday() >= 5}
    return HolidayCalendar(first_year=min(d.year for d in days), last_year=max(d.year for d in days),
                           days_off=frozenset(constants.holidays), make_up_days=frozenset(make_up))
