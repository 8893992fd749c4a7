"""The safety office plans joint inspections (综合查一次): one visit at a time with a preview of the merged
list, the yearly cap (无事不扰; beyond it only with a recorded override reason) and the enterprise's other
visits within the merge window (planned only once confirmed); merge proposals for visits to one
enterprise within the window, each previewed (kept date, departments, items, the cap after) before it is
accepted; and bulk plans for a sector or scenario and a month, created all at once. A planning form's
submission key makes a form sent twice plan one visit. The default caps and the window are data
(`inspections/rules/planning.yaml`); the rules live in domain.planning; every write is one transaction.
Office users only: anyone else gets access.NotFound. Problems are PlanningError(reason, **values), reason
keys the UI translates."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from pathlib import Path

from inspections import config

from inspections.domain.enforcement import Standing
from inspections.domain.enterprises import Enterprise
from inspections.domain.merge import MergedList, merge
from inspections.domain.visits import VisitKind, VisitStatus
from inspections.domain.refusals import BadInput
from inspections.domain.planning import (BulkCandidate, BulkProposal, CapCheck, InspectorRef, PlanningRules,
                                         PlanProblem, VisitRef, cap_check, count_after_merge,
                                         merge_proposals, plan_bulk, team_problems,
                                         validate_kind, validate_plan)
from inspections.readers.rules_files import RulesFileUnusable, load_rules
from inspections.store import enterprises as enterprise_store
from inspections.store import inspections as inspection_store
from inspections.store import planning as store
from inspections.services.office import plan_numbers
from inspections.services.shared import access, enforcement
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context


class PlanningError(BadInput):
    """A refused plan: the first problem's reason and values, and `problems`, every problem found (a bulk
    plan lists them all)."""

    def __init__(self, reason: str, *, problems: list[PlanProblem] | None = None, **values):
        super().__init__(reason, **values)
        self.problems = problems or [PlanProblem(reason=reason, values=values)]

    @classmethod
    def of(cls, problems: list[PlanProblem], **context) -> "PlanningError":
        first = problems[0]
        return cls(first.reason, problems=problems, **context, **first.values)


_office = access.require_office
RULES_FILE = config.REPO_ROOT / "inspections" / "rules" / "planning.yaml"


@functools.lru_cache(maxsize=4)
def rules(path: Path = RULES_FILE) -> PlanningRules:
    """The planning rules: default caps by tier and the merge window (`inspections/rules/planning.yaml`)."""
    try:
        return load_rules(path, PlanningRules)
    except RulesFileUnusable as error:
        raise PlanningError("planning_rules_unusable", path=str(path), why=error.why) from None


def window_days() -> int:
    """The merge window: visits to one enterprise at most this many days apart are one visit's worth."""
    return rules().merge_window_days


def _enterprise(ctx: Context, code: str) -> Enterprise:
    found = enterprise_store.get(ctx.db, (code or "").strip())
    if found is None:
        raise PlanningError("unknown_enterprise", code=code)
    return found


def _department_ids(ctx: Context, names: list[str] | None) -> list[str]:
    wanted = set()
    for name in names or []:
        found = ctx.catalogue.resolve_department(name)
        if found is None:
            raise PlanningError("unknown_department", department=name)
        wanted.add(found)
    return [d for d in ctx.catalogue.department_ids if d in wanted]


def _merged(ctx: Context, enterprise: Enterprise, departments: list[str] | None) -> MergedList:
    return merge(ctx.catalogue, enterprise.sectors, departments or None, scenario=enterprise.scenario)


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def _inspectors(cursor) -> dict[str, InspectorRef]:
    return {r["username"]: InspectorRef(username=r["username"], department=r["department"], active=r["active"],
                                        enforcement_number=r["enforcement_number"],
                                        enforcement_valid_until=r["enforcement_valid_until"])
            for r in store.inspectors(cursor)}


def _validate(kind: str, reason: str, lead: str | None, departments: list[str], team: list[str],
              inspectors: dict[str, InspectorRef], day: dt.date, today: dt.date,
              item_counts: dict[str, int] | None = None) -> list[PlanProblem]:
    """The plan's problems (domain.planning.validate_plan), then who may inspect on its date: enough
    officers with a valid enforcement ID (the rules' minimum), none expired (domain.planning.team_problems)."""
    return (validate_plan(kind, reason, lead, departments, team, inspectors, day, today, item_counts)
            + team_problems(team, inspectors, departments, day, enforcement.min_officers()))


def _caps(cursor) -> dict[str, int]:
    return {**rules().default_caps, **store.caps(cursor)}


