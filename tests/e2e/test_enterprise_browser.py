"""The enterprise portal in a real browser, on a phone (390x844) and a desktop (1280x800): sign in as a
demo enterprise, open the coming inspection and its item list, find a hazard's card (what it is, shown
without expanding), submit a rectification with a photo (confirmed in that card), and find the hazard
among the submitted ones."""
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.helpers import goto, screenshot, sign_in, wait_idle


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_enterprise_rectifies_a_hazard(app_server, request, device, tmp_path):
    page = request.getfixturevalue(device)
    photo = tmp_path / "after.jpg"
    Image.new("RGB", (1800, 1200), (40, 140, 60)).save(photo, format="JPEG")
    goto(page, app_server.url)
    sign_in(page, "ent04")
    expect(page.get_by_role("heading", name="本企业检查")).to_be_visible()
    page.get_by_text("查看全部检查事项").first.click()
    wait_idle(page)
    expect(page.get_by_text("共查事项").first).to_be_visible()
    screenshot(page, f"enterprise_{device}_checks")

    page.get_by_test_id("stMain").get_by_role("link", name="隐患整改").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="隐患整改")).to_be_visible()
    card = page.locator("[class*='st-key-hazard-']").filter(has_text=re.compile(r"· (待整改|整改中)")).first
    hazard_id = re.search(r"st-key-hazard-(\S+)", card.get_attribute("class")).group(1)
    expect(card.get_by_text(re.compile(r"^发现问题："))).to_be_visible()      # what it is, without expanding
    card.get_by_text("提交整改情况").click()
    wait_idle(page)
    form = card.locator("[data-testid='stForm']").first
    form.get_by_label("整改措施和完成情况（必填）").fill(f"已整改（{device}）")
    form.locator("input[type='file']").set_input_files(str(photo))
    wait_idle(page)
    form.get_by_role("button", name="提交，申请复查").click()
    wait_idle(page)
    expect(page.locator(f"[class*='st-key-hazard-{hazard_id}']").get_by_text("已提交，等待检查部门复查。")
           ).to_be_visible(timeout=20000)                                      # in the card, where the tap was

    page.locator("[class*='st-key-hazard_filter']").get_by_role("radio", name="已提交待复查").click()
    wait_idle(page)
    submitted = page.locator(f"[class*='st-key-hazard-{hazard_id}']").get_by_text(re.compile(r"· 已提交待复查$"))
    expect(submitted).to_be_visible(timeout=20000)
    screenshot(page, f"enterprise_{device}_submitted")
