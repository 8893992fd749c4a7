"""The fonts of our PDFs (fpdf2): which CJK font file, the fallback fonts for what it cannot draw, and a
fresh A4 document that uses them.

fpdf2 2.8.9 embeds Noto Sans CJK correctly straight from Debian's collection file (`.ttc`, face picked
with `collection_font_number`; face 2 is the Simplified Chinese one), subset to the characters used,
with real bold from the Bold collection. Debian package: fonts-noto-cjk. WenQuanYi Zen Hei
(fonts-wqy-zenhei) works too and is kept as a second choice, without bold. Droid Sans Fallback
(fonts-droid-fallback) is not a candidate: it has no Latin letters nor digits, so dates and credit codes
would vanish from the page.

Reading our PDFs back with pypdf 7.1.0: Noto is a CID-keyed CFF font, for which fpdf2 writes its
/Encoding as an embedded CMap; pypdf does not read that and puts a NUL before every character of the
extracted text (poppler's pdftotext reads it right). Remove "\\x00" from pypdf's text before comparing.

Characters the CJK font has no glyph for (emoji in a note, rare symbols) are drawn with fallback fonts
when the machine has them: Noto Color Emoji (fonts-noto-color-emoji; fpdf2 2.8.9 embeds its colour
bitmaps as a Type 3 font) and Symbola (fonts-symbola: monochrome outlines of emoji, dingbats, arrows,
mathematical signs). They are registered only when a document first needs one (fpdf2 splits every text
into per-font fragments character by character once fallback fonts are set: slower). A character no
font of the document can draw is printed as the placeholder of inspections/rules/typesetting.yaml (□):
fpdf2 itself would drop it with only a log line. Invisible format characters (the emoji variation
selector U+FE0F, zero-width joiners) and skin-tone modifiers are dropped: no font draws them as
intended without text shaping (fpdf2's needs uharfbuzz), and the emoji they modify is still printed.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

from inspections.rendering.line_breaking import load_rules

APT_PACKAGE = "fonts-noto-cjk"
FAMILY = "cjk"
FALLBACK_FAMILY = "fallback"

# Regular font files, best first; faces and bold companions below.
CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # fonts-noto-cjk
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),            # fonts-wqy-zenhei
)
_FACE = {"NotoSansCJK-Regular.ttc": 2, "NotoSansCJK-Bold.ttc": 2}  # 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
_BOLD = {"NotoSansCJK-Regular.ttc": "NotoSansCJK-Bold.ttc"}

# Fallback font files, asked in this order for a character the CJK font lacks; missing ones are skipped.
FALLBACK_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),           # fonts-noto-color-emoji
    Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),  # fonts-symbola
)
FALLBACK_PACKAGES = ("fonts-noto-color-emoji", "fonts-symbola")


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


class CJKDocument(FPDF):
    """A document whose every text (drawn or measured) passes through its `glyphs` first: fpdf2 hands
    all of them to normalize_text, so no text of any PDF can miss the placeholder rule."""
    glyphs: Glyphs | None = None

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(self.glyphs.drawable(text) if self.glyphs is not None else text)


class Glyphs:
    """Which characters a document can draw: those of its CJK faces (all of them: a glyph only the
    regular face has would vanish in bold), else those of the fallback fonts, loaded on first need."""

    def __init__(self, pdf: FPDF, fallbacks: tuple[Path, ...] | list[Path], placeholder: str):
        self.pdf = pdf
        faces = [set(pdf.fonts[key].cmap) for key in pdf.fonts if key.startswith(FAMILY)]
        self.primary = frozenset(map(chr, set.intersection(*faces))) if faces else frozenset()
        self.placeholder = placeholder if placeholder in self.primary else "?"  # a placeholder that shows
        self.fallback_files = [Path(p) for p in fallbacks if Path(p).is_file()]
        self._fallback: frozenset[str] | None = None

    def drawable(self, text: str) -> str:
        """`text` with each character no font can draw replaced by the placeholder, invisible format
        characters dropped; the text itself (no copy) when the CJK font draws it all."""
        if self.primary.issuperset(text):
            return text
        return "".join(self._character(c) for c in text)

    def _character(self, c: str) -> str:
        if c in self.primary or unicodedata.category(c) == "Cc":  # control characters: fpdf2's business
            return c
        if unicodedata.category(c) == "Cf" or _variation_selector(c) or _skin_tone(c):
            return ""
        return c if c in self.fallback() else self.placeholder

    def fallback(self) -> frozenset[str]:
        """The characters of the fallback fonts; on the first call they are added to the document
        and set as its fallback fonts (an unreadable file is skipped)."""
        if self._fallback is None:
            names, chars = [], set()
            for n, path in enumerate(self.fallback_files):
                name = f"{FALLBACK_FAMILY}{n}"
                try:
                    self.pdf.add_font(name, "", path)
                except Exception:  # fontTools' errors for a broken font file are of many kinds
                    continue
                names.append(name)
                chars.update(map(chr, self.pdf.fonts[name].cmap))
            if names:
                self.pdf.set_fallback_fonts(names, exact_match=False)
            self._fallback = frozenset(chars) - self.primary
        return self._fallback


def _variation_selector(c: str) -> bool:
    return 0xFE00 <= ord(c) <= 0xFE0F or 0xE0100 <= ord(c) <= 0xE01EF


def _skin_tone(c: str) -> bool:
    """An emoji modifier (🏻..🏿): without text shaping fpdf2 would print it as a swatch beside the
    emoji it modifies; the emoji is printed in its default tone instead."""
    return 0x1F3FB <= ord(c) <= 0x1F3FF


def new_pdf(cls: type[CJKDocument] = CJKDocument, *, font: Path | None = None, bold: bool = True,
            fallbacks: tuple[Path, ...] | list[Path] | None = None) -> CJKDocument:
    """An A4 document (mm) with the CJK font registered as family "cjk" and set, auto page break on,
    and the fallback fonts (default FALLBACK_CANDIDATES; those present) for what it cannot draw.

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
    pdf.glyphs = Glyphs(pdf, FALLBACK_CANDIDATES if fallbacks is None else fallbacks, load_rules().placeholder)
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
