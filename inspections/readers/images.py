"""The one way an uploaded image is opened (a photographed QR code on the public /verify page or at
check-in, an inspection, self-check or rectification photo): `opened(data)`.

Before any pixel is decoded, the header alone is read (Pillow's Image.open is lazy): the format must be
JPEG, PNG or WEBP by what Pillow finds in the bytes (never the file name; a phone's multi-picture JPEG,
which Pillow calls MPO, is a JPEG), and at most 25 megapixels are ever decoded (a 455 KB PNG can declare
10950 x 10950 zeros, some 120 million pixels). A JPEG larger than that, as a 48 or 64 MP phone camera
writes them, is decoded at a half, a quarter or an eighth of its size by the JPEG decoder itself
(Pillow's draft mode), so it still fits; PNG and WEBP cannot be decoded smaller and are refused over 25 MP. Pillow's DecompressionBombWarning is a refusal here, as
is its DecompressionBombError; Pillow's own global limit is left at its default. At most `DECODERS` images
are decoded at once across the server; a request that finds them all busy waits `WAIT_SECONDS`, then is
refused as busy. Refusals are `ImageRefused` with a reason the pages show as a message: `not_image`,
`image_format`, `image_pixels`, `image_busy` (see REASONS)."""
from __future__ import annotations

import io
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, UnidentifiedImageError

from inspections.domain.refusals import BadInput

MAX_PIXELS = 25_000_000            # decoded, at most
JPEG_SCALES = (1, 2, 4, 8)          # the JPEG decoder's own reductions of each side (draft mode)
FORMATS = ("JPEG", "PNG", "WEBP")
OPENED_AS = {*FORMATS, "MPO"}   # MPO: a JPEG carrying extra pictures, as many phone cameras write it
DECODERS = 2
WAIT_SECONDS = 3.0
REASONS = ("not_image", "image_format", "image_pixels", "image_busy")

_decoding = threading.BoundedSemaphore(DECODERS)
_warnings_lock = threading.Lock()   # warnings.catch_warnings changes process-wide state: one at a time


class ImageRefused(BadInput):
    """Why an uploaded image is not opened: a reason of REASONS and the values its message needs."""


@contextmanager
def opened(data: bytes) -> Iterator[Image.Image]:
    """The image, decoded, for the block's work (which runs holding one of the `DECODERS` slots), or
    ImageRefused before any pixel is decoded."""
    _check_header(data)
    if not _decoding.acquire(timeout=WAIT_SECONDS):
        raise ImageRefused("image_busy")
    try:
        image = _decode(data)
        with image:
            yield image
    finally:
        _decoding.release()


def _check_header(data: bytes) -> None:
    with _open(data) as image:
        if image.format not in OPENED_AS:
            raise ImageRefused("image_format", format=image.format or "?")
        width, height = image.size
        if _scale(image) is None:
            raise ImageRefused("image_pixels", megapixels=round(width * height / 1e6))
        try:
            image.verify()   # chunk checksums and structure, without decoding the pixels
        except Exception:    # noqa: BLE001 - Pillow's plugins raise many kinds on broken files
            raise ImageRefused("not_image") from None


def _scale(image: Image.Image) -> int | None:
    """The reduction of each side that brings the decoded picture within MAX_PIXELS (1: none), or None
    when no decoder reduction can (every PNG or WEBP over the limit)."""
    width, height = image.size
    scales = JPEG_SCALES if image.format in ("JPEG", "MPO") else (1,)
    return next((s for s in scales if (width // s) * (height // s) <= MAX_PIXELS), None)


def _decode(data: bytes) -> Image.Image:
    image = _open(data)
    try:
        scale = _scale(image) or 1
        if scale > 1:
            image.draft(image.mode if image.mode in ("RGB", "L") else "RGB",
                        (image.size[0] // scale, image.size[1] // scale))
        image.load()
    except Exception:    # noqa: BLE001 - a truncated or corrupt file fails here in many ways
        image.close()
        raise ImageRefused("not_image") from None
    return image


def _open(data: bytes) -> Image.Image:
    """Image.open (the header only), with Pillow's decompression-bomb warning raised as an error and
    both it and the bomb error turned into a refusal; unreadable bytes are `not_image`."""
    if not data:
        raise ImageRefused("not_image")
    try:
        with _warnings_lock, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as bomb:
        declared = re.search(r"\((\d+) pixels\)", str(bomb))   # Pillow names the size only in its text
        pixels = int(declared[1]) if declared else MAX_PIXELS + 1
        raise ImageRefused("image_pixels", megapixels=round(pixels / 1e6)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRefused("not_image") from None
