"""The hazard lifecycle: statuses, levels, deadlines and the one function through which every change of
a hazard passes, producing the audit event that goes with it (docs/architecture.md, "Lifecycles").

  open --start--> rectifying --submit--> submitted --close--> closed
  open --submit--> submitted        submitted --reject (reason)--> rectifying
  (new) --fix_on_spot (what was done)--> closed      立查立改: found and closed the same day
Deadline extensions and the supervised (挂牌督办) flag change a hazard without changing its status; so do a
major hazard's steps to the end: its rectification plan (五落实, `plan`) and the officers' on-site
acceptance (验收, `accept`) of a submitted major. A major is closed only after an acceptance, and by a second
person (not the one who accepted it); a failed acceptance is a `reject` with its reason (继续挂账), which
clears the acceptance. A re-check visit that finds an open (or rectifying) hazard not rectified records it
in the trail (`recheck_failed`, with what it found) without changing its status. Overdue is derived (not closed and deadline before today), never stored."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inspections.domain.refusals import BadInput, Conflict


class Level(StrEnum):
    GENERAL = "general"
    MAJOR = "major"


class Status(StrEnum):
    OPEN = "open"
    RECTIFYING = "rectifying"
    SUBMITTED = "submitted"
    CLOSED = "closed"


class Source(StrEnum):
    INSPECTION = "inspection"
    SELF_CHECK = "self_check"
    IMPORT = "import"


LEVEL_NAMES = {Level.GENERAL: "一般", Level.MAJOR: "重大"}
DEFAULT_DEADLINE_DAYS = {Level.GENERAL: 30, Level.MAJOR: 60}
MAX_DEADLINE_DAYS = 90

TRANSITIONS: dict[str, tuple[set[Status | None], Status | None]] = {
    # action: (statuses it may start from, status it leads to; None keeps the status)
    "raise": ({None}, Status.OPEN),
    "start": ({Status.OPEN}, Status.RECTIFYING),
    "submit": ({Status.OPEN, Status.RECTIFYING}, Status.SUBMITTED),
    "reject": ({Status.SUBMITTED}, Status.RECTIFYING),
    "close": ({Status.SUBMITTED}, Status.CLOSED),
    "extend": ({Status.OPEN, Status.RECTIFYING, Status.SUBMITTED}, None),
    "refuse_extension": ({Status.OPEN, Status.RECTIFYING, Status.SUBMITTED, Status.CLOSED}, None),
    "supervise": ({Status.OPEN, Status.RECTIFYING, Status.SUBMITTED, Status.CLOSED}, None),
    "fix_on_spot": ({None}, Status.CLOSED),
    "plan": ({Status.OPEN, Status.RECTIFYING, Status.SUBMITTED}, None),
    "accept": ({Status.SUBMITTED}, None),
    "recheck_failed": ({Status.OPEN, Status.RECTIFYING}, None),
}
NOTE_REQUIRED = {"reject", "extend", "refuse_extension", "fix_on_spot", "plan", "recheck_failed"}
MAJOR_ONLY = {"plan", "accept"}


class TransitionError(Conflict):
    """An action that the hazard's status does not allow ('action_not_allowed', with `action` and
    `hazard_status`), or that lacks what it needs ('transition_reason_required', 'rectified_on_out_of_range',
    'deadline_not_later'); the pages translate it (error_<reason>), labelling the action and status."""


class Hazard(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    enterprise_code: str
    sector: str
    department: str
    level: Level
    description: str = Field(min_length=1)
    found_on: date
    deadline: date
    rectified_on: date | None = None
    closed_on: date | None = None
    status: Status = Status.OPEN
    supervised: bool = False
    source: Source = Source.INSPECTION
    inspection_id: str | None = None
    item_id: str | None = None
    fixed_on_spot: bool = False              # 立查立改: rectified during the visit, closed the day it was found
    plan_on: date | None = None              # the day the 五落实 plan of a major hazard was (last) submitted
    supervising_unit: str = ""               # 挂牌督办: who supervises, who for them, by when
    supervisor: str = ""
    supervision_deadline: date | None = None
    accepted_on: date | None = None          # 验收: the officers' on-site acceptance of a submitted major
    accepted_by: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Hazard":
        if self.deadline < self.found_on:
            raise ValueError("deadline is before the date the hazard was found")
        for name in ("rectified_on", "closed_on"):
            value = getattr(self, name)
            if value is not None and value < self.found_on:
                raise ValueError(f"{name} is before the date the hazard was found")
        if self.rectified_on and self.closed_on and self.closed_on < self.rectified_on:
            raise ValueError("closed_on is before rectified_on")
        return self

    def is_overdue(self, today: date) -> bool:
        return self.status != Status.CLOSED and self.deadline < today

    def days_left(self, today: date) -> int:
        """Days until the deadline; negative when overdue."""
        return (self.deadline - today).days


class HazardEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    hazard_id: str
    occurred_at: datetime
    actor: str
    action: str
    from_status: Status | None
    to_status: Status | None
    note: str = ""
    evidence: list[str] = []


class TrailEvent(HazardEvent):
    """An event as a hazard's trail shows it: with who the actor is, read with the trail from the accounts
    (not stored with the event). None when the actor is no account (an import, a removed account)."""

    actor_name: str | None = None
    actor_role: str | None = None
    actor_department: str | None = None       # an inspector's department id
    actor_enterprise: str | None = None       # an enterprise user's enterprise name


def default_deadline(level: Level, found_on: date) -> date:
    return found_on + timedelta(days=DEFAULT_DEADLINE_DAYS[Level(level)])


def deadline_refusal(found_on: date, deadline: date) -> BadInput | None:
    """Why a deadline is not acceptable, as a refusal the pages translate (reason and values), or None."""
    if deadline < found_on:
        return BadInput("deadline_before_finding")
    if deadline > latest_deadline(found_on):
        return BadInput("deadline_too_late", days=MAX_DEADLINE_DAYS)
    return None


def latest_deadline(found_on: date) -> date:
    """The latest deadline a finding may be given: MAX_DEADLINE_DAYS after it was found."""
    return found_on + timedelta(days=MAX_DEADLINE_DAYS)


def allows(action: str, status: Status | None) -> bool:
    """Whether TRANSITIONS lets `action` start from `status` (None: a hazard not yet raised)."""
    return status in TRANSITIONS[action][0]


def may_submit(hazard: Hazard) -> bool:
    """Whether the enterprise may report the hazard's rectification: the page shows the form, and `apply`
    accepts 'submit', for the same statuses."""
    return allows("submit", hazard.status)


def extension_problem(hazard: Hazard, today: date, *, pending: bool, new_deadline: date | None = None,
                      reason: str | None = None) -> str | None:
    """Why the enterprise may not ask for a later deadline (a reason key), or None: major hazards only,
    not closed, not after the deadline, one pending request at a time. With the request's `new_deadline`
    and `reason`, also: later than the current deadline, and a reason given."""
    if hazard.level != Level.MAJOR:
        return "extension_major_only"
    if hazard.status == Status.CLOSED:
        return "extension_closed"
    if today > hazard.deadline:
        return "extension_too_late"
    if new_deadline is not None and new_deadline <= hazard.deadline:
        return "extension_not_later"
    if reason is not None and not reason.strip():
        return "extension_reason"
    if pending:
        return "extension_pending"
    return None


def may_request_extension(hazard: Hazard, today: date, *, pending: bool) -> bool:
    return extension_problem(hazard, today, pending=pending) is None


class RectificationPlan(BaseModel):
    """A major hazard's rectification plan with the 五落实: who is responsible, the measures, the funds, the
    deadline, and the interim safety and emergency measures until it is done."""
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    responsible: str = Field(min_length=1, max_length=100)
    measures: str = Field(min_length=1, max_length=2000)
    funds: str = Field(min_length=1, max_length=100)
    deadline: date
    interim_measures: str = Field(min_length=1, max_length=2000)

    def summary(self) -> str:
        """The plan as the hazard's trail shows it (the event's note)."""
        return (f"责任人：{self.responsible}；整改措施：{self.measures}；资金：{self.funds}；"
                f"整改时限：{self.deadline.isoformat()}；临时安全及应急措施：{self.interim_measures}")


class MajorHazardRules(BaseModel):
    """The days a major hazard's steps are due in (inspections/rules/hazards.yaml)."""
    model_config = ConfigDict(frozen=True, extra="forbid")

    plan_days: int = Field(10, ge=1, le=60)        # the plan is due this many days after the notice
    acceptance_days: int = Field(10, ge=1, le=60)  # the acceptance this many days after the completion report


