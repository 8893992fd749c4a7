"""The safety office's planning rules for joint inspections (综合查一次), pure and without I/O.

- Yearly cap (无事不扰): routine inspections of one enterprise per calendar year, by risk tier (the
  defaults are data, `inspections/rules/planning.yaml`, validated by `PlanningRules`: A 1, B 2, C 4, D 6,
  after the Shanxi 1/2/4/6 grading in REFERENCE.md section 8). Complaint-driven
  checks and re-checks of rectification are exempt (REFERENCE.md sections 6 and 8: "complaint-driven and
  similar case checks are exempt", "re-checks of rectification are exempt"); nothing there exempts a
  special (专项) check, which is proactive, so it counts like a routine one. Cancelled inspections never
  count. The year is the calendar year of the scheduled date, and the cap is the one of the tier the
  enterprise has *now*: no tier history is kept, so a tier change mid-year applies to the whole year's
  count (moving to a stricter tier may leave an enterprise over its cap; nothing planned is undone,
  but further routine visits then need an override reason). Visits beyond the cap are counted as those
  with an override reason and those without (`beyond_cap`: a cap lowered later leaves some without).
- Merge proposals: scheduled visits to one enterprise within the merge window (data, 30 days) of each
  other are proposed for merging into one visit, whichever departments they bring (see
  `merge_proposals` for the exact edges); `count_after_merge` is the enterprise's count once merged.
- Plan numbers (备案编号 of a plan, 沪司发〔2023〕39号: planned checks carry a filing number, triggered ones a
  stated reason): routine and special visits are planned (PLANNED_KINDS) and carry the number of the plan
  that created them (one visit planned alone, or a bulk plan of many), numbered per calendar year in the
  format of the rules file; complaint checks and re-checks are triggered and carry their reason.
- Plan validation: kind, reason, date, departments, lead and team, as a list of problems (reason keys
  and values for the UI to translate), never an exception; `team_problems` adds who may inspect on the
  visit's date (domain.enforcement: enough officers, no expired ID, an officer from every department).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inspections.domain.enforcement import Standing, standing
from inspections.domain.enterprises import TIERS
from inspections.domain.visits import KINDS, VisitKind, VisitStatus

MAX_CAP = 52  # a sanity bound for configured caps: more than one routine visit a week is no cap at all
EXEMPT_KINDS = frozenset({VisitKind.COMPLAINT, VisitKind.RECHECK})
REASON_KINDS = frozenset({VisitKind.COMPLAINT, VisitKind.RECHECK, VisitKind.SPECIAL})  # these need a reason
PLANNED_KINDS = frozenset({VisitKind.ROUTINE, VisitKind.SPECIAL})    # these carry a plan number


class PlanningRules(BaseModel):
    """`inspections/rules/planning.yaml`: the default yearly cap of every tier and the merge window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_caps: dict[str, int]
    merge_window_days: int = Field(ge=1, le=366)
    plan_number_format: str = Field(min_length=1)    # with {year} and {sequence}, e.g. 汽开检计〔{year}〕{sequence:04d}号

    @field_validator("plan_number_format")
    @classmethod
    def _formats_a_year_and_a_sequence(cls, text: str) -> str:
        try:
            first, second = text.format(year=2026, sequence=1), text.format(year=2026, sequence=2)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"takes only {{year}} and {{sequence}}: {error}") from None
        if first == second or "2026" not in first:
            raise ValueError("must show both {year} and {sequence}")
        return text

    @field_validator("default_caps")
    @classmethod
    def _every_tier_a_sound_cap(cls, caps: dict[str, int]) -> dict[str, int]:
        if problems := validate_caps(caps):
            raise ValueError("; ".join(f"{p.reason} {p.values}" for p in problems))
        if missing := [tier for tier in TIERS if tier not in caps]:
            raise ValueError(f"no cap for tier {', '.join(missing)}")
        return caps


class CapCheck(BaseModel):
    """Whether one more inspection of `new_kind` stays within the enterprise's yearly cap."""

    model_config = ConfigDict(frozen=True)

    allowed: bool        # False: planning it needs an override reason
    used: int            # inspections already counted this year (not counting the new one)
    cap: int
    exempt: bool         # the new inspection's kind does not count toward the cap
    tier: str = ""

    @property
    def needs_override(self) -> bool:
        return not self.allowed


class PlanProblem(BaseModel):
    """One thing wrong with a plan: a reason key and the values its message needs."""

    model_config = ConfigDict(frozen=True)

    reason: str
    values: dict[str, Any] = {}


class InspectorRef(BaseModel):
    """An inspector account as planning sees it."""

    model_config = ConfigDict(frozen=True)

    username: str
    department: str
    active: bool = True
    enforcement_number: str | None = None     # none: a helper (domain.enforcement)
    enforcement_valid_until: dt.date | None = None

    def standing_on(self, day: dt.date) -> Standing:
        return standing(self.enforcement_number, self.enforcement_valid_until, day)


