"""The safety office's registry and accounts: search and filter enterprises, add and edit them with
credit-code validation, import through the same atomic importer as the CLI, printable QR sheets;
create inspectors, enterprise users and office users, reset passwords, deactivate, each act in the audit
trail. Office users only."""
from __future__ import annotations

from inspections.domain import credit_code
from inspections.domain.enterprises import Enterprise, field_problems
from inspections.store import enterprises as enterprise_store
from inspections.store import users as user_store
from inspections.services.shared import access, audit, sessions
from inspections.services.office import accounts
from inspections.services.data import imports
from inspections.rendering import qr
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.domain.refusals import BadInput


MAX_UPLOAD_MB = imports.MAX_UPLOAD_MB   # the registry file's limit, for the page's uploader


class RegistryError(BadInput):
    """A refused action (reason key and values for the message)."""


_office = access.require_office


def search(ctx: Context, user: User, text: str = "", sector: str | None = None, scenario: str | None = None,
           tier: str | None = None) -> list[Enterprise]:
    _office(user)
    return enterprise_store.search(ctx.db, text, sector, scenario, tier)


def save(ctx: Context, user: User, code: str, name: str, sectors: list[str], scenario: str | None, address: str,
         contact: str, phone: str, tier: str, *, new: bool) -> Enterprise:
    """Add (new=True) or edit an enterprise; every field checked, one clear reason when refused."""
    _office(user)
    code = credit_code.normalise(code)
    problems, known, _ = field_problems(code, name, ";".join(sectors), scenario or "", tier, phone, ctx.catalogue)
    if problems and problems[0].field == "code":
        raise RegistryError(problems[0].reason, **problems[0].values)
    exists = enterprise_store.get(ctx.db, code) is not None
    if new and exists:
        raise RegistryError("code_taken", code=code)
    if not new and not exists:
        raise access.NotFound(code)
    if problems:
        raise RegistryError(problems[0].reason, **problems[0].values)
    enterprise = Enterprise(code=code, name=name.strip(), sectors=known, scenario=scenario or None,
                            address=address.strip(), contact=contact.strip(), phone=phone.strip(), tier=tier)
    at = ctx.clock.instant()
    ctx.db.write(lambda cursor: enterprise_store.upsert(cursor, [enterprise], at))
    return enterprise


def import_file(ctx: Context, user: User, path) -> imports.ImportReport:
    _office(user)
    return imports.import_enterprises(ctx, path)


def qr_sheet(ctx: Context, user: User, codes: list[str], per_page: int = 12, progress=None) -> bytes:
    from inspections.rendering.qr_sheets_pdf import EnterpriseQr, render_qr_sheet
    _office(user)
    chosen = set(codes)
    entries = [EnterpriseQr(name=e.name, code=e.code, url=qr.enterprise_url(ctx.base_url, e.code))
               for e in enterprise_store.list_all(ctx.db) if e.code in chosen]
    return render_qr_sheet(entries, per_page=per_page, progress=progress)


def users(ctx: Context, user: User) -> list[dict]:
    _office(user)
    return [{k: v for k, v in row.items() if k != "password_hash"} for row in user_store.list_all(ctx.db)]


def create_account(ctx: Context, user: User, username: str, password: str, role: str, display_name: str = "",
                   department: str | None = None, enterprise_code: str | None = None) -> None:
    _office(user)
    if enterprise_code and enterprise_store.get(ctx.db, enterprise_code) is None:
        raise accounts.AccountError("account_unknown_enterprise", code=enterprise_code)
    accounts.create_user(ctx, username, password, role, display_name=display_name, department=department,
                         enterprise_code=enterprise_code, actor=user.username)


def reset_password(ctx: Context, user: User, username: str, password: str) -> None:
    _office(user)
    accounts.reset_password(ctx, username, password, actor=user.username)


def set_active(ctx: Context, user: User, username: str, active: bool) -> None:
    """Deactivate (its open sessions end) or reactivate an account; both are in the audit trail."""
    _office(user)
    if username == user.username and not active:
        raise accounts.AccountError("own_account")

    def work(cursor) -> int:
        changed = user_store.set_active(cursor, username, active)
        if changed:
            if not active:
                sessions.end_for_user(cursor, ctx, username)  # a deactivated account's open pages sign out
            audit.record(cursor, ctx, user.username, "account_reactivated" if active else "account_deactivated",
                         username)
        return changed
    if ctx.db.write(work) != 1:
        raise access.NotFound(username)


def record_enforcement_id(ctx: Context, user: User, username: str, number: str, issuer: str, valid_until) -> None:
    """Record or renew an inspector's enforcement ID (services.office.accounts.record_enforcement_id)."""
    _office(user)
    accounts.record_enforcement_id(ctx, username, number, issuer, valid_until, actor=user.username)


def import_roster(ctx: Context, user: User, path) -> imports.ImportReport:
    """The inspectors' enforcement IDs from a roster file, all or none (services.data.imports.import_roster)."""
    _office(user)
    return imports.import_roster(ctx, path, actor=user.username)


def audit_trail(ctx: Context, user: User, limit: int = 200) -> list[dict]:
    """Who created, reset, deactivated or reactivated whose account, and who downloaded backups."""
    return audit.trail(ctx, user, limit)
