"""Text layout for the Chinese PDFs: colours, dates, styles (with a fake bold that does not leak), and
line wrapping by the Chinese line-breaking rules of line_breaking (closing punctuation never starts a
line, opening punctuation never ends one, Latin words stay whole)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from inspections.rendering.line_breaking import break_lines
from inspections.rendering.pdf_fonts import CJKDocument, set_style

BLACK, GREY, LIGHT, RULE, HEAD_FILL = (0, 0, 0), (100, 100, 100), (170, 170, 170), (160, 160, 160), (236, 236, 236)
ELLIPSIS = "…"


def zh_date(day: date) -> str:
    return f"{day:%Y}年{day:%m}月{day:%d}日"


# ----------------------------------------------------------------- page furniture

class PagedPDF(CJKDocument):
    """A document whose pages after the first carry `running_head` at the top, and every page its
    number of the total at the foot."""
    running_head = ""

    def header(self) -> None:
        if self.page_no() > 1:
            style(self, 8.5, color=GREY)
            self.cell(0, 5, self.running_head, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-13)
        style(self, 9, color=GREY)
        self.cell(0, 6, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def describe(pdf: FPDF, title: str, subject: str = "") -> None:
    """The document's metadata: what a PDF reader shows as its title, subject and maker."""
    pdf.set_title(title)
    if subject:
        pdf.set_subject(subject)
    pdf.set_creator("综合查一次 Inspect Once")
    pdf.set_lang("zh-CN")


def rule(pdf: FPDF, gap: float = 2) -> None:
    """A thin line across the text width at the cursor, then `gap` mm of space."""
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(gap)


# ----------------------------------------------------------------- text helpers

def style(pdf: FPDF, size: float, bold: bool = False, color: tuple[int, int, int] = BLACK) -> None:
    pdf.set_text_color(*color)
    pdf.set_draw_color(*color)  # the stroke of fake bold
    set_style(pdf, size, bold)


@contextmanager
def bold(pdf: FPDF, size: float, color: tuple[int, int, int] = BLACK) -> Iterator[None]:
    """Bold text in a graphics state of its own (q ... Q). Two fpdf2 2.8.9 faults of fake bold (the
    outline stroke set_style() uses without a bold face) are worked around here:
    - it writes the stroke mode (2 Tr) before bold text, but never fill-only (0 Tr) before the regular
      text that follows: that would be stroked too, as thick as the last rule drawn. Q ends it.
    - it writes the stroke's width as the line width's number in mm read as pt (2.83 times too thin,
      barely visible): the line width is set k times larger inside, to stroke what set_style meant."""
    with pdf.local_context():
        style(pdf, size, bold=True, color=color)
        if pdf.text_mode == TextMode.FILL_STROKE:
            pdf.set_line_width(pdf.line_width * pdf.k)
        yield


def clean(text: str | None) -> str:
    text = re.sub(r"\s+", " ", (text or "").replace("\r", " ").replace("\n", " ")).strip()
    return text or "—"


class Widths:
    """String widths (mm) of the document's current font, cached per (style, size, token): wrapping and
    shortening measure thousands of tokens, fpdf2's get_string_width runs its bidi pass every call."""

    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        self.cache: dict[tuple[str, float, str], float] = {}

    def __call__(self, text: str) -> float:
        key = (self.pdf.font_style, self.pdf.font_size_pt, text)
        width = self.cache.get(key)
        if width is None:
            width = self.cache[key] = self.pdf.get_string_width(text)
        return width


def wrap_lines(width_of: Widths, text: str, width: float) -> list[str]:
    """Lines of at most `width` mm in the document's current font, broken where the Chinese
    line-breaking rules allow (line_breaking.break_lines): between 汉字, around Latin words (a word
    wider than a line is broken too), never before closing nor after opening punctuation."""
    return break_lines(text, width_of, width)


def shorten(width_of: Widths, text: str, width: float, max_lines: int) -> list[str]:
    """At most `max_lines` wrapped lines; the last one ends in … when text was cut."""
    lines = wrap_lines(width_of, text, width)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and width_of(last + ELLIPSIS) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + ELLIPSIS
    return kept