class VisitRef(BaseModel):
    """A planned visit as the merge proposals see it."""

    model_config = ConfigDict(frozen=True)

    id: str
    enterprise_code: str
    scheduled_on: dt.date
    departments: list[str]
    team: list[str] = []
    status: str = VisitStatus.SCHEDULED
    kind: str = VisitKind.ROUTINE


class MergeProposal(BaseModel):
    """Visits to one enterprise proposed to become one joint visit; the earliest comes first."""

    model_config = ConfigDict(frozen=True)

    enterprise_code: str
    inspection_ids: list[str]
    dates: list[dt.date]
    departments: list[str]  # the union, in order of first appearance
    team: list[str]         # the union, in order of first appearance

    @property
    def first_date(self) -> dt.date:
        return self.dates[0]

    @property
    def span_days(self) -> int:
        return (self.dates[-1] - self.dates[0]).days


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


def counts_toward_cap(kind: str, status: str) -> bool:
    """Routine and special inspections count unless cancelled; complaint checks and re-checks never do."""
    return kind not in EXEMPT_KINDS and status != VisitStatus.CANCELLED


def cap_check(tier: str, kinds_this_year: list[tuple[str, str]], new_kind: str,
              caps: Mapping[str, int]) -> CapCheck:
    """`kinds_this_year`: (kind, status) of every inspection of the enterprise in the calendar year of the
    new one. `tier` is the enterprise's current tier, applied to the whole year (see the module docstring).
    An exempt kind is always allowed; any other is allowed while fewer than `cap` inspections count."""
    if tier not in caps:
        raise ValueError(f"unknown tier '{tier}'")
    used = sum(counts_toward_cap(kind, status) for kind, status in kinds_this_year)
    cap = caps[tier]
    exempt = new_kind in EXEMPT_KINDS
    return CapCheck(allowed=exempt or used < cap, used=used, cap=cap, exempt=exempt, tier=tier)


def count_after_merge(year_visits: list[tuple[str, str, str]], merged_ids: list[str], kept_kind: str) -> int:
    """The enterprise's count in a year once visits are merged into one that lands in that year:
    `year_visits` are (id, kind, status) of its inspections in the year; the merged visits (wherever they
    were) leave it, and the kept one, scheduled, counts once if its kind counts."""
    merged = set(merged_ids)
    others = sum(counts_toward_cap(kind, status) for id_, kind, status in year_visits if id_ not in merged)
    return others + counts_toward_cap(kept_kind, VisitStatus.SCHEDULED)


def beyond_cap(used: int, cap: int, with_reason: int) -> tuple[int, int]:
    """(visits beyond the cap covered by an override reason, visits beyond it without one). `with_reason`:
    the counted visits planned with an override reason; a cap lowered afterwards may leave excess that no
    reason covers, and a cap raised afterwards leaves reasons with no excess to cover (not counted)."""
    beyond = max(0, used - cap)
    covered = min(beyond, with_reason)
    return covered, beyond - covered


def validate_caps(caps: Mapping[str, object]) -> list[PlanProblem]:
    """Configured caps: only tiers A-D, each a whole number from 0 (never proactively) to MAX_CAP."""
    problems = []
    for tier, value in caps.items():
        if tier not in TIERS:
            problems.append(PlanProblem(reason="unknown_tier", values={"tier": tier}))
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CAP:
            problems.append(PlanProblem(reason="invalid_cap", values={"tier": tier, "value": value,
                                                                      "max": MAX_CAP}))
    return problems


def merge_proposals(visits: list[VisitRef], window_days: int) -> list[MergeProposal]:
    """Groups of scheduled visits to one enterprise worth merging into one joint visit.

    Only visits with status 'scheduled' take part (in-progress, completed and cancelled ones never do),
    and no re-check: its list is the still-open items of the visit it re-checks, not a merge of theirs.
    Per enterprise, in order of (date, id): the earliest visit not yet grouped is the anchor, and every
    later ungrouped visit at most `window_days` days after it joins its group. The window is inclusive:
    with 30, visits 29 or 30 days apart are proposed, 31 days apart are not. Every pair in a group
    therefore lies within the window of each other. Visits that chain (day 0, 20 and 40) do not make one
    group: 0 and 20 are proposed together and 40 starts afresh. A group of two or more is proposed
    whatever departments its visits bring: the same department, or the same joint team, coming twice to
    one enterprise within the window disturbs it twice for what one visit does (无事不扰). An anchor
    alone in its window is set aside, so the next visit may still group with later ones."""
    by_enterprise: dict[str, list[VisitRef]] = {}
    scheduled = (v for v in visits if v.status == VisitStatus.SCHEDULED and v.kind != VisitKind.RECHECK)
    for visit in sorted(scheduled, key=lambda v: (v.scheduled_on, v.id)):
        by_enterprise.setdefault(visit.enterprise_code, []).append(visit)
    proposals = []
    for code in sorted(by_enterprise):
        remaining = by_enterprise[code]
        while remaining:
            anchor = remaining[0]
            group = [v for v in remaining if (v.scheduled_on - anchor.scheduled_on).days <= window_days]
            if len(group) > 1:
                proposals.append(MergeProposal(
                    enterprise_code=code, inspection_ids=[v.id for v in group],
                    dates=[v.scheduled_on for v in group],
                    departments=_union(v.departments for v in group), team=_union(v.team for v in group)))
                taken = {v.id for v in group}
                remaining = [v for v in remaining if v.id not in taken]
            else:
                remaining = remaining[1:]
    return proposals


