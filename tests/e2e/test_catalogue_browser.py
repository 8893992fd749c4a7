"""The catalogue page in a real browser at the tablet size, signed in as the safety office: Chinese
first, the merged preview for a scenario, and the English toggle."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import REPO, goto, screenshot, sign_in, wait_idle

pytestmark = pytest.mark.timeout(180)


def merged_count(scenario: str) -> int:
    result = subprocess.run([sys.executable, "-m", "inspections", "checklist", "merge", "--scenario", scenario,
                             "--json"], cwd=REPO, capture_output=True, text=True, check=True, timeout=60)
    return len(json.loads(result.stdout)["items"])


def test_merged_preview_and_english_on_a_tablet(app_server, tablet):
    expected = merged_count("pharmacy")
    page = tablet
    goto(page, app_server.url)
    sign_in(page, "office")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="检查事项目录").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="检查事项目录")).to_be_visible()

    page.get_by_role("tab", name="合并清单预览").click()
    wait_idle(page)
    page.get_by_role("combobox", name=re.compile("场景")).click()
    page.get_by_role("option", name="药店", exact=True).click()
    wait_idle(page)
    summary = page.get_by_test_id("stAlertContentInfo")
    expect(summary).to_contain_text(f"合并后共 {expected} 项")
    expect(summary).to_contain_text("食品药品")
    screenshot(page, "catalogue_tablet_pharmacy_zh")

    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Checklist catalogue")).to_be_visible()
    screenshot(page, "catalogue_tablet_en")
