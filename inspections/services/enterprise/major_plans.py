"""A major hazard's rectification plan with the 五落实 (responsible person, measures, funds, deadline,
interim safety and emergency measures), submitted by the enterprise within the days of
`inspections/rules/hazards.yaml` of the notice; a later plan replaces it (every one is kept). The plan is
the hazard's 'plan' event (its summary as the note) and a row of `hazard_plans`, in one transaction,
stored only if the hazard is still as it was read."""
from __future__ import annotations

import datetime as dt

from inspections.domain.hazards import Hazard, Level, RectificationPlan, TransitionError, apply, plan_due, plan_refusal
from inspections.domain.refusals import ChangedMeanwhile
from inspections.store import hazards as hazard_store
from inspections.services.shared import access
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.services.shared.hazard_rules import major_hazard_rules
from inspections.services.enterprise.portal import PortalError, _enterprise


def submit_plan(ctx: Context, user: User, hazard_id: str, plan: RectificationPlan,
                now: dt.datetime | None = None) -> Hazard:
    """Record the enterprise's plan for its major hazard (PortalError 'plan_major_only', 'cannot_plan'
    with the lifecycle's reason, or the plan's deadline out of the hazard's range)."""
    _enterprise(user)
    hazard = access.hazard(ctx, user, hazard_id)
    if hazard.level != Level.MAJOR:
        raise PortalError("plan_major_only")
    why = plan_refusal(hazard, plan)
    if why:
        raise why
    now = now or ctx.clock.instant()
    try:
        changed, event = apply(hazard, "plan", actor=user.username, at=now, note=plan.summary())
    except TransitionError as error:
        raise PortalError("cannot_plan", why=error) from None

    def work(cursor):
        if hazard_store.save(cursor, changed, event, before=hazard) != 1:
            raise ChangedMeanwhile("hazard_changed_meanwhile", id=hazard_id)
        hazard_store.insert_plan(cursor, {"hazard_id": hazard_id, "submitted_at": now, "submitted_by": user.username,
                                          **plan.model_dump()})
        return changed
    return ctx.db.write(work)


def current_plan(ctx: Context, user: User, hazard_id: str) -> RectificationPlan | None:
    """The hazard's plan as last submitted, for whoever may see the hazard."""
    access.hazard(ctx, user, hazard_id)
    row = hazard_store.latest_plan(ctx.db, hazard_id)
    return RectificationPlan(**{f: row[f] for f in RectificationPlan.model_fields}) if row else None


def plan_due_on(hazard: Hazard) -> dt.date:
    """The last day the hazard's plan is due (the rules file's days after the notice)."""
    return plan_due(hazard, major_hazard_rules())
