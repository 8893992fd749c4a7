"""Fixed on the spot (立查立改): on a failed item during the walk, an officer of the team records what was
done, with a photo of it; at the finish the item's hazard is found and closed that day (the lifecycle's
'fix_on_spot'), counted as found, rectified and closed and in the figure `fixed_on_spot`. A fix recorded
on an item that is no longer failed when the visit finishes is left out."""
from __future__ import annotations

import datetime as dt

from inspections.domain.hazards import Level
from inspections.domain.refusals import BadInput
from inspections.domain.visits import Result
from inspections.store import inspections as inspection_store
from inspections.store import spot_fixes as fix_store
from inspections.services.inspector import inspecting
from inspections.services.shared import access, photos
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context


class SpotFixRefused(BadInput):
    """'spot_fix_needs_failure' (the item is not answered as failed), 'spot_fix_not_for_major' (a major
    hazard), 'spot_fix_what_required' (no words for what was done), 'spot_fix_photo_required' (no photo)."""


def record(ctx: Context, user: User, inspection_id: str, item_id: str, what_was_done: str, photo: bytes,
           now: dt.datetime | None = None) -> dict:
    """Record (or replace) the fix of a failed item, with its photo, in one transaction."""
    inspection, merged = inspecting._editable(ctx, user, inspection_id)
    if not merged.has_item(item_id):
        raise access.NotFound(item_id)
    if not what_was_done.strip():
        raise SpotFixRefused("spot_fix_what_required")
    if not photo:
        raise SpotFixRefused("spot_fix_photo_required")
    jpeg, width, height = photos.compress(photo)
    now = now or ctx.clock.instant()

    def work(cursor):
        answer = inspection_store.answer(cursor, inspection_id, item_id)
        if answer is None or answer["result"] != Result.FAIL:
            raise SpotFixRefused("spot_fix_needs_failure")
        if answer["level"] == Level.MAJOR:   # closed only by acceptance and a second person's approval
            raise SpotFixRefused("spot_fix_not_for_major")
        photo_id = photos.store(ctx, cursor, jpeg, enterprise_code=inspection["enterprise_code"], purpose="evidence",
                                uploaded_by=user.username, inspection_id=inspection_id, now=now, size=(width, height))
        fix = {"inspection_id": inspection_id, "item_id": item_id, "what_was_done": what_was_done.strip(),
               "photo_id": photo_id, "recorded_by": user.username, "recorded_at": now}
        fix_store.record(cursor, fix)
        return fix
    return ctx.db.write(work)


def remove(ctx: Context, user: User, inspection_id: str, item_id: str) -> None:
    """Take back the fix of an item (it will be an open hazard again)."""
    inspecting._editable(ctx, user, inspection_id)
    ctx.db.write(lambda cursor: fix_store.remove(cursor, inspection_id, item_id))


def of_visit(ctx: Context, user: User, inspection_id: str) -> dict[str, dict]:
    """The visit's fixes by item id, for whoever may see the visit."""
    access.inspection(ctx, user, inspection_id)
    return fix_store.of_inspection(ctx.db, inspection_id)
