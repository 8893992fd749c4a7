"""Issuing and verifying inspection codes (检查码). A code verifies only if its signature is ours and its
inspection exists, matches the code, and is not cancelled."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlparse

from inspections.domain.visits import VisitStatus
from inspections.domain.inspection_codes import CodeClaims, sign, verify
from inspections.domain.refusals import NotFound
from inspections.store import inspections as inspection_store
from inspections.services.shared.context import Context


class UnknownInspection(NotFound):
    """No inspection with the id the code is to be issued for."""


@dataclass(frozen=True)
class Verification:
    valid: bool
    reason: str  # 'genuine', 'malformed_or_tampered', 'unknown_inspection', 'cancelled'
    inspection: dict | None = None


def issue_code(ctx: Context, inspection_id: str) -> str:
    inspection = inspection_store.header(ctx.db, inspection_id)
    if inspection is None:
        raise UnknownInspection(inspection_id)
    return code_of(ctx, inspection)


def code_of(ctx: Context, inspection: dict) -> str:
    """The code of an inspection row the caller has already read (and checked access to)."""
    claims = CodeClaims(inspection["id"], inspection["enterprise_code"], inspection["scheduled_on"])
    return sign(claims, ctx.secret)


VERIFY_PATH = "verify"  # the verification page's address (ui.navigation), open signed in or out


def code_url(base_url: str, token: str) -> str:
    """The link a code's QR holds: the verification page with the code."""
    return f"{base_url.rstrip('/')}/{VERIFY_PATH}?code={quote(token)}"


def token_from(text: str) -> str:
    """The code in what someone pasted or scanned: the bare code, or a whole link that carries it
    (`…/verify?code=…`, or the `/?code=…` of notices printed before)."""
    text = text.strip()
    if "code=" in text:
        values = parse_qs(urlparse(text).query).get("code")
        if values:
            return values[0].strip()
    return text


def verify_code(ctx: Context, token: str) -> Verification:
    claims = verify(token, ctx.secret)
    if claims is None:
        return Verification(False, "malformed_or_tampered")
    inspection = inspection_store.get(ctx.db, claims.inspection_id)
    if (inspection is None or inspection["enterprise_code"] != claims.enterprise_code
            or inspection["scheduled_on"] != claims.scheduled_on):
        return Verification(False, "unknown_inspection")
    if inspection["status"] == VisitStatus.CANCELLED:
        return Verification(False, "cancelled", inspection)
    return Verification(True, "genuine", inspection)


def public_view(ctx: Context, token: str) -> dict | None:
    """What anyone who scans a genuine code may see: enterprise, date, departments, inspectors (names;
    `officers`: names, departments and enforcement ID numbers), why the visit happens (`kind` and
    `reason`), how the visit was checked in and whether presence was proven, and the full item list.
    None for a code that is not valid."""
    from inspections.store import enterprises as enterprise_store
    from inspections.store import users as user_store
    from inspections.services.shared import merged_lists
    from inspections.services.inspector import presence
    verification = verify_code(ctx, token)
    if not verification.valid:
        return None
    inspection = verification.inspection
    enterprise = enterprise_store.get(ctx.db, inspection["enterprise_code"])
    inspectors = [(user_store.get(ctx.db, name) or {}).get("display_name", name) for name in inspection["team"]]
    return {"inspection": inspection, "enterprise": enterprise, "inspectors": inspectors,
            "officers": officers(ctx, inspection), "kind": inspection["kind"], "reason": inspection["reason"],
            "merged": merged_lists.of(ctx, inspection), "presence": presence.record(ctx, inspection["id"])}


def why(inspection: dict, escape=lambda text: text) -> dict:
    """Why the visit happens, as a message of the catalogue (`key`) and its values: its kind and reason,
    its id, and for a planned kind the number of its plan (visits planned before plans were numbered have
    none, and say so). The verify page and the on-site record print it; `escape` the free texts."""
    from inspections.domain.planning import PLANNED_KINDS
    planned_without = inspection["kind"] in PLANNED_KINDS and not inspection.get("plan_number")
    return {"key": f"verify_why_{inspection['kind']}" + ("_unnumbered" if planned_without else ""),
            "reason": escape(inspection.get("reason") or ""), "inspection_id": inspection["id"],
            "plan": escape(inspection.get("plan_number") or "")}


def officers(ctx: Context, inspection: dict) -> list[dict]:
    """The visit's team as an enterprise checks it (亮证执法): each member's name, department, enforcement
    ID number and issuing body (empty for a helper) and standing on the visit's date (domain.enforcement:
    officer, expired, helper), in the team's order."""
    from inspections.domain.enforcement import standing
    from inspections.store import users as user_store
    found = user_store.enforcement_ids(ctx.db.cursor(), inspection["team"])
    rows = []
    for username in inspection["team"]:
        row = found.get(username, {})
        rows.append({"name": row.get("display_name", username), "department": row.get("department"),
                     "number": row.get("enforcement_number") or "", "issuer": row.get("enforcement_issuer") or "",
                     "standing": standing(row.get("enforcement_number"), row.get("enforcement_valid_until"),
                                          inspection["scheduled_on"]).value})
    return rows
