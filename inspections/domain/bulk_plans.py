"""A bulk plan (a sector or scenario and a month at once), pure and without I/O: the enterprises it
considers, one proposed visit each with its date and team, and those it leaves out with why. The caps it
keeps are domain.planning's; services.office.planning turns a reviewed proposal into visits."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from inspections.domain.planning import cap_check
from inspections.domain.visits import VisitKind


class ProposedVisit(BaseModel):
    """One visit of a bulk plan, as reviewed before everything is created at once."""

    model_config = ConfigDict(frozen=True)

    enterprise_code: str
    enterprise_name: str
    tier: str
    scheduled_on: dt.date
    departments: list[str]
    team: list[str]
    item_counts: dict[str, int]  # items per department in the merged list


class LeftOut(BaseModel):
    """An enterprise a bulk plan leaves out, and why (a reason key and its values)."""

    model_config = ConfigDict(frozen=True)

    enterprise_code: str
    enterprise_name: str
    reason: str
    values: dict[str, Any] = {}


class BulkProposal(BaseModel):
    model_config = ConfigDict(frozen=True)

    month: dt.date  # the first day of the month
    sector: str | None = None
    scenario: str | None = None
    kind: str = VisitKind.ROUTINE
    reason: str = ""
    visits: list[ProposedVisit] = []
    left_out: list[LeftOut] = []


class BulkCandidate(BaseModel):
    """An enterprise a bulk plan considers, with what the rules need to know about it."""

    model_config = ConfigDict(frozen=True)

    enterprise_code: str
    enterprise_name: str
    tier: str
    kinds_this_year: list[tuple[str, str]] = []
    item_counts: dict[str, int]     # items per department of its merged list
    booked: str | None = None       # a visit already scheduled in the month


def plan_bulk(candidates: list[BulkCandidate], days: list[dt.date], pool: Mapping[str, list[str]],
              caps: Mapping[str, int], kind: str = VisitKind.ROUTINE,
              min_officers: int = 1) -> tuple[list[ProposedVisit], list[LeftOut]]:
    """One visit per candidate, dates taken from `days` in turn, each team one active inspector per
    department (`pool`: department -> usernames of officers) taken in turn, then more of the departments'
    officers in turn until the team has `min_officers`. Left out, in this order of precedence:
    'already_scheduled' (a visit in the month), 'at_cap', 'no_items' (no department has anything to check),
    'no_inspector' (a department without an active inspector), 'too_few_officers' (the departments
    together have fewer than `min_officers`)."""
    visits: list[ProposedVisit] = []
    left_out: list[LeftOut] = []
    turns: dict[str, int] = {}
    for c in candidates:
        check = cap_check(c.tier, c.kinds_this_year, kind, caps)
        deps = [d for d, n in c.item_counts.items() if n > 0]
        missing = [d for d in deps if not pool.get(d)]
        why: tuple[str, dict] | None = (
            ("already_scheduled", {"inspection_id": c.booked}) if c.booked
            else ("at_cap", {"used": check.used, "cap": check.cap, "tier": check.tier}) if not check.allowed
            else ("no_items", {}) if not deps
            else ("no_inspector", {"department": missing[0]}) if missing
            else ("too_few_officers", {"count": len({u for d in deps for u in pool[d]}), "needed": min_officers})
            if len({u for d in deps for u in pool[d]}) < min_officers else None)
        if why:
            left_out.append(LeftOut(enterprise_code=c.enterprise_code, enterprise_name=c.enterprise_name,
                                    reason=why[0], values=why[1]))
            continue
        team = [pool[d][turns.get(d, 0) % len(pool[d])] for d in deps]
        turns.update({d: turns.get(d, 0) + 1 for d in deps})
        while len(team) < min_officers:          # more officers of the departments, in turn
            for d in deps:
                more = [u for u in pool[d][turns[d] % len(pool[d]):] + pool[d] if u not in team]
                if more and len(team) < min_officers:
                    team.append(more[0])
                    turns[d] += 1
        visits.append(ProposedVisit(enterprise_code=c.enterprise_code, enterprise_name=c.enterprise_name,
                                    tier=c.tier, scheduled_on=days[len(visits) % len(days)], departments=deps,
                                    team=team, item_counts={d: c.item_counts[d] for d in deps}))
    return visits, left_out
