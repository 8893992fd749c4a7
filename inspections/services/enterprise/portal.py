"""The enterprise's use cases around visits: scheduled checks told in advance with the full item list
(一次性告知), the self-check on the same list, own hazard records from failed self-check items (自查自改),
and rating each finished inspection once. An enterprise user sees its own enterprise, never another:
every id is checked through services.shared.access, which answers 'not found'."""
from __future__ import annotations

import datetime as dt

from inspections.domain.hazards import Hazard, Level, apply, default_deadline
from inspections.domain.merge import MergedList
from inspections.domain.visits import SELF_CHECK_OPEN, Result, VisitStatus, hazard_sector, is_result
from inspections.store import enterprises as enterprise_store
from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from inspections.store import users as user_store
from inspections.services.shared import access, merged_lists
from inspections.services.inspector import answers
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.domain.refusals import BadInput


class PortalError(BadInput):
    """A refused action (reason key and values for the message)."""


def _enterprise(user: User) -> str:
    return access.require_role(user, "enterprise").enterprise_code


def _inspectors(ctx: Context, usernames: list[str]) -> list[str]:
    return [(user_store.get(ctx.db, name) or {}).get("display_name", name) for name in usernames]


def checks(ctx: Context, user: User) -> list[dict]:
    """Every visit of my enterprise (newest first) with inspectors' names, item count and my rating."""
    code = _enterprise(user)
    rows = inspection_store.for_enterprise(ctx.db, code)
    for row in rows:
        row["merged"] = merged_lists.of(ctx, row)
        row.pop("merged_list_json")
        row["inspectors"] = _inspectors(ctx, row["team"])
    return rows


def check(ctx: Context, user: User, inspection_id: str) -> dict:
    """One visit of my enterprise with its merged list and my self-check answers."""
    _enterprise(user)
    inspection = access.inspection(ctx, user, inspection_id)
    return {**inspection, "merged": merged_lists.of(ctx, inspection),
            "inspectors": _inspectors(ctx, inspection["team"]),
            "self_check": inspection_store.answers(ctx.db, inspection_id, self_check=True),
            "enterprise": enterprise_store.get(ctx.db, inspection["enterprise_code"])}


def _open_for_self_check(ctx: Context, user: User, inspection_id: str) -> tuple[dict, MergedList]:
    _enterprise(user)
    inspection = access.inspection(ctx, user, inspection_id)
    if inspection["status"] not in SELF_CHECK_OPEN:
        raise PortalError("self_check_closed")
    return inspection, merged_lists.of(ctx, inspection)


def self_check_answer(ctx: Context, user: User, inspection_id: str, item_id: str, result: str,
                      note: str = "", now: dt.datetime | None = None) -> dict:
    """Save one self-check answer at once (insert or replace)."""
    if not is_result(result):
        raise PortalError("bad_result")
    _, merged = _open_for_self_check(ctx, user, inspection_id)
    if not merged.has_item(item_id):
        raise access.NotFound(item_id)
    saved = answers.save(ctx, answers.new(user, inspection_id, item_id, result, note, now or ctx.clock.instant(),
                                          self_check=True), SELF_CHECK_OPEN)
    if saved is None:
        raise PortalError("self_check_closed")
    return saved


def self_check_photo(ctx: Context, user: User, inspection_id: str, item_id: str, data: bytes,
                     now: dt.datetime | None = None) -> str:
    inspection, _ = _open_for_self_check(ctx, user, inspection_id)
    return answers.attach_photo(ctx, user, inspection, item_id, data, self_check=True, now=now)


def own_hazard(ctx: Context, user: User, inspection_id: str, item_id: str,
               now: dt.datetime | None = None) -> Hazard:
    """Turn a failed self-check item into the enterprise's own hazard record (自查自改); it counts in the
    ledger as found by the enterprise. Once per item."""
    now = now or ctx.clock.instant()
    inspection = access.inspection(ctx, user, inspection_id)
    _enterprise(user)
    answer = inspection_store.answer(ctx.db, inspection_id, item_id, self_check=True)
    if answer is None or answer["result"] != Result.FAIL:
        raise PortalError("only_failed_items")
    if not answer["note"].strip():
        raise PortalError("describe_first")
    hazard_id = f"ZC-{inspection_id}-{item_id}"
    if hazard_store.get(ctx.db, hazard_id) is not None:
        raise PortalError("already_recorded")
    item = next(i for i in merged_lists.of(ctx, inspection).items if i.id == item_id)
    enterprise = enterprise_store.get(ctx.db, inspection["enterprise_code"])
    new = Hazard(id=hazard_id, enterprise_code=enterprise.code,
                 sector=hazard_sector(item.section, enterprise.sectors),
                 department=item.departments[0], level=Level.GENERAL, description=answer["note"],
                 found_on=now.date(), deadline=default_deadline(Level.GENERAL, now.date()), source="self_check",
                 inspection_id=inspection_id, item_id=item_id)
    hazard, event = apply(None, "raise", actor=user.username, at=now, new=new, note="企业自查发现")

    def work(cursor):
        hazard_store.insert_hazards(cursor, [hazard])
        hazard_store.insert_events(cursor, [event])
    ctx.db.write(work)
    return hazard


def rate(ctx: Context, user: User, inspection_id: str, rating: int, comment: str = "",
         now: dt.datetime | None = None) -> None:
    """Rate a finished inspection of my enterprise, 1-5, once."""
    _enterprise(user)
    inspection = access.inspection(ctx, user, inspection_id)
    if inspection["status"] != VisitStatus.COMPLETED:
        raise PortalError("rate_after_finish")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise PortalError("bad_rating")
    if inspection_store.evaluation(ctx.db, inspection_id) is not None:
        raise PortalError("already_rated")
    ctx.db.write(lambda c: inspection_store.insert_evaluation(c, {
        "inspection_id": inspection_id, "rating": rating, "comment": comment.strip()[:500],
        "rated_by": user.username, "rated_at": now or ctx.clock.instant()}))


def rating_for(ctx: Context, user: User, inspection_id: str) -> dict | None:
    """An inspection's rating as this user may see it: the inspecting departments never see who rated,
    only the safety office (and the enterprise itself) do."""
    access.inspection(ctx, user, inspection_id)
    found = inspection_store.evaluation(ctx.db, inspection_id)
    if found is None:
        return None
    if user.role not in ("office", "enterprise"):
        found = {k: v for k, v in found.items() if k != "rated_by"}
    return found
