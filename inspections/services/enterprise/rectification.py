"""The enterprise's hazards: each with its deadline, days left or overdue, status and audit trail;
rectification with evidence (what was done, when, photos) moves a hazard to submitted; a rejection's
reason comes back and a new submission answers it; a major hazard's deadline extension is requested
before the deadline passes and decided by the safety office. A submission is stored only if the hazard
is still as it was read (else ChangedMeanwhile, nothing written: e.g. the same rectification sent from two
devices at once is stored once)."""
from __future__ import annotations

import datetime as dt
import secrets

from inspections.domain.hazards import Hazard, TransitionError, apply, extension_problem
from inspections.store import extensions as extension_store
from inspections.store import hazards as hazard_store
from inspections.services.shared import access, findings, photos
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.services.enterprise.portal import PortalError, _enterprise
from inspections.domain.refusals import ChangedMeanwhile



def my_hazards(ctx: Context, user: User, status: str | None = None, today: dt.date | None = None) -> list[dict]:
    """My enterprise's hazards (open first, nearest deadline first) with days left (negative when
    overdue), the original finding (services.shared.findings: the item and the inspector's photos) and
    the extension requests; `status` filters, 'overdue' too."""
    code = _enterprise(user)
    today = today or ctx.clock.today()
    hazards = hazard_store.for_enterprise(ctx.db, code)
    if status == "overdue":
        hazards = [h for h in hazards if h.is_overdue(today)]
    elif status:
        hazards = [h for h in hazards if h.status == status]
    requests = extension_store.for_hazards(ctx.db, [h.id for h in hazards])
    found = findings.of_hazards(ctx, hazards)
    return [{"hazard": h, "days_left": h.days_left(today), "overdue": h.is_overdue(today),
             "finding": found[h.id], "extensions": requests.get(h.id, [])} for h in hazards]


def last_rejection(ctx: Context, user: User, hazard_id: str) -> str | None:
    access.hazard(ctx, user, hazard_id)
    events = hazard_store.events(ctx.db, hazard_id)
    if not events or events[-1].action != "reject":
        return None
    return events[-1].note


def submit(ctx: Context, user: User, hazard_id: str, what_was_done: str, done_on: dt.date,
           images: list[bytes], now: dt.datetime | None = None) -> Hazard:
    """Report a rectification with evidence; the hazard moves to submitted for re-inspection."""
    _enterprise(user)
    hazard = access.hazard(ctx, user, hazard_id)
    if not what_was_done.strip():
        raise PortalError("describe_rectification")
    now = now or ctx.clock.instant()
    jpegs = [photos.compress(image) for image in images]  # every file checked before anything is saved
    try:
        apply(hazard, "submit", actor=user.username, at=now, rectified_on=done_on)  # refuse early, before files
    except TransitionError as error:
        raise PortalError("cannot_submit", why=error) from None

    def work(cursor):
        evidence = [photos.store(ctx, cursor, jpeg, enterprise_code=hazard.enterprise_code, purpose="evidence",
                                 uploaded_by=user.username, hazard_id=hazard_id, now=now, size=(width, height))
                    for jpeg, width, height in jpegs]
        changed, event = apply(hazard, "submit", actor=user.username, at=now, note=what_was_done,
                               evidence=evidence, rectified_on=done_on)
        if hazard_store.save(cursor, changed, event, before=hazard) != 1:
            raise ChangedMeanwhile("hazard_changed_meanwhile", id=hazard_id)
        return changed
    return ctx.db.write(work)


def request_extension(ctx: Context, user: User, hazard_id: str, new_deadline: dt.date, reason: str,
                      now: dt.datetime | None = None) -> dict:
    """Ask the safety office for a later deadline: major hazards only, before the deadline passes,
    one pending request at a time."""
    _enterprise(user)
    hazard = access.hazard(ctx, user, hazard_id)
    now = now or ctx.clock.instant()
    why = extension_problem(hazard, now.date(), pending=bool(extension_store.pending_for(ctx.db, hazard_id)),
                            new_deadline=new_deadline, reason=reason)
    if why:
        raise PortalError(why)
    request = {"id": secrets.token_hex(8), "hazard_id": hazard_id, "enterprise_code": hazard.enterprise_code,
               "requested_by": user.username, "requested_at": now, "current_deadline": hazard.deadline,
               "requested_deadline": new_deadline, "reason": reason.strip(), "status": "pending"}

    def work(cursor):
        # asked again in the writing transaction (writes are serialised): of two requests sent at once,
        # the second finds the first pending
        if extension_store.pending_for(cursor, hazard_id):
            raise PortalError("extension_pending")
        extension_store.insert(cursor, request)
    ctx.db.write(work)
    return request


def evidence_files(ctx: Context, user: User, hazard_id: str) -> list:
    """Paths of the photos attached to a hazard's events, for whoever may see the hazard."""
    from inspections.services.inspector.rechecks import evidence_photos
    return [photos.path_of(ctx, record) for record in evidence_photos(ctx, user, hazard_id)]
