"""Closure statistics as one report (the `stats` JSON contract), used by the CLI, the dashboard and
exports alike."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from inspections.domain.closure import FIGURE_NAMES, GROUPINGS, ClosureFigures, format_rate
from inspections.store import stats as stats_store
from inspections.services.shared.context import Context


class StatsRow(BaseModel):
    group: str
    figures: ClosureFigures


class StatsReport(BaseModel):
    by: str
    as_of: dt.date
    date_from: dt.date | None
    date_to: dt.date | None
    rows: list[StatsRow]
    total: ClosureFigures

    def contract_json(self) -> dict:
        return {
            "by": self.by,
            "as_of": self.as_of.isoformat(),
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "rows": [{"group": row.group, **row.figures.figures()} for row in self.rows],
            "total": self.total.figures(),
        }

    def table(self) -> list[list[str]]:
        """Header and rows as text, rates as percentages ('—' for no denominator)."""
        header = [self.by] + list(FIGURE_NAMES)
        lines = [header]
        for group, figures in [(r.group, r.figures) for r in self.rows] + [("TOTAL", self.total)]:
            values = figures.figures()
            lines.append([group] + [format_rate(values[n]) if n.endswith("_rate") else str(values[n])
                                    for n in FIGURE_NAMES])
        return lines


def closure_stats(ctx: Context, by: str, as_of: dt.date | None = None, date_from: dt.date | None = None,
                  date_to: dt.date | None = None) -> StatsReport:
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping '{by}' (use one of: {', '.join(GROUPINGS)})")
    if date_from and date_to and date_from > date_to:
        raise ValueError(f"--from {date_from} is after --to {date_to}")
    as_of = as_of or ctx.clock.today()
    groups, total = stats_store.closure_counts(ctx.db, by, as_of, date_from, date_to)
    return StatsReport(by=by, as_of=as_of, date_from=date_from, date_to=date_to,
                       rows=[StatsRow(group=g, figures=ClosureFigures(**c)) for g, c in groups],
                       total=ClosureFigures(**total))
