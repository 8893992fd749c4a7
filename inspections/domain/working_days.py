"""Working days by the official Chinese holiday calendar (the State Council's yearly notice: days off,
and the make-up working days on weekends, 调休上班), taken as data: a HolidayCalendar says which years it
covers and, for those, the exceptions to "Monday to Friday". A day in a year the calendar does not cover
is refused, naming the year, never guessed. Pure; the calendar is built by readers.holiday_calendar."""
from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, model_validator

from inspections.domain.refusals import Conflict


class CalendarYearNotCovered(Conflict):
    """A day in a year the holiday calendar does not cover ('calendar_year_not_covered', with `year`,
    `first` and `last`, the years it covers): the official calendar of that year is not known here."""


class HolidayCalendar(BaseModel):
    model_config = ConfigDict(frozen=True)

    first_year: int
    last_year: int
    days_off: frozenset[date]        # holidays and the days off they bring (weekdays among them matter)
    make_up_days: frozenset[date]    # weekend days that are working days (调休上班)

    @model_validator(mode="after")
    def _within_years(self) -> "HolidayCalendar":
        if self.first_year > self.last_year:
            raise ValueError("first_year is after last_year")
        for day in self.days_off | self.make_up_days:
            if not self.first_year <= day.year <= self.last_year:
                raise ValueError(f"{day} is outside the calendar's years")
        if self.days_off & self.make_up_days:
            raise ValueError("a day is both a day off and a make-up working day")
        return self

    def covers(self, day: date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def is_working_day(self, day: date) -> bool:
        if not self.covers(day):
            raise CalendarYearNotCovered("calendar_year_not_covered", year=day.year, first=self.first_year,
                                         last=self.last_year)
        if day in self.make_up_days:
            return True
        return day.weekday() < 5 and day not in self.days_off


def add_working_days(calendar: HolidayCalendar, start: date, days: int) -> date:
    """The `days`-th working day after `start` (a ticket received on `start` with a limit of `days`
    working days is due on it; received on a day off, the count still begins on the next working day).
    Refused (CalendarYearNotCovered) when the count reaches a year the calendar does not cover."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        counted += calendar.is_working_day(day)
    return day
