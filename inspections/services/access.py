"""Who may see what. Every use case that takes an id asks here; anything a user may not see is
reported exactly like something that does not exist ("not found"), so ids reveal nothing."""
from __future__ import annotations

from ..store import hazards as hazard_store
from ..store import inspections as inspection_store
from .auth import User
from .context import Context


class NotFound(LookupError):
    """No such object, or not one this user may see: the same answer for both."""


def require_office(user: User | None) -> None:
    """Office pages and use cases: anyone else gets the same 'not found' as for a missing object."""
    if user is None or user.role != "office":
        raise NotFound("office pages")


def may_see_inspection(user: User, inspection: dict) -> bool:
    if user.role == "office":
        return True
    if user.role == "inspector":
        return user.department in inspection["departments"]
    return user.role == "enterprise" and user.enterprise_code == inspection["enterprise_code"]


def inspection(ctx: Context, user: User, inspection_id: str) -> dict:
    """The inspection, if this user may see it. Its merged list comes from services.merged_lists.of: the
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