def plan_due(hazard: Hazard, rules: MajorHazardRules) -> date:
    """The last day the major hazard's plan may be submitted: `plan_days` after the notice (the finding)."""
    return hazard.found_on + timedelta(days=rules.plan_days)


def plan_overdue(hazard: Hazard, today: date, rules: MajorHazardRules) -> bool:
    """A major, not closed, with no plan, and past the plan's due day."""
    return (hazard.level == Level.MAJOR and hazard.status != Status.CLOSED and hazard.plan_on is None
            and today > plan_due(hazard, rules))


def plan_refusal(hazard: Hazard, plan: RectificationPlan) -> BadInput | None:
    """Why a plan's deadline does not fit the hazard (not before the finding, not after its deadline)."""
    if plan.deadline < hazard.found_on or plan.deadline > hazard.deadline:
        return BadInput("plan_deadline_out_of_range", deadline=hazard.deadline.isoformat())
    return None


def acceptance_due(hazard: Hazard, rules: MajorHazardRules) -> date | None:
    """The last day for the on-site acceptance of a submitted major: `acceptance_days` after its
    completion report (16号令); None when it waits for no acceptance."""
    if hazard.level != Level.MAJOR or hazard.status != Status.SUBMITTED or hazard.accepted_on or not hazard.rectified_on:
        return None
    return hazard.rectified_on + timedelta(days=rules.acceptance_days)


def acceptance_overdue(hazard: Hazard, today: date, rules: MajorHazardRules) -> bool:
    """A submitted major still waiting for its on-site acceptance after its last day."""
    due = acceptance_due(hazard, rules)
    return due is not None and today > due


