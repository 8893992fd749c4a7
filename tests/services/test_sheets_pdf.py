"""The printable sheets (一表通查 item sheet, entrance poster, QR sheets), read back with pypdf, their QR
codes rendered with poppler's pdftoppm and decoded with zxing-cpp."""
from __future__ import annotations

import io
import random
import re
import shutil
import string
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import qrcode
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from inspections.rendering.qr_bulk import qr_modules
from inspections.rendering.qr_sheets_pdf import EnterpriseQr, render_enterprise_poster, render_qr_sheet
from inspections.rendering.sheets_pdf import ItemSheet, SheetItem, SheetSection, render_item_sheet

ENTERPRISE = "演示汽车零部件（天津）有限公司"
CODE = "91120116MA05T0QX2K"
VERIFY_URL = "http://localhost:8501/?code=JC20261203-0001.5f3a9c0e7d1b2a4c6e8f0a1b2c3d4e5f"
LONG_TITLE = ("安全管理机构和人员配备（安全管理人员、安全总监/安全员、食品安全管理员、质量负责人），"
              "建立健全全员安全生产责任制并公示，主要负责人依法履行安全生产法定职责，定期组织隐患排查治理")
BASIS = "《中华人民共和国安全生产法》第二十四条；市场监管总局令第74号"

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")


def read(pdf: bytes) -> tuple[PdfReader, list[str]]:
    """The reader and each page's text without whitespace. pypdf 7.1.0 puts a NUL before each character
    of Noto's CID-keyed CFF text (it ignores the embedded /Encoding CMap): dropped here."""
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [re.sub(r"\s+", "", page.extract_text().replace("\x00", "")) for page in reader.pages]


def image_count(reader: PdfReader, page_index: int | None = None) -> int:
    seen = set()
    pages = reader.pages if page_index is None else [reader.pages[page_index]]
    for page in pages:
        xobjects = page["/Resources"].get_object().get("/XObject")
        for ref in (xobjects.get_object().values() if xobjects is not None else ()):
            if ref.get_object().get("/Subtype") == "/Image":
                seen.add(ref.idnum)
    return len(seen)


def decode_page(pdf: bytes, folder: Path, page: int = 1) -> list[str]:
    """The texts of the QR codes zxing-cpp finds on a 150-dpi render of `page`."""
    source = folder / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), str(source),
                    str(folder / "page")], check=True, capture_output=True, timeout=60)
    (png,) = sorted(folder.glob("page*.png"))
    return [found.text for found in zxingcpp.read_barcodes(Image.open(png))]


def item(n: int, **changes) -> SheetItem:
    values = dict(id=f"S{n:02d}", title="营业执照及行业许可证件齐全有效", basis=BASIS,
                  departments=["应急管理局", "市场监督管理局"])
    return SheetItem(**(values | changes))


def sheet(sections: list[SheetSection]) -> ItemSheet:
    return ItemSheet(enterprise_name=ENTERPRISE, enterprise_code=CODE, inspection_id="JC20261203-0001",
                     scheduled_on=date(2026, 12, 3), departments=["应急管理局", "市场监督管理局", "消防救援大队"],
                     inspectors=["张伟（演示）", "李娜（演示）"], sections=sections, verify_url=VERIFY_URL)


SHARED = [item(1), item(2, title=LONG_TITLE), *[item(n) for n in range(3, 13)]]
FIRE = [item(n, id=f"FR-{n:02d}", title="疏散通道、安全出口保持畅通", basis="《中华人民共和国消防法》第二十八条",
             departments=["消防救援大队"]) for n in range(1, 9)]


@pytest.fixture(scope="module")
def item_sheet() -> bytes:
    return render_item_sheet(sheet([SheetSection(title="共查事项", items=SHARED),
                                    SheetSection(title="消防", items=FIRE)]))


def entries(count: int, name=lambda i: f"演示企业{i:04d}（天津）汽车配件有限公司") -> list[EnterpriseQr]:
    return [EnterpriseQr(name=name(i), code=f"91120116MA{i:08d}",
                         url=f"http://localhost:8501/?enterprise=91120116MA{i:08d}") for i in range(count)]


# ----------------------------------------------------------------- item sheet

def test_item_sheet_holds_the_visit_and_every_item(item_sheet):
    reader, pages = read(item_sheet)
    text = "".join(pages)
    for expected in ("联合检查事项告知单（一表通查）", "综合查一次·一次性告知", ENTERPRISE, CODE, "JC20261203-0001",
                     "2026年12月03日", "应急管理局、市场监督管理局、消防救援大队", "张伟（演示）、李娜（演示）",
                     "检查码（扫码核验检查真伪）", "共查事项", "消防", "序号", "编号", "检查事项", "检查部门",
                     "自查结果", "符合", "不符合", "不适用", BASIS, "《中华人民共和国消防法》第二十八条"):
        assert expected in text, expected
    for each in SHARED + FIRE:
        assert each.id in text, each.id
    assert LONG_TITLE[:30] in text and LONG_TITLE[-10:] in text
    assert f"第1页/共{len(reader.pages)}页" in pages[0]


