"""The one way an answer is built, saved and given photos, for the inspector's checklist
(services.inspector.inspecting) and the enterprise's self-check (services.enterprise.portal) alike. Saving goes through the
store's group commit; the inspection's status is checked again in the saving transaction. Who may answer
is the callers' check, made before they get here: the visit's team for an inspector
(services.inspector.inspecting._editable, through access.require_on_team and, for an enforcement ID valid that
day, services.shared.enforcement.require_officer), the enterprise itself for a self-check."""
from __future__ import annotations

import datetime as dt

from inspections.domain.visits import new_answer
from inspections.domain.refusals import BadInput, Conflict
from inspections.store import inspections as inspection_store
from inspections.services.shared import photos
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context


def new(user: User, inspection_id: str, item_id: str, result: str, note: str, now: dt.datetime, *,
        self_check: bool) -> dict:
    return new_answer(inspection_id, item_id, result, note, user.username, now, self_check=self_check)


class AnswerRefused(BadInput):
    """An answer or its photo refused, for the inspector and the enterprise alike ('answer_first': a photo
    for an item not yet answered). The pages translate it as any refusal."""


class AnswerChanged(Conflict):
    """The answer changed since its author saw it, and says something else: `stored` is what it says
    (reason 'answer_changed', with `item_id`; services.inspector.inspecting turns it into an AnswerConflict naming
    the colleague)."""

    def __init__(self, stored: dict):
        super().__init__("answer_changed", item_id=stored.get("item_id"))
        self.stored = stored


def save(ctx: Context, answer: dict, open_statuses: tuple[str, ...], seen_version: int | None = None,
         client_key: str | None = None) -> dict | None:
    """The answer as saved (with the photos and version it has), once committed; None when the inspection
    no longer has one of `open_statuses`, in which case nothing was written. With `seen_version` (the
    version its author saw, 0 for none), an answer a colleague changed since, that says something else,
    raises AnswerChanged. A `client_key` already delivered is not saved again (the version it made is returned)."""
    saved = ctx.db.write_grouped(inspection_store.save_answers,
                                 inspection_store.AnswerWrite(answer, open_statuses, seen_version, client_key))
    if saved.refused_by == "conflict":
        raise AnswerChanged(saved.stored)
    if saved.refused_by is not None:
        return None
    return {**answer, "photos": list(saved.photos), "version": saved.version}


def attach_photo(ctx: Context, user: User, inspection: dict, item_id: str, data: bytes, *, self_check: bool,
                 now: dt.datetime | None) -> str:
    """Check and compress the photo, then store it and add it to the answer (the inspector's, or the
    enterprise's self-check) in one transaction; AnswerRefused('answer_first') when the item has no
    answer."""
    jpeg, width, height = photos.compress(data)

    def work(cursor):
        answer = inspection_store.answer(cursor, inspection["id"], item_id, self_check=self_check)
        if answer is None:
            raise AnswerRefused("answer_first")
        photo_id = photos.store(ctx, cursor, jpeg, enterprise_code=inspection["enterprise_code"],
                                purpose="self_check" if self_check else "finding", uploaded_by=user.username,
                                inspection_id=inspection["id"], now=now, size=(width, height))
        inspection_store.upsert_answer(cursor, {**answer, "photos": list(answer["photos"]) + [photo_id]})
        return photo_id
    return ctx.db.write(work)
