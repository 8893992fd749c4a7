"""The rates of tickets (domain.ticket_rates) on nine hand-made tickets, every figure counted by hand
below: tickets still open at T, a callback after T, a sign-in 24 hours and one minute after receipt, a
reply half an hour after midnight on the day after its due day (late in the district, on time in UTC),
a ticket received after T, a merged duplicate, and one not yet triaged."""
import datetime as dt

import pytest

from inspections.domain.ticket_rates import TicketFigures, TicketTimes, conditions, count
from tests.conftest import district_time as at

T = at(2026, 5, 15, 12, 0)


def ticket(department, category, source, received, signed=None, due=None, replied=None, called_back=None,
           resolved=None, callback=None, merged_into=None) -> TicketTimes:
    return TicketTimes(department, category, source, received, signed, due, replied, called_back, resolved,
                       callback, merged_into)


TICKETS = {
    # A: signed in 6 h, replied on its due day, called back resolved and satisfied, all before T
    "A": ticket("emergency", "request", "grid", at(2026, 5, 6, 9), at(2026, 5, 6, 15), dt.date(2026, 5, 11),
                at(2026, 5, 11, 17), at(2026, 5, 12, 10), True, "satisfied"),
    # B: signed 25 h after receipt, replied a day late, called back unresolved and dissatisfied
    "B": ticket("emergency", "request", "12345", at(2026, 5, 7, 9), at(2026, 5, 8, 10), dt.date(2026, 5, 12),
                at(2026, 5, 13, 9), at(2026, 5, 14, 9), False, "dissatisfied"),
    # C: signed, due on the 11th and still not replied at T: overdue and open
    "C": ticket("housing", "complaint", "portal", at(2026, 5, 8, 9), at(2026, 5, 8, 20), dt.date(2026, 5, 11)),
    # D: signed 23 h 59 min after receipt, due on T's own day (not yet due), replied before T, called back after T
    "D": ticket("housing", "consultation", "portal", at(2026, 5, 12, 9), at(2026, 5, 13, 8, 59), dt.date(2026, 5, 15),
                at(2026, 5, 15, 11), at(2026, 5, 15, 13), True, "satisfied"),
    # E: received at T's morning, signed 4 h later, after T: signed in 24 h, but not by T
    "E": ticket("emergency", "consultation", "grid", at(2026, 5, 15, 10), at(2026, 5, 15, 14), dt.date(2026, 5, 18)),
    # F: received after T: not counted at all
    "F": ticket("emergency", "request", "grid", at(2026, 5, 15, 13)),
    # G: a duplicate merged into A: not counted
    "G": ticket("emergency", "request", "grid", at(2026, 5, 6, 10), merged_into="A"),
    # H: due on the 14th, replied at 00:30 on the 15th in the district (16:30 on the 14th in UTC): late
    "H": ticket("emergency", "request", "specialist", at(2026, 5, 10, 10), at(2026, 5, 10, 11), dt.date(2026, 5, 14),
                at(2026, 5, 15, 0, 30)),
    # I: received in April, never triaged: no department, no category, no due day
    "I": ticket(None, None, "portal", at(2026, 4, 28, 9)),
}


def figures(**counts) -> dict:
    return TicketFigures(**counts).figures()


def test_the_total_counted_by_hand():
    _, total = count(TICKETS.values(), "source", T)
    # received A B C D E H I; signed in 24 h A C D H; replied A B D H; due A B C H; on time A;
    # overdue and open C; called back by T A B; resolved A; satisfied A
    assert total.figures() == figures(received=7, signed_in_24h=4, replied=4, due=4, replied_on_time=1,
                                      overdue_open=1, called_back=2, resolved=1, satisfied=1)
    assert (total.sign_rate, total.on_time_rate, total.resolution_rate, total.satisfaction_rate) == \
        (4 / 7, 1 / 4, 1 / 2, 1 / 2)


def test_by_department_a_ticket_not_triaged_has_the_empty_key_and_rates_without_denominator_are_none():
    rows, _ = count(TICKETS.values(), "department", T)
    by_key = {key: figures.figures() for key, figures in rows}
    assert list(by_key) == ["", "emergency", "housing"]
    assert by_key[""] == figures(received=1)
    assert by_key[""]["sign_rate"] == 0.0 and by_key[""]["on_time_rate"] is None
    assert by_key["emergency"] == figures(received=4, signed_in_24h=2, replied=3, due=3, replied_on_time=1,
                                          called_back=2, resolved=1, satisfied=1)       # A B E H
    assert by_key["housing"] == figures(received=2, signed_in_24h=2, replied=1, due=1, overdue_open=1)   # C D
    assert by_key["housing"]["resolution_rate"] is None and by_key["housing"]["satisfaction_rate"] is None


def test_by_month_and_source_and_category():
    months = {key: f.received for key, f in count(TICKETS.values(), "month", T)[0]}
    assert months == {"2026-04": 1, "2026-05": 6}
    sources = {key: f.received for key, f in count(TICKETS.values(), "source", T)[0]}
    assert sources == {"12345": 1, "grid": 2, "portal": 3, "specialist": 1}
    categories = {key: f.received for key, f in count(TICKETS.values(), "category", T)[0]}
    assert categories == {"": 1, "complaint": 1, "consultation": 2, "request": 3}


def test_a_period_on_the_day_received():
    _, total = count(TICKETS.values(), "month", T, dt.date(2026, 5, 8), dt.date(2026, 5, 12))
    assert total.figures() == figures(received=3, signed_in_24h=3, replied=2, due=2, overdue_open=1)   # C D H


def test_a_later_as_of_counts_the_callback_after_t_and_the_ticket_received_after_t():
    later = at(2026, 5, 16, 0, 0)
    _, total = count(TICKETS.values(), "source", later)
    # F joins (received); D's callback now counts (resolved, satisfied), D is due (15th < 16th) and on time;
    # E's signature (4 h after receipt, after T) now counts
    assert total.figures() == figures(received=8, signed_in_24h=5, replied=4, due=5, replied_on_time=2,
                                      overdue_open=1, called_back=3, resolved=2, satisfied=2)


def test_the_days_are_the_districts_days_of_t_s_zone():
    """H's reply is on the 15th in the district, the 14th in UTC: the zone of T (the district's, as the
    service passes it) decides; the same instant read in UTC would call it on time."""
    assert conditions(TICKETS["H"], T)["replied_on_time"] is False
    assert conditions(TICKETS["H"], T.astimezone(dt.timezone.utc))["replied_on_time"] is True


def test_nothing_counted_gives_no_rates():
    _, total = count([], "month", T)
    assert total.figures() == figures()
    assert total.sign_rate is None and total.on_time_rate is None


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="unknown grouping"):
        count(TICKETS.values(), "enterprise", T)
