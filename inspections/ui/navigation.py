"""The pages a visitor may reach, built from the signed-in role on every run (Streamlit's dynamic
navigation; docs/architecture.md, "Where a new thing goes"): a page not in the list cannot be reached,
whatever the URL says."""
from __future__ import annotations

import streamlit as st

from inspections.services.shared.auth import User
from inspections.ui.i18n import t
from inspections.ui.routes import PAGES_KEY
from inspections.ui.pages import (accounts, catalogue, check_in, dashboard, exports, extensions, inspection, my_hazards,
                    my_inspections, our_qr, planning, portal_checks, rechecks, registry, self_check, sign_in,
                    verify_code)

# page name -> (render function, url path, title message, icon)
PAGES = {
    "sign_in": (sign_in.render, "sign-in", "nav_sign_in", ":material/login:"),
    "verify": (verify_code.render, "verify", "nav_verify", ":material/verified:"),
    "catalogue": (catalogue.render, "catalogue", "nav_catalogue", ":material/checklist:"),
    "my_inspections": (my_inspections.render, "my-inspections", "nav_my_inspections", ":material/event:"),
    "check_in": (check_in.render, "check-in", "nav_check_in", ":material/qr_code_scanner:"),
    "inspection": (inspection.render, "inspection", "nav_inspection", ":material/fact_check:"),
    "rechecks": (rechecks.render, "rechecks", "nav_rechecks", ":material/published_with_changes:"),
    "portal_checks": (portal_checks.render, "our-inspections", "nav_portal_checks", ":material/event_available:"),
    "self_check": (self_check.render, "self-check", "nav_self_check", ":material/rule:"),
    "my_hazards": (my_hazards.render, "our-hazards", "nav_my_hazards", ":material/construction:"),
    "our_qr": (our_qr.render, "our-qr", "nav_our_qr", ":material/qr_code_2:"),
    "dashboard": (dashboard.render, "dashboard", "nav_dashboard", ":material/monitoring:"),
    "extensions": (extensions.render, "extensions", "nav_extensions", ":material/more_time:"),
    "registry": (registry.render, "registry", "nav_registry", ":material/domain:"),
    "accounts": (accounts.render, "accounts", "nav_accounts", ":material/manage_accounts:"),
    "exports": (exports.render, "exports", "nav_exports", ":material/download:"),
    "planning": (planning.render, "planning", "nav_planning", ":material/edit_calendar:"),
}

ROLE_PAGES = {
    None: ["sign_in", "verify"],
    "inspector": ["my_inspections", "check_in", "inspection", "rechecks", "verify", "catalogue"],
    "enterprise": ["portal_checks", "self_check", "my_hazards", "verify", "our_qr", "catalogue"],
    "office": ["dashboard", "planning", "extensions", "registry", "accounts", "exports", "catalogue", "verify"],
    # the request loop's roles: their report and request pages come with the tickets' pages (issue 14);
    # until then they may sign in and verify a code, never reach another role's page
    "grid": ["verify", "catalogue"],
    "specialist": ["verify", "catalogue"],
}


START = "start"


def first_page(user: User | None) -> str:
    """Where "/" leads: the role's first page (the sign-in page for a visitor)."""
    return ROLE_PAGES[user.role if user else None][0]


def _start() -> None:
    """Never shown: the entry script moves on from the start page before running it."""


def pages_for(user: User | None) -> dict[str, st.Page]:
    """The role's pages. A signed-out visitor who opens any other address (a bookmarked inspection, a
    tablet reloading mid-visit) gets the sign-in form there, as a hidden page; after sign-in the same
    address, query parameters included, opens the page it names."""
    names = ROLE_PAGES[user.role if user else None]
    built = {}
    for name in names:
        render, url_path, title_key, icon = PAGES[name]
        built[name] = st.Page(render, title=t(title_key), icon=icon, url_path=url_path)
    # Streamlit serves its default page at "/" only, not at the page's own path (a bookmarked /dashboard
    # would say "Page not found"), so the default is a hidden start page that the entry script sends on to
    # the role's first page: every page has its own address, "/" included.
    built[START] = st.Page(_start, title=t(PAGES[names[0]][2]), url_path=START, default=True, visibility="hidden")
    if user is None:
        for name, (_, url_path, title_key, icon) in PAGES.items():
            if name not in built:
                built[name] = st.Page(sign_in.render, title=t("nav_sign_in"), icon=icon, url_path=url_path,
                                      visibility="hidden")
    st.session_state[PAGES_KEY] = built
    return built

