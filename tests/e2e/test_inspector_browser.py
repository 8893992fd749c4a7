"""The inspector's whole flow in a real browser at a tablet viewport (1024x768, touch): sign in from a
scanned `/?enterprise=CODE` link, check in, answer every item of the small demo visit with one failure
and a photo, reload halfway and find nothing lost and still be signed in, sign on the canvases, finish, and download the
notice, which must carry the hazard's text."""
import io
import re

from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.helpers import goto, screenshot, sign_in, wait_idle

FINDING = "安全例会记录缺失（浏览器测试）"
PASS = re.compile(r"(^|[^不])符合$")
FAIL = re.compile(r"不符合$")


def _small_visit(app_server) -> dict:
    return next(v for v in app_server.today_visits if v["departments"] == ["traffic_police"])


def _cards(page):
    return page.locator("[class*='st-key-card-']")


def _answer_visible(page, fail_first: bool, photo_path) -> int:
    """Answer every unanswered card on screen; returns how many were answered. Cards are found by their
    item (the page moves on to the next open section by itself once the last card of one is answered)."""
    answered = 0
    keys = [next(c for c in _cards(page).nth(i).get_attribute("class").split() if c.startswith("st-key-card-"))
            for i in range(_cards(page).count())]
    for key in keys:
        card = page.locator(f"[class~='{key}']")
        if not card.count() or card.get_by_text(re.compile("^已保存")).count():
            continue
        if fail_first and answered == 0:
            card.get_by_role("radio", name=FAIL).click()
            wait_idle(page)
            card.get_by_label("发现的问题（必填）").fill(FINDING)
            card.get_by_label("发现的问题（必填）").blur()
            wait_idle(page)
            card.locator("input[type='file']").set_input_files(str(photo_path))
            wait_idle(page)
            expect(card.locator("img")).to_have_count(1, timeout=15000)
        else:
            card.get_by_role("radio", name=PASS).click()
            wait_idle(page)
        if card.count():                         # still shown: the section is not done yet
            expect(card.get_by_text(re.compile("^已保存"))).to_be_visible(timeout=15000)
        answered += 1
    return answered


def _sections(page):
    group = page.locator("[class*='st-key-section-']")
    return group.get_by_role("radio")


def _draw(page, canvas) -> None:
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 10):
        page.mouse.move(box["x"] + 20 + step * 18, box["y"] + 40 + (step % 3) * 30, steps=3)
    page.mouse.up()
    wait_idle(page)


def test_inspector_flow_survives_a_reload(app_server, tablet, tmp_path):
    page, visit = tablet, _small_visit(app_server)
    photo = tmp_path / "finding.jpg"
    Image.new("RGB", (2000, 1500), (180, 60, 40)).save(photo, format="JPEG")

    goto(page, f"{app_server.url}/?enterprise={visit['code']}")
    expect(page.get_by_text("已扫描企业码")).to_be_visible()
    sign_in(page, "traffic_police1")
    expect(page.get_by_role("heading", name=re.compile(visit["name"]))).to_be_visible(timeout=20000)
    screenshot(page, "inspector_walk_start")

    sections = _sections(page)
    first_section = sections.nth(0)
    done = _answer_visible(page, fail_first=True, photo_path=photo)
    assert done >= 1

    # reload halfway: a new Streamlit session, still signed in (the cookie) and on the same visit
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("heading", name=re.compile(visit["name"]))).to_be_visible(timeout=20000)
    first_section.click()
    wait_idle(page)
    expect(page.get_by_label("发现的问题（必填）").first).to_have_value(FINDING)
    expect(_cards(page).get_by_text(re.compile("^已保存"))).to_have_count(done)

    for index in range(_sections(page).count()):
        _sections(page).nth(index).click()
        wait_idle(page)
        _answer_visible(page, fail_first=False, photo_path=photo)
    expect(page.get_by_text("全部事项已作答。").or_(page.get_by_text("完成检查"))).to_be_visible(timeout=20000)

    canvases = page.locator("canvas.upper-canvas")
    expect(canvases).to_have_count(2, timeout=20000)
    _draw(page, canvases.nth(0))
    _draw(page, canvases.nth(1))
    screenshot(page, "inspector_signed")
    page.get_by_role("button", name="确认完成并下达整改通知").click()
    wait_idle(page)
    screenshot(page, "inspector_after_finish")
    expect(page.get_by_text(re.compile("检查已完成，形成隐患 1 条"))).to_be_visible(timeout=20000)
    screenshot(page, "inspector_finished")

    with page.expect_download(timeout=60000) as download:
        page.get_by_role("button", name="下载整改通知书（PDF）").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "".join(p.extract_text() for p in pdf.pages).replace("\x00", "")  # pypdf reads Noto CJK with NULs
    assert FINDING in text.replace("\n", "") and visit["name"] in text.replace("\n", "")
