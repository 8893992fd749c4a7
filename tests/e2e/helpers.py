"""Helpers for the real-browser tests: waiting for Streamlit to finish a run, signing in, screenshots."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
RUNNING = "[data-testid='stApp'][data-test-script-state='running']"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
DEMO_PASSWORD = "Demo@2026"  # every demo account's password (README, "Demo accounts")
PASS = re.compile(r"(^|[^不])符合$")   # the card's 符合 button, not 不符合


def wait_idle(page: Page, timeout: float = 30000) -> None:
    """Wait until Streamlit has finished the current script run.

    Right after a click the attribute may still say `notRunning` from the previous run, so first give a
    rerun a moment to start (it may not, if the click triggers none), then wait for `notRunning`, then
    let the frontend paint what the run sent."""
    try:
        page.wait_for_selector(RUNNING, state="attached", timeout=500)
    except PlaywrightTimeout:
        pass
    page.wait_for_selector(IDLE, state="attached", timeout=timeout)
    page.wait_for_timeout(300)


def goto(page: Page, url: str, timeout: float = 30000) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_idle(page, timeout)


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD, timeout: float = 30000) -> None:
    """Sign in through the sign-in page (either language) and wait until the app shows the signed-in
    navigation. Demo accounts are listed in the README."""
    password_box = page.locator("input[autocomplete='current-password']")
    page.locator("input[autocomplete='username']").fill(username)
    password_box.fill(password)
    page.get_by_test_id("stForm").get_by_role("button", name=re.compile(r"^(登录|Sign in)$")).click()
    expect(password_box).to_have_count(0, timeout=timeout)
    wait_idle(page, timeout)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG under tests/e2e/screenshots/ (ignored by git) and return its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def item_cards(page: Page):
    """The walk's item cards (one fragment each, keyed card-<item id>)."""
    return page.locator("[class*='st-key-card-']")


def answer_the_rest(page: Page, total: int, timeout: float = 30000) -> None:
    """Answer every open item of the walk 符合, the first open card each time, until the progress says
    `total`: the page moves on to the next open section by itself."""
    progress = re.compile(r"进度：已答 (\d+) / (\d+) 项")
    answered = int(progress.search(page.get_by_text(progress).first.inner_text()).group(1))
    for n in range(answered + 1, total + 1):
        open_card = item_cards(page).filter(has_not=page.get_by_text(re.compile("^已保存"))).first
        open_card.get_by_role("radio", name=PASS).click()
        wait_idle(page)
        expect(page.get_by_text(f"进度：已答 {n} / {total} 项")).to_be_visible(timeout=timeout)
