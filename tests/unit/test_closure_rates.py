"""Rates from counts, with zero denominators shown as '—' rather than 100%."""
from inspections.domain.closure import FIGURE_NAMES, ClosureFigures, format_rate


def test_rates_from_counts():
    f = ClosureFigures(found=7, rectified=5, closed=4, due=5, closed_on_time=2, overdue_open=2,
                       major_found=3, major_closed=1, major_open=2)
    assert f.rectification_rate == 5 / 7
    assert f.closure_rate == 4 / 7
    assert f.on_time_rate == 0.4
    assert f.overdue_rate == 0.4
    assert f.major_clearance_rate == 1 / 3
    assert list(f.figures()) == list(FIGURE_NAMES)


def test_zero_denominators_are_null_not_full():
    f = ClosureFigures(found=1, rectified=1, closed=1)
    assert f.on_time_rate is None and f.overdue_rate is None and f.major_clearance_rate is None
    assert format_rate(f.on_time_rate) == "—"
    assert format_rate(f.closure_rate) == "100.0%"
    assert ClosureFigures().closure_rate is None
