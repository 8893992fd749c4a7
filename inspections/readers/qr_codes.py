"""The link in a photographed QR code: the enterprise's posted code at check-in, an inspection code on the
public verification page. The photo is opened through readers.images like every upload (its header
checked before any pixel is decoded); zxing-cpp finds the codes."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from inspections.readers import images


def decode_link_parameter(image_bytes: bytes, parameter: str) -> tuple[str | None, str | None]:
    """(value, None) of `parameter` in the link a photographed QR code holds, or (None, why): 'no_qr'
    when no code is found in the picture (or the bytes are no image), 'wrong_qr' when the code is not
    such a link of ours, or a refusal of readers.images ('image_format', 'image_pixels', 'image_busy'):
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
