"""The page furniture the visit's documents share (隐患整改通知书, 责令限期整改指令书, 现场检查记录,
整改复查意见书): a new A4 document with its title block and number (the running head and the page numbers
of pdf_text.PagedPDF on every page), headings, labelled field rows, numbered entries, wrapped paragraphs, the QR codes row,
the signature blocks (signatures as drawn, the signers' names, the signing time) and the issuer's seal
lines. The texts are the callers': this module draws, it says nothing of its own but the joint block's
fixed labels, which the notice and the record print alike.
"""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image, UnidentifiedImageError

from inspections.rendering import qr
from inspections.rendering.pdf_fonts import new_pdf
from inspections.rendering.pdf_text import BLACK, GREY, PagedPDF, Widths, describe, rule, style, wrap_lines, zh_date

LINE = 6.2             # mm per line of body text
LABEL_W = 36           # mm, the label column of a field
QR_SIZE = 36
SIGNATURE_H = 16       # mm: the drawn signature's height above its line
RED = (170, 20, 20)

# The joint block of the notice and the record (joint_signatures).
INSPECTOR_LABEL, ENTERPRISE_LABEL = "检查人员签名：", "企业负责人签名："
SIGNED_AT, RECEIVED_ON, BLANK_DATE = "签署时间：", "签收日期：", "        年      月      日"
JOINT_SEAL = "联合检查组（签章）"


class Signer(NamedTuple):
    """One signature: its label, the drawn image (a file or the image's bytes; None: a blank line to sign
    on) and the signer's name printed under the line."""
    label: str
    image: Path | bytes | None
    name: str


