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
  fixed_on_spot   fixed during the visit (立查立改; also counted in found, rectified and closed)
  major_with_plan level 'major' and its 五落实 plan submitted on or before T (plan_on <= T)
  supervised      under supervision (挂牌督办) now: the hazard's current flag, as the supervised list
  supervised_closed_on_time  supervised and closed_on <= T and closed_on <= its supervision deadline
                  (its own deadline when the supervision set none)
The rates below are derived from the counts here and nowhere else; a zero denominator gives None
(shown as "—", never as 100%)."""
from __future__ import annotations

from pydantic import BaseModel, computed_field

COUNT_NAMES = ("found", "rectified", "closed", "due", "closed_on_time", "overdue_open",
               "major_found", "major_closed", "major_open",
               "fixed_on_spot", "major_with_plan", "supervised", "supervised_closed_on_time")
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
    fixed_on_spot: int = 0
    major_with_plan: int = 0
    supervised: int = 0
    supervised_closed_on_time: int = 0

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
