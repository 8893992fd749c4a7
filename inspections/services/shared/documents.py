"""The documents of a visit, stored as issued: the on-site inspection record (现场检查记录) and the
rectification notice and/or 责令限期整改指令书 (services.inspector.notices), made in the finishing
transaction, and the re-check opinion (整改复查意见书), made in the re-check decision's. The bytes
are kept (store.documents), so a later change of a name, an address or the catalogue never alters what was
issued. Who may download: whoever may see the visit (the record) or the hazard (the opinion); another
enterprise gets 'not found'. The fixed texts (the notice of rights, "无", a re-check's notes and a re-check visit's
reason) are inspections/rules/visit_documents.yaml."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inspections import config
from inspections.domain.hazards import Hazard, HazardEvent
from inspections.domain.recheck_visits import Notes
from inspections.domain.visits import Result
from inspections.readers.rules_files import load_rules
from inspections.store import documents as document_store
from inspections.store import users as user_store
from inspections.services.shared import access
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context

RULES_FILE = config.REPO_ROOT / "inspections" / "rules" / "visit_documents.yaml"
INSPECTION_RECORD, RECHECK_OPINION = "inspection_record", "recheck_opinion"
RECTIFICATION_NOTICE, RECTIFICATION_DIRECTIVE = "rectification_notice", "rectification_directive"
NOTICE_KINDS = (RECTIFICATION_NOTICE, RECTIFICATION_DIRECTIVE)   # issued at the finish: services.inspector.notices
FILE_NAMES = {INSPECTION_RECORD: "现场检查记录", RECHECK_OPINION: "整改复查意见书", RECTIFICATION_NOTICE: "整改通知书",
              RECTIFICATION_DIRECTIVE: "责令限期整改指令书"}


class DocumentRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rights_notice: list[str] = Field(min_length=1)
    no_statement: str = Field(min_length=1)
    statement_max_chars: int = Field(ge=1, le=20000)
    recheck_notes: Notes
    recheck_visit_reason: str = Field(min_length=1)    # with {inspection_id} and {date} of the earlier visit

    @field_validator("recheck_visit_reason")
    @classmethod
    def _known_placeholders(cls, text: str) -> str:
        try:
            text.format(inspection_id="", date="")
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"only {{inspection_id}} and {{date}} may be filled in ({error})") from None
        return text


@functools.lru_cache(maxsize=2)
def rules(path: Path = RULES_FILE) -> DocumentRules:
    return load_rules(path, DocumentRules)


def printed_statement(statement: str) -> str:
    """The statement as the record prints it: the text, or "无" when none was given."""
    return statement.strip() or rules().no_statement


def enforcement_id_of(account: dict | None) -> str | None:
    """The account's enforcement ID number (行政执法证, store.users.FIELDS); None prints as 未登记."""
    return (account or {}).get("enforcement_number") or None


def officer(ctx: Context, username: str):
    from inspections.rendering.record_pdf import Officer
    account = user_store.get(ctx.db, username)
    department = (account or {}).get("department")
    return Officer(name=account["display_name"] if account else username,
                   department=ctx.catalogue.department(department).title.zh if department else "",
                   enforcement_id=enforcement_id_of(account))


# ----------------------------------------------------------------- issuing
# A document is rendered before the transaction of the act that issues it (rendering takes a second or
# more, and the write lock would hold every other tablet's answer meanwhile) from the facts the act
# decides on, and stored by `store` in that transaction: if the act is refused, nothing is stored.

class Issued(BaseModel):
    """A rendered document waiting for its act's transaction."""
    model_config = ConfigDict(frozen=True)

    kind: str
    inspection_id: str
    hazard_id: str | None
    issued_at: dt.datetime
    issued_by: str
    pdf: bytes


def store(cursor, issued: Issued) -> str:
    """Store the rendered document in the caller's transaction; returns its id."""
    return document_store.insert(cursor, **issued.model_dump())


