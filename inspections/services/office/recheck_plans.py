"""Planning a re-check visit (复查, safety office). A re-check names the earlier finished visit it re-checks
(`inspections.recheck_of`) and walks only the items of that visit whose hazards are not closed, worded as
the earlier visit's stored list had them (the catalogue may have changed since; the re-check keeps the
earlier visit's checklist version); its departments are those hazards' departments, and its reason, unless
the office gives one, names the earlier visit (inspections/rules/visit_documents.yaml). The rules are
domain.recheck_visits; services.office.planning plans the visit with them and never merges a re-check
with other visits (its list is not theirs). Office users only."""
from __future__ import annotations

from dataclasses import dataclass

from inspections.domain.merge import MergedList
from inspections.domain.recheck_visits import recheck_list, still_open
from inspections.domain.visits import VisitKind, VisitStatus
from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from inspections.store import planning as store
from inspections.services.office.planning import PlanningError
from inspections.services.shared import access, documents, merged_lists
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context


@dataclass(frozen=True)
class RecheckPlan:
    earlier: dict            # the visit re-checked (its inspections row)
    merged: MergedList       # the re-check's list: the still-open items only
    reason: str              # the default reason, naming the earlier visit


def candidates(ctx: Context, user: User, enterprise_code: str) -> list[dict]:
    """The enterprise's finished visits with open hazards, newest first (id, scheduled_on, departments,
    open_hazards): what a re-check of it may re-check."""
    access.require_office(user)
    return store.with_open_hazards(ctx.db.cursor(), (enterprise_code or "").strip())


def default_reason(earlier: dict) -> str:
    return documents.rules().recheck_visit_reason.format(inspection_id=earlier["id"],
                                                         date=earlier["scheduled_on"].isoformat())


def plan(ctx: Context, user: User, enterprise_code: str, earlier_id: str) -> RecheckPlan:
    """The re-check of `earlier_id` at the enterprise, checked: PlanningError 'recheck_visit_required'
    (none named), 'recheck_unknown_visit', 'recheck_other_enterprise' (another enterprise's visit),
    'recheck_not_finished' (the visit is not completed) or 'recheck_nothing_open' (none of its hazards
    is open). Nothing is written."""
    access.require_office(user)
    earlier_id = (earlier_id or "").strip()
    if not earlier_id:
        raise PlanningError("recheck_visit_required")
    earlier = inspection_store.get(ctx.db, earlier_id)
    if earlier is None:
        raise PlanningError("recheck_unknown_visit", inspection_id=earlier_id)
    if earlier["enterprise_code"] != (enterprise_code or "").strip():
        raise PlanningError("recheck_other_enterprise", inspection_id=earlier_id)
    if earlier["status"] != VisitStatus.COMPLETED:
        raise PlanningError("recheck_not_finished", inspection_id=earlier_id, status=earlier["status"])
    listed = merged_lists.of(ctx, earlier)
    hazards = [h for h in still_open(hazard_store.for_inspection(ctx.db, earlier_id)) if listed.has_item(h.item_id)]
    if not hazards:
        raise PlanningError("recheck_nothing_open", inspection_id=earlier_id)
    order = list(dict.fromkeys(ctx.catalogue.department_ids + list(earlier["departments"])))
    return RecheckPlan(earlier=earlier, merged=recheck_list(listed, hazards, order), reason=default_reason(earlier))


def of_kind(ctx: Context, user: User, enterprise_code: str, kind: str, earlier_id: str) -> RecheckPlan | None:
    """`plan` for a re-check (which must name the visit it re-checks), None for any other kind."""
    return plan(ctx, user, enterprise_code, earlier_id) if kind == VisitKind.RECHECK else None
