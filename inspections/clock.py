"""The one clock: the only code that reads the system time. Everything else asks the clock on the
context (`ctx.clock.today()`, `ctx.clock.instant()`), so "today" is the district's day wherever the
server runs, and tests can set the time.

- `instant()` is an aware datetime in the district's time zone (INSPECTIONS_TZ, default Asia/Shanghai);
  the store keeps such values as TIMESTAMPTZ (an unambiguous instant) and reads them back in the same zone.
- `today()` is the district's date at that instant: a server in UTC at 17:30 on 1 December is already on
  2 December in Beijing.
- `at(day, time)` is a wall-clock time on a district day, as an aware datetime.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from inspections import config


class Clock:
    """The system's clock, read in the district's time zone."""

    def __init__(self, zone: ZoneInfo | None = None):
        self.zone = zone or config.time_zone()

    def instant(self) -> dt.datetime:
        """Now, as an aware datetime in the district's time zone, to the microsecond."""
        return dt.datetime.now(self.zone)

    def today(self) -> dt.date:
        """The district's date now."""
        return self.instant().date()

    def at(self, day: dt.date, time: dt.time = dt.time()) -> dt.datetime:
        """A wall-clock time on a district day."""
        return dt.datetime.combine(day, time, tzinfo=self.zone)

    def local(self, value: dt.datetime) -> dt.datetime:
        """An aware datetime shown in the district's time zone; a naive one is taken as district time."""
        return value.replace(tzinfo=self.zone) if value.tzinfo is None else value.astimezone(self.zone)


class FixedClock(Clock):
    """A clock that says what it is told: for tests, benchmarks and replaying a day. It stands still
    until it is set or advanced."""

    def __init__(self, moment: dt.datetime, zone: ZoneInfo | None = None):
        super().__init__(zone)
        self.set(moment)

    def set(self, moment: dt.datetime) -> None:
        """Move to `moment` (a naive one is district wall-clock time)."""
        self._moment = self.local(moment)

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        self._moment += delta
        return self._moment

    def instant(self) -> dt.datetime:
        return self._moment


def district_clock() -> Clock:
    """The clock a context gets unless it is given one: the system's, in INSPECTIONS_TZ."""
    return Clock()
