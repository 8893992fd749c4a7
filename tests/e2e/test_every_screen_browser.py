"""Every page of every role in a real browser at the three sizes people use (tablet 1024x768 with touch,
phone 390x844, desktop 1280x800): a full-page screenshot of each in tests/e2e/screenshots/screens/, no page
ending in an error, and on the tablet and the phone every tap target at least 44x44 CSS pixels, measured in
the page (tests/e2e/tap_targets.js) as a finger meets it: the walk of a visit in progress with a failed
item's finding open, the portal, the office's pages with their tabs and filters."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from inspections.ui.navigation import PAGES, ROLE_PAGES
from tests.e2e.helpers import SCREENSHOTS, answer_the_rest, goto, sign_in, wait_idle

TAP_TARGETS = (Path(__file__).resolve().parent / "tap_targets.js").read_text(encoding="utf-8")
TOUCH_DEVICES = ("tablet", "phone")
DEVICES = (*TOUCH_DEVICES, "desktop")
FAIL = re.compile(r"^不符合$")
ROLE_USERS = {"inspector": "emergency1", "enterprise": "ent04", "office": "office"}


def _path(name: str) -> str:
    return PAGES[name][1]


def _look(page, name: str, device: str) -> list[dict]:
    """Screenshot the page as it is now and return its tap targets below 44x44 (tablet and phone only)."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)      # Streamlit's dialog for an unknown path
    folder = SCREENSHOTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    _whole_page_screenshot(page, folder / f"{name}_{device}.png")
    if device not in TOUCH_DEVICES:
        return []
    return [{"page": name, **small} for small in page.evaluate(TAP_TARGETS)]


def _whole_page_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main block, so a full-page screenshot is one screen: make the window as
    tall as the content for the picture, then give the size back."""
    size = page.viewport_size
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll(\"[data-testid='stMain'], "
                           "[data-testid='stSidebarContent']\")].map(e => e.scrollHeight), window.innerHeight)")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    page.wait_for_timeout(200)


def _report(small: list[dict]) -> str:
    return "tap targets under 44x44 px:\n" + "\n".join(
        f"  {s['page']}: <{s['tag']}> in {s['testid'] or '?'} '{s['text']}' {s['width']}x{s['height']}" for s in small)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_every_page_of_the_role(app_server, request, role, device):
    page = request.getfixturevalue(device)
    goto(page, app_server.url)
    small = _look(page, "signed_out_sign_in", device)
    sign_in(page, ROLE_USERS[role])
    names = [name for name in ROLE_PAGES[role] if name != "inspection"]   # the walk has a test of its own
    for name in names:
        goto(page, f"{app_server.url}/{_path(name)}")
        small += _look(page, f"{role}_{name}", device)
    assert not small, _report(small)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("device", DEVICES)
def test_the_walk_of_a_visit_in_progress(app_server, request, device):
    """Checked in by scanning the enterprise's code (the tablet's run), then the same visit on each size,
    with one failed item so that its finding (note, level, deadline, photos) is on screen."""
    page, visit = request.getfixturevalue(device), app_server.field_visits[3]
    goto(page, f"{app_server.url}/?enterprise={visit['code']}")
    sign_in(page, "traffic_police2")
    goto(page, f"{app_server.url}/{_path('inspection')}?inspection={visit['id']}")
    expect(page.get_by_role("heading", name=re.compile(re.escape(visit["name"])))).to_be_visible(timeout=20000)
    card = page.locator("[class*='st-key-card-']").first
    failed = card.get_by_role("radio", name=FAIL)
    if failed.get_attribute("aria-checked") != "true":
        failed.click()
        wait_idle(page)
    expect(card.get_by_text(re.compile("^已保存"))).to_be_visible(timeout=15000)
    small = _look(page, "inspector_inspection", device)
    if device == "tablet":      # the finish panel with both signature pads, once every item is answered
        answer_the_rest(page, visit["items"])
        expect(page.get_by_role("button", name="确认完成并下达整改通知")).to_be_visible(timeout=15000)
        expect(page.get_by_text("检查人员签名")).to_be_visible()
        small += _look(page, "inspector_finish", device)
    goto(page, f"{app_server.url}/{_path('my_inspections')}")
    small += _look(page, "inspector_my_inspections_with_a_visit_in_progress", device)
    assert not small, _report(small)


@pytest.mark.parametrize("device", DEVICES)
def test_the_public_verification_page(app_server, request, device):
    page = request.getfixturevalue(device)
    goto(page, f"{app_server.url}/{_path('verify')}")
    small = _look(page, "signed_out_verify", device)
    assert not small, _report(small)
