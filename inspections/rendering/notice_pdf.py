"""The rectification notice (隐患整改通知书) as an A4 PDF: the enterprise, the joint inspection, each
hazard with its deadline, legal basis and photo thumbnails, the two QR codes (inspection code to verify
the notice, enterprise portal to see and answer the requirements), both signatures as drawn on the
tablet with the signers' names and the signing time, and page numbers.

Pure rendering on document_layout's page furniture: NoticeData in, PDF bytes out; services.inspector.notices
assembles the data (at the finish, to store it as issued).
"""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from PIL import Image, ImageOps, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict

from inspections.rendering.document_layout import (
    RED,
    codes,
    field,
    fields,
    heading,
    joint_signatures,
    new_document,
    numbered,
    paragraph,
    wrap,
)
from inspections.rendering.pdf_text import BLACK, GREY, rule, style, zh_date


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
    inspector_signature: Path | bytes | None = None  # the signatures as drawn (image files, or their bytes
    enterprise_signature: Path | bytes | None = None  # when the notice is issued at the finish)
    remarks: list[str] = []                  # after the count: e.g. the hazards issued on a 指令书 instead


LEVEL_ZH = {"general": "一般隐患", "major": "重大隐患"}
INTRO = "经联合检查，发现你单位存在下列事故隐患，请按期整改，整改完成后通过企业端提交整改情况申请复查。"
NO_HAZARDS = "本次检查未发现事故隐患。"

PHOTO_W, PHOTO_H, PHOTO_GAP = 55.0, 41.25, 4.5   # a thumbnail's box (4:3), 3 per row on A4
THUMB_PX, THUMB_QUALITY = 640, 78                 # about 295 dpi at 55 mm


def render_notice(data: NoticeData) -> bytes:
    pdf = new_document("隐患整改通知书", data.notice_number, data.enterprise_name)
    fields(pdf, "被检查单位", [("单位名称", data.enterprise_name), ("统一社会信用代码", data.enterprise_code),
                          ("地址", data.enterprise_address)])
    fields(pdf, "检查情况", [("检查编号", data.inspection_id), ("检查日期", zh_date(data.inspected_on)),
                         ("联合检查部门", "、".join(data.departments)), ("检查人员", "、".join(data.inspectors))])
    pdf.ln(2)

    if data.hazards:
        majors = sum(h.level == "major" for h in data.hazards)
        paragraph(pdf, f"{data.enterprise_name}：\n{INTRO}"
                       f"本次共发现事故隐患 {len(data.hazards)} 项，其中重大隐患 {majors} 项。")
        if data.remarks:
            paragraph(pdf, "\n".join(data.remarks))
        heading(pdf, "隐患及整改要求")
        for number, hazard in enumerate(data.hazards, 1):
            _hazard(pdf, number, hazard)
    else:
        style(pdf, 12, bold=True)
        wrap(pdf, 9, NO_HAZARDS)

    _codes(pdf, data)
    _signatures(pdf, data)
    return bytes(pdf.output())


# ----------------------------------------------------------------- blocks

def _hazard(pdf: FPDF, number: int, hazard: NoticeHazard) -> None:
    numbered(pdf, number, hazard.item_title)
    major = hazard.level == "major"
    field(pdf, "隐患等级", LEVEL_ZH[hazard.level], color=RED if major else BLACK, bold=major)
    field(pdf, "整改期限", zh_date(hazard.deadline), bold=True)
    field(pdf, "存在问题", hazard.description)
    field(pdf, "依据", hazard.basis)
    if hazard.major_if:
        field(pdf, "重大隐患判定", hazard.major_if)
    field(pdf, "编号", f"隐患 {hazard.hazard_id}  ·  检查项 {hazard.item_id}", color=GREY)
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
        field(pdf, "现场照片", f"照片缺失（{missing} 张）", color=GREY)
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
    codes(pdf, [(data.inspection_code_url, "检查码（扫码核验）"),
                (data.enterprise_portal_url, "企业端（扫码查看整改要求）")])


def _signatures(pdf: FPDF, data: NoticeData) -> None:
    joint_signatures(pdf, inspector=(data.inspector_signature, data.inspector_signer),
                     enterprise=(data.enterprise_signature, data.enterprise_signer), signed_at=data.signed_at,
                     issued_on=data.issued_on)