def _cap_check(cursor, enterprise: Enterprise, year: int, kind: str) -> CapCheck:
    kinds = store.year_kinds(cursor, year, enterprise.code).get(enterprise.code, [])
    return cap_check(enterprise.tier, kinds, kind, _caps(cursor))


def _record(ctx: Context, user: User, enterprise: Enterprise, day: dt.date, lead: str, merged: MergedList,
            team: list[str], kind: str, reason: str) -> dict:
    return {"enterprise_code": enterprise.code, "scheduled_on": day, "lead_department": lead,
            "departments": merged.departments, "team": team, "kind": kind, "reason": reason.strip(),
            "cap_override_reason": "", "status": VisitStatus.SCHEDULED, "checklist_version": ctx.catalogue.version,
            "merged_list_json": merged.model_dump_json(), "created_by": user.username}


# -- one visit -------------------------------------------------------------------------------------
def preview(ctx: Context, user: User, enterprise_code: str, departments: list[str] | None, kind: str,
            scheduled_on: dt.date | None = None, recheck_of: str = "") -> dict:
    """The merged list (no departments: those that check the enterprise's sectors; a re-check of the
    visit `recheck_of`: its still-open items, services.office.recheck_plans), items per department
    and the cap check for the year of `scheduled_on` (default: this year)."""
    _office(user)
    enterprise = _enterprise(ctx, enterprise_code)
    recheck = recheck_plans.of_kind(ctx, user, enterprise.code, kind, recheck_of) if recheck_of else None
    merged = recheck.merged if recheck else _merged(ctx, enterprise, _department_ids(ctx, departments))
    year = (scheduled_on or ctx.clock.today()).year
    return {"enterprise": enterprise, "merged": merged, "counts": merged.count_by_department(),
            "cap": _cap_check(ctx.db.cursor(), enterprise, year, kind), "window_days": window_days(),
            "nearby": nearby(ctx, user, enterprise.code, scheduled_on) if scheduled_on else [],
            "recheck_reason": recheck.reason if recheck else ""}


def nearby(ctx: Context, user: User, enterprise_code: str, scheduled_on: dt.date, cursor=None) -> list[dict]:
    """The enterprise's scheduled visits within the merge window before or after `scheduled_on`
    (inclusive), earliest first: planning one more there disturbs it twice for what one visit does."""
    _office(user)
    days = dt.timedelta(days=window_days())
    found = store.scheduled_between(cursor or ctx.db.cursor(), scheduled_on - days, scheduled_on + days,
                                    [enterprise_code])
    keep = ("id", "scheduled_on", "lead_department", "departments", "team", "kind")
    return [{k: v[k] for k in keep} for v in found]


def create(ctx: Context, user: User, enterprise_code: str, scheduled_on: dt.date, lead: str,
           departments: list[str], team: list[str], kind: str, reason: str = "", override_reason: str = "",
           *, today: dt.date | None = None, submission_key: str = "", confirm_nearby: bool = False,
           recheck_of: str = "") -> dict:
    """Plan one visit; returns the stored inspection. A re-check names the visit it re-checks
    (`recheck_of`): its list, departments and default reason come from there (recheck_plans). Beyond the
    cap only with `override_reason`, which is recorded (and ignored when the visit is within the cap or
    exempt). With another scheduled visit to the enterprise within the merge window, only with `confirm_nearby` (else 'nearby_visits', naming them).
    A `submission_key` (one per planning form filled in) seen before returns the visit it planned, unless
    that was cancelled: a form sent twice (a double tap) plans one visit, whatever changed meanwhile."""
    _office(user)
    key = (submission_key or "").strip()
    if key and (earlier := store.submitted(ctx.db.cursor(), key)):
        return inspection_store.get(ctx.db, earlier)
    enterprise = _enterprise(ctx, enterprise_code)
    recheck = recheck_plans.of_kind(ctx, user, enterprise.code, kind, recheck_of)
    deps = recheck.merged.departments if recheck else _department_ids(ctx, departments)
    lead_id = ctx.catalogue.resolve_department(lead or "") or lead
    team, reason = _unique(team), (reason or "").strip() or (recheck.reason if recheck else "")
    merged = recheck.merged if recheck else _merged(ctx, enterprise, deps) if deps else None
    problems = _validate(kind, reason, lead_id, deps, team, _inspectors(ctx.db.cursor()), scheduled_on,
                         today or ctx.clock.today(), merged.count_by_department() if merged else None)
    if problems:
        raise PlanningError.of(problems)
    record = _record(ctx, user, enterprise, scheduled_on, lead_id, merged, team, kind, reason)
    if recheck:                 # the earlier visit's wording, and its checklist version
        record.update(recheck_of=recheck.earlier["id"], checklist_version=recheck.earlier["checklist_version"])

    def work(cursor) -> str:
        if key and (earlier := store.submitted(cursor, key)):   # the same form, sent while this one waited
            return earlier
        if not confirm_nearby and (others := nearby(ctx, user, enterprise.code, scheduled_on, cursor)):
            raise PlanningError("nearby_visits", days=window_days(),
                                visits="；".join(f"{v['id']}（{v['scheduled_on']}）" for v in others))
        check = _cap_check(cursor, enterprise, scheduled_on.year, kind)
        if not check.allowed:
            if not (override_reason or "").strip():
                raise PlanningError("over_cap_needs_reason", used=check.used, cap=check.cap, tier=check.tier)
            record["cap_override_reason"] = override_reason.strip()
        record["id"] = store.new_ids(cursor, [scheduled_on])[0]
        plan_numbers.number_visits(ctx, user, cursor, [record])
        store.insert(cursor, [record], ctx.clock.instant())
        if key:
            store.record_submission(cursor, key, record["id"], ctx.clock.instant())
        return record["id"]
    return inspection_store.get(ctx.db, ctx.db.write(work))


