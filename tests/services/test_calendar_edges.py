"""The calendar's edges, where a clock in the wrong zone or a date taken from the wrong place shows:
new year in Beijing while UTC is still in the old year, deadlines across the year end and from 29
February, monthly statistics on a month's last and first day, inspection numbers at the year change, an
as-of date at midnight in Beijing, and a server in UTC showing the inspectors Beijing's day.

Each test sets the context's clock; the years are taken from the suite's day (a few years ahead, so the
demo world's history and plans never reach them), and dates within them are hand-checked."""
from __future__ import annotations

import datetime as dt
import time

import pytest
import streamlit as st
import time_machine

from inspections import clock as clocks
from inspections.domain.hazards import Level, deadline_refusal, default_deadline
from inspections.services.inspector import inspecting
from inspections.services.office import planning
from inspections.services.shared.auth import User
from inspections.services.data.imports import import_hazards
from inspections.services.data.stats import closure_stats
from inspections.store import inspections as inspection_store
from tests.conftest import SUITE_TODAY, code, district_time, office_user, png, write_csv

OFFICE = office_user()
YEAR = SUITE_TODAY.year + 3          # the old year of each new-year test; nothing of the demo reaches it
UTC = dt.timezone.utc


def _tier_a_enterprise(ctx) -> str:
    return ctx.db.scalar("SELECT code FROM enterprises WHERE tier = 'A' ORDER BY code LIMIT 1")


def _visit(ctx, enterprise: str, day: dt.date, override: str = "") -> dict:
    """A routine visit of the enterprise's first department alone (a short list), by its two inspectors
    (a team needs two officers), the `…1` one first."""
    department = list(planning.preview(ctx, OFFICE, enterprise, [], "routine", day)["counts"])[0]
    return planning.create(ctx, OFFICE, enterprise, day, department, [department],
                           [department + "1", department + "2"],
                           "routine", override_reason=override, confirm_nearby=True)


# -- new year in Beijing, still the old year in UTC ------------------------------------------------
def test_the_yearly_cap_counts_each_visit_in_its_own_year_across_new_year(demo_ctx):
    ctx, enterprise = demo_ctx, _tier_a_enterprise(demo_ctx)          # tier A: one routine visit a year
    ctx.clock.set(district_time(YEAR, 12, 31, 23, 30))                 # 15:30 UTC
    last = _visit(ctx, enterprise, dt.date(YEAR, 12, 31))
    first = _visit(ctx, enterprise, dt.date(YEAR + 1, 1, 1))           # a new year: within its cap
    assert last["cap_override_reason"] == first["cap_override_reason"] == ""
    with pytest.raises(planning.PlanningError) as refused:
        _visit(ctx, enterprise, dt.date(YEAR, 12, 31))
    assert (refused.value.reason, refused.value.values["used"], refused.value.values["cap"]) == \
        ("over_cap_needs_reason", 1, 1)
    used = {year: {r["enterprise_code"]: r for r in planning.inspections_per_enterprise(ctx, year)}[enterprise]["used"]
            for year in (YEAR, YEAR + 1)}
    assert used == {YEAR: 1, YEAR + 1: 1}
    # 07:00 on 1 January in Beijing is 23:00 on 31 December in UTC: "this year" is already the new one
    ctx.clock.set(dt.datetime(YEAR, 12, 31, 23, 0, tzinfo=UTC))
    assert ctx.clock.today() == dt.date(YEAR + 1, 1, 1)
    this_year = planning.preview(ctx, OFFICE, enterprise, [], "routine")["cap"]
    assert (this_year.used, this_year.allowed) == (1, False)         # the 1 January visit, not 31 December's


def test_inspection_numbers_and_findings_belong_to_beijings_new_year(demo_ctx):
    """A visit checked in and finished at 07:00 on 1 January (23:00 UTC on 31 December): its number, its
    hazards' found_on, deadline and month, and the times stored, all say 1 January in the district."""
    ctx, enterprise = demo_ctx, _tier_a_enterprise(demo_ctx)
    ctx.clock.set(district_time(YEAR, 12, 20, 10, 0))
    visit = _visit(ctx, enterprise, dt.date(YEAR + 1, 1, 1))
    assert visit["id"].startswith(f"JC{YEAR + 1}0101-")
    ctx.clock.set(dt.datetime(YEAR, 12, 31, 23, 0, tzinfo=UTC))
    inspector = User(visit["team"][0], "检查员", "inspector", visit["departments"][0])
    inspecting.check_in(ctx, inspector, enterprise, "typed")
    items = inspecting.walk(ctx, inspector, visit["id"]).merged.items
    for n, item in enumerate(items):
        inspecting.answer_item(ctx, inspector, visit["id"], item.id, "fail" if n == 0 else "pass",
                               note="安全出口堵塞" if n == 0 else "", level="general")
    hazards = inspecting.finish(ctx, inspector, visit["id"], _png(), _png())
    assert [(h.found_on, h.deadline) for h in hazards] == [(dt.date(YEAR + 1, 1, 1), dt.date(YEAR + 1, 1, 31))]
    stored = inspection_store.get(ctx.db, visit["id"])
    assert stored["checked_in_at"] == stored["completed_at"] == district_time(YEAR + 1, 1, 1, 7, 0)
    assert stored["completed_at"].astimezone(UTC) == dt.datetime(YEAR, 12, 31, 23, 0, tzinfo=UTC)
    months = {r.group: r.figures.found for r in closure_stats(ctx, "month", as_of=dt.date(YEAR + 1, 1, 1),
                                                                date_from=dt.date(YEAR, 12, 1)).rows}
    assert months == {f"{YEAR + 1}-01": 1}


