"""The inspector's use cases: my inspections, check-in (扫码入企), walking the merged list with every
answer saved at once, photos, and finishing, which turns failed items into hazards through the
lifecycle. Permission checks are here; pages only call these functions. An inspector of one of the
visit's departments may read it; every write (check-in, answers, photos, finishing) is for its team only
(services.shared.access.require_on_team; check-in finds only the visits one is on the team of), and only
for an officer with an enforcement ID valid that day (services.shared.enforcement.require_officer: a
helper on the team reads the visit but checks in, answers and signs nothing). Finishing is
decided from the answers read before its transaction: if the visit was finished elsewhere or its answers
changed meanwhile, it raises ChangedMeanwhile and writes nothing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from inspections.domain import credit_code
from inspections.domain.hazards import Hazard, Level, apply, deadline_refusal, default_deadline
from inspections.domain.merge import MergedItem, MergedList
from inspections.domain.visits import (ANSWERING, Result, VisitStatus, found_on, hazard_sector, is_result,
                                       lacks_details)
from inspections.store import enterprises as enterprise_store
from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from inspections.store import spot_fixes as spot_fix_store
from inspections.services.shared import access, documents, enforcement, merged_lists, photos
from inspections.services.inspector import answers, notices, recheck_visits
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.domain.refusals import BadInput, ChangedMeanwhile, Conflict

CHECKIN_METHODS = ("qr_link", "camera", "typed")


class InspectionError(BadInput):
    """A refused action, with a message key for the page and values for it."""


@dataclass
class WalkState:
    inspection: dict
    enterprise: object
    merged: MergedList
    answers: dict[str, dict]
    self_check: dict[str, dict]
    hazards: list[Hazard] = field(default_factory=list)
    on_team: bool = False           # whether the reader may change the visit (else it is shown read-only)

    @property
    def answered(self) -> int:
        return sum(item.id in self.answers for item in self.merged.items)

    @property
    def first_unanswered(self) -> int | None:
        return next((n for n, item in enumerate(self.merged.items) if item.id not in self.answers), None)

    def sections(self) -> list[tuple[str, list[MergedItem]]]:
        return self.merged.sections()

    def missing_details(self) -> list[str]:
        """Failed items still lacking what was found."""
        return [item_id for item_id, a in self.answers.items() if lacks_details(a)]


def _require_inspector(user: User) -> None:
    access.require_role(user, "inspector")


def my_inspections(ctx: Context, user: User) -> list[dict]:
    _require_inspector(user)
    rows = inspection_store.for_team_member(ctx.db, user.username)
    for row in rows:
        row["item_count"] = len(merged_lists.of(ctx, row).items)
        row.pop("merged_list_json")
    return rows


def inspections_today(ctx: Context, user: User, enterprise_code: str, today: dt.date) -> list[dict]:
    """Today's inspections of the enterprise on which this inspector is in the team (still to check in
    to or in progress). None: 'finished_today' (with its `inspection_id`) when today's visit with this
    inspector is finished already, else 'nothing_today'."""
    _require_inspector(user)
    code = credit_code.normalise(enterprise_code)
    if credit_code.problem(code):
        raise InspectionError("bad_code", code=enterprise_code)
    enterprise = enterprise_store.get(ctx.db, code)
    if enterprise is None:
        raise InspectionError("unknown_enterprise", code=code)
    mine = [i for i in inspection_store.scheduled_on_day(ctx.db, code, today) if user.username in i["team"]]
    if not mine:
        finished = [i for i in inspection_store.scheduled_on_day(ctx.db, code, today, (VisitStatus.COMPLETED,))
                    if user.username in i["team"]]
        if finished:   # not "none scheduled": the visit took place, and the inspector may open it
            raise InspectionError("finished_today", name=enterprise.name, inspection_id=finished[0]["id"])
        raise InspectionError("nothing_today", name=enterprise.name)
    return mine


def check_in(ctx: Context, user: User, enterprise_code: str, method: str,
             now: dt.datetime | None = None) -> str:
    """Check in at the enterprise; returns the inspection id. Checking in twice is harmless."""
    now = now or ctx.clock.instant()
    if method not in CHECKIN_METHODS:
        raise ValueError(f"unknown check-in method '{method}'")
    inspection = inspections_today(ctx, user, enterprise_code, now.date())[0]
    enforcement.require_officer(ctx, user, now.date())      # helpers and expired IDs do not check in
    if inspection["status"] == VisitStatus.SCHEDULED:
        ctx.db.write(lambda c: inspection_store.record_check_in(c, inspection["id"], now, method, user.username))
    return inspection["id"]


def walk(ctx: Context, user: User, inspection_id: str) -> WalkState:
    return _walk_state(ctx, user, access.inspection(ctx, user, inspection_id))


def _walk_state(ctx: Context, user: User, inspection: dict, merged: MergedList | None = None) -> WalkState:
    """The walk of a visit whose access was checked already (and whose merged list may be at hand):
    each use case loads a visit once."""
    inspection_id = inspection["id"]
    return WalkState(
        inspection=inspection, enterprise=enterprise_store.get(ctx.db, inspection["enterprise_code"]),
        merged=merged or merged_lists.of(ctx, inspection),
        answers=inspection_store.answers(ctx.db, inspection_id),
        self_check=inspection_store.answers(ctx.db, inspection_id, self_check=True),
        hazards=recheck_visits.hazards_of(ctx, inspection) if inspection.get("recheck_of")   # a re-check's: re-checked
        else hazard_store.for_inspection(ctx.db, inspection_id), on_team=access.on_team(user, inspection))




def _editable(ctx: Context, user: User, inspection_id: str, *, remembered: bool = False
              ) -> tuple[dict, MergedList]:
    """The visit and its merged list, if this inspector may change it now: one of its departments (else
    'not found'), on its team (else access.Forbidden), the visit in progress, an enforcement ID valid
    on the clock's day (else enforcement.EnforcementRefused: a helper or an expired ID). `remembered` takes the header
    from ctx.in_progress (for answer_item, whose save checks the status again in its transaction)."""
    _require_inspector(user)
    inspection = ctx.in_progress.get(inspection_id) if remembered else None
    if inspection is None:
        inspection = access.inspection(ctx, user, inspection_id)
        access.require_on_team(user, inspection)
        if inspection["status"] not in ANSWERING:
            raise InspectionError("not_in_progress" if inspection["status"] != VisitStatus.SCHEDULED
                                  else "check_in_first")
        ctx.in_progress.put(inspection_id, inspection)
    elif not access.may_see_inspection(user, inspection):
        raise access.NotFound(inspection_id)
    else:
        access.require_on_team(user, inspection)
    enforcement.require_officer(ctx, user, ctx.clock.today())   # helpers and expired IDs answer and sign nothing
    return inspection, merged_lists.of(ctx, inspection)


def answer_item(ctx: Context, user: User, inspection_id: str, item_id: str, result: str, *,
                note: str = "", level: str | None = None, deadline: dt.date | None = None,
                now: dt.datetime | None = None, seen_version: int | None = None,
                client_key: str | None = None) -> dict:
    """Save one answer at once (insert or replace). A failed item keeps its level, deadline and photos;
    defaults are filled in: general, 30 days (major 60). With `seen_version` (the version of the answer
    the inspector's screen shows, 0 for none): if a colleague has changed the answer since, and it says
    something else, AnswerConflict carries theirs and nothing is written. A tablet delivering answers kept
through a dead zone gives each a `client_key`: delivered twice, it is saved once."""
    now = now or ctx.clock.instant()
    if not is_result(result):
        raise InspectionError("bad_result")
    inspection, merged = _editable(ctx, user, inspection_id, remembered=True)
    if not merged.has_item(item_id):
        raise access.NotFound(item_id)
    # What was saved before matters only to a failure lacking its level or deadline (the save keeps the
    # stored photos and returns them); a pass or n/a is saved without a read.
    previous = inspection_store.answer(ctx.db, inspection_id, item_id) or {} \
        if result == Result.FAIL and (level is None or deadline is None) else {}
    answer = answers.new(user, inspection_id, item_id, result, note, now, self_check=False)
    if result == Result.FAIL:
        chosen = Level(level or previous.get("level") or Level.GENERAL)
        found = found_on(inspection)
        if deadline is None:
            deadline = (previous.get("deadline") if previous.get("level") == chosen.value else None) \
                or default_deadline(chosen, found)
        why = deadline_refusal(found, deadline)
        if why:
            raise InspectionError("bad_deadline", why=why)      # the cause is translated in its place
        answer.update(level=chosen.value, deadline=deadline)
    try:
        saved = answers.save(ctx, answer, ANSWERING, seen_version, client_key)
    except answers.AnswerChanged as conflict:
        raise AnswerConflict(conflict.stored, _name(ctx, conflict.stored["answered_by"])) from None
    if saved is None:
        ctx.in_progress.pop(inspection_id)
        raise InspectionError("not_in_progress")
    return saved


class AnswerConflict(InspectionError, Conflict):
    """A colleague's answer to the item came in after the one this screen shows, and says something else:
    `theirs` is their answer (with its version), to keep it, or to replace it by answering again with
    seen_version=theirs['version']."""

    def __init__(self, theirs: dict, name: str):
        super().__init__("answer_conflict", name=name, time=f"{theirs['answered_at']:%H:%M:%S}")
        self.theirs = theirs


def _name(ctx: Context, username: str) -> str:
    from inspections.store import users as user_store
    record = user_store.get(ctx.db, username)
    return record["display_name"] if record else username


def deliver_answer(ctx: Context, user: User, inspection_id: str, item_id: str, result: str, *,
                   seen_version: int, client_key: str) -> dict:
    """A result tapped on the tablet and delivered by its queue (after a dead zone, maybe twice): saved
    once; the item's note, level and deadline stay as they are."""
    _editable(ctx, user, inspection_id, remembered=True)
    stored = inspection_store.answer(ctx.db, inspection_id, item_id) or {}
    return answer_item(ctx, user, inspection_id, item_id, result, note=stored.get("note", ""),
                       level=stored.get("level"), deadline=stored.get("deadline") if stored.get("result") == result
                       else None, seen_version=seen_version, client_key=client_key)


def answer_history(ctx: Context, user: User, inspection_id: str, item_id: str | None = None) -> list[dict]:
    """Every change of the visit's answers (or of one item's): who, when, from what, to what."""
    access.inspection(ctx, user, inspection_id)
    return inspection_store.history(ctx.db, inspection_id, item_id)


def answers_fingerprint(ctx: Context, user: User, inspection_id: str) -> int:
    """Changes whenever a colleague's answer of the visit changes: a tablet polls it to show them."""
    access.inspection(ctx, user, inspection_id)
    return inspection_store.fingerprint(ctx.db.cursor(), inspection_id, excluding=user.username)


def add_photo(ctx: Context, user: User, inspection_id: str, item_id: str, data: bytes,
              now: dt.datetime | None = None) -> str:
    """Attach a photo to an answered item; returns the photo id (answers.AnswerRefused: not answered yet)."""
    inspection, _ = _editable(ctx, user, inspection_id)
    return answers.attach_photo(ctx, user, inspection, item_id, data, self_check=False, now=now)


def remove_photo(ctx: Context, user: User, inspection_id: str, item_id: str, photo_id: str) -> None:
    _editable(ctx, user, inspection_id)

    def work(cursor):
        answer = inspection_store.answer(cursor, inspection_id, item_id)
        if answer is None or photo_id not in answer["photos"]:
            raise access.NotFound(photo_id)
        inspection_store.upsert_answer(cursor, {**answer, "photos": [p for p in answer["photos"] if p != photo_id]})
    ctx.db.write(work)


def finish(ctx: Context, user: User, inspection_id: str, inspector_signature: bytes,
           enterprise_signature: bytes, now: dt.datetime | None = None, *, enterprise_signer: str = "",
           statement: str = "") -> list[Hazard]:
    """Close the visit: every item answered, every failure described, both signatures given (and the name
    of the enterprise's signer, when given; the representative's statement, 陈述、申辩, when made). Each
    failed item becomes a hazard ('raise' event; 'fix_on_spot', closed that day, when it was fixed on the
    spot: services.inspector.spot_fixes), and the on-site inspection record and the rectification notice
    and/or 指令书s (services.inspector.notices) are issued and stored (services.shared.documents), all in
    one transaction. A re-check visit raises none: its answers decide the earlier visit's hazards instead
    (services.inspector.recheck_visits). Finished meanwhile (another tablet) or answered meanwhile:
    ChangedMeanwhile, nothing written."""
    now = now or ctx.clock.instant()
    statement = statement.strip()
    if len(statement) > documents.rules().statement_max_chars:
        raise InspectionError("statement_too_long", limit=documents.rules().statement_max_chars)
    inspection, merged = _editable(ctx, user, inspection_id)
    answers_seen = inspection_store.fingerprint(ctx.db.cursor(), inspection_id)  # read before the answers
    state = _walk_state(ctx, user, inspection, merged)
    if state.answered < len(merged.items):
        raise InspectionError("unanswered", count=len(merged.items) - state.answered)
    if state.missing_details():
        raise InspectionError("missing_details", items="、".join(state.missing_details()))
    if not inspector_signature or not enterprise_signature:
        raise InspectionError("signatures_required")
    fixed_majors = [item_id for item_id in spot_fix_store.of_inspection(ctx.db, inspection_id)
                    if state.answers.get(item_id, {}).get("result") == Result.FAIL
                    and state.answers[item_id]["level"] == Level.MAJOR]
    if fixed_majors:       # made major after the fix was recorded: the inspector takes the fix back first
        raise InspectionError("spot_fix_major", items="、".join(fixed_majors))
    enterprise = state.enterprise
    rechecked = recheck_visits.decisions(ctx, user, state, now)   # a re-check decides its hazards, raises none
    new_hazards = []
    for number, item in enumerate([i for i in merged.items if state.answers[i.id]["result"] == Result.FAIL
                                   and rechecked is None], 1):
        answer = state.answers[item.id]
        department = user.department if user.department in item.departments else item.departments[0]
        new_hazards.append(Hazard(
            id=f"YH-{inspection_id}-{number:03d}", enterprise_code=enterprise.code,
            sector=hazard_sector(item.section, enterprise.sectors),
            department=department, level=answer["level"], description=answer["note"],
            found_on=found_on(inspection), deadline=answer["deadline"], inspection_id=inspection_id,
            item_id=item.id))

    record = documents.inspection_record(
        ctx, state, finished_at=now, finished_by=user.username, statement=statement,
        hazards=rechecked.not_rectified if rechecked else new_hazards,
        inspector_signature=inspector_signature, enterprise_signature=enterprise_signature,
        enterprise_signer=enterprise_signer.strip())
    issued = [record] + notices.issue(   # the notice and/or 指令书s, stored as issued with the record
        ctx, state, hazards=new_hazards, finished_at=now, finished_by=user.username,
        inspector_signature=inspector_signature, enterprise_signature=enterprise_signature,
        enterprise_signer=enterprise_signer.strip())

    def work(cursor):
        signatures = [photos.store(ctx, cursor, image, enterprise_code=enterprise.code, purpose="signature",
                                   uploaded_by=user.username, inspection_id=inspection_id, now=now)
                      for image in (inspector_signature, enterprise_signature)]
        # decided from in_progress (VISIT_TRANSITIONS' 'finish') and from the answers read above: both must
        # still hold
        if inspection_store.complete(cursor, inspection_id, now, user.username, *signatures,
                                     enterprise_signer.strip()) != 1 \
                or inspection_store.fingerprint(cursor, inspection_id) != answers_seen:
            raise ChangedMeanwhile("visit_changed_meanwhile", inspection_id=inspection_id)
        fixes = spot_fix_store.of_inspection(cursor, inspection_id)   # 立查立改: found and closed that day
        raised = [apply(None, "fix_on_spot", actor=user.username, at=now, new=h, note=fixes[h.item_id]["what_was_done"],
                        evidence=[fixes[h.item_id]["photo_id"]]) if h.item_id in fixes
                  else apply(None, "raise", actor=user.username, at=now, new=h) for h in new_hazards]
        hazard_store.insert_hazards(cursor, [h for h, _ in raised])
        hazard_store.insert_events(cursor, [e for _, e in raised])
        if rechecked:
            recheck_visits.store(cursor, rechecked)
        inspection_store.record_statement(cursor, inspection_id, statement)
        for document in issued:
            documents.store(cursor, document)
        return [h for h, _ in raised]
    finished = ctx.db.write(work)
    ctx.in_progress.pop(inspection_id)
    return finished


def answer_for(ctx: Context, user: User, inspection_id: str, item_id: str) -> dict | None:
    access.inspection(ctx, user, inspection_id)
    return inspection_store.answer(ctx.db, inspection_id, item_id)


def photo_files(ctx: Context, user: User, inspection_id: str, photo_ids: list[str]) -> list[tuple[str, object]]:
    """(photo id, file path) of this inspection's photos that the user may see."""
    if not photo_ids:                    # most cards have none: no access check or query needed for nothing
        return []
    access.inspection(ctx, user, inspection_id)
    from inspections.store import photos as photo_store
    return [(r["id"], photos.path_of(ctx, r)) for r in photo_store.many(ctx.db, photo_ids)
            if r["inspection_id"] == inspection_id]

