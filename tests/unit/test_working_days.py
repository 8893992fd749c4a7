"""Working days by the official calendar (domain.working_days, with readers.holiday_calendar's data from
the pinned chinese-calendar). The dates, hand-checked against the State Council's notice on the 2026
holidays (国务院办公厅关于2026年部分节假日安排的通知, as the package carries it): 劳动节 5月1日至5日放假, 5月9日（周六）上班;
中秋 9月25日至27日; 国庆 10月1日至7日, 9月20日（周日）、10月10日（周六）上班."""
import datetime as dt

import pytest

from inspections.domain.working_days import CalendarYearNotCovered, HolidayCalendar, add_working_days
from inspections.readers.holiday_calendar import official_calendar

D = dt.date


@pytest.fixture(scope="module")
def calendar() -> HolidayCalendar:
    return official_calendar()


def test_the_2026_days_off_and_make_up_days_are_the_notices(calendar):
    assert [calendar.is_working_day(D(2026, 5, day)) for day in range(1, 12)] == [
        False, False, False, False, False,      # 1-5 May: 劳动节
        True, True, True,                       # Wed 6 - Fri 8
        True,                                   # Sat 9: make-up working day
        False,                                  # Sun 10
        True]                                   # Mon 11
    assert calendar.is_working_day(D(2026, 9, 20))        # a Sunday, worked for 国庆
    assert not calendar.is_working_day(D(2026, 9, 25))    # 中秋, a Friday
    assert calendar.is_working_day(D(2026, 10, 10))       # a Saturday, worked for 国庆
    assert calendar.is_working_day(D(2026, 10, 8))        # the Thursday after the holiday: worked


def test_counting_across_the_holiday(calendar):
    # received Thursday 30 April: 1-5 May off, so the one working day is Wednesday 6 May
    assert add_working_days(calendar, D(2026, 4, 30), 1) == D(2026, 5, 6)
    # 3 working days: 6, 7, 8 May
    assert add_working_days(calendar, D(2026, 4, 30), 3) == D(2026, 5, 8)


def test_counting_across_the_make_up_saturday(calendar):
    # received Thursday 7 May, 3 working days: Fri 8, Sat 9 (make-up), Mon 11 (Sunday 10 off);
    # without the make-up day it would be Tuesday 12
    assert add_working_days(calendar, D(2026, 5, 7), 3) == D(2026, 5, 11)
    # received Friday 18 September, 1 working day: the make-up Sunday 20th
    assert add_working_days(calendar, D(2026, 9, 18), 1) == D(2026, 9, 20)
    # 15 working days from Wednesday 23 September: 24, (25-27 off), 28, 29, 30, (1-7 Oct off), 8, 9, 10 (Sat),
    # 12, 13, 14, 15, 16, 19, 20, 21
    assert add_working_days(calendar, D(2026, 9, 23), 15) == D(2026, 10, 21)


def test_a_year_the_calendar_does_not_cover_is_refused_naming_it(calendar):
    assert calendar.last_year == 2026        # chinese-calendar 1.11.0 carries the notices up to 2026
    with pytest.raises(CalendarYearNotCovered) as refused:
        add_working_days(calendar, D(2026, 12, 29), 3)   # Wed 30, Thu 31, then 2027
    assert refused.value.reason == "calendar_year_not_covered"
    assert refused.value.values == {"year": 2027, "first": calendar.first_year, "last": 2026}
    with pytest.raises(CalendarYearNotCovered):
        calendar.is_working_day(D(calendar.first_year - 1, 6, 1))
    assert add_working_days(calendar, D(2026, 12, 29), 2) == D(2026, 12, 31)   # within 2026: counted


def test_a_calendar_is_checked_as_data():
    with pytest.raises(ValueError, match="outside"):
        HolidayCalendar(first_year=2026, last_year=2026, days_off=frozenset({D(2027, 1, 1)}), make_up_days=frozenset())
    with pytest.raises(ValueError, match="both"):
        HolidayCalendar(first_year=2026, last_year=2026, days_off=frozenset({D(2026, 5, 9)}),
                        make_up_days=frozenset({D(2026, 5, 9)}))
    tiny = HolidayCalendar(first_year=2026, last_year=2026, days_off=frozenset(), make_up_days=frozenset())
    assert add_working_days(tiny, D(2026, 5, 7), 3) == D(2026, 5, 12)   # plain weekdays without the notice
    with pytest.raises(ValueError):
        add_working_days(tiny, D(2026, 5, 7), 0)
