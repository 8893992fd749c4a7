"""A finished visit's rectification requirements, issued at its finish and stored as issued: the joint
隐患整改通知书 (notice_pdf) with the hazards of most departments, and the 责令限期整改指令书
(directive_pdf) of each department that issues its own (domain.rectification_forms: the list and the
texts are inspections/rules/rectification_forms.yaml). `issue` renders them before the finishing
transaction, which stores them (services.shared.documents) beside the on-site record; a visit without
hazards gets neither. Whoever may see the visit may download them (the enterprise its own).

A visit finished before notices were stored, or one without hazards, has no stored notice: its notice is
rendered on demand from the current store, as it always was (`notice_pdf`)."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from inspections import config
from inspections.domain.hazards import Hazard
from inspections.domain.rectification_forms import RectificationForms, split
from inspections.domain.visits import VisitKind, VisitStatus
from inspections.readers.rules_files import load_rules
from inspections.rendering import qr
from inspections.services.shared import access, codes, documents, photos
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.store import inspections as inspection_store
from inspections.store import photos as photo_store
from inspections.store import users as user_store

RULES_FILE = config.REPO_ROOT / "inspections" / "rules" / "rectification_forms.yaml"


@functools.lru_cache(maxsize=2)
def forms(path: Path = RULES_FILE) -> RectificationForms:
    return load_rules(path, RectificationForms)


# ----------------------------------------------------------------- issued at the finish

def issue(ctx: Context, state, *, hazards: list[Hazard], finished_at: dt.datetime, finished_by: str,
          inspector_signature: bytes, enterprise_signature: bytes, enterprise_signer: str) -> list[documents.Issued]:
    """The visit's notice and/or 指令书s, rendered from its walk (inspecting.WalkState, read before the
    finish) and the finish's facts, for the finishing transaction to store; [] without hazards."""
    from inspections.rendering.notice_pdf import render_notice
    from inspections.rendering.directive_pdf import render_directive
    if not hazards:
        return []
    rules = forms()
    joint, directed = split(hazards, rules.directive_departments)
    finisher = user_store.get(ctx.db, finished_by)
    signed = {"signed_at": finished_at, "inspector_signer": finisher["display_name"] if finisher else finished_by,
              "enterprise_signer": enterprise_signer, "inspector_signature": inspector_signature,
              "enterprise_signature": enterprise_signature}
    rendered = []
    if joint:
        remarks = [rules.elsewhere.format(count=len(found), department=_department(ctx, department),
                                          title=rules.directive.title) for department, found in directed.items()]
        rendered.append((documents.RECTIFICATION_NOTICE, render_notice(
            _notice(ctx, state, joint, signed, finished_at.date(), remarks))))
    for department, found in directed.items():
        rendered.append((documents.RECTIFICATION_DIRECTIVE, render_directive(
            _directive(ctx, state, department, found, signed, finished_by, finished_at.date()))))
    return [documents.Issued(kind=kind, inspection_id=state.inspection["id"], hazard_id=None, issued_at=finished_at,
                             issued_by=finished_by, pdf=pdf) for kind, pdf in rendered]


def _department(ctx: Context, department: str) -> str:
    return ctx.catalogue.department(department).title.zh


def _links(ctx: Context, inspection: dict) -> dict:
    return {"inspection_code_url": codes.code_url(ctx.base_url, codes.code_of(ctx, inspection)),
            "enterprise_portal_url": qr.portal_hazards_url(ctx.base_url)}


def _notice(ctx: Context, state, hazards: list[Hazard], signed: dict, issued_on: dt.date, remarks: list[str]):
    """The joint notice's model, of `hazards` of the visit `state` (inspecting.WalkState)."""
    from inspections.rendering.notice_pdf import NoticeData, NoticeHazard
    inspection, enterprise = state.inspection, state.enterprise
    items = {item.id: item for item in state.merged.items}
    listed = []
    for hazard in hazards:
        item = items.get(hazard.item_id)
        records = photo_store.many(ctx.db, list(state.answers.get(hazard.item_id, {}).get("photos", [])))
        listed.append(NoticeHazard(
            hazard_id=hazard.id, item_id=hazard.item_id or "", item_title=item.title.zh if item else "",
            description=hazard.description, level=hazard.level.value, deadline=hazard.deadline,
            basis=item.basis if item else "", major_if=item.major_if.zh if item and item.major_if else None,
            photos=[photos.path_of(ctx, r) for r in records]))
    names = []
    for username in inspection["team"]:
        record = user_store.get(ctx.db, username)
        names.append(record["display_name"] if record else username)
    return NoticeData(
        notice_number=f"整改〔{inspection['scheduled_on']:%Y}〕{inspection['id']}号",
        enterprise_name=enterprise.name, enterprise_code=enterprise.code, enterprise_address=enterprise.address,
        inspection_id=inspection["id"], inspected_on=inspection["scheduled_on"],
        departments=[_department(ctx, d) for d in inspection["departments"]], inspectors=names, hazards=listed,
        issued_on=issued_on, remarks=remarks, **_links(ctx, inspection), **signed)


