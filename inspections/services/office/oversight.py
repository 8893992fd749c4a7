"""The safety office's oversight: closure statistics for the dashboard (the very same report as the
CLI's `stats`), the overdue list, open major hazards against the "动态清零" goal, supervision (挂牌督办),
the share of joint inspections, ratings, and deadline extension decisions. Office users only. A change of
a hazard is stored only if the hazard is still as it was read (else ChangedMeanwhile, nothing written)."""
from __future__ import annotations

import datetime as dt

from inspections.domain.hazards import MAX_DEADLINE_DAYS, TransitionError, apply
from inspections.store import extensions as extension_store
from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from inspections.services.shared import access
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.domain.refusals import BadInput, ChangedMeanwhile
from inspections.services.data.stats import StatsReport, closure_stats
from inspections.services.shared.hazard_rules import major_hazard_rules


class OversightError(BadInput):
    """A refused action (reason key and values for the message)."""


_office = access.require_office


def stats(ctx: Context, user: User, by: str, as_of: dt.date, date_from: dt.date | None = None,
          date_to: dt.date | None = None) -> StatsReport:
    _office(user)
    return closure_stats(ctx, by, as_of, date_from, date_to)


LIST_LIMIT = 500  # rows a person can scan on a page; the export holds them all


def overdue(ctx: Context, user: User, as_of: dt.date, limit: int | None = LIST_LIMIT) -> tuple[list[dict], int]:
    """(the most overdue hazards first, up to `limit`; how many are overdue in all)."""
    _office(user)
    return hazard_store.open_as_of(ctx.db, as_of, overdue=True, limit=limit)


def open_majors(ctx: Context, user: User, as_of: dt.date, limit: int | None = LIST_LIMIT) -> tuple[list[dict], int]:
    _office(user)
    return hazard_store.open_as_of(ctx.db, as_of, major=True, limit=limit)


def supervised(ctx: Context, user: User, as_of: dt.date, limit: int | None = LIST_LIMIT) -> tuple[list[dict], int]:
    _office(user)
    return hazard_store.open_as_of(ctx.db, as_of, supervised=True, limit=limit)


def set_supervised(ctx: Context, user: User, hazard_id: str, flag: bool, note: str,
                   now: dt.datetime | None = None, *, supervising_unit: str = "", supervisor: str = "",
                   supervision_deadline: dt.date | None = None):
    """Put a hazard under supervision (挂牌督办: the supervising unit, the supervisor and the deadline are
    required) or take it off, recorded in its trail with the note."""
    _office(user)
    hazard = access.hazard(ctx, user, hazard_id)
    default_note = f"挂牌督办：{supervising_unit.strip()}，督办人{supervisor.strip()}，" \
                   f"督办期限{supervision_deadline}" if flag else "撤销督办"
    changed, event = apply(hazard, "supervise", actor=user.username, at=now or ctx.clock.instant(),
                           note=note or default_note, supervised=flag, supervising_unit=supervising_unit,
                           supervisor=supervisor, supervision_deadline=supervision_deadline)

    def work(cursor):
        if hazard_store.save(cursor, changed, event, before=hazard) != 1:
            raise ChangedMeanwhile("hazard_changed_meanwhile", id=hazard_id)
    ctx.db.write(work)
    return changed


def plans_overdue(ctx: Context, user: User, as_of: dt.date, limit: int | None = LIST_LIMIT) -> tuple[list[dict], int]:
    """Open major hazards whose 五落实 plan is missing past its due day (the rules file's days after the
    notice), earliest deadline first: domain.hazards.plan_overdue."""
    _office(user)
    first_on_time = as_of - dt.timedelta(days=major_hazard_rules().plan_days)   # found on it: due today
    return hazard_store.open_as_of(ctx.db, as_of, plan_missing_found_before=first_on_time, limit=limit)


