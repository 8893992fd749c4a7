"""Proof of presence at a visit (到场核验). Checking in by the posted QR code, by a photo of it or by the
typed credit code is recorded as such, and proves nothing: the posted code is a static URL. The
enterprise's portal shows a code that changes every ten minutes (domain.presence); an inspector on the
visit's team types it on the tablet, and the visit's record says "到场码核验" with who and when. The office
sees, for a period, how visits were checked in and how many carry the proof."""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from inspections.domain.visits import VisitStatus
from inspections.domain import presence
from inspections.store import presence as presence_store
from inspections.services.shared import access, enforcement
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.domain.refusals import BadInput

PROOF_BY_CODE = "presence_code"
WRONG_TRIES_PER_WINDOW = 5          # per visit: a six-digit code is not guessed by trying
_wrong_tries: dict[tuple[str, int], int] = {}
_tries_lock = threading.Lock()


class PresenceRefused(BadInput):
    """presence_code_wrong, presence_too_many_tries, presence_not_checked_in, presence_already."""


@dataclass(frozen=True)
class ShownCode:
    code: str
    valid_until: dt.datetime        # the next code replaces it then (the one before is still accepted)


def code_for_enterprise(ctx: Context, user: User) -> ShownCode:
    """The enterprise user's current presence code, for their phone."""
    access.require_role(user, "enterprise")
    now = ctx.clock.instant()
    return ShownCode(presence.current_code(ctx.secret, user.enterprise_code, now),
                     ctx.clock.local(presence.window_ends(now)))


def confirm(ctx: Context, user: User, inspection_id: str, typed: str) -> None:
    """An officer on the visit's team (an enforcement ID valid today: enforcement.EnforcementRefused
    otherwise) gives the enterprise's code; recorded once."""
    inspection = access.inspection(ctx, user, inspection_id)
    access.require_on_team(user, inspection)
    now = ctx.clock.instant()
    enforcement.require_officer(ctx, user, now.date())    # a helper or an expired ID proves nothing
    if inspection["status"] not in (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED):
        raise PresenceRefused("presence_not_checked_in")
    if (presence_store.record_of(ctx.db, inspection_id) or {}).get("presence_proof"):
        raise PresenceRefused("presence_already")
    window = presence.window_of(now)
    with _tries_lock:
        if _wrong_tries.get((inspection_id, window), 0) >= WRONG_TRIES_PER_WINDOW:
            raise PresenceRefused("presence_too_many_tries", minutes=int(presence.WINDOW.total_seconds() // 60))
    if not presence.matches(ctx.secret, inspection["enterprise_code"], typed, now):
        with _tries_lock:
            for stale in [k for k in _wrong_tries if k[1] < window]:
                del _wrong_tries[stale]
            _wrong_tries[(inspection_id, window)] = _wrong_tries.get((inspection_id, window), 0) + 1
        raise PresenceRefused("presence_code_wrong")
    if ctx.db.write(lambda c: presence_store.confirm(c, inspection_id, PROOF_BY_CODE, now, user.username)) != 1:
        raise PresenceRefused("presence_already")


def record(ctx: Context, inspection_id: str) -> dict | None:
    """How the visit was checked in and whether presence was proven (for the record, the notice and the
    public verification)."""
    return presence_store.record_of(ctx.db, inspection_id)


def check_in_methods(ctx: Context, user: User, date_from: dt.date, date_to: dt.date) -> list[dict]:
    access.require_office(user)
    return presence_store.methods(ctx.db, date_from, date_to)

