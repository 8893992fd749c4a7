"""Closure statistics: the one definition of every figure and rate (docs/architecture.md).

The counts are taken in SQL by the store, with exactly these meanings for an as-of date T, over hazards
found on or before T (and within the optional period on found_on):
  found           every such hazard
  rectified       rectified_on <= T or closed_on <= T
  closed          closed_on <= T
  due             deadline < T
  closed_on_time  due and closed_on <= deadline
  overdue_open    due and not closed by T
  major_found, major_closed, major_open   the same for level 'major'
The rates below are derived from the counts here and nowhere else; a zero denominator gives None
(shown as "—", never as 100%)."""
from __future__ import annotations

from pydantic import BaseModel, computed_field

COUNT_NAMES = ("found", "rectified", "closed", "due", "closed_on_time", "overdue_open",
               "major_found", "major_closed", "major_open")
RATE_NAMES = ("rectification_rate", "closure_rate", "on_time_rate", "overdue_rate",
              "major_clearance_rate")
FIGURE_NAMES = COUNT_NAMES + RATE_NAMES
GROUPINGS = ("sector", "department", "level", "month", "enterprise")


def ratio(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


class ClosureFigures(BaseModel):
    found: int = 0
    rectified: int = 0
    closed: int = 0
    due: int = 0
    closed_on_time: int = 0
    overdue_open: int = 0
    major_found: int = 0
    major_closed: int = 0
    major_open: int = 0

    @computed_field
    @property
    def rectification_rate(self) -> float | None:
        return ratio(self.rectified, self.found)

    @computed_field
    @property
    def closure_rate(self) -> float | None:
        return ratio(self.closed, self.found)

    @computed_field
    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.closed_on_time, self.due)

    @computed_field
    @property
    def overdue_rate(self) -> float | None:
        return ratio(self.overdue_open, self.due)

    @computed_field
    @property
    def major_clearance_rate(self) -> float | None:
        return ratio(self.major_closed, self.major_found)

    def figures(self) -> dict[str, int | float | None]:
        return {name: getattr(self, name) for name in FIGURE_NAMES}


def format_rate(rate: float | None) -> str:
    """A rate as a percentage with one decimal, or '—' when it has no denominator."""
    return "—" if rate is None else f"{rate * 100:.1f}%"
