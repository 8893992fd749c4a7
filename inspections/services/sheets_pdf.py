"""Printable sheets as A4 PDFs: the enterprise's copy of the item list of a scheduled joint inspection
(联合检查事项告知单，一表通查), the QR poster an enterprise posts at its entrance (扫码入企), and sheets of
many enterprises' QR codes to print and cut (for the safety office to hand out).

Pure rendering: models in, PDF bytes out; portal_documents.py assembles the data from the store.
One document per call and the regular face only (bold is faked by set_style): each face costs ~0.4 s.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import numpy as np
import qrcode
import qrcode.main
from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos
from PIL import Image
from pydantic import BaseModel, ConfigDict

from . import qr
from .pdf_fonts import new_pdf, set_style


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


class EnterpriseQr(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    code: str                # 统一社会信用代码
    url: str                 # the enterprise's check-in link (扫码入企), encoded in the QR


SHEET_TITLE = "联合检查事项告知单（一表通查）"
SHEET_SUBTITLE = "综合查一次 · 一次性告知"
SHEET_INTRO = ("本次联合检查的全部事项一次性告知如下，检查时不再增加其他事项。请对照逐项自查，在“自查结果”栏勾选，"
               "并备齐相关资料。")
VERIFY_LABEL = "检查码（扫码核验检查真伪）"
NO_ITEMS = "本次检查无检查事项。"
POSTER_CALL = "检查人员入企请扫码登记"
POSTER_MOTTO = "综合查一次 · 无事不扰"
SELF_CHECK = ("符合", "不符合", "不适用")

BLACK, GREY, LIGHT, RULE, HEAD_FILL = (0, 0, 0), (100, 100, 100), (170, 170, 170), (160, 160, 160), (236, 236, 236)
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…,.;:?!)]}%")  # never begins a line
NO_LINE_END = set("（《「『【〔〈“‘([{")                         # never ends a line
ELLIPSIS = "…"

# Item sheet: margins, columns (mm; they add up to the 180 mm between the margins), text sizes (pt).
MARGIN, BOTTOM = 15, 18
COLUMNS = (("序号", 10), ("编号", 17), ("检查事项", 93), ("检查部门", 38), ("自查结果", 22))
PAD = 1.6              # mm inside a table cell
TITLE_PT, BASIS_PT, CELL_PT = 10, 8, 9
TITLE_LH, BASIS_LH, CELL_LH = 5.0, 4.0, 4.6   # mm per line
HEAD_H = 7.5
SHEET_QR = 34
FIELD_LABEL_W = 32

# QR sheets: per_page -> (columns, rows), the page margin and the name's size per layout.
GRIDS = {6: (2, 3), 8: (2, 4), 12: (3, 4), 20: (4, 5)}
GRID_MARGIN = 10
GRID_NAME_PT = {6: 11, 8: 10.5, 12: 9, 20: 8}
GRID_BOX = 4           # qrcode box_size (px per module) of the sheet's codes
PROGRESS_EVERY = 50


def zh_date(day: date) -> str:
    return f"{day:%Y}年{day:%m}月{day:%d}日"


# ----------------------------------------------------------------- text helpers

def _style(pdf: FPDF, size: float, bold: bool = False, color: tuple[int, int, int] = BLACK) -> None:
    pdf.set_text_color(*color)
    pdf.set_draw_color(*color)  # the stroke of fake bold
    set_style(pdf, size, bold)


@contextmanager
def _bold(pdf: FPDF, size: float, color: tuple[int, int, int] = BLACK) -> Iterator[None]:
    """Bold text in a graphics state of its own (q ... Q). Two fpdf2 2.8.9 faults of fake bold (the
    outline stroke set_style() uses without a bold face) are worked around here:
    - it writes the stroke mode (2 Tr) before bold text, but never fill-only (0 Tr) before the regular
      text that follows: that would be stroked too, as thick as the last rule drawn. Q ends it.
    - it writes the stroke's width as the line width's number in mm read as pt (2.83 times too thin,
      barely visible): the line width is set k times larger inside, to stroke what set_style meant."""
    with pdf.local_context():
        _style(pdf, size, bold=True, color=color)
        if pdf.text_mode == TextMode.FILL_STROKE:
            pdf.set_line_width(pdf.line_width * pdf.k)
        yield


def _clean(text: str | None) -> str:
    text = re.sub(r"\s+", " ", (text or "").replace("\r", " ").replace("\n", " ")).strip()
    return text or "—"


_TOKEN = re.compile(r"[A-Za-z0-9_.\-/:%]+|.", re.S)


class _Widths:
    """String widths (mm) of the document's current font size, cached per (size, token): wrapping and
    shortening measure thousands of tokens, fpdf2's get_string_width runs its bidi pass every call."""

    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        self.cache: dict[tuple[float, str], float] = {}

    def __call__(self, text: str) -> float:
        key = (self.pdf.font_size_pt, text)
        width = self.cache.get(key)
        if width is None:
            width = self.cache[key] = self.pdf.get_string_width(text)
        return width