def cancel(ctx: Context, user: User, inspection_id: str, reason: str, now: dt.datetime | None = None) -> dict:
    """Cancel a visit that has not started, with the office's reason; it no longer counts toward the cap."""
    _office(user)
    found = access.inspection(ctx, user, inspection_id)
    if not (reason or "").strip():
        raise PlanningError("reason_required", kind="cancel")
    if found["status"] != VisitStatus.SCHEDULED:
        raise PlanningError("not_scheduled", inspection_id=inspection_id, status=found["status"])

    def work(cursor) -> None:
        if store.cancel(cursor, [inspection_id], reason.strip(), user.username, now or ctx.clock.instant()) != 1:
            raise PlanningError("changed_meanwhile", inspection_id=inspection_id)
    ctx.db.write(work)
    return inspection_store.get(ctx.db, inspection_id)


# -- merge proposals -------------------------------------------------------------------------------
def proposals(ctx: Context, user: User, today: dt.date, window: int | None = None) -> list[dict]:
    """Scheduled visits from today on that could become one joint visit (domain.planning.merge_proposals,
    within the rules' merge window unless `window` days are given), each with the enterprise's name and
    its visits."""
    _office(user)
    visits = store.scheduled_between(ctx.db.cursor(), today)
    by_id = {v["id"]: v for v in visits}
    found = merge_proposals([VisitRef(**{k: v[k] for k in VisitRef.model_fields}) for v in visits],
                            window or window_days())
    keep = ("id", "scheduled_on", "lead_department", "departments", "team", "kind")
    return [{**p.model_dump(), "enterprise_name": _enterprise(ctx, p.enterprise_code).name,
             "visits": [{k: by_id[i][k] for k in keep} for i in p.inspection_ids]} for p in found]


def _merge_plan(ctx: Context, inspection_ids: list[str], keep_date: dt.date | None, today: dt.date | None) -> dict:
    """What merging these visits makes, checked (refused as accept_proposal says), nothing written: the
    kept visit (the earliest), the others, the enterprise, the united departments' merged list, the team
    and the date."""
    ids = _unique(inspection_ids)
    if len(ids) < 2:
        raise PlanningError("need_two_visits")
    found = store.get_many(ctx.db.cursor(), ids)
    if missing := [i for i in ids if i not in found]:
        raise access.NotFound(missing[0])
    visits = sorted(found.values(), key=lambda v: (v["scheduled_on"], v["id"]))
    if len({v["enterprise_code"] for v in visits}) > 1:
        raise PlanningError("different_enterprises")
    for visit in visits:
        if visit["status"] != VisitStatus.SCHEDULED:
            raise PlanningError("not_scheduled", inspection_id=visit["id"], status=visit["status"])
        if visit["kind"] == VisitKind.RECHECK:     # its list is the earlier visit's open items, not theirs
            raise PlanningError("recheck_not_merged", inspection_id=visit["id"])
    keep = visits[0]
    enterprise = _enterprise(ctx, keep["enterprise_code"])
    deps = _department_ids(ctx, [d for v in visits for d in v["departments"]])
    team = _unique([name for v in visits for name in v["team"]])
    merged, day = _merged(ctx, enterprise, deps), keep_date or keep["scheduled_on"]
    problems = _validate(keep["kind"], keep["reason"], keep["lead_department"], merged.departments, team,
                         _inspectors(ctx.db.cursor()), day, today or ctx.clock.today())
    if problems:
        raise PlanningError.of(problems)
    return {"keep": keep, "others": [v["id"] for v in visits[1:]], "visits": visits, "enterprise": enterprise,
            "merged": merged, "team": team, "day": day}


