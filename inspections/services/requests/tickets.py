"""The ticket use cases, each `(ctx, user, ...)` with its permission check (services.shared.access):
raising (an enterprise from the portal, a service specialist for an enterprise assigned to them, a grid
worker), the office's triage, assignment, supervision, merging, linking, sending back and closing, the
department's signing and answering (any inspector of the department assigned), and the callback (the
requester, or the office for a 12345 work order). Every change goes through domain.tickets.apply and is
stored only if the ticket is still as it was read (ChangedMeanwhile otherwise, nothing written).

Who sees what (anything else is 'not found', like a missing id): the office every ticket; a grid worker
what they reported; an enterprise its own requests (raised from its portal or by its specialist, not
reports about it by others); a specialist the requests of their enterprises and what they raised; an
inspector what was assigned to their department (from `assigned` on)."""
from __future__ import annotations

import datetime as dt

from inspections.domain.refusals import BadInput, ChangedMeanwhile
from inspections.domain.tickets import Source, Status, Ticket, TicketEvent, Urgency, apply
from inspections.store import enterprises as enterprise_store
from inspections.store import inspections as inspection_store
from inspections.store import photos as photo_store
from inspections.store import tickets as ticket_store
from inspections.store import users as user_store
from inspections.services.requests.rules import due_days, ticket_rules
from inspections.services.shared import access
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context

MAX_CONTENT = 2000
MAX_ADDRESS = 200
RAISED_BY = {"enterprise": Source.PORTAL, "specialist": Source.SPECIALIST, "grid": Source.GRID}
OWN_REQUESTS = (Source.PORTAL, Source.SPECIALIST)   # what an enterprise (and its specialist) may see


class TicketRefused(BadInput):
    """A ticket's input refused (content, address, category, department, enterprise, photos, verdict)."""


def may_see(ctx: Context, user: User, ticket: Ticket) -> bool:
    if user.role == "office":
        return True
    if user.role == "grid":
        return ticket.requester == user.username
    if user.role == "enterprise":
        return bool(user.enterprise_code) and ticket.enterprise_code == user.enterprise_code \
            and ticket.source in OWN_REQUESTS
    if user.role == "specialist":
        return ticket.requester == user.username or (
            ticket.source in OWN_REQUESTS
            and ticket.enterprise_code in ticket_store.specialist_enterprises(ctx.db, user.username))
    if user.role == "inspector":
        return ticket.department == user.department and ticket.status not in (Status.RECEIVED, Status.TRIAGED)
    return False


def ticket(ctx: Context, user: User | None, ticket_id: str) -> Ticket:
    """The ticket, if this user may see it (else NotFound, as for a missing one)."""
    if user is None:
        raise access.NotFound(ticket_id)
    found = ticket_store.get(ctx.db, ticket_id or "")
    if found is None or not may_see(ctx, user, found):
        raise access.NotFound(ticket_id)
    return found


def my_tickets(ctx: Context, user: User | None) -> list[Ticket]:
    """The tickets this user sees, open ones first, newest first."""
    if user is None:
        raise access.NotFound("tickets")
    if user.role == "office":
        return ticket_store.all_tickets(ctx.db)
    if user.role == "grid":
        return ticket_store.raised_by(ctx.db, user.username)
    if user.role == "enterprise" and user.enterprise_code:
        return [t for t in ticket_store.of_enterprises(ctx.db, [user.enterprise_code]) if t.source in OWN_REQUESTS]
    if user.role == "specialist":
        theirs = ticket_store.of_enterprises(ctx.db, ticket_store.specialist_enterprises(ctx.db, user.username))
        own = {t.id: t for t in ticket_store.raised_by(ctx.db, user.username)}
        own.update({t.id: t for t in theirs if t.source in OWN_REQUESTS})
        return sorted(own.values(), key=lambda t: (t.status == Status.CLOSED, -t.received_at.timestamp(), t.id))
    if user.role == "inspector":
        return ticket_store.of_department(ctx.db, user.department)
    raise access.NotFound("tickets")


def trail(ctx: Context, user: User, ticket_id: str) -> list[TicketEvent]:
    ticket(ctx, user, ticket_id)
    return ticket_store.events(ctx.db, ticket_id)


