"""The demo obeys the yearly caps the app enforces: in every year its visits touch, no enterprise has more
counted visits than its cap unless an override reason covers them, by the planning service's own counts
and by the cap check a new visit meets; seeded on the suite's day and on days either side of a new year.
It stays rich enough for the tests that read it: enterprises at their cap, and visits scheduled today."""
import datetime as dt

import pytest

from inspections.services.data import demo
from inspections.services.office import planning
from inspections.services.shared.context import Context
from tests.conftest import SUITE_TODAY, district_time, office_user, suite_clock

OFFICE = office_user()


def _years(ctx) -> range:
    first, last = ctx.db.query("SELECT min(scheduled_on), max(scheduled_on) FROM inspections")[0]
    return range(first.year, last.year + 1)


def _check_caps(ctx) -> None:
    for year in _years(ctx):
        rows = planning.inspections_per_enterprise(ctx, year, user=OFFICE)
        beyond = [(r["enterprise_code"], r["tier"], r["used"], r["cap"]) for r in rows if r["beyond_without_reason"]]
        assert beyond == [], f"{year}: over the cap without an override reason"
        assert planning.over_cap_summary(rows)["without_reason"] == 0
        # the same check a new visit meets: what the enterprise has used in the year, against its cap
        day = dt.date(year, 6, 30)
        for row in rows:
            check = planning.preview(ctx, OFFICE, row["enterprise_code"], [], "routine", day)["cap"]
            assert check.used == row["used"]
            assert check.used <= check.cap or row["beyond_with_reason"] == check.used - check.cap


def test_the_suites_demo_world_obeys_the_caps_and_stays_rich(demo_ctx):
    _check_caps(demo_ctx)
    rows = planning.inspections_per_enterprise(demo_ctx, SUITE_TODAY.year, user=OFFICE)
    assert any(r["at_cap"] and r["cap"] >= 1 for r in rows)          # tests plan beyond a cap with a reason
    assert demo_ctx.db.scalar("SELECT count(*) FROM inspections WHERE scheduled_on = ? AND status = 'scheduled'",
                              [SUITE_TODAY]) >= 2                    # check-in can be tried at once


@pytest.mark.parametrize("moment", [district_time(2026, 12, 30, 9, 0), district_time(2027, 1, 2, 9, 0)],
                         ids=["before-new-year", "after-new-year"])
def test_the_demo_obeys_the_caps_whichever_side_of_a_new_year_it_is_seeded(tmp_path, moment):
    """The history reaches back a year and the plans a month ahead: either side of 1 January, both years'
    counts stay within the caps."""
    ctx = Context.open(tmp_path / "demo.duckdb", clock=suite_clock(moment))
    try:
        demo.seed(ctx)
        assert len(_years(ctx)) == 2
        _check_caps(ctx)
    finally:
        ctx.close()
