"""The visit (a joint inspection, 综合查一次) and its answers: statuses, kinds, results, the answer's
shape and the rules the pages and the services both ask (docs/architecture.md, "Lifecycles").

  scheduled --check_in--> in_progress --finish--> completed
  scheduled --cancel--> cancelled          scheduled --replan (date, team, merge)--> scheduled
The store's guarded status updates take the statuses from VISIT_TRANSITIONS (`UPDATE … WHERE status
= ?`), so a lost race changes nothing. The enums are StrEnums: they equal the strings stored in DuckDB.

Answers stay plain dicts at run time (the inspector's page reruns on every tap; bench/answer_rerun.py);
`Answer` is their shape, and ANSWER_FIELDS, the store's columns, is derived from it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from inspections.domain.merge import SHARED_SECTION


class VisitStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class VisitKind(StrEnum):
    ROUTINE = "routine"
    COMPLAINT = "complaint"
    RECHECK = "recheck"
    SPECIAL = "special"


class Result(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"


RESULTS: tuple[Result, ...] = tuple(Result)
KINDS: tuple[VisitKind, ...] = tuple(VisitKind)

VISIT_TRANSITIONS: dict[str, tuple[frozenset[VisitStatus], VisitStatus]] = {
    # action: (statuses it may start from, status it leads to)
    "check_in": (frozenset({VisitStatus.SCHEDULED}), VisitStatus.IN_PROGRESS),
    "finish": (frozenset({VisitStatus.IN_PROGRESS}), VisitStatus.COMPLETED),
    "cancel": (frozenset({VisitStatus.SCHEDULED}), VisitStatus.CANCELLED),
    "replan": (frozenset({VisitStatus.SCHEDULED}), VisitStatus.SCHEDULED),
}

ANSWERING = (VisitStatus.IN_PROGRESS,)      # the inspectors' answers may change while the visit is under way
SELF_CHECK_OPEN = (VisitStatus.SCHEDULED,)  # a self-check prepares the visit; once the visit starts it is closed
COMING = (VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS)    # a visit still to come or under way


def transition(action: str) -> tuple[VisitStatus, VisitStatus]:
    """(the one status `action` starts from, the status it leads to), for a guarded `UPDATE … WHERE`."""
    allowed_from, leads_to = VISIT_TRANSITIONS[action]
    (start,) = allowed_from
    return start, leads_to


class Answer(BaseModel):
    """One answer to one item of a visit: the inspectors' (self_check False) or the enterprise's
    self-check. A failed item carries its hazard level and deadline; version counts its changes."""

    model_config = ConfigDict(frozen=True)

    inspection_id: str
    item_id: str
    result: Result
    note: str = ""
    level: str | None = None
    deadline: dt.date | None = None
    photos: list[str] = []
    answered_by: str
    answered_at: dt.datetime
    self_check: bool = False
    version: int = 1


ANSWER_FIELDS: tuple[str, ...] = tuple(Answer.model_fields)


def new_answer(inspection_id: str, item_id: str, result: str, note: str, answered_by: str,
               answered_at: dt.datetime, *, self_check: bool) -> dict:
    """A new answer as the plain dict the store saves (every field of Answer but its version)."""
    return {"inspection_id": inspection_id, "item_id": item_id, "result": result, "note": note.strip(),
            "photos": [], "answered_by": answered_by, "answered_at": answered_at, "self_check": self_check,
            "level": None, "deadline": None}


def is_result(value: object) -> bool:
    return value in RESULTS


def lacks_details(answer: Mapping) -> bool:
    """A failed answer that does not yet say what was found."""
    return answer["result"] == Result.FAIL and not answer["note"].strip()


def found_on(visit: Mapping) -> dt.date:
    """The day a failure found on the visit counts as found (the hazard's found_on, the base of its
    deadline): the visit's scheduled date, which is also the day of its check-in."""
    return visit["scheduled_on"]


def hazard_sector(section: str, enterprise_sectors: Sequence[str]) -> str:
    """The sector a failed item's hazard belongs to: the item's own sector, or for a shared item the
    enterprise's first sector."""
    return enterprise_sectors[0] if section == SHARED_SECTION else section