def acceptances_overdue(ctx: Context, user: User, as_of: dt.date,
                        limit: int | None = LIST_LIMIT) -> tuple[list[dict], int]:
    """Submitted majors whose on-site acceptance (验收) is past its last day (the rules file's days after
    the completion report, 16号令), earliest deadline first: domain.hazards.acceptance_overdue."""
    _office(user)
    first_on_time = as_of - dt.timedelta(days=major_hazard_rules().acceptance_days)   # reported on it: due today
    return hazard_store.open_as_of(ctx.db, as_of, unaccepted_reported_before=first_on_time, limit=limit)


def awaiting_approval(ctx: Context, user: User) -> list[dict]:
    """Major hazards accepted on site (验收) and waiting for the office's approval to close."""
    _office(user)
    return hazard_store.awaiting_approval(ctx.db)


def approve_closure(ctx: Context, user: User, hazard_id: str, approved: bool, reason: str = "",
                    now: dt.datetime | None = None):
    """The second person's decision on an accepted major: approved, it closes (the approver's name and
    time are the 'close' event's); refused, it stays open (继续挂账) with the reason ('reject'). Refused by
    the lifecycle when it was not accepted or when the approver is the one who accepted it."""
    _office(user)
    hazard = access.hazard(ctx, user, hazard_id)
    if hazard.accepted_on is None:
        raise TransitionError("major_close_needs_acceptance")
    changed, event = apply(hazard, "close" if approved else "reject", actor=user.username,
                           at=now or ctx.clock.instant(), note=(reason or "同意销号") if approved else reason)

    def work(cursor):
        if hazard_store.save(cursor, changed, event, before=hazard) != 1:
            raise ChangedMeanwhile("hazard_changed_meanwhile", id=hazard_id)
    ctx.db.write(work)
    return changed


def joint_share(ctx: Context, user: User, year: int) -> dict:
    _office(user)
    joint, total = inspection_store.joint_share(ctx.db, year)
    return {"joint": joint, "total": total, "share": None if total == 0 else joint / total}


def ratings(ctx: Context, user: User) -> list[dict]:
    _office(user)
    return inspection_store.ratings_by_department(ctx.db)


def pending_extensions(ctx: Context, user: User) -> list[dict]:
    _office(user)
    return extension_store.pending(ctx.db)


def decide_extension(ctx: Context, user: User, request_id: str, approve: bool, note: str = "",
                     new_deadline: dt.date | None = None, now: dt.datetime | None = None) -> dict:
    """Approve with a new deadline (at most 90 days from the finding unless a reason is given) or reject
    with a reason; either way the decision enters the hazard's trail."""
    _office(user)
    request = extension_store.get(ctx.db, request_id)
    if request is None:
        raise access.NotFound(request_id)
    hazard = access.hazard(ctx, user, request["hazard_id"])
    now = now or ctx.clock.instant()
    if request["status"] != "pending":
        raise OversightError("already_decided")
    if approve:
        deadline = new_deadline or request["requested_deadline"]
        if (deadline - hazard.found_on).days > MAX_DEADLINE_DAYS and not note.strip():
            raise OversightError("over_90_needs_reason", days=(deadline - hazard.found_on).days)
        action, kwargs = "extend", {"deadline": deadline}
        text = note.strip() or f"批准延期至 {deadline.isoformat()}"
    else:
        if not note.strip():
            raise OversightError("reject_needs_reason")
        deadline, action, kwargs, text = None, "refuse_extension", {}, note.strip()
    try:
        changed, event = apply(hazard, action, actor=user.username, at=now, note=text, **kwargs)
    except TransitionError as error:
        raise OversightError("cannot_extend", why=error) from None

    def work(cursor):
        if extension_store.decide(cursor, request_id, "approved" if approve else "rejected", user.username, now,
                                  deadline, text) != 1:
            raise OversightError("already_decided")
        if hazard_store.save(cursor, changed, event, before=hazard) != 1:
            raise ChangedMeanwhile("hazard_changed_meanwhile", id=hazard.id)
    ctx.db.write(work)
    return extension_store.get(ctx.db, request_id)