def _png() -> bytes:
    from PIL import Image
    return png(Image.new("RGB", (300, 100), (255, 255, 255)))


# -- deadlines ------------------------------------------------------------------------------------
@pytest.mark.parametrize("found, level, expected", [
    (dt.date(2026, 12, 15), Level.GENERAL, dt.date(2027, 1, 14)),    # 16 days of December + 14 of January
    (dt.date(2026, 12, 15), Level.MAJOR, dt.date(2027, 2, 13)),      # + 31 of January + 13 of February
    (dt.date(2028, 2, 29), Level.GENERAL, dt.date(2028, 3, 30)),     # 29 February: March has 31 days
    (dt.date(2028, 2, 29), Level.MAJOR, dt.date(2028, 4, 29)),
    (dt.date(2027, 2, 28), Level.GENERAL, dt.date(2027, 3, 30)),     # no 29 February in 2027
])
def test_default_deadlines_across_the_year_end_and_from_a_leap_day(found, level, expected):
    assert default_deadline(level, found) == expected


def test_ninety_days_from_29_february():
    found = dt.date(2028, 2, 29)
    assert deadline_refusal(found, dt.date(2028, 5, 29)) is None       # 1 + 31 + 30 + 28 = 90
    assert deadline_refusal(found, dt.date(2028, 5, 30)).values == {"days": 90}


# -- statistics on a month's last and first day, and at midnight in Beijing -------------------------
HEADER = ["hazard_id", "enterprise_code", "enterprise_name", "sector", "department", "level",
          "description", "found_on", "deadline", "rectified_on", "closed_on"]


@pytest.fixture
def month_edge(ctx, tmp_path):
    """Found on a month's last day, on the next month's first day, and one due on the last day."""
    rows = [["E1", "2026-01-31", "2026-03-02", "", "2026-01-31"],     # found and closed on the last day
            ["E2", "2026-02-01", "2026-03-03", "", ""],               # found on the first day
            ["E3", "2026-01-02", "2026-01-31", "", ""],               # due on the last day, never closed
            ["E4", "2026-11-02", "2026-12-01", "", ""]]               # due on 1 December, never closed
    import_hazards(ctx, write_csv(tmp_path / "edge.csv", HEADER, [
        [h, code(7), "演示企业", "roads", "transport", "general", f"hazard {h}", f, d, r, c] for h, f, d, r, c in rows]))
    return ctx


def _months(ctx, as_of):
    return {r.group: (r.figures.found, r.figures.closed, r.figures.due, r.figures.overdue_open)
            for r in closure_stats(ctx, "month", as_of=as_of, date_to=dt.date(2026, 2, 28)).rows}


def test_monthly_statistics_on_a_months_last_and_first_day(month_edge):
    # 31 January: E1 and E3 are found in January; E1 is closed that day; E3's deadline is today, not due yet
    assert _months(month_edge, dt.date(2026, 1, 31)) == {"2026-01": (2, 1, 0, 0)}
    # 1 February: E2 starts February; E3 is now due and overdue
    assert _months(month_edge, dt.date(2026, 2, 1)) == {"2026-01": (2, 1, 1, 1), "2026-02": (1, 0, 0, 0)}


def test_the_as_of_date_at_midnight_in_beijing_is_beijings_day(month_edge):
    ctx = month_edge
    ctx.clock.set(dt.datetime(2026, 12, 1, 16, 0, tzinfo=UTC))        # 00:00 on 2 December in Beijing
    report = closure_stats(ctx, "level")
    assert report.as_of == dt.date(2026, 12, 2)
    assert (report.total.due, report.total.overdue_open) == (4, 3)   # E4, due 1 December, is overdue now
    ctx.clock.set(dt.datetime(2026, 12, 1, 15, 59, tzinfo=UTC))       # 23:59 on 1 December: not yet
    assert (closure_stats(ctx, "level").total.due, closure_stats(ctx, "level").as_of) == (3, dt.date(2026, 12, 1))


# -- a server in UTC --------------------------------------------------------------------------------
@pytest.fixture
def server_in_utc(tmp_path, monkeypatch):
    """The process as a container's server runs it: TZ=UTC, the real system clock (moved by
    time-machine to 17:30 UTC on 1 December), and a new database seeded as `init --demo` seeds it (the
    app itself never seeds)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(clocks, "district_clock", clocks.Clock)
    monkeypatch.setenv("INSPECTIONS_DB", str(tmp_path / "utc.duckdb"))
    st.cache_resource.clear()
    with time_machine.travel(dt.datetime(2026, 12, 1, 17, 30, tzinfo=UTC), tick=True):
        from inspections.services.data import demo
        from inspections.services.shared.context import Context
        seeding = Context.open(tmp_path / "utc.duckdb")
        demo.seed(seeding)
        seeding.close()
        yield
    st.cache_resource.clear()
    monkeypatch.undo()
    time.tzset()


def test_a_server_in_utc_at_1730_on_1_december_shows_2_decembers_visits(server_in_utc):
    from tests.ui.conftest import signed_in
    assert time.localtime().tm_mday == 1 and clocks.Clock().today() == dt.date(2026, 12, 2)
    at = signed_in("traffic_police1")
    assert at.title[0].value == "我的检查"
    captions = [c.value for c in at.caption]
    todays = [c for c in captions if c.startswith("2026-12-02 · ")]
    assert todays and not [c for c in captions if c.startswith("2026-12-01 · ")]
    assert any("今天" in m.value for m in at.markdown)
