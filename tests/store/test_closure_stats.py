"""Every closure figure on a small ledger computed by hand (DESIGN.md section 5), through the real
importer into a real DuckDB file. As of 2026-06-30:

  id  sector        level    found       deadline    rectified   closed      what it covers
  H1  roads         general  2026-01-10  2026-02-10  2026-02-08  2026-02-10  closed on the deadline day
  H2  roads         major    2026-01-15  2026-02-15  2026-03-01  2026-03-05  closed late
  H3  roads         general  2026-02-01  2026-03-01  2026-02-20  -           rectified, not closed, overdue
  H4  roads         major    2026-03-01  2026-04-01  2026-07-10  2026-07-15  closed after the as-of date
  H5  food_drugs    major    2026-06-01  2026-07-01  -           -           not yet due
  H6  construction  general  2026-06-30  2026-06-30  -           2026-06-30  deadline = as-of: not due
  H7  roads         general  2026-07-05  2026-08-05  -           -           found after the as-of date
  H8  roads         general  2025-12-20  2026-01-20  -           2026-01-05  before the --from date
"""
import datetime as dt

import pytest

from inspections.services.data.imports import import_hazards
from inspections.services.data.stats import closure_stats
from tests.conftest import code, write_csv

T = dt.date(2026, 6, 30)
HEADER = ["hazard_id", "enterprise_code", "enterprise_name", "sector", "department", "level",
          "description", "found_on", "deadline", "rectified_on", "closed_on"]
LEDGER = [
    ["H1", "roads", "general", "2026-01-10", "2026-02-10", "2026-02-08", "2026-02-10"],
    ["H2", "roads", "major", "2026-01-15", "2026-02-15", "2026-03-01", "2026-03-05"],
    ["H3", "roads", "general", "2026-02-01", "2026-03-01", "2026-02-20", ""],
    ["H4", "roads", "major", "2026-03-01", "2026-04-01", "2026-07-10", "2026-07-15"],
    ["H5", "food_drugs", "major", "2026-06-01", "2026-07-01", "", ""],
    ["H6", "construction", "general", "2026-06-30", "2026-06-30", "", "2026-06-30"],
    ["H7", "roads", "general", "2026-07-05", "2026-08-05", "", ""],
    ["H8", "roads", "general", "2025-12-20", "2026-01-20", "", "2026-01-05"],
]
DEPARTMENT = {"roads": "transport", "food_drugs": "market", "construction": "housing"}


@pytest.fixture
def ledger_ctx(ctx, tmp_path):
    rows = [[h, code(1), "演示企业", s, DEPARTMENT[s], lvl, f"hazard {h}", f, d, r, c]
            for h, s, lvl, f, d, r, c in LEDGER]
    import_hazards(ctx, write_csv(tmp_path / "ledger.csv", HEADER, rows))
    return ctx


STEP_FIGURES = ("fixed_on_spot", "major_with_plan", "supervised", "supervised_closed_on_time")  # see
# test_major_hazard_figures.py; an imported ledger says nothing of these steps


def _counts(figures):
    return {k: v for k, v in figures.figures().items() if not k.endswith("_rate") and k not in STEP_FIGURES}


def test_totals_as_of(ledger_ctx):
    report = closure_stats(ledger_ctx, "sector", as_of=T)
    assert [getattr(report.total, name) for name in STEP_FIGURES] == [0, 0, 0, 0]
    assert _counts(report.total) == dict(found=7, rectified=5, closed=4, due=5, closed_on_time=2,
                                         overdue_open=2, major_found=3, major_closed=1, major_open=2)
    assert report.total.rectification_rate == pytest.approx(5 / 7)
    assert report.total.on_time_rate == pytest.approx(0.4)
    assert report.total.major_clearance_rate == pytest.approx(1 / 3)


def test_by_sector_with_zero_denominators(ledger_ctx):
    rows = {r.group: r.figures for r in closure_stats(ledger_ctx, "sector", as_of=T).rows}
    assert list(rows) == ["construction", "food_drugs", "roads"]
    assert _counts(rows["roads"]) == dict(found=5, rectified=4, closed=3, due=5, closed_on_time=2,
                                          overdue_open=2, major_found=2, major_closed=1, major_open=1)
    construction = rows["construction"]
    assert (construction.found, construction.closed, construction.due) == (1, 1, 0)
    assert construction.on_time_rate is None and construction.overdue_rate is None
    assert construction.major_clearance_rate is None
    assert rows["food_drugs"].major_clearance_rate == 0.0 and rows["food_drugs"].major_open == 1


def test_period_and_as_of(ledger_ctx):
    since = closure_stats(ledger_ctx, "level", as_of=T, date_from=dt.date(2026, 1, 1)).total
    assert _counts(since) == dict(found=6, rectified=4, closed=3, due=4, closed_on_time=1,
                                  overdue_open=2, major_found=3, major_closed=1, major_open=2)
    early = closure_stats(ledger_ctx, "level", as_of=dt.date(2026, 2, 12)).total
    assert _counts(early) == dict(found=4, rectified=2, closed=2, due=2, closed_on_time=2,
                                  overdue_open=0, major_found=1, major_closed=0, major_open=1)
    until = closure_stats(ledger_ctx, "level", as_of=T, date_to=dt.date(2026, 2, 28)).total
    assert until.found == 4  # H8, H1, H2, H3


def test_by_month_department_and_enterprise(ledger_ctx):
    months = {r.group: r.figures.found for r in closure_stats(ledger_ctx, "month", as_of=T).rows}
    assert months == {"2025-12": 1, "2026-01": 2, "2026-02": 1, "2026-03": 1, "2026-06": 2}
    departments = [r.group for r in closure_stats(ledger_ctx, "department", as_of=T).rows]
    assert departments == ["housing", "market", "transport"]
    enterprises = closure_stats(ledger_ctx, "enterprise", as_of=T)
    assert [r.group for r in enterprises.rows] == [code(1)]
    levels = {r.group: r.figures.found for r in closure_stats(ledger_ctx, "level", as_of=T).rows}
    assert levels == {"general": 4, "major": 3}


def test_contract_json(ledger_ctx):
    shape = closure_stats(ledger_ctx, "sector", as_of=T, date_from=dt.date(2026, 1, 1)).contract_json()
    assert list(shape) == ["by", "as_of", "from", "to", "rows", "total"]
    assert shape["as_of"] == "2026-06-30" and shape["from"] == "2026-01-01" and shape["to"] is None
    assert list(shape["rows"][0])[0] == "group"
    assert shape["rows"][0]["on_time_rate"] is None


def test_empty_database_has_null_rates(ctx):
    report = closure_stats(ctx, "sector", as_of=T)
    assert report.rows == [] and report.total.found == 0 and report.total.closure_rate is None


def test_bad_arguments(ctx):
    with pytest.raises(ValueError, match="unknown grouping"):
        closure_stats(ctx, "colour")
    with pytest.raises(ValueError, match="after"):
        closure_stats(ctx, "sector", date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 1, 1))