def _wrap(width_of: _Widths, text: str, width: float) -> list[str]:
    """Lines of at most `width` mm, broken between any two Chinese characters and between Latin runs
    (a run wider than a line is broken too). Closing punctuation never starts a line: the character
    before it moves down with it; opening punctuation never ends one."""
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for token in _TOKEN.findall(text):
        if token == " " and not line:
            continue
        pieces = [token] if width_of(token) <= width else list(token)
        for piece in pieces:
            w = width_of(piece)
            if used + w <= width or not line:
                line.append(piece)
                used += w
                continue
            carry: list[str] = []
            if piece in NO_LINE_START and len(line) > 1:
                carry.append(line.pop())
            while len(line) > 1 and line[-1] in NO_LINE_END:
                carry.insert(0, line.pop())
            lines.append(line)
            line = [*carry, piece] if piece != " " else carry
            used = sum(width_of(p) for p in line)
    if line:
        lines.append(line)
    return ["".join(parts).strip() for parts in lines] or [""]


def _shorten(width_of: _Widths, text: str, width: float, max_lines: int) -> list[str]:
    """At most `max_lines` wrapped lines; the last one ends in … when text was cut."""
    lines = _wrap(width_of, text, width)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and width_of(last + ELLIPSIS) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + ELLIPSIS
    return kept


def _qr_image(url: str, box_size: int) -> io.BytesIO:
    return io.BytesIO(qr.png_bytes(url, box_size=box_size))


# ----------------------------------------------------------------- QR codes in bulk
#
# qr.png_bytes takes ~13 ms a code, 80 % of it in qrcode's choice of mask: it lays the data out 8 times
# and scores each layout in pure Python. For sheets of thousands of codes the same choice is made here
# with numpy: qrcode encodes the data and lays it out once (mask 0); the 8 test layouts, their scores
# (qrcode's util.lost_point, rule for rule) and the finished code are array operations. The modules
# are those of qr.png_bytes (a test compares them), in about a third of the time (bench.qr_sheet).

_EC = qrcode.constants.ERROR_CORRECT_M
_FINDER_LIKE = (0b00001011101, 0b10111010000)   # qrcode's two 1:1:3:1:1 patterns, as 11-bit numbers
_WINDOW_BITS = 1 << np.arange(10, -1, -1)
_layouts: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}


