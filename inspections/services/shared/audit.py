"""The audit trail of administrative acts: who created, reset, deactivated or reactivated whose account,
who downloaded a backup. Entries are written in the same transaction as the act they record (pass the
cursor), so an act never happens unrecorded; the office reads them newest first."""
from __future__ import annotations

from inspections.store import audit as audit_store
from inspections.services.shared.access import require_office
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context

CLI_ACTOR = "cli"   # the actor of acts done with `python -m inspections` on the server itself


def record(cursor, ctx: Context, actor: str, action: str, subject: str = "",
           detail: str = "") -> None:
    """Append one entry inside the caller's transaction, at the context's clock."""
    audit_store.append(cursor, ctx.clock.instant(), actor, action, subject, detail)


def trail(ctx: Context, user: User, limit: int = 200, action: str | None = None) -> list[dict]:
    """The newest entries first, for the office."""
    require_office(user)
    return audit_store.recent(ctx.db, limit, action)
