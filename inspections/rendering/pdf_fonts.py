"""The CJK font of our PDFs (fpdf2): which font file, and a fresh A4 document that uses it.

fpdf2 2.8.9 embeds Noto Sans CJK correctly straight from Debian's collection file (`.ttc`, face picked
with `collection_font_number`; face 2 is the Simplified Chinese one), subset to the characters used,
with real bold from the Bold collection. Debian package: fonts-noto-cjk. WenQuanYi Zen Hei
(fonts-wqy-zenhei) works too and is kept as a second choice, without bold. Droid Sans Fallback
(fonts-droid-fallback) is not a candidate: it has no Latin letters nor digits, so dates and credit codes
would vanish from the page.

Reading our PDFs back with pypdf 7.1.0: Noto is a CID-keyed CFF font, for which fpdf2 writes its
/Encoding as an embedded CMap; pypdf does not read that and puts a NUL before every character of the
extracted text (poppler's pdftotext reads it right). Remove "\\x00" from pypdf's text before comparing.
"""
from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

APT_PACKAGE = "fonts-noto-cjk"
FAMILY = "cjk"

# Regular font files, best first; faces and bold companions below.
CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # fonts-noto-cjk
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),            # fonts-wqy-zenhei
)
_FACE = {"NotoSansCJK-Regular.ttc": 2, "NotoSansCJK-Bold.ttc": 2}  # 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
_BOLD = {"NotoSansCJK-Regular.ttc": "NotoSansCJK-Bold.ttc"}


class FontMissing(RuntimeError):
    """No CJK font file on this machine: Chinese text cannot be put in a PDF."""


def find_cjk_font(candidates: tuple[Path, ...] | list[Path] | None = None) -> Path:
    """The first existing font file of `candidates` (default CANDIDATES), or FontMissing."""
    candidates = CANDIDATES if candidates is None else tuple(candidates)
    for path in candidates:
        if Path(path).is_file():
            return Path(path)
    looked = ", ".join(str(p) for p in candidates) or "no candidate paths"
    raise FontMissing(f"No CJK font for PDF found (looked for: {looked}). "
                      f"Install it with: apt-get install {APT_PACKAGE}")


def bold_of(path: Path) -> Path | None:
    """The bold companion of a regular font file, when the machine has it."""
    name = _BOLD.get(path.name)
    bold = path.with_name(name) if name else None
    return bold if bold is not None and bold.is_file() else None


def new_pdf(cls: type[FPDF] = FPDF, *, font: Path | None = None, bold: bool = True) -> FPDF:
    """An A4 document (mm) with the CJK font registered as family "cjk" and set, auto page break on.

    Each face costs about 0.4 s to load and 0.4 s to subset on output; `bold=False` skips the bold
    face (set_style() then fakes bold by stroking the glyph outlines)."""
    path = font or find_cjk_font()
    pdf = cls(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FAMILY, "", path, collection_font_number=_FACE.get(path.name, 0))
    bold_path = bold_of(path) if bold else None
    if bold_path is not None:
        pdf.add_font(FAMILY, "B", bold_path, collection_font_number=_FACE.get(bold_path.name, 0))
    pdf.set_font(FAMILY, size=11)
    return pdf


def set_style(pdf: FPDF, size: float, bold: bool = False) -> None:
    """Set the CJK font at `size` pt, bold or not; fake bold (outline stroke) when no bold face."""
    real_bold = bold and f"{FAMILY}B" in pdf.fonts
    pdf.set_font(FAMILY, "B" if real_bold else "", size)
    if bold and not real_bold:
        pdf.text_mode = TextMode.FILL_STROKE
        pdf.set_line_width(size * 0.0035)  # mm of stroke per pt of size
    else:
        pdf.text_mode = TextMode.FILL


def face_index(path: Path) -> int:
    """The Simplified Chinese face of a font collection file (0 for a single-face file)."""
    return _FACE.get(path.name, 0)
