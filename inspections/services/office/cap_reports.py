"""The safety office's yearly caps as a report: the caps by tier and changing them, every enterprise's
visits of a year against its cap (counted, exempt, cancelled, beyond it with and without an override
reason), and the visits planned beyond a cap. Planning itself (services.office.planning) checks the cap
before each visit; this module only counts."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from inspections.domain.planning import beyond_cap, counts_toward_cap, validate_caps
from inspections.domain.visits import VisitStatus
from inspections.store import enterprises as enterprise_store
from inspections.store import planning as store
from inspections.services.shared import access
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context

_office = access.require_office


def _caps(cursor) -> dict[str, int]:
    from inspections.services.office.planning import _caps as configured
    return configured(cursor)


def caps(ctx: Context) -> dict[str, int]:
    """The yearly caps by tier: the configured ones, the defaults for the rest."""
    return _caps(ctx.db.cursor())


def set_caps(ctx: Context, user: User, new_caps: dict[str, int], now: dt.datetime | None = None) -> dict[str, int]:
    """Change some or all tiers' caps; planned visits stay as they are."""
    _office(user)
    if problems := validate_caps(new_caps):
        from inspections.services.office.planning import PlanningError
        raise PlanningError.of(problems)
    ctx.db.write(lambda cursor: store.save_caps(cursor, dict(new_caps), user.username, now or ctx.clock.instant()))
    return caps(ctx)


def inspections_per_enterprise(ctx: Context, year: int, *, user: User | None = None) -> list[dict]:
    """Every enterprise's count against its cap in the year: used (counted), exempt and cancelled ones,
    the cap, whether it is at or over it, how many visits were planned beyond it by override (any status),
    and the visits beyond the cap with and without an override reason (domain.planning.beyond_cap: only
    counted visits' reasons cover the excess). With `user`, only an office user may ask."""
    if user is not None:
        _office(user)
    cursor = ctx.db.cursor()
    kinds, limits = store.year_kinds(cursor, year), _caps(cursor)
    found = store.overrides(cursor, year)
    overridden = Counter(row["enterprise_code"] for row in found)
    covering = Counter(row["enterprise_code"] for row in found if counts_toward_cap(row["kind"], row["status"]))
    rows = []
    for enterprise in enterprise_store.list_all(ctx.db):
        these = kinds.get(enterprise.code, [])
        used = sum(counts_toward_cap(k, s) for k, s in these)
        cap = limits[enterprise.tier]
        with_reason, without_reason = beyond_cap(used, cap, covering[enterprise.code])
        rows.append({"enterprise_code": enterprise.code, "enterprise_name": enterprise.name,
                     "tier": enterprise.tier, "used": used, "cap": cap, "at_cap": used >= cap, "over": used > cap,
                     "exempt": sum(s != VisitStatus.CANCELLED and not counts_toward_cap(k, s) for k, s in these),
                     "cancelled": sum(s == VisitStatus.CANCELLED for _, s in these),
                     "overrides": overridden[enterprise.code],
                     "beyond_with_reason": with_reason, "beyond_without_reason": without_reason})
    return rows


def over_cap_summary(rows: list[dict]) -> dict[str, int]:
    """The year's visits beyond the caps (the rows of inspections_per_enterprise): in all, with an override
    reason, without one, and how many enterprises are over."""
    with_reason = sum(r["beyond_with_reason"] for r in rows)
    without_reason = sum(r["beyond_without_reason"] for r in rows)
    return {"beyond": with_reason + without_reason, "with_reason": with_reason, "without_reason": without_reason,
            "enterprises": sum(r["over"] for r in rows)}


def overrides_report(ctx: Context, year: int, *, user: User | None = None) -> list[dict]:
    """Each inspection of the year planned beyond the cap, with its override reason (any status)."""
    if user is not None:
        _office(user)
    return store.overrides(ctx.db.cursor(), year)
