"""The safety office in a real browser (1280x800): plan a joint inspection beyond an enterprise's yearly
cap, give the override reason, and find it in the dashboard's inspection counts; a dashboard screenshot."""
import re

from playwright.sync_api import expect

from tests.e2e.helpers import goto, screenshot, sign_in, wait_idle
from tests.conftest import SUITE_TODAY


def test_over_cap_plan_shows_on_the_dashboard(app_server, desktop):
    page, capped = desktop, app_server.at_cap
    assert capped, "the demo has no enterprise at its cap this year"
    goto(page, app_server.url)
    sign_in(page, "office")
    expect(page.get_by_role("heading", name="隐患整改闭环统计")).to_be_visible()
    screenshot(page, "office_dashboard")

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="检查计划").click()
    wait_idle(page)
    picker = page.locator("[class*='st-key-plan_enterprise']")
    picker.click()
    page.keyboard.type(capped["enterprise_code"])  # the list is long and virtualised: typing filters it
    page.get_by_role("option", name=re.compile(re.escape(capped["enterprise_code"]))).click()
    wait_idle(page)
    expect(page.get_by_text("已达年度频次上限")).to_be_visible()
    page.get_by_role("button", name="创建检查").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^已达 . 级企业年度上限.*须填写超频理由"))).to_be_visible()
    page.get_by_label("超频理由").fill("举报线索涉及重大隐患（浏览器测试）")
    page.get_by_label("超频理由").blur()
    wait_idle(page)
    page.get_by_role("button", name="创建检查").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile("^已创建检查 JC"))).to_be_visible(timeout=20000)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="闭环统计").click()
    wait_idle(page)
    page.get_by_role("tab", name="检查与评价").click()
    wait_idle(page)
    expect(page.get_by_text(f"{SUITE_TODAY.year} 年各企业检查频次")).to_be_visible()
    line = page.get_by_text(re.compile(f"{re.escape(capped['enterprise_name'])}.*举报线索涉及重大隐患（浏览器测试）"))
    expect(line).to_be_visible()
    line.scroll_into_view_if_needed()
    screenshot(page, "office_dashboard_counts")
