"""The rectification notice (隐患整改通知书) as an A4 PDF: the enterprise, the joint inspection, each
hazard with its deadline, legal basis and photo thumbnails, the two QR codes (inspection code to verify
the notice, enterprise portal to see and answer the requirements), both signatures as drawn on the
tablet with the signers' names and the signing time, and page numbers.

Pure rendering: NoticeData in, PDF bytes out; notices.py assembles the data from the store.
"""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image, ImageOps, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict

from inspections.rendering import qr
from inspections.rendering.pdf_fonts import new_pdf
from inspections.rendering.pdf_text import (
    BLACK,
    GREY,
    PagedPDF,
    Widths,
    describe,
    rule,
    style,
    wrap_lines,
    zh_date,
)


class NoticeHazard(BaseModel):
    model_config = ConfigDict(frozen=True)

    hazard_id: str
    item_id: str
    item_title: str          # Chinese title of the checklist item
    description: str         # what was found
    level: Literal["general", "major"]
    deadline: date
    basis: str               # legal basis text
    major_if: str | None = None
    photos: list[Path] = []  # JPEG files on disk; missing or unreadable ones are noted, not shown


class NoticeData(BaseModel):
    model_config = ConfigDict(frozen=True)

    notice_number: str       # e.g. "整改〔2026〕JC20261127-0001号"
    enterprise_name: str
    enterprise_code: str     # 统一社会信用代码
    enterprise_address: str
    inspection_id: str
    inspected_on: date
    departments: list[str]   # Chinese department names
    inspectors: list[str]    # inspector display names
    hazards: list[NoticeHazard]
    inspection_code_url: str
    enterprise_portal_url: str
    issued_on: date
    signed_at: datetime | None = None        # when both signed (the visit was finished); the 签收日期
    inspector_signer: str = ""               # who signed for the inspection team
    enterprise_signer: str = ""              # who signed for the enterprise
    inspector_signature: Path | None = None  # the signatures as drawn (image files)
    enterprise_signature: Path | None = None


LEVEL_ZH = {"general": "一般隐患", "major": "重大隐患"}
INTRO = "经联合检查，发现你单位存在下列事故隐患，请按期整改，整改完成后通过企业端提交整改情况申请复查。"
NO_HAZARDS = "本次检查未发现事故隐患。"

LINE = 6.2             # mm per line of body text
LABEL_W = 36           # mm, the label column of a field
PHOTO_W, PHOTO_H, PHOTO_GAP = 55.0, 41.25, 4.5   # a thumbnail's box (4:3), 3 per row on A4
THUMB_PX, THUMB_QUALITY = 640, 78                 # about 295 dpi at 55 mm
QR_SIZE = 36
RED = (170, 20, 20)