def test_item_sheet_long_title_wraps_within_its_column(item_sheet):
    reader = PdfReader(io.BytesIO(item_sheet))
    lines = [line.strip() for line in reader.pages[0].extract_text().replace("\x00", "").splitlines()]
    first = next(line for line in lines if LONG_TITLE[:12] in line)
    assert LONG_TITLE[-10:] not in first   # the title goes on over further lines
    assert len(first) < len(LONG_TITLE) / 2


@needs_pdftoppm
def test_item_sheet_qr_decodes_to_the_inspection_code(item_sheet, tmp_path):
    reader, _ = read(item_sheet)
    assert image_count(reader) == 1
    assert decode_page(item_sheet, tmp_path) == [VERIFY_URL]


def test_item_taller_than_a_page_is_split_not_lost():
    title = "".join(f"第{i}项货架堆放超高且占用疏散通道" for i in range(60))
    basis = "；".join(f"《中华人民共和国消防法》第{i}条" for i in range(1, 80))
    reader, pages = read(render_item_sheet(sheet([SheetSection(title="消防", items=[
        item(1), item(2, id="FR-99", title=title, basis=basis), item(3)])])))
    text = "".join(pages)
    assert len(reader.pages) >= 2
    assert title[:20] in text and title[-20:] in text and basis[-20:] in text
    assert "S03" in text and f"共{len(reader.pages)}页" in text


def test_item_sheet_without_items_says_so():
    _, pages = read(render_item_sheet(sheet([])))
    assert "本次检查无检查事项。" in pages[0]


# ----------------------------------------------------------------- poster

@needs_pdftoppm
def test_poster_has_name_code_and_a_qr_of_the_check_in_link(tmp_path):
    entry = EnterpriseQr(name=ENTERPRISE, code=CODE, url=f"http://localhost:8501/?enterprise={CODE}")
    pdf = render_enterprise_poster(entry)
    reader, pages = read(pdf)
    assert len(reader.pages) == 1
    for expected in (ENTERPRISE, CODE, "统一社会信用代码", "检查人员入企请扫码登记", "综合查一次·无事不扰"):
        assert expected in pages[0], expected
    assert decode_page(pdf, tmp_path) == [entry.url]


def test_poster_with_a_very_long_name_stays_on_one_page():
    name = "演示" + "汽车零部件制造及新能源动力电池系统集成" * 8 + "有限公司"
    reader, pages = read(render_enterprise_poster(EnterpriseQr(name=name, code=CODE, url="http://x/?enterprise=1")))
    assert len(reader.pages) == 1
    assert name[:20] in pages[0] and "…" in pages[0] and CODE in pages[0]


# ----------------------------------------------------------------- QR sheets

@pytest.fixture(scope="module")
def qr_sheet() -> tuple[list[EnterpriseQr], bytes]:
    listed = entries(25)
    return listed, render_qr_sheet(listed, per_page=12)


def test_qr_sheet_puts_12_on_a_page_with_every_name_and_code(qr_sheet):
    listed, pdf = qr_sheet
    reader, pages = read(pdf)
    assert len(reader.pages) == 3
    assert [image_count(reader, i) for i in range(3)] == [12, 12, 1]
    text = "".join(pages)
    for entry in listed:
        assert entry.name in text, entry.name
        assert entry.code in text, entry.code
    assert "第1页/共3页" in pages[0]


@needs_pdftoppm
def test_qr_sheet_first_page_codes_decode_to_the_first_12_links(qr_sheet, tmp_path):
    listed, pdf = qr_sheet
    found = decode_page(pdf, tmp_path)
    assert len(found) >= 12
    assert sorted(found) == sorted(entry.url for entry in listed[:12])


@pytest.mark.parametrize("per_page, pages", [(6, 4), (8, 3), (12, 2), (20, 2)])
def test_qr_sheet_layouts(per_page, pages):
    reader, _ = read(render_qr_sheet(entries(21), per_page=per_page))
    assert len(reader.pages) == pages
    assert image_count(reader, 0) == per_page


def test_qr_sheet_shortens_a_60_character_name():
    name = "演示" + "新能源汽车零部件研发制造" * 5 + "有限责任公司天津分公司"
    name = name[:60]
    assert len(name) == 60
    _, pages = read(render_qr_sheet(entries(2, name=lambda i: name), per_page=12))
    assert name[:10] in pages[0] and "…" in pages[0]
    assert name not in pages[0]


def test_qr_sheet_refuses_nothing_and_odd_layouts():
    with pytest.raises(ValueError):
        render_qr_sheet([])
    with pytest.raises(ValueError):
        render_qr_sheet(entries(1), per_page=10)


def test_qr_sheet_reports_progress_every_50_and_at_the_end():
    calls: list[tuple[int, int]] = []
    render_qr_sheet(entries(120), per_page=20, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(50, 120), (100, 120), (120, 120)]


def test_bulk_qr_modules_are_those_of_qrcode():
    """sheets_pdf chooses the mask with numpy; the result must be qrcode's own code (qr.png_bytes)."""
    rng = random.Random(20261203)
    urls = [f"http://localhost:8501/?enterprise=91120116MA{i:08d}" for i in range(40)]
    urls += ["".join(rng.choice(string.ascii_letters + string.digits + "/:?=&.-")
                     for _ in range(rng.randrange(1, 300))) for _ in range(40)]
    for url in urls:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(url)
        code.make()
        assert np.array_equal(qr_modules(url), np.array(code.modules, dtype=bool)), url
