"""The rectification notice (整改通知书) of a finished inspection, assembled from the store and rendered
as PDF by notice_pdf. Anyone who may see the inspection may download its notice."""
from __future__ import annotations


from inspections.domain.visits import VisitStatus
from inspections.store import inspections as inspection_store
from inspections.store import photos as photo_store
from inspections.store import users as user_store
from inspections.services.shared import access, codes, photos
from inspections.rendering import qr
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context


def notice_data(ctx: Context, user: User, inspection_id: str):
    """The notice's model, from the visit loaded once (its header, merged list, answers and hazards)."""
    from inspections.rendering.notice_pdf import NoticeData, NoticeHazard
    from inspections.services.inspector.inspecting import walk
    state = walk(ctx, user, inspection_id)
    inspection = state.inspection
    if inspection["status"] != VisitStatus.COMPLETED:
        raise access.NotFound(inspection_id)
    items = {item.id: item for item in state.merged.items}
    answers = state.answers
    catalogue = ctx.catalogue
    hazards = []
    for hazard in state.hazards:
        item = items.get(hazard.item_id)
        records = photo_store.many(ctx.db, list(answers.get(hazard.item_id, {}).get("photos", [])))
        hazards.append(NoticeHazard(
            hazard_id=hazard.id, item_id=hazard.item_id or "", item_title=item.title.zh if item else "",
            description=hazard.description, level=hazard.level.value, deadline=hazard.deadline,
            basis=item.basis if item else "", major_if=item.major_if.zh if item and item.major_if else None,
            photos=[photos.path_of(ctx, r) for r in records]))
    names = []
    for username in inspection["team"]:
        record = user_store.get(ctx.db, username)
        names.append(record["display_name"] if record else username)
    token = codes.issue_code(ctx, inspection_id)
    return NoticeData(
        notice_number=f"整改〔{inspection['scheduled_on']:%Y}〕{inspection_id}号",
        enterprise_name=state.enterprise.name, enterprise_code=state.enterprise.code,
        enterprise_address=state.enterprise.address, inspection_id=inspection_id,
        inspected_on=inspection["scheduled_on"],
        departments=[catalogue.department(d).title.zh for d in inspection["departments"]],
        inspectors=names, hazards=hazards, inspection_code_url=codes.code_url(ctx.base_url, token),
        enterprise_portal_url=qr.portal_hazards_url(ctx.base_url),
        issued_on=(inspection["completed_at"] or ctx.clock.instant()).date(), **_signed(ctx, inspection_id))


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


def notice_pdf(ctx: Context, user: User, inspection_id: str) -> bytes:
    from inspections.rendering.notice_pdf import render_notice
    return render_notice(notice_data(ctx, user, inspection_id))