def merge_preview(ctx: Context, user: User, inspection_ids: list[str], keep_date: dt.date | None = None, *,
                  today: dt.date | None = None) -> dict:
    """What accepting the merge would make, before it is made: the kept visit's id, the candidates' dates
    (the office keeps one of them) and the date kept, the united departments, team and item count, and
    the enterprise's count against its cap in the kept date's year once merged (`cap_after`: year, used,
    cap, tier, over). Refused as accept_proposal would refuse; nothing is written."""
    _office(user)
    plan = _merge_plan(ctx, inspection_ids, keep_date, today)
    enterprise, day, ids = plan["enterprise"], plan["day"], [v["id"] for v in plan["visits"]]
    cursor = ctx.db.cursor()
    used = count_after_merge(store.year_visits(cursor, day.year, enterprise.code), ids, plan["keep"]["kind"])
    cap = _caps(cursor)[enterprise.tier]
    return {"keep_id": plan["keep"]["id"], "dates": list(dict.fromkeys(v["scheduled_on"] for v in plan["visits"])),
            "keep_date": day, "departments": plan["merged"].departments, "team": plan["team"],
            "items": len(plan["merged"].items), "counts": plan["merged"].count_by_department(),
            "cap_after": {"year": day.year, "used": used, "cap": cap, "tier": enterprise.tier, "over": used > cap}}


def accept_proposal(ctx: Context, user: User, inspection_ids: list[str], keep_date: dt.date | None = None,
                    *, today: dt.date | None = None, now: dt.datetime | None = None) -> dict:
    """Merge scheduled visits to one enterprise into the earliest (its id, kind, reason and lead stay;
    its date unless `keep_date`): departments and teams united, the merged list rebuilt for the union;
    the others are cancelled with reason 'merged_into' naming it, and the enterprise's self-check answers
    to them carried over (what it has already checked stays checked). One transaction; returns the merged one.
    A `keep_date` in another year must fit that year's cap (the merged-away visits no longer count)."""
    _office(user)
    plan = _merge_plan(ctx, inspection_ids, keep_date, today)
    keep, others, enterprise, merged, day = plan["keep"], plan["others"], plan["enterprise"], plan["merged"], plan["day"]

    def work(cursor) -> None:
        if store.cancel(cursor, others, "merged_into", user.username, now or ctx.clock.instant(),
                        merged_into=keep["id"]) != len(others):
            raise PlanningError("changed_meanwhile", inspection_id=",".join(others))
        if day.year != keep["scheduled_on"].year:   # the visit moves into another year's count
            check = _cap_check(cursor, enterprise, day.year, keep["kind"])
            if not check.allowed:
                raise PlanningError("merge_over_cap", year=day.year, used=check.used, cap=check.cap,
                                    tier=check.tier)
        if store.update_plan(cursor, keep["id"], day, merged.departments, plan["team"], merged.model_dump_json(),
                             ctx.catalogue.version) != 1:
            raise PlanningError("changed_meanwhile", inspection_id=keep["id"])
        inspection_store.carry_self_check(cursor, others, keep["id"], [i.id for i in merged.items])
    ctx.db.write(work)
    return inspection_store.get(ctx.db, keep["id"])


# -- bulk plans ------------------------------------------------------------------------------------
def _visit_days(first: dt.date, last: dt.date, today: dt.date) -> list[dt.date]:
    """The month's working days (Monday-Friday) from today on; any remaining day if none is left."""
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1) if first + dt.timedelta(n) >= today]
    return [d for d in days if d.weekday() < 5] or days


