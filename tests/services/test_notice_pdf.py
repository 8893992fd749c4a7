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

from inspections.services.notice_pdf import NoticeData, NoticeHazard, render_notice
from inspections.services.pdf_fonts import APT_PACKAGE, FontMissing, find_cjk_font

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