def _union(lists) -> list[str]:
    seen: dict[str, None] = {}
    for values in lists:
        for value in values:
            seen.setdefault(value, None)
    return list(seen)


def plan_number(rules: PlanningRules, year: int, sequence: int) -> str:
    """The number of the year's `sequence`-th plan (1 the first)."""
    return rules.plan_number_format.format(year=year, sequence=sequence)


def validate_kind(kind: str, reason: str) -> list[PlanProblem]:
    """The kind is one of KINDS; complaint, re-check and special need a reason (routine needs none)."""
    if kind not in KINDS:
        return [PlanProblem(reason="unknown_kind", values={"kind": kind, "known": [str(k) for k in KINDS]})]
    if kind in REASON_KINDS and not (reason or "").strip():
        return [PlanProblem(reason="reason_required", values={"kind": kind})]
    return []


def validate_plan(kind: str, reason: str, lead: str | None, departments: list[str], team: list[str],
                  inspectors: Mapping[str, InspectorRef], scheduled_on: dt.date | None = None,
                  today: dt.date | None = None, item_counts: Mapping[str, int] | None = None) -> list[PlanProblem]:
    """Every problem of a planned visit, in a stable order; empty when the plan is sound.

    - the kind and its reason (`validate_kind`);
    - the date, when given with `today`, is not in the past (today itself is fine);
    - at least one department; the lead department takes part;
    - a team of at least one; each member an active inspector (`inspectors` maps the usernames of
      inspector accounts, active or not) of a participating department;
    - every participating department sends at least one inspector (its items need someone to check them);
    - with `item_counts` (items per department of the merged list), every department has something to
      check at this enterprise, or it has no business coming.
    """
    problems: list[PlanProblem] = []

    def add(key: str, **values) -> None:
        problems.append(PlanProblem(reason=key, values=values))

    problems += validate_kind(kind, reason)
    if scheduled_on is not None and today is not None and scheduled_on < today:
        add("past_date", scheduled_on=scheduled_on, today=today)
    if not departments:
        add("no_departments")
    elif not lead or lead not in departments:
        add("lead_not_participating", lead=lead or "", departments=list(departments))
    if not team:
        add("team_required")
    staffed: set[str] = set()
    for username in team:
        inspector = inspectors.get(username)
        if inspector is None:
            add("unknown_inspector", username=username)
        elif not inspector.active:
            add("inactive_inspector", username=username)
        elif inspector.department not in departments:
            add("inspector_not_participating", username=username, department=inspector.department)
        else:
            staffed.add(inspector.department)
    if team:
        for department in departments:
            if department not in staffed:
                add("department_without_inspector", department=department)
    for department, count in (item_counts or {}).items():
        if count == 0:
            add("department_has_no_items", department=department)
    return problems


def team_problems(team: list[str], inspectors: Mapping[str, InspectorRef], departments: list[str],
                  day: dt.date, min_officers: int) -> list[PlanProblem]:
    """Who may inspect on `day` (domain.enforcement), after validate_plan: no member with an expired ID
    ('expired_enforcement_id'), at least `min_officers` officers ('too_few_officers'), and an officer
    from every participating department, since helpers answer no item ('department_without_officer').
    Members validate_plan refuses (unknown, inactive) are left to it."""
    problems: list[PlanProblem] = []
    members = [inspectors[u] for u in team if u in inspectors and inspectors[u].active]
    for member in members:
        if member.standing_on(day) == Standing.EXPIRED:
            problems.append(PlanProblem(reason="expired_enforcement_id", values={
                "username": member.username, "valid_until": member.enforcement_valid_until, "day": day}))
    officers = [m for m in members if m.standing_on(day) == Standing.OFFICER]
    if team and len(officers) < min_officers:
        problems.append(PlanProblem(reason="too_few_officers", values={
            "count": len(officers), "needed": min_officers, "day": day}))
    staffed = {m.department for m in officers}
    for department in departments:
        if members and department not in staffed and any(m.department == department for m in members):
            problems.append(PlanProblem(reason="department_without_officer", values={"department": department}))
    return problems


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