def _directive(ctx: Context, state, department: str, hazards: list[Hazard], signed: dict, finished_by: str,
               issued_on: dt.date):
    """The 指令书 of `department` with its `hazards`: the officers of that department on the team (the
    whole team when none is), the drawn team signature by the officer who finished the visit."""
    from inspections.rendering.directive_pdf import DirectiveData, DirectiveOfficer, DirectiveProblem
    inspection, enterprise, rules = state.inspection, state.enterprise, forms()
    items = {item.id: item for item in state.merged.items}
    accounts = {username: user_store.get(ctx.db, username) or {} for username in inspection["team"]}
    own = [u for u, account in accounts.items() if account.get("department") == department] or list(accounts)
    return DirectiveData(
        texts=rules.directive, department=_department(ctx, department),
        number=rules.directive.number.format(abbreviation=rules.directive_departments[department],
                                             year=f"{inspection['scheduled_on']:%Y}", visit=inspection["id"]),
        enterprise_name=enterprise.name, enterprise_code=enterprise.code, enterprise_address=enterprise.address,
        inspection_id=inspection["id"], inspected_on=inspection["scheduled_on"],
        problems=[DirectiveProblem(hazard_id=h.id, item_title=items[h.item_id].title.zh if h.item_id in items else "",
                                   description=h.description, basis=items[h.item_id].basis if h.item_id in items else "",
                                   level=h.level.value, deadline=h.deadline) for h in hazards],
        officers=[DirectiveOfficer(name=accounts[u].get("display_name") or u,
                                   enforcement_id=documents.enforcement_id_of(accounts[u]),
                                   signature=signed["inspector_signature"] if u == finished_by else None) for u in own],
        enterprise_signer=signed["enterprise_signer"], enterprise_signature=signed["enterprise_signature"],
        issued_on=issued_on, **_links(ctx, inspection))


# ----------------------------------------------------------------- downloads

def issued(ctx: Context, user: User, inspection_id: str, department: str | None = None) -> list[dict]:
    """The visit's notices as issued (documents.of_inspection's rows), if the user may see the visit; with a
    `department`, only the form its hazards are on. [] for a visit without any: see notice_pdf."""
    listed = [d for d in documents.of_inspection(ctx, user, inspection_id) if d["kind"] in documents.NOTICE_KINDS]
    if department is None:
        return listed
    kind = documents.RECTIFICATION_DIRECTIVE if department in forms().directive_departments \
        else documents.RECTIFICATION_NOTICE
    return [d for d in listed if d["kind"] == kind]


def notice_pdf(ctx: Context, user: User, inspection_id: str) -> bytes:
    """The finished visit's joint notice: as issued when it was stored; rendered on demand from the current
    store for a visit that has no stored notice (finished before notices were stored, or without hazards);
    'not found' for one whose hazards all went into 指令书s."""
    from inspections.rendering.notice_pdf import render_notice
    stored = issued(ctx, user, inspection_id)
    if stored:
        joint = [d for d in stored if d["kind"] == documents.RECTIFICATION_NOTICE]
        if not joint:
            raise access.NotFound(inspection_id)
        return documents.pdf(ctx, user, joint[0]["id"])
    return render_notice(notice_data(ctx, user, inspection_id))


def notice_data(ctx: Context, user: User, inspection_id: str):
    """The notice's model from the current store (every hazard of the visit), for a visit with no stored notice. A
    re-check visit has none: it requires nothing new, and its decisions are the re-check opinions."""
    from inspections.services.inspector.inspecting import walk
    state = walk(ctx, user, inspection_id)
    inspection = state.inspection
    if inspection["status"] != VisitStatus.COMPLETED or inspection["kind"] == VisitKind.RECHECK:
        raise access.NotFound(inspection_id)
    return _notice(ctx, state, state.hazards, _signed(ctx, inspection_id),
                   (inspection["completed_at"] or ctx.clock.instant()).date(), [])


def _signed(ctx: Context, inspection_id: str) -> dict:
    """The notice's signature block: both signatures as drawn, who signed, and when."""
    signed = inspection_store.signatures(ctx.db, inspection_id)
    by_id = {r["id"]: photos.path_of(ctx, r) for r in photo_store.many(
        ctx.db, [p for p in (signed["inspector_signature"], signed["enterprise_signature"]) if p])}
    inspector = user_store.get(ctx.db, signed["completed_by"]) if signed["completed_by"] else None
    return {"signed_at": signed["completed_at"], "inspector_signer": inspector["display_name"] if inspector else "",
            "enterprise_signer": signed["enterprise_signer"] or "",
            "inspector_signature": by_id.get(signed["inspector_signature"]),
            "enterprise_signature": by_id.get(signed["enterprise_signature"])}
