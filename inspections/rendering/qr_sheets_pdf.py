"""The QR poster an enterprise posts at its entrance (扫码入企) and sheets of many enterprises' codes to
print and cut (for the safety office to hand out). Pure rendering: models in, PDF bytes out."""
from __future__ import annotations

from collections.abc import Callable

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pydantic import BaseModel, ConfigDict

from inspections.rendering import qr
from inspections.rendering.pdf_fonts import CJKDocument, new_pdf
from inspections.rendering.pdf_text import (
    GREY,
    LIGHT,
    RULE,
    Widths,
    bold,
    clean,
    describe,
    shorten,
    style,
    wrap_lines,
)
from inspections.rendering.qr_bulk import qr_picture

POSTER_CALL = "检查人员入企请扫码登记"
POSTER_MOTTO = "综合查一次 · 无事不扰"
# QR sheets: per_page -> (columns, rows), the page margin and the name's size per layout.
GRIDS = {6: (2, 3), 8: (2, 4), 12: (3, 4), 20: (4, 5)}
GRID_MARGIN = 10
GRID_NAME_PT = {6: 11, 8: 10.5, 12: 9, 20: 8}
PROGRESS_EVERY = 50


class EnterpriseQr(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    code: str                # 统一社会信用代码
    url: str                 # the enterprise's check-in link (扫码入企), encoded in the QR



# ----------------------------------------------------------------- poster (扫码入企)

POSTER_QR = 120
POSTER_RULE_Y = 262


def render_enterprise_poster(entry: EnterpriseQr) -> bytes:
    """One A4 page to post at the entrance: the call to scan, a 120 mm QR of the check-in link, the
    enterprise's name (as large as fits in three lines) and credit code, the motto."""
    pdf = new_pdf(bold=False)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)
    describe(pdf, f"扫码入企 {entry.name}", entry.code)
    widths = Widths(pdf)
    pdf.add_page()

    name = clean(entry.name)
    for size in (26, 22, 18, 15, 12):  # the largest size that takes at most two lines, else three
        style(pdf, size)
        lines = wrap_lines(widths, name, pdf.epw)
        if len(lines) <= 2:
            break
    lines = shorten(widths, name, pdf.epw, 3)
    name_lh = pdf.font_size * 1.45
    call_h, gap, code_h = 14, 7, 10
    block = call_h + gap + POSTER_QR + gap + len(lines) * name_lh + 3 + code_h
    top = max(pdf.t_margin, (POSTER_RULE_Y - block) / 2)   # the block centred above the motto

    pdf.set_y(top)
    with bold(pdf, 26):
        pdf.cell(0, call_h, POSTER_CALL, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    qr_top = top + call_h + gap
    pdf.image(qr.png_file(entry.url, 10), x=(pdf.w - POSTER_QR) / 2, y=qr_top, w=POSTER_QR, h=POSTER_QR)
    pdf.set_y(qr_top + POSTER_QR + gap)
    with bold(pdf, size):
        for line in lines:
            pdf.cell(0, name_lh, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    style(pdf, 14)
    pdf.cell(0, code_h, f"统一社会信用代码：{clean(entry.code)}", align="C", new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)

    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin + 30, POSTER_RULE_Y, pdf.w - pdf.r_margin - 30, POSTER_RULE_Y)
    pdf.set_y(POSTER_RULE_Y + 4)
    style(pdf, 16, color=GREY)
    pdf.cell(0, 10, POSTER_MOTTO, align="C")
    return bytes(pdf.output())


# ----------------------------------------------------------------- QR sheets

class _QrSheetPDF(CJKDocument):
    def footer(self) -> None:
        self.set_y(-GRID_MARGIN + 1.5)
        style(self, 7.5, color=LIGHT)
        self.cell(0, 5, f"综合查一次 · 企业扫码入企二维码    第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def render_qr_sheet(entries: list[EnterpriseQr], per_page: int = 12,
                    progress: Callable[[int, int], None] | None = None) -> bytes:
    """Many enterprises' check-in codes on A4 pages to print and cut: per_page 6, 8, 12 (3 x 4) or 20,
    each cell the QR, the name in one or two lines (shortened with … when longer) and the credit code,
    dashed cut lines between cells. progress(done, total) every 50 entries and at the end."""
    if per_page not in GRIDS:
        raise ValueError(f"per_page must be one of {sorted(GRIDS)}, not {per_page}")
    entries = list(entries)
    if not entries:
        raise ValueError("no enterprises to put on the QR sheet")
    columns, rows = GRIDS[per_page]
    name_pt = GRID_NAME_PT[per_page]
    code_pt = name_pt - 1.5
    name_lh, code_lh = name_pt * 0.46, code_pt * 0.46
    pad = 3.0

    pdf = new_pdf(_QrSheetPDF, bold=False)
    pdf.set_margins(GRID_MARGIN, GRID_MARGIN, GRID_MARGIN)
    pdf.set_auto_page_break(False)
    describe(pdf, f"企业扫码入企二维码（{len(entries)} 家）")
    widths = Widths(pdf)
    cell_w = (pdf.w - 2 * GRID_MARGIN) / columns
    cell_h = (pdf.h - 2 * GRID_MARGIN) / rows
    text_h = 2 * name_lh + code_lh + 1.5
    size = min(cell_w - 2 * pad, cell_h - 2 * pad - text_h)

    total = len(entries)
    for index, entry in enumerate(entries):
        slot = index % per_page
        if slot == 0:
            pdf.add_page()
            _cut_lines(pdf, columns, rows, cell_w, cell_h)
        left = GRID_MARGIN + (slot % columns) * cell_w
        top = GRID_MARGIN + (slot // columns) * cell_h
        pdf.image(qr_picture(entry.url), x=left + (cell_w - size) / 2, y=top + pad, w=size, h=size)
        y = top + pad + size + 0.5
        style(pdf, name_pt)
        lines = shorten(widths, clean(entry.name), cell_w - 2 * pad, 2)
        if len(lines) == 1:
            y += name_lh / 2
        for line in lines:
            _centred(pdf, widths, line, left, cell_w, y, name_lh)
            y += name_lh
        style(pdf, code_pt, color=GREY)
        _centred(pdf, widths, clean(entry.code), left, cell_w, top + pad + size + 1.3 + 2 * name_lh, code_lh)
        done = index + 1
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return bytes(pdf.output())


def _centred(pdf: FPDF, widths: Widths, text: str, left: float, width: float, top: float,
             height: float) -> None:
    """`text` centred in the box, placed with text(): a sixth of what cell() costs, for thousands."""
    x = left + (width - sum(widths(char) for char in text)) / 2
    pdf.text(x, top + 0.5 * height + 0.3 * pdf.font_size, text)


def _cut_lines(pdf: FPDF, columns: int, rows: int, cell_w: float, cell_h: float) -> None:
    pdf.set_draw_color(*LIGHT)
    pdf.set_line_width(0.15)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    right, bottom = pdf.w - GRID_MARGIN, pdf.h - GRID_MARGIN
    for column in range(columns + 1):
        x = GRID_MARGIN + column * cell_w
        pdf.line(x, GRID_MARGIN, x, bottom)
    for row in range(rows + 1):
        y = GRID_MARGIN + row * cell_h
        pdf.line(GRID_MARGIN, y, right, y)
    pdf.set_dash_pattern()