def closed_on_time_under_supervision(hazard: Hazard) -> bool:
    """A supervised hazard closed by its supervision deadline (its own deadline when none was set); the
    same meaning as the figure `supervised_closed_on_time` (domain/closure.py)."""
    limit = hazard.supervision_deadline or hazard.deadline
    return hazard.supervised and hazard.closed_on is not None and hazard.closed_on <= limit


def status_from_dates(rectified_on: date | None, closed_on: date | None) -> Status:
    """The status a ledger row implies: closed when closed, submitted when only rectified, else open."""
    if closed_on:
        return Status.CLOSED
    if rectified_on:
        return Status.SUBMITTED
    return Status.OPEN


def apply(hazard: Hazard | None, action: str, *, actor: str, at: datetime, note: str = "",
          evidence: list[str] | None = None, new: Hazard | None = None,
          deadline: date | None = None, supervised: bool | None = None,
          rectified_on: date | None = None, supervising_unit: str = "", supervisor: str = "",
          supervision_deadline: date | None = None) -> tuple[Hazard, HazardEvent]:
    """Apply `action` to `hazard` and return the changed hazard and its audit event.

    `raise` and `fix_on_spot` take the new hazard in `new` (`fix_on_spot` rectified and closed on the
    day it was found, with what was done as the note); `extend` takes `deadline`; `supervise` takes `supervised`
    and, to put it under supervision, `supervising_unit`, `supervisor` and `supervision_deadline` (not
    before today; taking it off clears them); `plan` (majors only) records today as the plan's day, the
    plan's summary as the note; `accept` (majors only) records today and the actor as the acceptance;
    `close` of a major needs an acceptance and an actor other than the one who accepted it;
    `submit` may say when the rectification was done (`rectified_on`, not after today, not before the
    finding), else today.
    Dates follow from the events: submit sets rectified_on, close sets closed_on, reject clears neither
    (the last submission stays the rectification date until a new one replaces it)."""
    if action not in TRANSITIONS:
        raise TransitionError("unknown_action", action=action)
    leads_to = TRANSITIONS[action][1]
    current = hazard.status if hazard is not None else None
    if not allows(action, current):
        raise TransitionError("action_not_allowed", action=action, hazard_status=current.value if current else "new")
    if action in NOTE_REQUIRED and not note.strip():
        raise TransitionError("transition_reason_required", action=action)
    if action in MAJOR_ONLY and hazard.level != Level.MAJOR:
        raise TransitionError("major_only", action=action)
    today = at.date()
    if action in ("raise", "fix_on_spot") and new is None:
        raise TransitionError("new_hazard_required")
    if action == "raise":
        changed = new.model_copy(update={"status": Status.OPEN})
    elif action == "fix_on_spot":
        if new.level == Level.MAJOR:     # a major is closed only after an acceptance and a second person's approval
            raise TransitionError("spot_fix_not_for_major")
        changed = new.model_copy(update={"status": Status.CLOSED, "rectified_on": new.found_on,
                                         "closed_on": new.found_on, "fixed_on_spot": True})
    elif action == "plan":
        changed = hazard.model_copy(update={"plan_on": today})
    elif action == "accept":
        changed = hazard.model_copy(update={"accepted_on": today, "accepted_by": actor})
    elif action == "reject":
        changed = hazard.model_copy(update={"status": leads_to, "accepted_on": None, "accepted_by": None})
    elif action == "submit":
        done = rectified_on or today
        if done > today or done < hazard.found_on:
            raise TransitionError("rectified_on_out_of_range")
        changed = hazard.model_copy(update={"status": leads_to, "rectified_on": done})
    elif action == "close":
        if hazard.level == Level.MAJOR and hazard.accepted_by is None:
            raise TransitionError("major_close_needs_acceptance")
        if hazard.level == Level.MAJOR and hazard.accepted_by == actor:
            raise TransitionError("major_close_needs_second_person")
        changed = hazard.model_copy(update={"status": leads_to, "closed_on": today})
    elif action == "extend":
        if deadline is None or deadline <= hazard.deadline:
            raise TransitionError("deadline_not_later")
        changed = hazard.model_copy(update={"deadline": deadline})
    elif action == "supervise":
        if supervised and not (supervising_unit.strip() and supervisor.strip() and supervision_deadline):
            raise TransitionError("supervision_details_required")
        if supervised and supervision_deadline < today:
            raise TransitionError("supervision_deadline_past")
        changed = hazard.model_copy(update={
            "supervised": bool(supervised), "supervising_unit": supervising_unit.strip() if supervised else "",
            "supervisor": supervisor.strip() if supervised else "",
            "supervision_deadline": supervision_deadline if supervised else None})
    elif leads_to is None:  # an action recorded in the trail that changes nothing else
        changed = hazard
    else:
        changed = hazard.model_copy(update={"status": leads_to})
    event = HazardEvent(hazard_id=changed.id, occurred_at=at, actor=actor, action=action,
                        from_status=current, to_status=changed.status, note=note.strip(),
                        evidence=list(evidence or []))
    return changed, event
