"""Walking and finishing a re-check visit (复查, `inspections.recheck_of`): each item's card shows the
original finding of its hazard (the item, what was found, level, deadline and status, the photos) and the
rectification the enterprise reported, with its evidence; at the finish the answers decide the hazards
(domain.recheck_visits.decide, through domain.hazards.apply) instead of raising new ones, each decided
hazard's re-check opinion (整改复查意见书) rendered before the finish's transaction and stored in it. A
hazard decided meanwhile (at the desk, services.inspector.rechecks) makes the finish raise
ChangedMeanwhile: the store's guarded save finds it changed, and the transaction writes nothing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from inspections.domain.hazards import Hazard, HazardEvent
from inspections.domain.recheck_visits import decide
from inspections.domain.refusals import ChangedMeanwhile
from inspections.store import hazards as hazard_store
from inspections.services.inspector import rechecks
from inspections.services.shared import documents, findings, merged_lists, photos
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context


@dataclass(frozen=True)
class Original:
    """What a re-check visit's item re-checks: the hazard as it stands, its original finding, and the
    enterprise's last report of its rectification (none: '') with the evidence photos."""
    hazard: Hazard
    finding: findings.Finding
    reported: str = ""
    evidence: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Decided:
    """The finish's decisions, made before its transaction: for each decided hazard, the hazard as read
    and its steps (hazard after, event), and the opinions to store; `not_rectified`, the hazards the
    re-check found still not rectified (the on-site record lists them)."""
    steps: list[tuple[Hazard, list[tuple[Hazard, HazardEvent]]]]
    opinions: list[documents.Issued]
    not_rectified: list[Hazard]


def hazards_of(ctx: Context, inspection: dict) -> list[Hazard]:
    """The hazards a re-check visit re-checks: the earlier visit's, on this visit's list, by id."""
    merged = merged_lists.of(ctx, inspection)
    return [h for h in hazard_store.for_inspection(ctx.db, inspection["recheck_of"]) if merged.has_item(h.item_id)]


def originals(ctx: Context, user: User, state) -> dict[str, Original]:
    """{item id: its Original} for the walk `state` (services.inspector.inspecting.walk, access checked
    there); empty for a visit that is no re-check."""
    if not state.inspection.get("recheck_of"):
        return {}
    hazards = hazards_of(ctx, state.inspection)
    found = findings.of_hazards(ctx, hazards)
    shown = {}
    for hazard in hazards:
        trail = hazard_store.events(ctx.db, hazard.id)
        submission = next((e for e in reversed(trail) if e.action == "submit"), None)
        shown[hazard.item_id] = Original(
            hazard=hazard, finding=found[hazard.id], reported=submission.note if submission else "",
            evidence=[photos.path_of(ctx, p) for p in rechecks.evidence_photos(ctx, user, hazard.id, trail)])
    return shown


def decisions(ctx: Context, user: User, state, now: dt.datetime) -> Decided | None:
    """What finishing the re-check visit `state` does to its hazards, each decided by its item's answer
    (domain.recheck_visits.decide), with the opinions rendered; None for a visit that is no re-check."""
    if not state.inspection.get("recheck_of"):
        return None
    notes = documents.rules().recheck_notes
    steps, opinions, not_rectified = [], [], []
    for hazard in hazards_of(ctx, state.inspection):
        answer = state.answers[hazard.item_id]
        decided = decide(hazard, answer["result"], answer.get("note") or "", notes, actor=user.username, at=now)
        if not decided:
            continue
        steps.append((hazard, decided))
        trail = hazard_store.events(ctx.db, hazard.id) + [event for _, event in decided[:-1]]
        as_decided = decided[-2][0] if len(decided) > 1 else hazard
        opinion = documents.recheck_opinion(ctx, user, as_decided, decided[-1][1], trail)
        opinions.append(opinion.model_copy(update={"inspection_id": state.inspection["id"]}))
        if decided[-1][1].action in ("reject", "recheck_failed"):
            not_rectified.append(decided[-1][0])
    return Decided(steps=steps, opinions=opinions, not_rectified=not_rectified)


def store(cursor, decided: Decided) -> None:
    """Store the decisions and their opinions in the finish's transaction; ChangedMeanwhile when a hazard
    is no longer the one decided from (the caller's transaction then writes nothing)."""
    for before, steps in decided.steps:
        for changed, event in steps:
            if hazard_store.save(cursor, changed, event, before=before) != 1:
                raise ChangedMeanwhile("hazard_changed_meanwhile", id=before.id)
            before = changed
    for opinion in decided.opinions:
        documents.store(cursor, opinion)
