"""QR codes: the enterprise's posted code (扫码入企) and images of any link, as PNG or SVG; and the link in a
photographed code, the photo opened through services.images like every upload."""
from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import qrcode
import qrcode.image.svg

from inspections.domain import credit_code
from inspections.services import images


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


def decode_link_parameter(image_bytes: bytes, parameter: str) -> tuple[str | None, str | None]:
    """(value, None) of `parameter` in the link a photographed QR code holds, or (None, why): 'no_qr'
    when no code is found in the picture (or the bytes are no image), 'wrong_qr' when the code is not
    such a link of ours, or a refusal of services.images ('image_format', 'image_pixels', 'image_busy'):
    the photo is opened as every upload is, its header checked before any pixel is decoded."""
    import zxingcpp
    try:
        with images.opened(image_bytes) as image:
            found = zxingcpp.read_barcodes(image)
    except images.ImageRefused as refused:
        if refused.reason != "not_image":
            return None, refused.reason
        found = []
    texts = [f.text for f in found if f.text]
    if not texts:
        return None, "no_qr"
    for text in texts:
        values = parse_qs(urlparse(text).query).get(parameter)
        if values:
            return values[0], None
    return None, "wrong_qr"


def decode_enterprise_code(image_bytes: bytes) -> tuple[str | None, str | None]:
    """The credit code in a photo of an enterprise's posted QR code (扫码入企)."""
    return decode_link_parameter(image_bytes, "enterprise")


def decode_inspection_code(image_bytes: bytes) -> tuple[str | None, str | None]:
    """The inspection code (检查码) in a photo of the QR an inspector shows."""
    return decode_link_parameter(image_bytes, "code")
