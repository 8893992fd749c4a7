"""The enterprise's copy of the item list of a scheduled joint inspection as an A4 PDF (联合检查事项告知单，
一表通查): every item grouped by section, its legal basis, and boxes to tick while self-checking.
Pure rendering: models in, PDF bytes out; portal_documents.py assembles the data from the store.
One document per call and the regular face only (bold is faked by set_style): each face costs ~0.4 s."""
from __future__ import annotations

from datetime import date

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pydantic import BaseModel, ConfigDict

from inspections.rendering import qr
from inspections.rendering.pdf_fonts import new_pdf
from inspections.rendering.pdf_text import (
    BLACK,
    GREY,
    HEAD_FILL,
    RULE,
    PagedPDF,
    Widths,
    bold,
    clean,
    describe,
    rule,
    style,
    wrap_lines,
    zh_date,
)


class SheetItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str               # Chinese title of the checklist item
    basis: str               # legal basis text
    departments: list[str]   # Chinese department names


class SheetSection(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str               # "共查事项" or a sector name such as "消防"
    items: list[SheetItem]


class ItemSheet(BaseModel):
    """The enterprise's copy of the item list ("一表通查") of one scheduled joint inspection."""
    model_config = ConfigDict(frozen=True)

    enterprise_name: str
    enterprise_code: str     # 统一社会信用代码
    inspection_id: str
    scheduled_on: date
    departments: list[str]
    inspectors: list[str]
    sections: list[SheetSection]
    verify_url: str          # the inspection code (检查码) link, printed as a QR



SHEET_TITLE = "联合检查事项告知单（一表通查）"
SHEET_SUBTITLE = "综合查一次 · 一次性告知"
SHEET_INTRO = ("本次联合检查的全部事项一次性告知如下，检查时不再增加其他事项。请对照逐项自查，在“自查结果”栏勾选，"
               "并备齐相关资料。")
VERIFY_LABEL = "检查码（扫码核验检查真伪）"
NO_ITEMS = "本次检查无检查事项。"
SELF_CHECK = ("符合", "不符合", "不适用")


# Item sheet: margins, columns (mm; they add up to the 180 mm between the margins), text sizes (pt).
MARGIN, BOTTOM = 15, 18
COLUMNS = (("序号", 10), ("编号", 17), ("检查事项", 93), ("检查部门", 38), ("自查结果", 22))
PAD = 1.6              # mm inside a table cell
TITLE_PT, BASIS_PT, CELL_PT = 10, 8, 9
TITLE_LH, BASIS_LH, CELL_LH = 5.0, 4.0, 4.6   # mm per line
HEAD_H = 7.5
SHEET_QR = 34
FIELD_LABEL_W = 32




# ----------------------------------------------------------------- item sheet (一表通查)

def render_item_sheet(sheet: ItemSheet) -> bytes:
    """The 一表通查 list of one joint inspection for the enterprise: who comes when, the inspection code
    as QR, then each section's items as a table with an empty 自查结果 column to tick by hand."""
    pdf = new_pdf(PagedPDF, bold=False)
    pdf.running_head = f"{SHEET_TITLE}  {sheet.enterprise_name}  {sheet.inspection_id}"
    pdf.set_margins(MARGIN, 14, MARGIN)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    describe(pdf, f"{SHEET_TITLE} {sheet.inspection_id}", sheet.enterprise_name)
    widths = Widths(pdf)
    pdf.add_page()

    with bold(pdf, 18):
        pdf.cell(0, 11, SHEET_TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    style(pdf, 10.5, color=GREY)
    pdf.cell(0, 6, SHEET_SUBTITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    _sheet_head(pdf, widths, sheet)
    style(pdf, 10)
    for line in wrap_lines(widths, SHEET_INTRO, pdf.epw):
        pdf.cell(0, 5.6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)

    number = 0
    for section in sheet.sections:
        _section_heading(pdf, f"{clean(section.title)}（{len(section.items)} 项）")
        _table_head(pdf)
        for item in section.items:
            number += 1
            _item_row(pdf, widths, number, item)
        pdf.ln(3)
    if number == 0:
        style(pdf, 11)
        pdf.cell(0, 8, NO_ITEMS, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _sheet_head(pdf: FPDF, widths: Widths, sheet: ItemSheet) -> None:
    """The fields on the left, the inspection code's QR and its label on the right."""
    qr_column = 44
    top = pdf.get_y()
    left_w = pdf.epw - qr_column - 4
    fields = (("被检查单位", sheet.enterprise_name), ("统一社会信用代码", sheet.enterprise_code),
              ("检查编号", sheet.inspection_id), ("检查日期", zh_date(sheet.scheduled_on)),
              ("联合检查部门", "、".join(sheet.departments)), ("检查人员", "、".join(sheet.inspectors)))
    for label, value in fields:
        y = pdf.get_y()
        style(pdf, 10.5, color=GREY)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(FIELD_LABEL_W, 6.2, label)
        style(pdf, 10.5)
        for line in wrap_lines(widths, clean(value), left_w - FIELD_LABEL_W):
            pdf.set_x(pdf.l_margin + FIELD_LABEL_W)
            if label == "被检查单位":
                with bold(pdf, 10.5):
                    pdf.cell(left_w - FIELD_LABEL_W, 6.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            else:
                pdf.cell(left_w - FIELD_LABEL_W, 6.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    fields_bottom = pdf.get_y()

    qr_left = pdf.w - pdf.r_margin - qr_column
    pdf.image(qr.png_file(sheet.verify_url, 6), x=qr_left + (qr_column - SHEET_QR) / 2, y=top,
              w=SHEET_QR, h=SHEET_QR)
    style(pdf, 8.5, color=GREY)
    y = top + SHEET_QR + 0.5
    for line in wrap_lines(widths, VERIFY_LABEL, qr_column):
        pdf.set_xy(qr_left, y)
        pdf.cell(qr_column, 4.2, line, align="C")
        y += 4.2
    pdf.set_xy(pdf.l_margin, max(fields_bottom, y) + 2)
    rule(pdf)


def _section_heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(9 + HEAD_H + 18):  # keep a heading with its table's head and first row
        pdf.add_page()
    pdf.ln(1)
    with bold(pdf, 12.5):
        pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.5)


def _table_head(pdf: FPDF) -> None:
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_fill_color(*HEAD_FILL)
    for label, width in COLUMNS:
        pdf.set_xy(x, y)
        _cell_border(pdf)
        pdf.rect(x, y, width, HEAD_H, style="DF")
        with bold(pdf, 9.5):
            pdf.cell(width, HEAD_H, label, align="C")
        x += width
    style(pdf, CELL_PT)
    pdf.set_xy(pdf.l_margin, y + HEAD_H)


def _cell_border(pdf: FPDF) -> None:
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.25)


# A cell's content: lines of (text, size pt, line height mm, colour).
_Line = tuple[str, float, float, tuple[int, int, int]]


def _item_row(pdf: FPDF, widths: Widths, number: int, item: SheetItem) -> None:
    """One table row; its height follows the tallest cell. A row goes whole to the next page when it
    does not fit; one taller than a whole page is split between pages, its table head repeated."""
    inner = [width - 2 * PAD for _, width in COLUMNS]

    def lines(text: str, size: float, height: float, width: float, color=BLACK) -> list[_Line]:
        style(pdf, size)
        return [(line, size, height, color) for line in wrap_lines(widths, text, width)]

    title = lines(clean(item.title), TITLE_PT, TITLE_LH, inner[2])
    basis = lines(clean(item.basis), BASIS_PT, BASIS_LH, inner[2], GREY) if item.basis.strip() else []
    departments = [line for name in item.departments or ["—"]
                   for line in lines(clean(name), CELL_PT, CELL_LH, inner[3])]
    cells: list[list[_Line]] = [lines(str(number), CELL_PT, CELL_LH, inner[0]),
                                lines(clean(item.id), CELL_PT, CELL_LH, inner[1]),
                                title + basis, departments, []]
    boxes, fresh = True, False
    while True:
        room = pdf.page_break_trigger - pdf.get_y()
        need = _row_height(cells, boxes)
        if need <= room:
            _draw_row(pdf, cells, need, boxes)
            return
        full = pdf.page_break_trigger - pdf.t_margin - 7 - HEAD_H  # a fresh page below its header
        if not fresh and (need <= full or room < 2 * PAD + 3 * TITLE_LH):
            _continue_table(pdf)
            fresh = True
            continue
        cells, rest = _split(cells, room - 2 * PAD)
        _draw_row(pdf, cells, room, boxes)
        cells, boxes = rest, False
        _continue_table(pdf)
        fresh = True


def _continue_table(pdf: FPDF) -> None:
    pdf.add_page()
    _table_head(pdf)


def _row_height(cells: list[list[_Line]], boxes: bool) -> float:
    tallest = max(sum(line[2] for line in cell) for cell in cells)
    return max(tallest, len(SELF_CHECK) * CELL_LH if boxes else 0) + 2 * PAD


def _split(cells: list[list[_Line]], room: float) -> tuple[list[list[_Line]], list[list[_Line]]]:
    """Each cell's lines that fit in `room` mm, and the rest."""
    head, rest = [], []
    for cell in cells:
        used, count = 0.0, 0
        while count < len(cell) and used + cell[count][2] <= room:
            used += cell[count][2]
            count += 1
        head.append(cell[:count])
        rest.append(cell[count:])
    return head, rest


def _draw_row(pdf: FPDF, cells: list[list[_Line]], height: float, boxes: bool) -> None:
    """Borders, lines and tick boxes of a row that fits (no automatic page break in its middle)."""
    pdf.set_auto_page_break(False)
    top, x = pdf.get_y(), pdf.l_margin
    for (_, width), cell in zip(COLUMNS, cells):
        _cell_border(pdf)
        pdf.rect(x, top, width, height)
        y = top + PAD
        for text, size, line_height, color in cell:
            style(pdf, size, color=color)
            pdf.set_xy(x + PAD, y)
            pdf.cell(width - 2 * PAD, line_height, text, align="C" if width < 20 else "L")
            y += line_height
        x += width
    if boxes:
        _tick_boxes(pdf, x - COLUMNS[-1][1], top)
    pdf.set_xy(pdf.l_margin, top + height)
    pdf.set_auto_page_break(True, margin=BOTTOM)


def _tick_boxes(pdf: FPDF, left: float, top: float) -> None:
    """□ 符合 / □ 不符合 / □ 不适用, stacked, for the enterprise to tick by hand."""
    size = 3.0
    y = top + PAD
    for label in SELF_CHECK:
        _cell_border(pdf)
        pdf.set_draw_color(*BLACK)
        pdf.rect(left + PAD + 0.4, y + (CELL_LH - size) / 2, size, size)
        style(pdf, 8.5, color=GREY)
        pdf.set_xy(left + PAD + size + 1.2, y)
        pdf.cell(0, CELL_LH, label)
        y += CELL_LH


