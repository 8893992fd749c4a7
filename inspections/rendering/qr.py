"""QR codes: the enterprise's posted code (扫码入企) and images of any link, as PNG or SVG. Reading the link
in a photographed code is readers.qr_codes."""
from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import qrcode
import qrcode.image.svg

from inspections.domain import credit_code


def enterprise_url(base_url: str, code: str) -> str:
    """The enterprise's posted code (扫码入企): an inspector's check-in at that enterprise."""
    return f"{base_url.rstrip('/')}/?enterprise={quote(code)}"


def portal_hazards_url(base_url: str) -> str:
    """The notice's portal code: the enterprise's own hazards (after sign-in; the portal shows an
    enterprise user nothing but its own enterprise)."""
    return f"{base_url.rstrip('/')}/our-hazards"


def png_bytes(data: str, box_size: int = 10) -> bytes:
    image = qrcode.make(data, box_size=box_size, border=4,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def png_file(data: str, box_size: int = 10) -> io.BytesIO:
    """The PNG as a file object, as fpdf2's image() takes it."""
    return io.BytesIO(png_bytes(data, box_size=box_size))


def svg_bytes(data: str) -> bytes:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def write_enterprise_qr(base_url: str, code: str, out: str | Path) -> str:
    """Write the enterprise's QR to `out` (.png or .svg); returns the encoded URL."""
    code = credit_code.normalise(code)
    why = credit_code.problem(code)
    if why:
        raise ValueError(f"'{code}': {why}")
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{out.name}: the QR file must end in .png or .svg")
    url = enterprise_url(base_url, code)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png_bytes(url) if suffix == ".png" else svg_bytes(url))
    return url