def inspection_record(ctx: Context, state, *, finished_at: dt.datetime, finished_by: str,
                      hazards: list[Hazard], statement: str, inspector_signature: bytes,
                      enterprise_signature: bytes, enterprise_signer: str) -> Issued:
    """The visit's record, rendered from its walk (services.inspector.inspecting.WalkState) and the
    finish's facts."""
    from inspections.rendering.record_pdf import RecordData, RecordItem, render_record
    inspection, enterprise = state.inspection, state.enterprise
    items = [RecordItem(id=item.id, title=item.title.zh, result=state.answers[item.id]["result"],
                        note=state.answers[item.id].get("note") or "" if state.answers[item.id]["result"] == Result.FAIL
                        else "")
             for item in state.merged.items]
    titles = {item.id: item.title.zh for item in state.merged.items}
    findings = [f"{n}. {h.id}（{'重大隐患' if h.level == 'major' else '一般隐患'}）{titles.get(h.item_id, '')}："
                f"{h.description}，整改期限 {h.deadline:%Y-%m-%d}" for n, h in enumerate(hazards, 1)]
    signer = officer(ctx, finished_by)
    pdf = render_record(RecordData(
        record_number=f"现检〔{inspection['scheduled_on']:%Y}〕{inspection['id']}号",
        enterprise_name=enterprise.name, enterprise_code=enterprise.code, place=enterprise.address,
        inspection_id=inspection["id"], why=_why(inspection),
        departments=[ctx.catalogue.department(d).title.zh for d in inspection["departments"]],
        officers=[officer(ctx, username) for username in inspection["team"]],
        representative=enterprise_signer or "—", checked_in_at=inspection.get("checked_in_at"),
        finished_at=finished_at, items=items, findings=findings, statement=printed_statement(statement),
        rights_notice=rules().rights_notice, issued_on=finished_at.date(), signed_at=finished_at,
        inspector_signer=signer.name, enterprise_signer=enterprise_signer,
        inspector_signature=inspector_signature, enterprise_signature=enterprise_signature))
    return Issued(kind=INSPECTION_RECORD, inspection_id=inspection["id"], hazard_id=None, issued_at=finished_at,
                  issued_by=finished_by, pdf=pdf)


def _why(inspection: dict) -> str:
    """The record's sentence of why the visit happened, as the verify page says it (in Chinese)."""
    from inspections import messages
    from inspections.services.shared import codes
    values = codes.why(inspection)
    return messages.text(values.pop("key"), "zh", **values)


def recheck_opinion(ctx: Context, user: User, hazard: Hazard, event: HazardEvent,
                    trail: list[HazardEvent]) -> Issued:
    """The opinion of a re-check decision (`event`: close, accept for a major, or reject, on `hazard` as submitted, whose trail
    so far is `trail`), rendered."""
    from inspections.rendering.recheck_pdf import RecheckData, render_recheck
    from inspections.services.shared import findings
    from inspections.store import enterprises as enterprise_store
    enterprise = enterprise_store.get(ctx.db, hazard.enterprise_code)
    item = findings.of_hazards(ctx, [hazard])[hazard.id].item
    submission = next((e for e in reversed(trail) if e.action == "submit"), None)
    pdf = render_recheck(RecheckData(
        opinion_number=f"复查〔{event.occurred_at:%Y}〕{hazard.id}-{len(trail) + 1:02d}号",
        enterprise_name=enterprise.name, enterprise_code=enterprise.code, place=enterprise.address,
        hazard_id=hazard.id, inspection_id=hazard.inspection_id or "—",
        item_title=item.title.zh if item else "—", description=hazard.description, deadline=hazard.deadline,
        reported=submission.note if submission else "—", passed=event.action in ("close", "accept"),
        accepted_only=event.action == "accept", reason=event.note or "",
        officer=officer(ctx, user.username), decided_at=event.occurred_at))
    return Issued(kind=RECHECK_OPINION, inspection_id=hazard.inspection_id or "", hazard_id=hazard.id,
                  issued_at=event.occurred_at, issued_by=user.username, pdf=pdf)


# ----------------------------------------------------------------- reading back

def of_inspection(ctx: Context, user: User, inspection_id: str) -> list[dict]:
    """The visit's documents as issued (without bytes; each with its `file_name`), if the user may see the
    visit; the re-check opinions of its hazards among them."""
    access.inspection(ctx, user, inspection_id)
    return [_named(d) for d in document_store.of_inspection(ctx.db, inspection_id)]


def of_hazard(ctx: Context, user: User, hazard_id: str) -> list[dict]:
    access.hazard(ctx, user, hazard_id)
    return [_named(d) for d in document_store.of_hazard(ctx.db, hazard_id)]


def pdf(ctx: Context, user: User, document_id: str) -> bytes:
    """The document's bytes as issued, for whoever may see its visit (or its hazard); 'not found' else."""
    document = document_store.get(ctx.db, document_id or "")
    if document is None:
        raise access.NotFound(document_id)
    if document["hazard_id"]:
        access.hazard(ctx, user, document["hazard_id"])
    else:
        access.inspection(ctx, user, document["inspection_id"])
    return bytes(document["pdf"])


def _named(document: dict) -> dict:
    subject = document["hazard_id"] or document["inspection_id"]
    return {**document, "file_name": f"{FILE_NAMES.get(document['kind'], document['kind'])}-{subject}.pdf"}
