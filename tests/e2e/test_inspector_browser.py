"""The inspector's whole flow in a real browser at a tablet viewport (1024x768, touch): sign in from a
scanned `/?enterprise=CODE` link, check in, answer every item of the small demo visit with one failure
and a photo, reload halfway and find nothing lost and still be signed in, sign on the canvases, finish, and download the
notice, which must carry the hazard's text and both signatures as drawn; its inspection code, decoded
from the PDF and opened on a signed-out phone, is genuine, and with one character changed it is not."""
import io
import re
from pathlib import Path

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
    expect(_cards(page).first).to_be_visible(timeout=20000)
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


def _draw(page, canvas, rising: bool = True) -> None:
    """A zigzag across the pad, rising or falling (so the two signatures can be told apart)."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    start = box["y"] + (130 if rising else 30)
    page.mouse.move(box["x"] + 20, start)
    page.mouse.down()
    for step in range(1, 10):
        drift = -step * 10 if rising else step * 10
        page.mouse.move(box["x"] + 20 + step * 50, start + drift + (step % 2) * 12, steps=3)
    page.mouse.up()
    wait_idle(page)


def test_inspector_flow_survives_a_reload(app_server, tablet, browser, tmp_path):
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
    _draw(page, canvases.nth(1), rising=False)
    drawn = [canvases.nth(n).locator("..").screenshot() for n in range(2)]   # the pads as the signers saw them
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

    # the signatures printed are the ones drawn (pdfimages takes them out of the file)
    images = _pdf_images(Path(download.value.path()), tmp_path / "images")
    pads = [Image.open(io.BytesIO(png)).convert("L") for png in drawn]
    assert all(any(_same_drawing(image, pad) for image in images) for pad in pads)
    assert not any(_same_drawing(image, pads[0]) and _same_drawing(image, pads[1]) for image in images)

    # the inspection code's QR, decoded from the printed notice and opened signed out: genuine; and with
    # one character changed: not valid
    link = _verify_link(Path(download.value.path()), tmp_path)
    stranger = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                   locale="zh-CN")
    try:
        phone = stranger.new_page()
        goto(phone, link)
        expect(phone.get_by_text("检查码有效：该检查已备案。")).to_be_visible(timeout=20000)
        goto(phone, link[:-1] + ("A" if link[-1] != "A" else "B"))
        expect(phone.get_by_text(re.compile("^检查码无效"))).to_be_visible(timeout=20000)
    finally:
        stranger.close()


def _pdf_images(pdf: Path, out: Path) -> list:
    import subprocess
    out.mkdir()
    subprocess.run(["pdfimages", "-png", str(pdf), str(out / "img")], check=True)
    return [Image.open(p).convert("L") for p in sorted(out.glob("img-*.png"))]


def _ink_distance(image, pad) -> float:
    """How far apart the strokes of two drawings on white are: 0 the same ink, 1 none in common (both
    shrunk to 65x20 with averaging, which forgives JPEG's loss and a pixel's offset)."""
    ink_a, ink_b = [255 - v for v in image.resize((65, 20), Image.BOX).tobytes()], \
        [255 - v for v in pad.resize((65, 20), Image.BOX).tobytes()]
    return sum(abs(x - y) for x, y in zip(ink_a, ink_b)) / max(1, sum(ink_a) + sum(ink_b))


def _same_drawing(image, pad) -> bool:
    """Whether an image out of the PDF shows the pad's strokes."""
    return abs(image.width / image.height - pad.width / pad.height) < 0.06 and _ink_distance(image, pad) < 0.35


def _verify_link(pdf: Path, tmp_path: Path) -> str:
    import subprocess

    import zxingcpp
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    texts = [b.text for page in sorted(tmp_path.glob("page-*.png")) for b in zxingcpp.read_barcodes(Image.open(page))]
    return next(t for t in texts if "/verify?code=" in t)
