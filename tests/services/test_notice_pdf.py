"""The rectification notice PDF, read back with pypdf: text, images, pages, and the font lookup."""
from __future__ import annotations

import io
import random
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from inspections.rendering.notice_pdf import NoticeData, NoticeHazard, render_notice
from inspections.rendering.pdf_fonts import APT_PACKAGE, FontMissing, find_cjk_font

ENTERPRISE = "演示汽车零部件（天津）有限公司"
CODE = "91120116MA05T0QX2K"
MAJOR = "二号车间东侧安全出口被成品托盘堵塞，疏散通道宽度不足1米。"
GENERAL = "仓库灭火器压力不足（指针位于红区），2具过期未检。"


def photo(path: Path, seed: int) -> Path:
    rng = random.Random(seed)
    image = Image.new("RGB", (800, 600), (rng.randrange(256), 120, 80))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(800), rng.randrange(600)
        draw.rectangle([x, y, x + rng.randrange(10, 200), y + rng.randrange(10, 150)],
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    image.save(path, format="JPEG", quality=85)
    return path


def hazard(n: int, **changes) -> NoticeHazard:
    values = dict(hazard_id=f"H20261127-000{n}", item_id=f"fire.item{n}", item_title="疏散通道、安全出口保持畅通",
                  description=GENERAL, level="general", deadline=date(2026, 12, 27),
                  basis="《中华人民共和国消防法》第二十八条")
    return NoticeHazard(**(values | changes))


def notice(hazards: list[NoticeHazard]) -> NoticeData:
    return NoticeData(
        notice_number="整改〔2026〕JC20261127-0001号", enterprise_name=ENTERPRISE, enterprise_code=CODE,
        enterprise_address="天津市滨海新区汽车产业园黄海路188号", inspection_id="JC20261127-0001",
        inspected_on=date(2026, 11, 27), departments=["应急管理局", "消防救援支队"],
        inspectors=["张伟（演示）", "李娜（演示）"], hazards=hazards,
        inspection_code_url="http://localhost:8501/?code=abc.def",
        enterprise_portal_url=f"http://localhost:8501/?enterprise={CODE}", issued_on=date(2026, 11, 27))


def read(pdf: bytes) -> tuple[PdfReader, str]:
    """The reader and all text without whitespace. pypdf 7.1.0 puts a NUL before each character of
    Noto's CID-keyed CFF text (it ignores the embedded /Encoding CMap): dropped here."""
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    return reader, re.sub(r"\s+", "", text)


def image_count(reader: PdfReader) -> int:
    seen = set()
    for page in reader.pages:
        xobjects = page["/Resources"].get_object().get("/XObject", {})
        for ref in xobjects.get_object().values():
            if ref.get_object().get("/Subtype") == "/Image":
                seen.add(ref.idnum)
    return len(seen)


@pytest.fixture(scope="module")
def two_hazards(tmp_path_factory) -> tuple[PdfReader, str]:
    folder = tmp_path_factory.mktemp("photos")
    photos = [photo(folder / f"p{i}.jpg", i) for i in range(3)]
    major = hazard(1, description=MAJOR, level="major", deadline=date(2026, 12, 5), photos=photos,
                   major_if="人员密集场所疏散通道、安全出口被占用、堵塞、封闭的")
    return read(render_notice(notice([major, hazard(2)])))


def test_notice_holds_the_enterprise_and_each_hazard(two_hazards):
    _, text = two_hazards
    for expected in ("隐患整改通知书", "整改〔2026〕JC20261127-0001号", ENTERPRISE, CODE, MAJOR, GENERAL,
                     "重大隐患", "一般隐患", "2026年12月05日", "2026年12月27日", "应急管理局、消防救援支队",
                     "张伟（演示）", "《中华人民共和国消防法》第二十八条", "人员密集场所疏散通道",
                     "检查码（扫码核验）", "企业端（扫码查看整改要求）", "检查人员签名", "企业负责人签名",
                     "2026年11月27日"):
        assert expected in text, expected
    assert "照片缺失" not in text


def test_notice_embeds_the_photos_and_both_qr_codes(two_hazards):
    reader, text = two_hazards
    assert image_count(reader) >= 3 + 2
    pages = len(reader.pages)
    assert f"第1页/共{pages}页" in text


def test_no_hazards_says_so():
    reader, text = read(render_notice(notice([])))
    assert "本次检查未发现事故隐患。" in text
    assert "重大隐患" not in text
    assert image_count(reader) == 2


def test_missing_or_broken_photo_is_noted_not_fatal(tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    photos = [tmp_path / "gone.jpg", broken, photo(tmp_path / "ok.jpg", 7)]
    reader, text = read(render_notice(notice([hazard(1, photos=photos)])))
    assert "照片缺失（2张）" in text
    assert image_count(reader) == 1 + 2


def test_long_description_spreads_over_pages():
    long = "".join(f"第{i}处货架堆放超高且占用疏散通道" for i in range(200))[:3000]
    assert len(long) == 3000
    reader, text = read(render_notice(notice([hazard(1, description=long)])))
    assert len(reader.pages) >= 2
    assert long[:40] in text and long[-40:] in text
    assert f"共{len(reader.pages)}页" in text


def test_find_cjk_font_names_the_package_when_none_exists(tmp_path):
    with pytest.raises(FontMissing, match=APT_PACKAGE) as caught:
        find_cjk_font(candidates=[])
    assert "apt-get install fonts-noto-cjk" in str(caught.value)
    with pytest.raises(FontMissing, match="apt-get install fonts-noto-cjk"):
        find_cjk_font(candidates=[tmp_path / "nope.ttc"])
    font = tmp_path / "some.ttf"
    font.write_bytes(b"")
    assert find_cjk_font(candidates=[tmp_path / "nope.ttc", font]) == font


# -- the notice of a visit finished on the tablet, read back as its reader meets it --------------------
def _drawn(strokes: list[tuple[int, int, int, int]]) -> bytes:
    """A signature as the pad hands it over: black strokes on the canvas's transparent drawing layer."""
    from inspections.ui.widgets.signature import on_white
    layer = Image.new("RGBA", (520, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for stroke in strokes:
        draw.line(stroke, fill=(0, 0, 0, 255), width=6)
    return on_white(layer)


INSPECTOR_STROKES = [(20, 130, 500, 30)]                       # one rising stroke
ENTERPRISE_STROKES = [(20, 30, 500, 130), (260, 10, 260, 150)]  # a falling stroke and a vertical one


def _finished_notice(demo_ctx, tmp_path):
    from inspections.services.inspector import inspecting, notices
    from inspections.services.shared.auth import User
    from tests.conftest import SUITE_TODAY
    visit = demo_ctx.db.query_dicts("SELECT id, enterprise_code, team FROM inspections WHERE scheduled_on = ? "
                                    "AND departments = ['traffic_police']", [SUITE_TODAY])[0]
    inspector = User(visit["team"][0], "交警", "inspector", "traffic_police")
    inspecting.check_in(demo_ctx, inspector, visit["enterprise_code"], "typed")
    for n, item in enumerate(inspecting.walk(demo_ctx, inspector, visit["id"]).merged.items):
        inspecting.answer_item(demo_ctx, inspector, visit["id"], item.id, "fail" if n == 0 else "pass",
                               note="客车安全锤缺失" if n == 0 else "")
    inspecting.finish(demo_ctx, inspector, visit["id"], _drawn(INSPECTOR_STROKES), _drawn(ENTERPRISE_STROKES),
                      enterprise_signer="王海燕")
    path = tmp_path / "notice.pdf"
    path.write_bytes(notices.notice_pdf(demo_ctx, inspector, visit["id"]))
    return visit, path


def _images(pdf: Path, out: Path) -> list[Image.Image]:
    import subprocess
    out.mkdir()
    subprocess.run(["pdfimages", "-png", str(pdf), str(out / "img")], check=True)
    return [Image.open(p).convert("L") for p in sorted(out.glob("img-*.png"))]


def _like(image: Image.Image, png: bytes) -> bool:
    """Whether an image taken out of the PDF is the drawn signature (same shape, within JPEG's loss)."""
    drawn = Image.open(io.BytesIO(png)).convert("L")
    if abs(image.width / image.height - drawn.width / drawn.height) > 0.05:
        return False
    a, b = image.resize((104, 32)), drawn.resize((104, 32))
    return sum(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes())) / (104 * 32) < 12


def test_the_notice_carries_both_signatures_as_drawn_with_names_and_times(demo_ctx, tmp_path):
    from inspections.store import inspections as inspection_store
    visit, path = _finished_notice(demo_ctx, tmp_path)
    images = _images(path, tmp_path / "images")
    inspector_png, enterprise_png = _drawn(INSPECTOR_STROKES), _drawn(ENTERPRISE_STROKES)
    assert [i for i in images if _like(i, inspector_png)] and [i for i in images if _like(i, enterprise_png)]
    assert not any(_like(i, inspector_png) and _like(i, enterprise_png) for i in images)  # told apart
    _, text = read(path.read_bytes())
    completed = inspection_store.get(demo_ctx.db, visit["id"])["completed_at"]
    signed_on = f"{completed:%Y}年{completed:%m}月{completed:%d}日"
    assert f"签署时间：{signed_on}{completed:%H:%M}" in text and f"签收日期：{signed_on}" in text
    assert "王海燕" in text.split("企业负责人签名")[1]
    inspector_name = demo_ctx.db.scalar("SELECT display_name FROM users WHERE username = ?", [visit["team"][0]])
    assert inspector_name.replace(" ", "") in text.split("检查人员签名")[1]


def test_the_notices_codes_lead_to_verification_and_to_the_hazards(demo_ctx, tmp_path):
    """Decode both QR codes printed on the notice: the inspection code is a link to the verification page
    that says genuine, and with one character changed it does not (tests/ui: the page, signed out); the
    portal code opens the enterprise's hazards."""
    import subprocess
    from urllib.parse import urlparse

    import zxingcpp

    from inspections.services.shared import codes
    visit, path = _finished_notice(demo_ctx, tmp_path)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    texts = [b.text for page in sorted(tmp_path.glob("page-*.png")) for b in zxingcpp.read_barcodes(Image.open(page))]
    verify_url = next(t for t in texts if "code=" in t)
    assert urlparse(verify_url).path == "/verify"
    assert urlparse(next(t for t in texts if "code=" not in t)).path == "/our-hazards"
    token = codes.token_from(verify_url)
    assert codes.verify_code(demo_ctx, token).valid
    changed = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    assert codes.verify_code(demo_ctx, changed).reason == "malformed_or_tampered"
