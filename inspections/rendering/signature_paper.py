"""The paper behind the tablet's signature pad: white, a base line, and a light 请在此签名 where the pen
goes, so that nobody wonders what the empty box is for. PNG bytes; the canvas shows it behind the strokes
and never sends it back, so the signature stays the strokes alone. Without a CJK font the paper keeps
the line and leaves the words to the caption above the pad."""
from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from inspections.rendering.pdf_fonts import FontMissing, face_index, find_cjk_font

HINT_GREY = (200, 200, 200)
LINE_GREY = (215, 215, 215)


@lru_cache(maxsize=8)
def paper_png(width: int, height: int, hint: str) -> bytes:
    paper = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(paper)
    base = int(height * 0.78)
    draw.line([(24, base), (width - 24, base)], fill=LINE_GREY, width=2)
    try:
        path = find_cjk_font()
        font = ImageFont.truetype(str(path), size=max(14, height // 6), index=face_index(path))
    except (FontMissing, OSError):
        font = None
    if font is not None and hint:
        left, top, right, bottom = draw.textbbox((0, 0), hint, font=font)
        draw.text(((width - (right - left)) / 2, (base - (bottom - top)) / 2 - top), hint, fill=HINT_GREY,
                  font=font)
    out = io.BytesIO()
    paper.save(out, format="PNG")
    return out.getvalue()
