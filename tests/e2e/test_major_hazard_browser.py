"""A major hazard from the finding to the second signature, in real browsers, each person on their own
device: the officer fails an item as a major hazard on the tablet and finishes the visit; the enterprise's
safety manager, on a phone, submits the 五落实 plan and reports the rectification; the other officer of the
team accepts it on site (验收) on a tablet, which does not close it; the safety office approves the
closure at a desk, and the enterprise's phone shows it closed, with every step in its trail."""
import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import FIELD_ENTERPRISE_USER
from tests.e2e.helpers import answer_the_rest, goto, item_cards, screenshot, sign_in, wait_idle
from tests.e2e.test_inspector_browser import _draw

pytestmark = pytest.mark.timeout(420)    # five people on five devices: about two minutes on a quiet machine

FINDING = "驾驶员连续驾驶超过4小时未休息，动态监控报警未处置（浏览器测试）"


TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESK = {"viewport": {"width": 1280, "height": 800}}


@contextmanager
def _device(browser, device: dict, url: str, path: str, *account):
    """A person's own browser, signed in as `account` and showing `path`; closed afterwards."""
    context = browser.new_context(locale="zh-CN", **device)
    try:
        page = context.new_page()
        goto(page, f"{url}{path}")
        sign_in(page, *account)
        if not path.startswith("/?") and not page.url.startswith(f"{url}{path}"):   # a link leads on by itself
            goto(page, f"{url}{path}")
        yield page
    finally:
        context.close()


def _hazard_card(page, hazard_id: str):
    return page.locator(f"[class~='st-key-hazard-{hazard_id}']")


