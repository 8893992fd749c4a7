"""The enterprise's printable documents: the item sheet of a coming visit (一表通查), the rectification
notice (整改通知书) and/or 责令限期整改指令书 of a finished one (as issued at its finish), and the QR poster
to post at the entrance. Assembled here from what the enterprise may see, rendered by sheets_pdf,
notice_pdf and directive_pdf (through services.inspector.notices) and qr_sheets_pdf."""
from __future__ import annotations

from inspections.domain.merge import SHARED_SECTION
from inspections.services.shared import access, codes
from inspections.services.enterprise import portal
from inspections.rendering import qr
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context


def item_sheet_pdf(ctx: Context, user: User, inspection_id: str) -> bytes:
    from inspections.rendering.sheets_pdf import ItemSheet, SheetItem, SheetSection, render_item_sheet
    visit = portal.check(ctx, user, inspection_id)
    catalogue = ctx.catalogue
    names = {d.id: d.title.zh for d in catalogue.departments}
    sheet = ItemSheet(
        enterprise_name=visit["enterprise"].name, enterprise_code=visit["enterprise"].code, inspection_id=visit["id"],
        scheduled_on=visit["scheduled_on"], departments=[names[d] for d in visit["departments"]],
        inspectors=visit["inspectors"],
        sections=[SheetSection(title="共查事项" if key == SHARED_SECTION else catalogue.sector(key).title.zh,
                               items=[SheetItem(id=i.id, title=i.title.zh, basis=i.basis,
                                                departments=[names[d] for d in i.departments]) for i in items])
                  for key, items in visit["merged"].sections()],
        verify_url=codes.code_url(ctx.base_url, codes.issue_code(ctx, visit["id"])))
    return render_item_sheet(sheet)


def _own_visit(ctx: Context, user: User, inspection_id: str) -> None:
    code = portal._enterprise(user)
    inspection = access.inspection(ctx, user, inspection_id)
    if inspection["enterprise_code"] != code:        # access says so already; the notice names the enterprise
        raise access.NotFound(inspection_id)


def notices(ctx: Context, user: User, inspection_id: str, department: str | None = None) -> list[dict]:
    """The notice and/or 指令书 as issued of one of my enterprise's visits (with a `department`: the one
    holding its hazards); [] when none was stored (see notice_pdf)."""
    from inspections.services.inspector import notices as visit_notices
    _own_visit(ctx, user, inspection_id)
    return visit_notices.issued(ctx, user, inspection_id, department)


def notice_pdf(ctx: Context, user: User, inspection_id: str) -> bytes:
    """The rectification notice of one of my enterprise's finished visits (as issued; rendered on demand
    when none was stored); any other visit (another enterprise's, one not finished) is 'not found'."""
    from inspections.services.inspector import notices as visit_notices
    _own_visit(ctx, user, inspection_id)
    return visit_notices.notice_pdf(ctx, user, inspection_id)


def our_qr(ctx: Context, user: User) -> dict:
    """My enterprise's name, code and check-in link (what its posted QR encodes)."""
    from inspections.store import enterprises as enterprise_store
    code = portal._enterprise(user)
    enterprise = enterprise_store.get(ctx.db, code)
    return {"name": enterprise.name, "code": code, "url": qr.enterprise_url(ctx.base_url, code)}


def poster_pdf(ctx: Context, user: User) -> bytes:
    from inspections.rendering.qr_sheets_pdf import EnterpriseQr, render_enterprise_poster
    return render_enterprise_poster(EnterpriseQr(**our_qr(ctx, user)))
