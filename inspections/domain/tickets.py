"""The ticket lifecycle (有求必应: enterprise requests, grid reports, a service specialist's requests and 12345
work orders): the ticket, its statuses and the one function through which every change of a ticket passes,
producing the event that goes with it, in the pattern of domain/hazards.py (docs/architecture.md,
"Lifecycles"). Pure: no I/O; the time limits come in as data (TicketRules, inspections/rules/tickets.yaml),
the due day is computed by the caller with domain.working_days.

  (new) --raise--> received --triage (category, department, urgency, due_on)--> triaged
  triaged --assign (交办)--> assigned --sign (签收)--> signed --answer (反馈, what was done)--> answered
  answered --callback (回访: resolved yes/no, 满意/基本满意/不满意)--> called_back --close (销号)--> closed
  called_back --send_back (unresolved or 不满意, with a reason)--> signed     the department works on it again
  received|triaged --merge (into another ticket)--> closed                   a duplicate, with its pointer
  (new)|any --import (a 12345 work order's row)--> the status its row implies (a closed ticket stays closed)
`supervise` (督办: a supervision order with its note) and `link` (to the complaint-triggered inspection it
started) change a ticket without changing its status. Dates follow from the events and are never cleared:
a send-back keeps the reply and the callback until a new answer and a new callback replace them (as a
rejected hazard keeps its rectification date), so the rates as of an earlier moment stay as they were."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from inspections.domain.catalogue import Text
from inspections.domain.refusals import Conflict


class Status(StrEnum):
    RECEIVED = "received"
    TRIAGED = "triaged"
    ASSIGNED = "assigned"
    SIGNED = "signed"
    ANSWERED = "answered"
    CALLED_BACK = "called_back"
    CLOSED = "closed"


class Source(StrEnum):
    PORTAL = "portal"            # the enterprise itself, from the portal
    SPECIALIST = "specialist"    # a service specialist (服务专员) for an enterprise assigned to them
    GRID = "grid"                # a grid worker's report (网格员)
    HOTLINE = "12345"            # a 12345 work order, imported


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"                      # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"                # 不满意


SATISFIED = {Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED}   # what the satisfaction rate counts
OPEN = {Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.SIGNED, Status.ANSWERED, Status.CALLED_BACK}
ANY = OPEN | {Status.CLOSED}

TRANSITIONS: dict[str, tuple[set[Status | None], Status | None]] = {
    # action: (statuses it may start from, status it leads to; None keeps the status)
    "raise": ({None}, Status.RECEIVED),
    "triage": ({Status.RECEIVED, Status.TRIAGED}, Status.TRIAGED),
    "assign": ({Status.TRIAGED}, Status.ASSIGNED),
    "sign": ({Status.ASSIGNED}, Status.SIGNED),
    "answer": ({Status.SIGNED}, Status.ANSWERED),
    "callback": ({Status.ANSWERED}, Status.CALLED_BACK),
    "send_back": ({Status.CALLED_BACK}, Status.SIGNED),
    "close": ({Status.CALLED_BACK}, Status.CLOSED),
    "supervise": (set(OPEN), None),
    "merge": ({Status.RECEIVED, Status.TRIAGED}, Status.CLOSED),
    "link": (set(OPEN), None),
    "import": ({None} | ANY, None),        # the status the row implies: status_from_row
}
NOTE_REQUIRED = {"answer", "send_back", "supervise"}


class TicketTransitionError(Conflict):
    """An action that the ticket's status does not allow ('ticket_action_not_allowed', with
    `ticket_action` and `ticket_status`), or that lacks what it needs (a reason, a category, a department,
    a callback's verdict, ...); the pages and the CLI translate it (error_<reason>)."""


class Ticket(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    source: Source
    requester: str = ""                 # the account that raised it; '' for a 12345 work order
    enterprise_code: str | None = None
    address: str = ""
    category: str | None = None         # a category id of TicketRules; set at triage at the latest
    content: str = Field(min_length=1)
    department: str | None = None       # the department it is assigned to
    urgency: Urgency = Urgency.NORMAL
    received_at: datetime
    signed_at: datetime | None = None   # 签收 by the department
    due_on: date | None = None          # the reply is due on this day (办理时限)
    resolve_by: date | None = None      # the matter should be resolved by this day (None: no such limit)
    replied_at: datetime | None = None  # 反馈 (办结) by the department, the latest
    answer: str = ""                    # what was done, as the department answered (the latest)
    resolved: bool | None = None        # at the callback (回访): resolved yes / no
    callback: Satisfaction | None = None
    called_back_at: datetime | None = None
    closed_at: datetime | None = None
    status: Status = Status.RECEIVED
    supervised: bool = False            # a supervision order (督办单) was issued
    inspection_id: str | None = None    # the complaint-triggered inspection it started
    merged_into: str | None = None      # the ticket this duplicate was merged into
    photos: list[str] = []              # the photos sent with it (a grid worker's)

    def is_overdue(self, today: date) -> bool:
        """Not replied and its reply day has passed (the rates' `overdue_open`, for the ticket as it is now)."""
        return self.status in OPEN and self.replied_at is None and self.due_on is not None and self.due_on < today


class TicketEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticket_id: str
    occurred_at: datetime
    actor: str
    action: str
    from_status: Status | None
    to_status: Status | None
    note: str = ""
    evidence: list[str] = []


class Category(Text):
    answer_days: int = Field(ge=1, le=60)
    resolve_days: int | None = Field(None, ge=1, le=120)


class Named(Text):
    names: list[str] = []               # what an imported file may write for it, besides zh and en


class TicketRules(BaseModel):
    """inspections/rules/tickets.yaml: the categories with their time limits, the sources and the
    callback's verdicts with their names."""
    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: dict[str, Category] = Field(min_length=1)
    sources: dict[Source, Named]
    satisfaction: dict[Satisfaction, Named]

    def category_of(self, text: str) -> str | None:
        """The category id written as an id, or its Chinese or English name."""
        return _lookup(self.categories, text)

    def source_of(self, text: str) -> Source | None:
        return _lookup(self.sources, text)

    def satisfaction_of(self, text: str) -> Satisfaction | None:
        return _lookup(self.satisfaction, text)


def _lookup(named: dict, text: str):
    folded = text.strip().lower()
    for key, value in named.items():
        if folded in {str(key).lower(), value.zh.lower(), value.en.lower(), *(n.lower() for n in getattr(value, "names", []))}:
            return key
    return None


def status_from_row(ticket: Ticket) -> Status:
    """The status an imported work order's row implies: called back when a verdict is recorded, answered
    when replied, signed, assigned when it names a department, else received."""
    if ticket.callback is not None or ticket.resolved is not None:
        return Status.CALLED_BACK
    if ticket.replied_at is not None:
        return Status.ANSWERED
    if ticket.signed_at is not None:
        return Status.SIGNED
    if ticket.department:
        return Status.ASSIGNED
    return Status.RECEIVED


IMPORTED_FIELDS = ("source", "received_at", "category", "content", "address", "enterprise_code", "department",
                   "signed_at", "due_on", "replied_at", "resolved", "callback")


def allows(action: str, status: Status | None) -> bool:
    """Whether TRANSITIONS lets `action` start from `status` (None: a ticket not yet raised)."""
    return status in TRANSITIONS[action][0]


def apply(ticket: Ticket | None, action: str, *, actor: str, at: datetime, note: str = "",
          evidence: list[str] | None = None, new: Ticket | None = None, category: str | None = None,
          department: str | None = None, urgency: Urgency | None = None, due_on: date | None = None,
          resolve_by: date | None = None, resolved: bool | None = None, callback: Satisfaction | None = None,
          into: str | None = None, inspection_id: str | None = None) -> tuple[Ticket, TicketEvent]:
    """Apply `action` to `ticket` and return the changed ticket and its event.

    `raise` and `import` take the ticket in `new` (`import`: the row's fields replace the imported ones,
    the app's own, such as supervision and links, stay); `triage` takes `category`, `department`,
    `urgency` and the `due_on` (and `resolve_by`) the caller computed for that category; `assign` takes the
    department (the triaged one when none is given); `sign` records `at` as signed; `answer` records what
    was done (the note, required) and `at` as replied, the evidence photos in the event; `callback` takes
    `resolved` and the `callback` verdict; `close` needs a resolved ticket not called back 不满意, and
    `send_back` one that is not (with its reason); `merge` takes the ticket it duplicates (`into`, not
    itself); `link` takes the inspection (a ticket is linked to one visit)."""
    if action not in TRANSITIONS:
        raise TicketTransitionError("unknown_ticket_action", ticket_action=action)
    leads_to = TRANSITIONS[action][1]
    current = ticket.status if ticket is not None else None
    if not allows(action, current):
        raise TicketTransitionError("ticket_action_not_allowed", ticket_action=action,
                                    ticket_status=current.value if current else "new")
    if action in NOTE_REQUIRED and not note.strip():
        raise TicketTransitionError("ticket_reason_required", ticket_action=action)
    if action in ("raise", "import") and new is None:
        raise TicketTransitionError("new_ticket_required")
    if action == "raise":
        changed = new.model_copy(update={"status": Status.RECEIVED})
    elif action == "import":
        changed = _imported(ticket, new)
    elif action == "triage":
        if not category or not department or due_on is None:
            raise TicketTransitionError("ticket_triage_incomplete")
        if due_on < ticket.received_at.date():
            raise TicketTransitionError("ticket_due_before_received")
        changed = ticket.model_copy(update={"status": leads_to, "category": category, "department": department,
                                            "urgency": urgency or ticket.urgency, "due_on": due_on,
                                            "resolve_by": resolve_by})
    elif action == "assign":
        chosen = department or ticket.department
        if not chosen:
            raise TicketTransitionError("ticket_department_required")
        changed = ticket.model_copy(update={"status": leads_to, "department": chosen})
    elif action == "sign":
        changed = ticket.model_copy(update={"status": leads_to, "signed_at": at})
    elif action == "answer":
        changed = ticket.model_copy(update={"status": leads_to, "replied_at": at, "answer": note.strip()})
    elif action == "callback":
        if resolved is None or callback is None:
            raise TicketTransitionError("ticket_callback_incomplete")
        changed = ticket.model_copy(update={"status": leads_to, "resolved": resolved,
                                            "callback": Satisfaction(callback), "called_back_at": at})
    elif action in ("close", "send_back"):
        settled = bool(ticket.resolved) and ticket.callback != Satisfaction.DISSATISFIED
        if action == "close" and not settled:
            raise TicketTransitionError("ticket_close_unsettled")
        if action == "send_back" and settled:
            raise TicketTransitionError("ticket_send_back_settled")
        changed = ticket.model_copy(update={"status": leads_to, **({"closed_at": at} if action == "close" else {})})
    elif action == "merge":
        if not into or into == ticket.id:
            raise TicketTransitionError("ticket_merge_target")
        changed = ticket.model_copy(update={"status": leads_to, "merged_into": into, "closed_at": at})
    elif action == "link":
        if not inspection_id:
            raise TicketTransitionError("ticket_inspection_required")
        if ticket.inspection_id and ticket.inspection_id != inspection_id:
            raise TicketTransitionError("ticket_already_linked", inspection_id=ticket.inspection_id)
        changed = ticket.model_copy(update={"inspection_id": inspection_id})
    else:                           # supervise: a supervision order, recorded in the trail
        changed = ticket.model_copy(update={"supervised": True})
    event = TicketEvent(ticket_id=changed.id, occurred_at=at, actor=actor, action=action, from_status=current,
                        to_status=changed.status, note=note.strip(), evidence=list(evidence or []))
    return changed, event


def _imported(ticket: Ticket | None, row: Ticket) -> Ticket:
    """A stored ticket with an imported row's fields, or the row as a new ticket; its status the row's,
    except that a ticket closed here (销号, or merged) stays closed. A work order's file gives no time for
    its callback: the row's `called_back_at` is the moment of the import that first brought the verdict
    (the moment the callback was recorded here), kept while the verdict stays the same."""
    if ticket is None:
        return row.model_copy(update={"status": status_from_row(row)})
    changed = ticket.model_copy(update={name: getattr(row, name) for name in IMPORTED_FIELDS})
    if (row.resolved, row.callback) != (ticket.resolved, ticket.callback):   # a callback recorded now
        changed = changed.model_copy(update={"called_back_at": row.called_back_at})
    status = Status.CLOSED if ticket.status == Status.CLOSED else status_from_row(changed)
    return changed.model_copy(update={"status": status})


def imported_differs(ticket: Ticket, row: Ticket) -> bool:
    """Whether an imported row changes the stored ticket (importing the same file twice changes nothing)."""
    return any(getattr(ticket, name) != getattr(row, name) for name in IMPORTED_FIELDS)