def render_notice(data: NoticeData) -> bytes:
    pdf = new_pdf(PagedPDF)
    pdf.running_head = f"隐患整改通知书  {data.notice_number}"
    pdf.widths = Widths(pdf)
    pdf.set_margins(18, 16, 18)
    describe(pdf, f"隐患整改通知书 {data.notice_number}", data.enterprise_name)
    pdf.add_page()

    style(pdf, 20, bold=True)
    pdf.cell(0, 12, "隐患整改通知书", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    style(pdf, 11)
    pdf.cell(0, 7, data.notice_number, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    _heading(pdf, "被检查单位")
    _field(pdf, "单位名称", data.enterprise_name)
    _field(pdf, "统一社会信用代码", data.enterprise_code)
    _field(pdf, "地址", data.enterprise_address)
    _heading(pdf, "检查情况")
    _field(pdf, "检查编号", data.inspection_id)
    _field(pdf, "检查日期", zh_date(data.inspected_on))
    _field(pdf, "联合检查部门", "、".join(data.departments))
    _field(pdf, "检查人员", "、".join(data.inspectors))
    pdf.ln(2)

    if data.hazards:
        majors = sum(h.level == "major" for h in data.hazards)
        _paragraph(pdf, f"{data.enterprise_name}：\n{INTRO}"
                        f"本次共发现事故隐患 {len(data.hazards)} 项，其中重大隐患 {majors} 项。")
        _heading(pdf, "隐患及整改要求")
        for number, hazard in enumerate(data.hazards, 1):
            _hazard(pdf, number, hazard)
    else:
        style(pdf, 12, bold=True)
        _wrap(pdf, 9, NO_HAZARDS)

    _codes(pdf, data)
    _signatures(pdf, data)
    return bytes(pdf.output())


# ----------------------------------------------------------------- blocks

def _clean(text: str | None) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").strip()
    return text or "—"


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(8 + 3 * LINE):  # keep a heading with its first lines
        pdf.add_page()
    pdf.ln(1.5)
    style(pdf, 12.5, bold=True)
    pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    rule(pdf, 1.5)


def _field(pdf: FPDF, label: str, value: str | None, *, color=BLACK, bold=False, indent=0.0) -> None:
    style(pdf, 10.5, color=GREY)
    pdf.set_x(pdf.l_margin + indent)
    pdf.cell(LABEL_W, LINE, label)
    style(pdf, 10.5, bold=bold, color=color)
    _wrap(pdf, LINE, _clean(value))


def _wrap(pdf: FPDF, height: float, text: str) -> None:
    """Text from the current x to the right margin, each paragraph wrapped by pdf_text.wrap_lines (the
    same line-breaking rules as every PDF of the app). Page breaks come from cell(); the cursor ends at
    the next line's start."""
    left = pdf.get_x()
    width = pdf.w - pdf.r_margin - left
    for paragraph in text.split("\n"):
        for line in wrap_lines(pdf.widths, paragraph, width):
            pdf.set_x(left)
            pdf.cell(width, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _paragraph(pdf: FPDF, text: str) -> None:
    style(pdf, 11)
    _wrap(pdf, LINE + 0.6, text)
    pdf.ln(1)


def _hazard(pdf: FPDF, number: int, hazard: NoticeHazard) -> None:
    if pdf.will_page_break(7 + 4 * LINE):
        pdf.add_page()
    pdf.ln(1.5)
    style(pdf, 11.5, bold=True)
    _wrap(pdf, 7, f"{number}. {_clean(hazard.item_title)}")
    major = hazard.level == "major"
    _field(pdf, "隐患等级", LEVEL_ZH[hazard.level], color=RED if major else BLACK, bold=major)
    _field(pdf, "整改期限", zh_date(hazard.deadline), bold=True)
    _field(pdf, "存在问题", hazard.description)
    _field(pdf, "依据", hazard.basis)
    if hazard.major_if:
        _field(pdf, "重大隐患判定", hazard.major_if)
    _field(pdf, "编号", f"隐患 {hazard.hazard_id}  ·  检查项 {hazard.item_id}", color=GREY)
    _photos(pdf, hazard.photos)
    pdf.ln(1)
    rule(pdf, 1.5)


def _photos(pdf: FPDF, paths: list[Path]) -> None:
    thumbs, missing = [], 0
    for path in paths:
        thumb = _thumbnail(path)
        if thumb is None:
            missing += 1
        else:
            thumbs.append(thumb)
    if missing:
        _field(pdf, "现场照片", f"照片缺失（{missing} 张）", color=GREY)
    for start in range(0, len(thumbs), 3):
        row = thumbs[start:start + 3]
        height = max(h for _, _, h in row)
        if pdf.will_page_break(height + 3):
            pdf.add_page()
        pdf.ln(1.5)
        top = pdf.get_y()
        for column, (data, w, h) in enumerate(row):
            x = pdf.l_margin + column * (PHOTO_W + PHOTO_GAP) + (PHOTO_W - w) / 2
            pdf.image(data, x=x, y=top, w=w, h=h)
        pdf.set_y(top + height + 1.5)


def _thumbnail(path: Path) -> tuple[io.BytesIO, float, float] | None:
    """(JPEG of at most THUMB_PX, width mm, height mm) fitting the photo box, or None if unreadable."""
    try:
        with Image.open(path) as image:
            image.draft("RGB", (THUMB_PX, THUMB_PX))  # JPEG: decode at a reduced scale, much faster
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((THUMB_PX, THUMB_PX))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=THUMB_QUALITY, optimize=True)
            width, height = image.size
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    scale = min(PHOTO_W / width, PHOTO_H / height)
    out.seek(0)
    return out, width * scale, height * scale


def _codes(pdf: FPDF, data: NoticeData) -> None:
    block = 10 + QR_SIZE + 12
    if pdf.will_page_break(block):
        pdf.add_page()
    pdf.ln(4)
    top = pdf.get_y()
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for column, (url, label) in enumerate(((data.inspection_code_url, "检查码（扫码核验）"),
                                           (data.enterprise_portal_url, "企业端（扫码查看整改要求）"))):
        left = pdf.l_margin + column * half
        pdf.image(io.BytesIO(qr.png_bytes(url, box_size=6)), x=left + (half - QR_SIZE) / 2, y=top,
                  w=QR_SIZE, h=QR_SIZE)
        pdf.set_xy(left, top + QR_SIZE + 1)
        style(pdf, 10)
        pdf.cell(half, 6, label, align="C")
    pdf.set_xy(pdf.l_margin, top + QR_SIZE + 9)


SIGNATURE_H = 16      # mm: the drawn signature's height above its line


def _signatures(pdf: FPDF, data: NoticeData) -> None:
    if pdf.will_page_break(SIGNATURE_H + 52):
        pdf.add_page()
    pdf.ln(6)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    style(pdf, 11)
    top = pdf.get_y()
    line_y = top + SIGNATURE_H + 2
    for column, (label, image, name) in enumerate((
            ("检查人员签名：", data.inspector_signature, data.inspector_signer),
            ("企业负责人签名：", data.enterprise_signature, data.enterprise_signer))):
        left = pdf.l_margin + column * half
        pdf.set_xy(left, line_y - 7)
        pdf.cell(pdf.get_string_width(label) + 1, 8, label)
        start = pdf.get_x()
        pdf.set_draw_color(*BLACK)
        pdf.set_line_width(0.3)
        pdf.line(start, line_y, left + half - 6, line_y)
        drawn = _signature_image(image)
        if drawn is not None:
            png, ratio = drawn
            width = min(SIGNATURE_H * ratio, left + half - 6 - start)
            pdf.image(png, x=start, y=line_y - width / ratio - 0.5, w=width, h=width / ratio)
        if name:
            pdf.set_xy(start, line_y + 1)
            style(pdf, 10)
            pdf.cell(left + half - 6 - start, 6, _clean(name))
            style(pdf, 11)
    pdf.set_xy(pdf.l_margin, line_y + 9)
    signed = f"签署时间：{zh_date(data.signed_at.date())} {data.signed_at:%H:%M}" if data.signed_at else ""
    pdf.cell(half, 8, signed)
    received = zh_date(data.signed_at.date()) if data.signed_at else "        年      月      日"
    pdf.cell(half, 8, f"签收日期：{received}")
    pdf.set_xy(pdf.l_margin, line_y + 22)
    pdf.cell(0, 7, "联合检查组（签章）", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 7, zh_date(data.issued_on), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _signature_image(path: Path | bytes | None) -> tuple[io.BytesIO, float] | None:
    """(the drawn signature as PNG, width / height), or None when there is none or it cannot be read. The
    signature is a file, or the image's bytes (the visit's record, rendered as the visit is finished)."""
    if path is None:
        return None
    try:
        with Image.open(io.BytesIO(path) if isinstance(path, bytes) else path) as image:
            image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format="PNG")
            ratio = image.width / image.height
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    out.seek(0)
    return out, ratio
