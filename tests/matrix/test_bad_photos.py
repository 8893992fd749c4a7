"""The bad-input matrix (tests/matrix/helpers.py), the photos: the inspector's finding, the enterprise's
rectification evidence, the self-check."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from inspections.services.shared import photos
from inspections.services.inspector import inspecting
from inspections.services.enterprise import portal, rectification
from inspections.services.shared.photos import PhotoRefused
from inspections.store import hazards as hazard_store
from inspections.store import photos as photo_store
from tests.conftest import jpeg
from tests.matrix.conftest import TODAY, now, photo_files
from tests.matrix.helpers import (PDF, bomb_png, fifty_mb, grey_alpha_png, message, palette_png, rgba_png, state,
                                  truncated_jpeg)


# (file name as uploaded, its bytes, the reasons a refusal may give)
BAD_PHOTOS = [
    pytest.param("report.jpg", lambda: PDF, ("not_image",), id="pdf-named-jpg"),
    pytest.param("notes.jpg", lambda: "现场情况说明：灭火器过期两具。\n".encode(), ("not_image",), id="text-named-jpg"),
    pytest.param("cut.jpg", truncated_jpeg, ("not_image",), id="truncated-jpeg"),
    pytest.param("empty.jpg", lambda: b"", ("not_image",), id="zero-bytes"),
    pytest.param("marker.jpg", lambda: b"\xff\xd8\xff", ("not_image",), id="jpeg-magic-bytes-only"),
    pytest.param("huge.jpg", fifty_mb, ("too_large",), id="50-mb"),
]
SURFACES = ["inspector-finding", "rectification-evidence", "self-check"]


def upload(ctx, w, surface: str, data: bytes, *, with_good_photo: bool = True) -> list[str]:
    """Send one upload the way the surface's page does; returns the ids of the photos saved."""
    if surface == "inspector-finding":
        return [inspecting.add_photo(ctx, w.walk_inspector, w.walk_id, w.walk_item, data, now())]
    if surface == "self-check":
        return [portal.self_check_photo(ctx, w.self_user, w.self_id, w.self_items["script-tag"], data, now())]
    images = [jpeg(800, 600), data] if with_good_photo else [data]  # every file is checked before any is saved
    rectification.submit(ctx, w.enterprise_user, w.rect_hazard, "已更换灭火器", TODAY, images, now())
    return hazard_store.events(ctx.db, w.rect_hazard)[-1].evidence


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("name, data, reasons", BAD_PHOTOS)
def test_bad_photo_is_refused_and_nothing_saved(shared, surface, name, data, reasons):
    ctx, w = shared
    before, status = state(ctx), hazard_store.get(ctx.db, w.rect_hazard).status
    with pytest.raises(PhotoRefused) as caught:
        upload(ctx, w, surface, data())
    refused = caught.value
    assert refused.reason in reasons
    shown = message(f"photo_{refused.reason}", name=name, **refused.values)
    assert name in shown and ("is not an image" in shown or "is 50.0 MB, over 10 MB" in shown), shown
    assert state(ctx) == before and hazard_store.get(ctx.db, w.rect_hazard).status == status


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("side", [20000, 10950, 5001])
def test_decompression_bomb_png_is_refused_from_its_header(shared, surface, side):
    """Over 25 megapixels (5001 x 5001 is just over) is refused by the declared size, before decoding."""
    ctx, w = shared
    before = state(ctx)
    with pytest.raises(PhotoRefused) as caught:
        upload(ctx, w, surface, bomb_png(side), with_good_photo=False)
    assert (caught.value.reason, caught.value.values) == ("image_pixels", {"megapixels": round(side * side / 1e6)})
    assert "over the limit of 25 megapixels" in message("photo_image_pixels", name="huge.png", **caught.value.values)
    assert state(ctx) == before


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused_by_content(shared, surface, fmt):
    ctx, w = shared
    before = state(ctx)
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 40, 40)).save(out, format=fmt)
    with pytest.raises(PhotoRefused) as caught:
        upload(ctx, w, surface, out.getvalue(), with_good_photo=False)
    assert (caught.value.reason, caught.value.values) == ("image_format", {"format": fmt})
    assert state(ctx) == before


# (the PNG, the size it must be stored at)
GOOD_PHOTOS = [
    pytest.param(rgba_png, (1600, 533), id="rgba-png-half-transparent-3000x1000"),
    pytest.param(palette_png, (500, 400), id="palette-png-with-transparent-index"),
    pytest.param(grey_alpha_png, (1600, 1600), id="grey-alpha-png-2000x2000"),
]


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("data, size", GOOD_PHOTOS)
def test_transparent_png_is_stored_as_jpeg_of_at_most_1600_px(fresh, surface, data, size):
    ctx, w = fresh
    files = photo_files(ctx.db.path)
    saved = upload(ctx, w, surface, data(), with_good_photo=False)
    assert len(saved) == 1
    record = photo_store.get(ctx.db, saved[0])
    path = photos.path_of(ctx, record)
    assert set(photo_files(ctx.db.path)) - set(files) == {path}
    with Image.open(path) as stored:
        assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", size)
    assert (record["width"], record["height"]) == size and record["enterprise_code"]