def _text(value: str, field: str, limit: int, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise TicketRefused(f"ticket_{field}_required")
    if len(text) > limit:
        raise TicketRefused(f"ticket_{field}_too_long", limit=limit)
    return text


def _category(category: str | None) -> str | None:
    if category and category not in ticket_rules().categories:
        raise TicketRefused("ticket_unknown_category", category=category)
    return category or None


def raise_ticket(ctx: Context, user: User | None, content: str, *, address: str = "",
                 enterprise_code: str | None = None, category: str | None = None,
                 photos: list[str] | None = None) -> Ticket:
    """收集: a new ticket from an enterprise (about itself), a specialist (for an enterprise assigned to
    them) or a grid worker (about an enterprise, or an address when the place is no registered one)."""
    if user is None or user.role not in RAISED_BY:
        raise access.NotFound("raise ticket")
    if user.role == "enterprise":
        access.require_role(user, "enterprise")
        enterprise_code = user.enterprise_code
    elif user.role == "specialist":
        if not enterprise_code or enterprise_code not in ticket_store.specialist_enterprises(ctx.db, user.username):
            raise access.NotFound(enterprise_code)
    elif enterprise_code and enterprise_store.get(ctx.db, enterprise_code) is None:
        raise TicketRefused("ticket_unknown_enterprise", enterprise_code=enterprise_code)
    content = _text(content, "content", MAX_CONTENT, required=True)
    address = _text(address, "address", MAX_ADDRESS, required=not enterprise_code)
    photos = list(photos or [])
    if len(photo_store.many(ctx.db, photos)) != len(set(photos)):
        raise TicketRefused("ticket_unknown_photo")
    now = ctx.clock.instant()

    def work(cursor) -> Ticket:
        number = ticket_store.next_number(cursor)
        new = Ticket(id=f"SQ{ctx.clock.local(now):%Y%m%d}-{number:05d}", source=RAISED_BY[user.role],
                     requester=user.username, enterprise_code=enterprise_code or None, address=address,
                     category=_category(category), content=content, received_at=now, photos=photos)
        created, event = apply(None, "raise", actor=user.username, at=now, new=new)
        ticket_store.insert(cursor, created, event)
        return created
    return ctx.db.write(work)


def _change(ctx: Context, user: User, before: Ticket, action: str, **details) -> Ticket:
    now = details.pop("now", None) or ctx.clock.instant()
    changed, event = apply(before, action, actor=user.username, at=now, **details)

    def work(cursor) -> None:
        if ticket_store.save(cursor, changed, event, before) != 1:
            raise ChangedMeanwhile("ticket_changed_meanwhile", id=before.id)
    ctx.db.write(work)
    return changed


def _office_ticket(ctx: Context, user: User | None, ticket_id: str) -> Ticket:
    access.require_office(user)
    return ticket(ctx, user, ticket_id)


def _department(ctx: Context, department: str | None) -> str | None:
    if department and department not in ctx.catalogue.department_ids:
        raise TicketRefused("ticket_unknown_department", department=department)
    return department or None


def triage(ctx: Context, user: User | None, ticket_id: str, *, category: str, department: str,
           urgency: str = Urgency.NORMAL.value) -> Ticket:
    """梳理: the office sets the category, the department and the urgency; the reply's due day follows
    from the category's limit in working days from the day received (refused, naming the year, when
    that reaches a year the official calendar does not cover)."""
    found = _office_ticket(ctx, user, ticket_id)
    category = _category(category)
    if not category:
        raise TicketRefused("ticket_category_required")
    if urgency not in {u.value for u in Urgency}:
        raise TicketRefused("ticket_unknown_urgency", urgency=urgency)
    due_on, resolve_by = due_days(ticket_rules(), category, ctx.clock.local(found.received_at).date())
    return _change(ctx, user, found, "triage", category=category, department=_department(ctx, department),
                   urgency=Urgency(urgency), due_on=due_on, resolve_by=resolve_by)


def assign(ctx: Context, user: User | None, ticket_id: str, department: str | None = None) -> Ticket:
    """交办: to the triaged department, or another one."""
    found = _office_ticket(ctx, user, ticket_id)
    return _change(ctx, user, found, "assign", department=_department(ctx, department))


def supervise(ctx: Context, user: User | None, ticket_id: str, note: str) -> Ticket:
    """督办: a supervision order with its note (escalated to the department's head); the status stays."""
    return _change(ctx, user, _office_ticket(ctx, user, ticket_id), "supervise", note=note)


def send_back(ctx: Context, user: User | None, ticket_id: str, reason: str) -> Ticket:
    """Back to the department after a callback that found it unresolved or 不满意."""
    return _change(ctx, user, _office_ticket(ctx, user, ticket_id), "send_back", note=reason)


def close(ctx: Context, user: User | None, ticket_id: str, note: str = "") -> Ticket:
    """销号: a ticket called back resolved, and not 不满意."""
    return _change(ctx, user, _office_ticket(ctx, user, ticket_id), "close", note=note)


def merge(ctx: Context, user: User | None, ticket_id: str, into: str) -> Ticket:
    """A duplicate closed with a pointer to the ticket it repeats (which must be open, and no duplicate)."""
    found = _office_ticket(ctx, user, ticket_id)
    target = ticket(ctx, user, into)
    if target.status == Status.CLOSED or target.id == found.id:
        raise TicketRefused("ticket_merge_target_closed", into=target.id)
    return _change(ctx, user, found, "merge", into=target.id, note=f"→ {target.id}")


def link_inspection(ctx: Context, user: User | None, ticket_id: str, inspection_id: str) -> Ticket:
    """The complaint-triggered inspection the ticket started (of the ticket's enterprise)."""
    found = _office_ticket(ctx, user, ticket_id)
    visit = inspection_store.header(ctx.db, inspection_id or "")
    if visit is None:
        raise access.NotFound(inspection_id)
    if visit["enterprise_code"] != found.enterprise_code:
        raise TicketRefused("ticket_inspection_other_enterprise", inspection_id=inspection_id)
    return _change(ctx, user, found, "link", inspection_id=inspection_id, note=inspection_id)


def _department_ticket(ctx: Context, user: User | None, ticket_id: str) -> Ticket:
    access.require_role(user, "inspector")
    return ticket(ctx, user, ticket_id)


def sign(ctx: Context, user: User | None, ticket_id: str) -> Ticket:
    """签收: an inspector of the department it was assigned to."""
    return _change(ctx, user, _department_ticket(ctx, user, ticket_id), "sign")


def answer(ctx: Context, user: User | None, ticket_id: str, what_was_done: str,
           evidence: list[str] | None = None) -> Ticket:
    """反馈: what the department did, with evidence photos (ids of stored photos)."""
    found = _department_ticket(ctx, user, ticket_id)
    text = _text(what_was_done, "answer", MAX_CONTENT, required=True)
    evidence = list(evidence or [])
    if len(photo_store.many(ctx.db, evidence)) != len(set(evidence)):
        raise TicketRefused("ticket_unknown_photo")
    return _change(ctx, user, found, "answer", note=text, evidence=evidence)


def may_call_back(user: User, found: Ticket) -> bool:
    """The requester records the callback; the office does it for a 12345 work order (and an enterprise
    user of the enterprise for its portal requests, whoever of them raised it)."""
    if found.source == Source.HOTLINE:
        return user.role == "office"
    return user.username == found.requester or (
        found.source == Source.PORTAL and user.role == "enterprise" and user.enterprise_code == found.enterprise_code)


def callback(ctx: Context, user: User | None, ticket_id: str, *, resolved: bool, verdict: str,
             note: str = "") -> Ticket:
    """回访: resolved yes / no and 满意 / 基本满意 / 不满意 (a Satisfaction id, or its name)."""
    found = ticket(ctx, user, ticket_id)
    if not may_call_back(user, found):
        raise access.Forbidden("ticket_not_requester", id=found.id)
    satisfaction = ticket_rules().satisfaction_of(verdict or "")
    if satisfaction is None:
        raise TicketRefused("ticket_unknown_verdict", verdict=verdict)
    return _change(ctx, user, found, "callback", resolved=bool(resolved), callback=satisfaction, note=note)


def assign_specialist(ctx: Context, user: User | None, username: str, enterprise_code: str,
                      now: dt.datetime | None = None) -> bool:
    """The office gives a service specialist an enterprise to look after; False when it was theirs."""
    access.require_office(user)
    account = user_store.get(ctx.db, username)
    if account is None or account["role"] != "specialist":
        raise access.NotFound(username)
    if enterprise_store.get(ctx.db, enterprise_code) is None:
        raise access.NotFound(enterprise_code)
    at = now or ctx.clock.instant()
    return ctx.db.write(lambda c: ticket_store.assign_enterprise(c, username, enterprise_code, user.username, at)) == 1