def _layout(code: qrcode.QRCode) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the code's version (bool arrays, n x n): where the data modules are; the function modules as
    qrcode's test layouts have them (format and version information light); the function modules of
    the finished code for each mask (8 x n x n); the 8 masks (8 x n x n)."""
    version = code.version
    if version not in _layouts:
        probe = qrcode.QRCode(error_correction=_EC)
        probe.version, probe.modules_count = version, code.modules_count

        def function_modules(test: bool, mask: int) -> list[list[bool | None]]:
            probe.modules = qrcode.main.copy_2d_array(qrcode.main.precomputed_qr_blanks[version])
            probe.setup_type_info(test, mask)
            if version >= 7:
                probe.setup_type_number(test)
            return probe.modules

        test = function_modules(True, 0)
        data = np.array([[cell is None for cell in row] for row in test])
        tested = np.array([[bool(cell) for cell in row] for row in test])
        final = np.stack([np.array([[bool(cell) for cell in row] for row in function_modules(False, mask)])
                          for mask in range(8)])
        i, j = np.indices(data.shape)
        masks = np.stack([(i + j) % 2 == 0, i % 2 == 0, j % 3 == 0, (i + j) % 3 == 0,
                          (i // 2 + j // 3) % 2 == 0, (i * j) % 2 + (i * j) % 3 == 0,
                          ((i * j) % 2 + (i * j) % 3) % 2 == 0, ((i * j) % 3 + (i + j) % 2) % 2 == 0])
        _layouts[version] = data, tested, final, masks
    return _layouts[version]


def _lost_points(layouts: np.ndarray) -> list[int]:
    """qrcode.util.lost_point of each of the (k, n, n) layouts."""
    k, n, _ = layouts.shape
    points = np.zeros(k, dtype=np.int64)
    for grid in (layouts, layouts.transpose(0, 2, 1)):
        # runs of 5 or more modules of one colour in a row (column): length - 2 each
        change = np.ones((k, n, n + 1), dtype=bool)
        change[:, :, 1:n] = grid[:, :, 1:] != grid[:, :, :-1]
        starts = np.flatnonzero(change)
        lengths = np.diff(starts)
        weights = np.where(lengths >= 5, lengths - 2, 0)
        points += np.bincount(starts[:-1] // (n * (n + 1)), weights=weights, minlength=k).astype(np.int64)
        # 1:1:3:1:1 finder-like patterns with 4 light modules on one side: 40 each
        windows = np.lib.stride_tricks.sliding_window_view(grid, 11, axis=2) @ _WINDOW_BITS
        points += 40 * ((windows == _FINDER_LIKE[0]) | (windows == _FINDER_LIKE[1])).sum(axis=(1, 2))
    # 2 x 2 blocks of one colour: 3 each
    corner = layouts[:, :-1, :-1]
    same = ((corner == layouts[:, 1:, :-1]) & (corner == layouts[:, :-1, 1:])
            & (corner == layouts[:, 1:, 1:]))
    points += 3 * same.sum(axis=(1, 2))
    # dark share: 10 per 5 % away from 50 % (the same float arithmetic as qrcode)
    dark = layouts.sum(axis=(1, 2))
    return [int(p) + int(abs(float(d) / (n ** 2) * 100 - 50) / 5) * 10 for p, d in zip(points, dark)]


def qr_modules(url: str) -> np.ndarray:
    """The modules (bool, True dark, without border) of qr.png_bytes(url)'s code: error correction M,
    smallest version, the mask qrcode would choose."""
    code = qrcode.QRCode(error_correction=_EC, mask_pattern=0)
    code.add_data(url)
    code.make(fit=True)
    data, tested, final, masks = _layout(code)
    raw = np.array(code.modules, dtype=bool) ^ (masks[0] & data)   # the data bits, unmasked
    points = _lost_points(np.where(data, raw ^ masks, tested))
    best = points.index(min(points))
    return np.where(data, raw ^ masks[best], final[best])


def qr_picture(url: str, box_size: int = GRID_BOX, border: int = 4) -> Image.Image:
    """qr_modules(url) as a greyscale picture, `box_size` pixels a module: the picture of
    qr.png_bytes, handed to fpdf2 as is (a PNG would only be decoded again; 8-bit grey is both
    faster for fpdf2 and smaller in the PDF than 1-bit, which it transcodes to CCITT)."""
    modules = np.pad(qr_modules(url), border)
    pixels = np.repeat(np.repeat(modules, box_size, axis=0), box_size, axis=1)
    return Image.fromarray(np.where(pixels, 0, 255).astype(np.uint8))


# ----------------------------------------------------------------- item sheet (一表通查)

class _ItemSheetPDF(FPDF):
    running_head = ""

    def header(self) -> None:
        if self.page_no() > 1:
            _style(self, 8.5, color=GREY)
            self.cell(0, 5, self.running_head, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-13)
        _style(self, 9, color=GREY)
        self.cell(0, 6, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def render_item_sheet(sheet: ItemSheet) -> bytes:
    """The 一表通查 list of one joint inspection for the enterprise: who comes when, the inspection code
    as QR, then each section's items as a table with an empty 自查结果 column to tick by hand."""
    pdf = new_pdf(_ItemSheetPDF, bold=False)
    pdf.running_head = f"{SHEET_TITLE}  {sheet.enterprise_name}  {sheet.inspection_id}"
    pdf.set_margins(MARGIN, 14, MARGIN)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.set_title(f"{SHEET_TITLE} {sheet.inspection_id}")
    pdf.set_subject(sheet.enterprise_name)
    pdf.set_creator("综合查一次 Inspect Once")
    pdf.set_lang("zh-CN")
    widths = _Widths(pdf)
    pdf.add_page()

    with _bold(pdf, 18):
        pdf.cell(0, 11, SHEET_TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _style(pdf, 10.5, color=GREY)
    pdf.cell(0, 6, SHEET_SUBTITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    _sheet_head(pdf, widths, sheet)
    _style(pdf, 10)
    for line in _wrap(widths, SHEET_INTRO, pdf.epw):
        pdf.cell(0, 5.6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)

    number = 0
    for section in sheet.sections:
        _section_heading(pdf, f"{_clean(section.title)}（{len(section.items)} 项）")
        _table_head(pdf)
        for item in section.items:
            number += 1
            _item_row(pdf, widths, number, item)
        pdf.ln(3)
    if number == 0:
        _style(pdf, 11)
        pdf.cell(0, 8, NO_ITEMS, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _sheet_head(pdf: FPDF, widths: _Widths, sheet: ItemSheet) -> None:
    """The fields on the left, the inspection code's QR and its label on the right."""
    qr_column = 44
    top = pdf.get_y()
    left_w = pdf.epw - qr_column - 4
    fields = (("被检查单位", sheet.enterprise_name), ("统一社会信用代码", sheet.enterprise_code),
              ("检查编号", sheet.inspection_id), ("检查日期", zh_date(sheet.scheduled_on)),
              ("联合检查部门", "、".join(sheet.departments)), ("检查人员", "、".join(sheet.inspectors)))
    for label, value in fields:
        y = pdf.get_y()
        _style(pdf, 10.5, color=GREY)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(FIELD_LABEL_W, 6.2, label)
        _style(pdf, 10.5)
        for line in _wrap(widths, _clean(value), left_w - FIELD_LABEL_W):
            pdf.set_x(pdf.l_margin + FIELD_LABEL_W)
            if label == "被检查单位":
                with _bold(pdf, 10.5):
                    pdf.cell(left_w - FIELD_LABEL_W, 6.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            else:
                pdf.cell(left_w - FIELD_LABEL_W, 6.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    fields_bottom = pdf.get_y()

    qr_left = pdf.w - pdf.r_margin - qr_column
    pdf.image(_qr_image(sheet.verify_url, 6), x=qr_left + (qr_column - SHEET_QR) / 2, y=top,
              w=SHEET_QR, h=SHEET_QR)
    _style(pdf, 8.5, color=GREY)
    y = top + SHEET_QR + 0.5
    for line in _wrap(widths, VERIFY_LABEL, qr_column):
        pdf.set_xy(qr_left, y)
        pdf.cell(qr_column, 4.2, line, align="C")
        y += 4.2
    pdf.set_xy(pdf.l_margin, max(fields_bottom, y) + 2)
    _rule(pdf)


def _rule(pdf: FPDF) -> None:
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)


def _section_heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(9 + HEAD_H + 18):  # keep a heading with its table's head and first row
        pdf.add_page()
    pdf.ln(1)
    with _bold(pdf, 12.5):
        pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.5)


def _table_head(pdf: FPDF) -> None:
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_fill_color(*HEAD_FILL)
    for label, width in COLUMNS:
        pdf.set_xy(x, y)
        _cell_border(pdf)
        pdf.rect(x, y, width, HEAD_H, style="DF")
        with _bold(pdf, 9.5):
            pdf.cell(width, HEAD_H, label, align="C")
        x += width
    _style(pdf, CELL_PT)
    pdf.set_xy(pdf.l_margin, y + HEAD_H)


def _cell_border(pdf: FPDF) -> None:
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.25)


# A cell's content: lines of (text, size pt, line height mm, colour).
_Line = tuple[str, float, float, tuple[int, int, int]]


def _item_row(pdf: FPDF, widths: _Widths, number: int, item: SheetItem) -> None:
    """One table row; its height follows the tallest cell. A row goes whole to the next page when it
    does not fit; one taller than a whole page is split between pages, its table head repeated."""
    inner = [width - 2 * PAD for _, width in COLUMNS]

    def lines(text: str, size: float, height: float, width: float, color=BLACK) -> list[_Line]:
        _style(pdf, size)
        return [(line, size, height, color) for line in _wrap(widths, text, width)]

    title = lines(_clean(item.title), TITLE_PT, TITLE_LH, inner[2])
    basis = lines(_clean(item.basis), BASIS_PT, BASIS_LH, inner[2], GREY) if item.basis.strip() else []
    departments = [line for name in item.departments or ["—"]
                   for line in lines(_clean(name), CELL_PT, CELL_LH, inner[3])]
    cells: list[list[_Line]] = [lines(str(number), CELL_PT, CELL_LH, inner[0]),
                                lines(_clean(item.id), CELL_PT, CELL_LH, inner[1]),
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
            _style(pdf, size, color=color)
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
        _style(pdf, 8.5, color=GREY)
        pdf.set_xy(left + PAD + size + 1.2, y)
        pdf.cell(0, CELL_LH, label)
        y += CELL_LH


# ----------------------------------------------------------------- poster (扫码入企)

POSTER_QR = 120
POSTER_RULE_Y = 262


def render_enterprise_poster(entry: EnterpriseQr) -> bytes:
    """One A4 page to post at the entrance: the call to scan, a 120 mm QR of the check-in link, the
    enterprise's name (as large as fits in three lines) and credit code, the motto."""
    pdf = new_pdf(bold=False)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)
    pdf.set_title(f"扫码入企 {entry.name}")
    pdf.set_subject(entry.code)
    pdf.set_creator("综合查一次 Inspect Once")
    pdf.set_lang("zh-CN")
    widths = _Widths(pdf)
    pdf.add_page()

    name = _clean(entry.name)
    for size in (26, 22, 18, 15, 12):  # the largest size that takes at most two lines, else three
        _style(pdf, size)
        lines = _wrap(widths, name, pdf.epw)
        if len(lines) <= 2:
            break
    lines = _shorten(widths, name, pdf.epw, 3)
    name_lh = pdf.font_size * 1.45
    call_h, gap, code_h = 14, 7, 10
    block = call_h + gap + POSTER_QR + gap + len(lines) * name_lh + 3 + code_h
    top = max(pdf.t_margin, (POSTER_RULE_Y - block) / 2)   # the block centred above the motto

    pdf.set_y(top)
    with _bold(pdf, 26):
        pdf.cell(0, call_h, POSTER_CALL, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    qr_top = top + call_h + gap
    pdf.image(_qr_image(entry.url, 10), x=(pdf.w - POSTER_QR) / 2, y=qr_top, w=POSTER_QR, h=POSTER_QR)
    pdf.set_y(qr_top + POSTER_QR + gap)
    with _bold(pdf, size):
        for line in lines:
            pdf.cell(0, name_lh, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    _style(pdf, 14)
    pdf.cell(0, code_h, f"统一社会信用代码：{_clean(entry.code)}", align="C", new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)

    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin + 30, POSTER_RULE_Y, pdf.w - pdf.r_margin - 30, POSTER_RULE_Y)
    pdf.set_y(POSTER_RULE_Y + 4)
    _style(pdf, 16, color=GREY)
    pdf.cell(0, 10, POSTER_MOTTO, align="C")
    return bytes(pdf.output())


# ----------------------------------------------------------------- QR sheets

class _QrSheetPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-GRID_MARGIN + 1.5)
        _style(self, 7.5, color=LIGHT)
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
    pdf.set_title(f"企业扫码入企二维码（{len(entries)} 家）")
    pdf.set_creator("综合查一次 Inspect Once")
    pdf.set_lang("zh-CN")
    widths = _Widths(pdf)
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
        _style(pdf, name_pt)
        lines = _shorten(widths, _clean(entry.name), cell_w - 2 * pad, 2)
        if len(lines) == 1:
            y += name_lh / 2
        for line in lines:
            _centred(pdf, widths, line, left, cell_w, y, name_lh)
            y += name_lh
        _style(pdf, code_pt, color=GREY)
        _centred(pdf, widths, _clean(entry.code), left, cell_w, top + pad + size + 1.3 + 2 * name_lh, code_lh)
        done = index + 1
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return bytes(pdf.output())


def _centred(pdf: FPDF, widths: _Widths, text: str, left: float, width: float, top: float,
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
