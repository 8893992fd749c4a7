"""Who may see what, and who may change a visit. Every use case that takes an id asks here; anything a
user may not see is reported exactly like something that does not exist ("not found"), so ids reveal
nothing. Seeing a visit is not changing it: an inspector of one of its departments may read it, but
only its team (`inspections.team`) may check in, answer, add or remove photos, sign and finish
(`require_on_team`, refused as `Forbidden`). Re-inspection stays with the hazard's department
(services.inspector.rechecks), whoever was on the visit's team."""
from __future__ import annotations

from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.domain.refusals import NotAllowed, NotFound

__all__ = ["NotFound", "Forbidden", "ROLES", "require_role", "require_office"]   # NotFound is the domain's


class Forbidden(NotAllowed):
    """An object this user may see but not change (reason 'not_on_team': an inspector of the visit's
    department who is not on its team). Nothing is hidden by saying so: the user may read the visit."""


ROLES = ("inspector", "enterprise", "office", "grid", "specialist")   # grid: 网格员; specialist: 服务专员


def require_role(user: User | None, role: str) -> User:
    """The one role guard of every use case: a user of another role (or none) gets the same 'not found'
    as for a missing object. An enterprise user must belong to an enterprise."""
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}'")
    if user is None or user.role != role or (role == "enterprise" and not user.enterprise_code):
        raise NotFound(f"{role} pages")
    return user


def require_office(user: User | None) -> None:
    """Office pages and use cases (require_role for the office)."""
    require_role(user, "office")


def may_see_inspection(user: User, inspection: dict) -> bool:
    if user.role == "office":
        return True
    if user.role == "inspector":
        return user.department in inspection["departments"]
    return user.role == "enterprise" and user.enterprise_code == inspection["enterprise_code"]


def on_team(user: User, inspection: dict) -> bool:
    return user.role == "inspector" and user.username in (inspection.get("team") or [])


def require_on_team(user: User, inspection: dict) -> None:
    """Every write to a visit (check-in, answers, photos, finishing): the user must be on its team. Call it
    after `inspection` (or may_see_inspection), so that another department still gets 'not found'. A
    visit's team changes only while it is scheduled (store.planning.update_plan), so a check on the
    header read before the writing transaction holds for a visit in progress."""
    if not on_team(user, inspection):
        raise Forbidden("not_on_team", inspection_id=inspection.get("id", ""))


def inspection(ctx: Context, user: User, inspection_id: str) -> dict:
    """The inspection, if this user may see it. Its merged list comes from services.shared.merged_lists.of: the
    row carries the list's md5 rather than its ~47 KB of JSON (see store.inspections.header)."""
    found = inspection_store.header(ctx.db, inspection_id or "")
    if found is None or not may_see_inspection(user, found):
        raise NotFound(inspection_id)
    return found


def _joint_visit_of(ctx: Context, user: User, inspection_id: str | None) -> bool:
    """Whether the hazard was found on a visit the inspector's department took part in."""
    found = inspection_store.get(ctx.db, inspection_id) if inspection_id else None
    return found is not None and user.department in found["departments"]


def hazard(ctx: Context, user: User, hazard_id: str):
    found = hazard_store.get(ctx.db, hazard_id or "")
    if found is None:
        raise NotFound(hazard_id)
    allowed = (user.role == "office"
               or (user.role == "inspector" and (user.department == found.department
                                                 or _joint_visit_of(ctx, user, found.inspection_id)))
               or (user.role == "enterprise" and user.enterprise_code == found.enterprise_code))
    if not allowed:
        raise NotFound(hazard_id)
    return found