def new_document(title: str, number: str, subject: str) -> PagedPDF:
    """A4, margins 18/16/18, the metadata, the first page with the title and its number centred."""
    pdf = new_pdf(PagedPDF)
    pdf.running_head = f"{title}  {number}"
    pdf.widths = Widths(pdf)
    pdf.set_margins(18, 16, 18)
    describe(pdf, f"{title} {number}", subject)
    pdf.add_page()
    style(pdf, 20, bold=True)
    pdf.cell(0, 12, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    style(pdf, 11)
    pdf.cell(0, 7, number, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    return pdf


def clean(text: str | None) -> str:
    """Text as printed in a field: line breaks kept, tabs as spaces, '—' for nothing."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").strip()
    return text or "—"


def heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(8 + 3 * LINE):  # keep a heading with its first lines
        pdf.add_page()
    pdf.ln(1.5)
    style(pdf, 12.5, bold=True)
    pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    rule(pdf, 1.5)


def field(pdf: FPDF, label: str, value: str | None, *, color=BLACK, bold=False, indent=0.0) -> None:
    """A labelled row: the label in grey in its column, the value wrapped to the right margin."""
    style(pdf, 10.5, color=GREY)
    pdf.set_x(pdf.l_margin + indent)
    pdf.cell(LABEL_W, LINE, label)
    style(pdf, 10.5, bold=bold, color=color)
    wrap(pdf, LINE, clean(value))


def fields(pdf: FPDF, title: str, rows: list[tuple[str, str | None]]) -> None:
    """A heading and its labelled rows."""
    heading(pdf, title)
    for label, value in rows:
        field(pdf, label, value)


def numbered(pdf: FPDF, number: int, title: str) -> None:
    """The bold title line of a numbered entry (a hazard, a problem), kept with its first rows."""
    if pdf.will_page_break(7 + 4 * LINE):
        pdf.add_page()
    pdf.ln(1.5)
    style(pdf, 11.5, bold=True)
    wrap(pdf, 7, f"{number}. {clean(title)}")


def wrap(pdf: FPDF, height: float, text: str) -> None:
    """Text from the current x to the right margin, each paragraph wrapped by pdf_text.wrap_lines (the
    same line-breaking rules as every PDF of the app). Page breaks come from cell(); the cursor ends at
    the next line's start."""
    left = pdf.get_x()
    width = pdf.w - pdf.r_margin - left
    for paragraph in text.split("\n"):
        for line in wrap_lines(pdf.widths, paragraph, width):
            pdf.set_x(left)
            pdf.cell(width, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def paragraph(pdf: FPDF, text: str) -> None:
    style(pdf, 11)
    wrap(pdf, LINE + 0.6, text)
    pdf.ln(1)


def codes(pdf: FPDF, links: list[tuple[str, str]]) -> None:
    """QR codes side by side, each (url, caption) in a column of its own, the caption under the code."""
    if pdf.will_page_break(10 + QR_SIZE + 12):
        pdf.add_page()
    pdf.ln(4)
    top = pdf.get_y()
    column_w = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for column, (url, caption) in enumerate(links):
        left = pdf.l_margin + column * column_w
        pdf.image(io.BytesIO(qr.png_bytes(url, box_size=6)), x=left + (column_w - QR_SIZE) / 2, y=top,
                  w=QR_SIZE, h=QR_SIZE)
        pdf.set_xy(left, top + QR_SIZE + 1)
        style(pdf, 10)
        pdf.cell(column_w, 6, caption, align="C")
    pdf.set_xy(pdf.l_margin, top + QR_SIZE + 9)


def signature_line(pdf: FPDF, signer: Signer, left: float, right: float, line_y: float) -> float:
    """The label at `left`, a line to `right` at `line_y` with the drawn signature standing on it and
    the name under it; returns where the line starts."""
    pdf.set_xy(left, line_y - 7)
    pdf.cell(pdf.get_string_width(signer.label) + 1, 8, signer.label)
    start = pdf.get_x()
    pdf.set_draw_color(*BLACK)
    pdf.set_line_width(0.3)
    pdf.line(start, line_y, right, line_y)
    drawn = signature_image(signer.image)
    if drawn is not None:
        png, ratio = drawn
        width = min(SIGNATURE_H * ratio, right - start)
        pdf.image(png, x=start, y=line_y - width / ratio - 0.5, w=width, h=width / ratio)
    if signer.name:
        pdf.set_xy(start, line_y + 1)
        style(pdf, 10)
        pdf.cell(right - start, 6, clean(signer.name))
        style(pdf, 11)
    return start


def signature_pair(pdf: FPDF, left: Signer, right: Signer, *, keep: float = 52) -> float:
    """Two signatures side by side (a new page first unless `keep` mm more fit below them); returns
    the y of their lines."""
    if pdf.will_page_break(SIGNATURE_H + keep):
        pdf.add_page()
    pdf.ln(6)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    style(pdf, 11)
    line_y = pdf.get_y() + SIGNATURE_H + 2
    for column, signer in enumerate((left, right)):
        signature_line(pdf, signer, pdf.l_margin + column * half, pdf.l_margin + (column + 1) * half - 6, line_y)
    return line_y


def seal(pdf: FPDF, lines: list[str]) -> None:
    """The issuer's lines (who issues it, the date), right-aligned from the cursor down."""
    for line in lines:
        pdf.cell(0, 7, line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def signed_time(moment: datetime) -> str:
    return f"{zh_date(moment.date())} {moment:%H:%M}"


def joint_signatures(pdf: FPDF, *, inspector: tuple[Path | bytes | None, str],
                     enterprise: tuple[Path | bytes | None, str], signed_at: datetime | None,
                     issued_on: date) -> None:
    """The notice's and the record's block: the team's and the enterprise's signatures (image, name),
    when they were signed and received, and the joint team's seal with the day of issue."""
    line_y = signature_pair(pdf, Signer(INSPECTOR_LABEL, *inspector), Signer(ENTERPRISE_LABEL, *enterprise))
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.set_xy(pdf.l_margin, line_y + 9)
    pdf.cell(half, 8, f"{SIGNED_AT}{signed_time(signed_at)}" if signed_at else "")
    pdf.cell(half, 8, f"{RECEIVED_ON}{zh_date(signed_at.date()) if signed_at else BLANK_DATE}")
    pdf.set_xy(pdf.l_margin, line_y + 22)
    seal(pdf, [JOINT_SEAL, zh_date(issued_on)])


def signature_image(path: Path | bytes | None) -> tuple[io.BytesIO, float] | None:
    """(the drawn signature as PNG, width / height), or None when there is none or it cannot be read. The
    signature is a file, or the image's bytes (a document rendered as the visit is finished)."""
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
