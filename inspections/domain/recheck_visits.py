"""The rules of a re-check visit (复查), pure: which hazards of the earlier visit it re-checks, the list it
walks (only their items, as the earlier visit's merged list had them), and what each item's answer does
to its hazard at the finish. A re-check raises no new hazards: its items' hazards are the earlier ones,
and each answer decides its hazard through domain.hazards.apply (docs/architecture.md, "Lifecycles")."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from inspections.domain.hazards import Hazard, HazardEvent, Level, Source, Status, apply
from inspections.domain.merge import MergedList
from inspections.domain.visits import Result


class Notes(BaseModel):
    """The notes a re-check decision records when the officers add none, at the desk or on a re-check
    visit (inspections/rules/visit_documents.yaml, `recheck_notes`)."""
    model_config = ConfigDict(frozen=True, extra="forbid")

    closed: str = Field(min_length=1)              # a general hazard passed: closed
    accepted: str = Field(min_length=1)            # a major passed: accepted on site
    confirmed_on_site: str = Field(min_length=1)   # an open hazard seen rectified on a re-check visit


def still_open(hazards: Iterable[Hazard]) -> list[Hazard]:
    """The hazards a visit's inspectors found (not self-check or import) that are not closed, by id."""
    return sorted((h for h in hazards if h.source == Source.INSPECTION and h.item_id and h.status != Status.CLOSED),
                  key=lambda h: h.id)


def recheck_list(earlier: MergedList, hazards: list[Hazard], department_order: list[str]) -> MergedList:
    """The list a re-check of the earlier visit walks: the earlier list's items (as worded then) whose
    hazards are in `hazards`, in the earlier order; its departments are the hazards' departments (in
    `department_order`, the catalogue's), and each item keeps those of its departments that come, or
    its hazard's department when none of them does."""
    by_item = {h.item_id: h for h in hazards}
    departments = [d for d in department_order if any(h.department == d for h in hazards)]
    items = [item.model_copy(update={"departments": [d for d in item.departments if d in departments]
                                     or [by_item[item.id].department]})
             for item in earlier.items if item.id in by_item]
    return MergedList(sectors=earlier.sectors, departments=departments, items=items)


def decide(hazard: Hazard, result: str, note: str, notes: Notes, *, actor: str,
           at: dt.datetime) -> list[tuple[Hazard, HazardEvent]]:
    """What the re-check's answer to the hazard's item does, as the steps through `apply` in order
    (each step's hazard is the next one's start):

    - pass: seen rectified. Not yet reported (open, rectifying): first a `submit` by the officer noting
      that it was confirmed on site. Then a general hazard is closed; a major is accepted (验收) and waits
      for the office's approval as a desk acceptance does (one accepted already waits: nothing more).
      The answer's note, if any, is the decision's note, else the rules' text.
    - fail: submitted: `reject` with the answer's note (继续挂账); open or rectifying: it stays as it is,
      with a `recheck_failed` event carrying the note in its trail.
    - not applicable: nothing. The item could not be judged on this visit (the place was closed, the
      equipment gone), which neither confirms the rectification nor refutes it: the hazard waits for
      its rectification and re-check as before."""
    steps: list[tuple[Hazard, HazardEvent]] = []

    def step(action: str, text: str) -> None:
        nonlocal hazard
        hazard, event = apply(hazard, action, actor=actor, at=at, note=text)
        steps.append((hazard, event))

    note = note.strip()
    if result == Result.PASS:
        if hazard.status in (Status.OPEN, Status.RECTIFYING):
            step("submit", notes.confirmed_on_site)
        if hazard.level == Level.MAJOR:
            if hazard.accepted_on is None:
                step("accept", note or notes.accepted)
        else:
            step("close", note or notes.closed)
    elif result == Result.FAIL:
        step("reject" if hazard.status == Status.SUBMITTED else "recheck_failed", note)
    return steps
