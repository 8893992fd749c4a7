"""Photos as evidence: at most 10 MB, opened through readers.images (JPEG, PNG or WEBP by content, not by
name; at most 25 megapixels, read from the header before any pixel is decoded), re-encoded as JPEG of at most
1600 px on the long side, stored under the photo folder with an unguessable id and the enterprise they
belong to (the key of every access check). Photo files are 0600 in folders of 0700, like everything under
the data folder (inspections/owner_only.py)."""
from __future__ import annotations

import datetime as dt
import io
import secrets
from pathlib import Path

from PIL import ImageOps, UnidentifiedImageError

from inspections import config, owner_only
from inspections.store import photos as photo_store
from inspections.readers import images
from inspections.services.shared.context import Context
from inspections.domain.refusals import BadInput

MAX_MB = 10                   # each photo: the uploaders' limit (st.file_uploader max_upload_size) and the text
MAX_BYTES = MAX_MB * 1024 * 1024
MAX_SIDE = 1600
JPEG_QUALITY = 82


class PhotoRefused(BadInput):
    """Why an upload is not accepted, in words for the person who sent it."""


def compress(data: bytes) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height) of an image upload, or PhotoRefused: too_large, or a reason of
    images.ImageRefused (not_image, image_format, image_pixels, image_busy)."""
    if len(data) > MAX_BYTES:
        raise PhotoRefused("too_large", size_mb=round(len(data) / 1048576, 1), limit_mb=MAX_MB)
    if not data:
        raise PhotoRefused("not_image")
    try:
        with images.opened(data) as image:   # the header checked first; decoded holding a decode slot
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            image = image.convert("RGB")
    except images.ImageRefused as refused:
        raise PhotoRefused(refused.reason, **refused.values) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise PhotoRefused("not_image") from None
    image.info.clear()          # no metadata goes on: Pillow would copy the JPEG comment segment over
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), image.width, image.height


def store(ctx: Context, cursor, data: bytes, *, enterprise_code: str, purpose: str, uploaded_by: str,
          inspection_id: str | None = None, hazard_id: str | None = None,
          now: dt.datetime | None = None, size: tuple[int, int] | None = None) -> str:
    """Save the photo file and its record (in the caller's transaction); returns its id. `size` says
    that `data` is already what `compress` made, of that width and height (it is not opened again)."""
    jpeg, width, height = (data, *size) if size else compress(data)
    now = now or ctx.clock.instant()
    photo_id = secrets.token_urlsafe(16)
    relative = Path(f"{now:%Y%m}") / f"{photo_id}.jpg"
    target = config.photo_dir(ctx.db.path) / relative
    owner_only.make_dirs(target.parent)
    owner_only.write_bytes(target, jpeg)
    photo_store.insert(cursor, {
        "id": photo_id, "enterprise_code": enterprise_code, "inspection_id": inspection_id,
        "hazard_id": hazard_id, "purpose": purpose, "path": str(relative), "bytes": len(jpeg),
        "width": width, "height": height, "uploaded_by": uploaded_by, "uploaded_at": now})
    return photo_id


def path_of(ctx: Context, record: dict) -> Path:
    return config.photo_dir(ctx.db.path) / record["path"]