def test_a_major_hazard_from_the_finding_to_the_second_signature(app_server, browser):
    visit = app_server.field_visits[2]

    # 1. the officer on the tablet: one item fails as a major hazard, the rest pass, both sign, finish
    with _device(browser, TABLET, app_server.url, f"/?enterprise={visit['code']}", "traffic_police2") as page:
        expect(page.get_by_role("heading", name=re.compile(visit["name"]))).to_be_visible(timeout=20000)
        card = item_cards(page).first
        card.get_by_role("radio", name=re.compile("不符合$")).click()
        wait_idle(page)
        card.get_by_label("发现的问题（必填）").fill(FINDING)
        card.get_by_label("发现的问题（必填）").blur()
        wait_idle(page)
        card.get_by_role("radiogroup", name="隐患等级").get_by_text("重大隐患", exact=True).click()
        wait_idle(page)
        expect(card.get_by_text(re.compile("^已保存"))).to_be_visible(timeout=15000)
        answer_the_rest(page, visit["items"])
        canvases = page.locator("canvas.upper-canvas")
        expect(canvases).to_have_count(2, timeout=20000)
        _draw(page, canvases.nth(0))
        _draw(page, canvases.nth(1), rising=False)
        page.get_by_role("button", name="确认完成并下达整改通知").click()
        wait_idle(page)
        expect(page.get_by_text("检查已完成，形成隐患 1 条。")).to_be_visible(timeout=20000)
        line = page.get_by_test_id("stExpander").locator("summary").filter(has_text="重大隐患").first
        expect(line).to_be_visible(timeout=60000)     # the finished visit's hazards, under the summary
        hazard_id = re.search(r"YH-\S+-\d{3}", line.inner_text()).group(0)
        screenshot(page, "major_1_found")

    # 2. the enterprise on its phone: the 五落实 plan, then the rectification report
    with _device(browser, PHONE, app_server.url, "/our-hazards", *FIELD_ENTERPRISE_USER) as mobile:
        card = _hazard_card(mobile, hazard_id)
        expect(card.get_by_text(re.compile("请于 .* 前提交整改方案（五落实）"))).to_be_visible(timeout=20000)
        plan = card.locator("[data-testid='stForm']").filter(has=mobile.get_by_label("整改责任人"))
        plan.get_by_label("整改责任人").fill("车队长 李明")
        plan.get_by_label("整改措施").fill("安装疲劳驾驶预警，调整排班，处置全部报警")
        plan.get_by_label("整改资金").fill("5万元")
        plan.get_by_label("整改期间的临时安全及应急措施").fill("超时线路停运，调度员实时盯控")
        plan.get_by_role("button", name="提交整改方案").click()
        wait_idle(mobile)
        card = _hazard_card(mobile, hazard_id)
        expect(card.get_by_text(re.compile("整改方案已于 .* 提交"))).to_be_visible(timeout=20000)
        card.get_by_text("提交整改情况").click()
        wait_idle(mobile)
        report = card.locator("[data-testid='stForm']").filter(has=mobile.get_by_label("整改措施和完成情况（必填）"))
        report.get_by_label("整改措施和完成情况（必填）").fill("预警设备已安装，报警全部处置，排班已调整")
        report.get_by_role("button", name="提交，申请复查").click()
        wait_idle(mobile)
        expect(_hazard_card(mobile, hazard_id).get_by_text("已提交，等待检查部门复查。")).to_be_visible(timeout=20000)
        screenshot(mobile, "major_2_reported")

    # 3. the team's other officer accepts it on site: accepted, not closed
    with _device(browser, TABLET, app_server.url, "/rechecks", "traffic_police1") as page:
        review = page.get_by_test_id("stExpander").filter(has_text=hazard_id).first
        if not review.get_by_role("button", name="现场验收合格，报审批销号").is_visible():
            review.locator("summary").click()
            wait_idle(page)
        expect(review.get_by_text(re.compile("须于 .* 前完成现场验收"))).to_be_visible()
        expect(review.get_by_text(FINDING)).to_be_visible()
        review.get_by_role("button", name="现场验收合格，报审批销号").click()
        wait_idle(page)
        page.get_by_role("button", name="确认验收合格").click()
        wait_idle(page)
        expect(page.get_by_text(f"重大隐患 {hazard_id} 已验收合格，待安委办审批销号。")).to_be_visible(timeout=20000)
        screenshot(page, "major_3_accepted")

    # 4. the office's approval is the second signature that closes it
    with _device(browser, DESK, app_server.url, "/dashboard", "office") as desk:
        majors = desk.get_by_role("tab", name="重大隐患")
        expect(majors).to_be_visible(timeout=90000)     # the dashboard's figures take a while on a busy machine
        majors.click()
        wait_idle(desk)
        form = desk.get_by_test_id("stForm").filter(has=desk.get_by_role("button", name="同意销号"))
        form.scroll_into_view_if_needed()
        screenshot(desk, "major_4_approval_form")
        form.get_by_test_id("stSelectbox").click()
        desk.get_by_role("option", name=re.compile(re.escape(hazard_id))).click()
        form.get_by_role("button", name="同意销号").click()
        wait_idle(desk)
        expect(desk.get_by_text(f"已审批销号：{hazard_id}")).to_be_visible(timeout=20000)
        screenshot(desk, "major_4_approved")

    # 5. the enterprise sees it closed, and its trail holds every step, each by its person
    with _device(browser, PHONE, app_server.url, "/our-hazards", *FIELD_ENTERPRISE_USER) as mobile:
        card = _hazard_card(mobile, hazard_id)
        expect(card).to_contain_text("已销号", timeout=20000)
        card.locator("summary").filter(has_text="处理记录").click()
        wait_idle(mobile)
        screenshot(mobile, "major_5_closed")
        expect(card.locator("[role='gridcell']").first).to_be_attached(timeout=20000)
        grid_rows = card.locator("[role='row']")        # the grid's accessible rows: time, action, by (and what fits)
        rows = [cells for cells in ([c.text_content() for c in grid_rows.nth(i).locator("[role='gridcell']").all()]
                                    for i in range(grid_rows.count())) if cells]
        actions, actors = [row[1] for row in rows], [row[2] for row in rows]
        assert actions == ["发现登记", "提交整改方案（五落实）", "提交整改", "现场验收合格", "复查合格销号"], rows
        assert actors[1] == actors[2] and FIELD_ENTERPRISE_USER[0] not in actors[1] and "车队安全员" in actors[1]
        assert len({actors[0], actors[3], actors[4]}) == 3 and "安委办" in actors[4]   # two officers, then the office