def bulk_proposal(ctx: Context, user: User, sector: str | None = None, scenario: str | None = None, *,
                  month: dt.date, kind: str = VisitKind.ROUTINE, reason: str = "",
                  departments: list[str] | None = None,
                  today: dt.date | None = None) -> BulkProposal:
    """One joint visit per enterprise of the sector and/or scenario (both: both must fit) in the month,
    spread over its working days from today on; the departments those that check the enterprise's own
    items unless given. Who is left out and why: domain.planning.plan_bulk. Nothing is written."""
    _office(user)
    if not sector and not scenario:
        raise PlanningError("sector_or_scenario_required")
    sector_id = ctx.catalogue.resolve_sector(sector) if sector else None
    scenario_id = ctx.catalogue.resolve_scenario(scenario) if scenario else None
    if sector and not sector_id:
        raise PlanningError("unknown_sector", sector=sector)
    if scenario and not scenario_id:
        raise PlanningError("unknown_scenario", scenario=scenario)
    if problems := validate_kind(kind, reason):
        raise PlanningError.of(problems)
    if kind == VisitKind.RECHECK:         # a re-check is of one earlier visit (recheck_plans), never in bulk
        raise PlanningError("recheck_visit_required")
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    days = _visit_days(first, last, today or ctx.clock.today())
    if not days:
        raise PlanningError("past_month", month=first)
    deps_asked = _department_ids(ctx, departments)
    cursor = ctx.db.cursor()
    kinds = store.year_kinds(cursor, first.year)
    booked = {v["enterprise_code"]: v["id"] for v in store.scheduled_between(cursor, first, last)}
    pool: dict[str, list[str]] = {}      # officers whose IDs are valid all month (helpers are not planned)
    for ref in (r for r in _inspectors(cursor).values() if r.active and r.standing_on(last) == Standing.OFFICER):
        pool.setdefault(ref.department, []).append(ref.username)
    candidates = [BulkCandidate(enterprise_code=e.code, enterprise_name=e.name, tier=e.tier,
                                kinds_this_year=kinds.get(e.code, []), booked=booked.get(e.code),
                                item_counts=_merged(ctx, e, deps_asked).count_by_department())
                  for e in enterprise_store.list_all(ctx.db)
                  if (not sector_id or sector_id in e.sectors) and (not scenario_id or e.scenario == scenario_id)]
    visits, left_out = plan_bulk(candidates, days, pool, _caps(cursor), kind, enforcement.min_officers())
    return BulkProposal(month=first, sector=sector_id, scenario=scenario_id, kind=kind, reason=reason.strip(),
                        visits=visits, left_out=left_out)


def bulk_create(ctx: Context, user: User, proposal: BulkProposal, lead_department: str | None = None, *,
                today: dt.date | None = None) -> list[str]:
    """Create every visit of a (reviewed) proposal at once, or none: each plan and cap is checked again,
    inside the one transaction. The lead is `lead_department` (which must take part in every visit) or
    each visit's first department. Returns the new ids in the proposal's order."""
    _office(user)
    if not proposal.visits:
        raise PlanningError("nothing_to_create")
    lead_id = (ctx.catalogue.resolve_department(lead_department) or lead_department) if lead_department else None
    inspectors, today = _inspectors(ctx.db.cursor()), today or ctx.clock.today()
    records, seen = [], set()
    for visit in proposal.visits:
        if visit.enterprise_code in seen:
            raise PlanningError("duplicate_enterprise", enterprise_code=visit.enterprise_code)
        seen.add(visit.enterprise_code)
        enterprise = _enterprise(ctx, visit.enterprise_code)
        merged = _merged(ctx, enterprise, _department_ids(ctx, visit.departments))
        lead = lead_id or merged.departments[0]
        problems = _validate(proposal.kind, proposal.reason, lead, merged.departments, _unique(visit.team),
                             inspectors, visit.scheduled_on, today, merged.count_by_department())
        if problems:
            raise PlanningError.of(problems, enterprise_code=enterprise.code)
        records.append((enterprise, _record(ctx, user, enterprise, visit.scheduled_on, lead, merged,
                                            _unique(visit.team), proposal.kind, proposal.reason)))

    def work(cursor) -> list[str]:
        for enterprise, record in records:
            check = _cap_check(cursor, enterprise, record["scheduled_on"].year, proposal.kind)
            if not check.allowed:
                raise PlanningError("at_cap", enterprise_code=enterprise.code, used=check.used, cap=check.cap,
                                    tier=check.tier)
        ids = store.new_ids(cursor, [record["scheduled_on"] for _, record in records])
        for (_, record), new_id in zip(records, ids):
            record["id"] = new_id
        plan_numbers.number_visits(ctx, user, cursor, [record for _, record in records])
        store.insert(cursor, [record for _, record in records], ctx.clock.instant())
        return ids
    return ctx.db.write(work)


def inspector_options(ctx: Context, user: User) -> list[dict]:
    """Active inspectors with their departments and enforcement IDs, for choosing a team."""
    _office(user)
    return [row for row in store.inspectors(ctx.db.cursor()) if row["active"]]


# The caps as a report live in cap_reports; planning's callers reach them here as before.
from inspections.services.office.cap_reports import (caps, inspections_per_enterprise,  # noqa: E402,F401
                                                     over_cap_summary, overrides_report, set_caps)
from inspections.services.office import recheck_plans  # noqa: E402  (it refuses with PlanningError)
