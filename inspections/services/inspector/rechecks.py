"""Re-inspection (复查) and close-out (销号): the inspector's department reviews submitted rectifications;
a pass closes the hazard, a failure sends it back with a reason the enterprise sees (by department: any
inspector of the hazard's department decides, whoever was on the visit's team). A decision is stored
only if the hazard is still the submitted one it was decided from; of two decisions at once the second
raises ChangedMeanwhile and records nothing. Each decision issues its re-check opinion (整改复查意见书), stored
in the decision's transaction (services.shared.documents). Every hazard's audit trail is readable by whoever may see
the hazard."""
from __future__ import annotations

import datetime as dt

from inspections.domain.hazards import (Hazard, HazardEvent, Level, Status, TransitionError, acceptance_due,
                                        acceptance_overdue, apply)
from inspections.store import hazards as hazard_store
from inspections.store import photos as photo_store
from inspections.services.shared import access, documents, enforcement, findings
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.services.shared.hazard_rules import major_hazard_rules
from inspections.domain.refusals import ChangedMeanwhile


def pending(ctx: Context, user: User) -> list[dict]:
    """Submitted rectifications waiting for this inspector's department, the majors late for acceptance first, then nearest deadline first, each
    with its original finding (`finding`: services.shared.findings.Finding, the item and its photos) and,
    for a major, the last day of its on-site acceptance (`acceptance_due`, 16号令; else None) and whether
    that day has passed (`acceptance_overdue`)."""
    access.require_role(user, "inspector")
    rows = hazard_store.submitted_for_department(ctx.db, user.department)
    hazards = [Hazard(**{f: row[f] for f in hazard_store.HAZARD_FIELDS}) for row in rows]
    found = findings.of_hazards(ctx, hazards)
    rules, today = major_hazard_rules(), ctx.clock.today()
    waiting = [{**row, "finding": found[row["id"]], "acceptance_due": acceptance_due(hazard, rules),
                "acceptance_overdue": acceptance_overdue(hazard, today, rules)}
               for row, hazard in zip(rows, hazards)]
    return sorted(waiting, key=lambda row: not row["acceptance_overdue"])   # the late acceptances first


def trail(ctx: Context, user: User, hazard_id: str) -> list[HazardEvent]:
    access.hazard(ctx, user, hazard_id)
    return hazard_store.events(ctx.db, hazard_id)


def evidence_photos(ctx: Context, user: User, hazard_id: str,
                    events: list[HazardEvent] | None = None) -> list[dict]:
    """The photos attached to the hazard's events (rectification evidence), oldest first. `events`: the
    trail this user was given already (by `trail`), so that a page showing both loads the trail once."""
    events = trail(ctx, user, hazard_id) if events is None else events
    ids = [photo for event in events if event.hazard_id == hazard_id for photo in event.evidence]
    return photo_store.many(ctx.db, ids)


def decide(ctx: Context, user: User, hazard_id: str, passed: bool, reason: str = "",
           now: dt.datetime | None = None):
    """By an officer of the hazard's department with an enforcement ID valid that day (else
    enforcement.EnforcementRefused, nothing written): close the hazard (pass) or return it to rectifying with `reason` (fail; for a major, 继续挂账). A
    major passed is accepted on site (验收) and waits for the office's approval to close
    (services.office.oversight.approve_closure). ChangedMeanwhile when it
    was decided (or changed otherwise) since it was read here: nothing is written."""
    access.require_role(user, "inspector")
    hazard = access.hazard(ctx, user, hazard_id)
    if hazard.department != user.department:  # seen on a joint visit, but re-inspected by its own department
        raise access.NotFound(hazard_id)
    if hazard.status != Status.SUBMITTED:
        raise TransitionError("recheck_not_submitted", hazard_status=hazard.status.value)
    if hazard.accepted_on is not None:   # a major accepted already waits for the office's approval
        raise TransitionError("major_awaiting_approval")
    now = now or ctx.clock.instant()
    enforcement.require_officer(ctx, user, ctx.clock.local(now).date())   # who signs the opinion holds a valid ID
    major = hazard.level == Level.MAJOR     # a major passed is accepted on site (验收), closed by a second person
    action = ("accept" if major else "close") if passed else "reject"
    notes = documents.rules().recheck_notes
    changed, event = apply(hazard, action, actor=user.username, at=now,
                           note=reason if not passed else (reason or (notes.accepted if major else notes.closed)))

    opinion = documents.recheck_opinion(ctx, user, hazard, event, hazard_store.events(ctx.db, hazard_id))

    def work(cursor):
        if hazard_store.save(cursor, changed, event, before=hazard) != 1:
            raise ChangedMeanwhile("hazard_changed_meanwhile", id=hazard_id)
        documents.store(cursor, opinion)
    ctx.db.write(work)
    return changed
