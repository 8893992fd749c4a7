"""Uploaded images are opened one way (services.images): the header first, nothing over 25 megapixels,
only JPEG, PNG and WEBP by what Pillow finds in the bytes, Pillow's decompression-bomb warning as a
refusal, and at most a few decodes at once. Every place that opens an upload goes through it: the
photographed QR codes (the public /verify page, the check-in) and inspection, self-check and
rectification photos."""
import io
import struct
import threading
import zlib

import pytest
from PIL import Image, ImageFile

from inspections.readers import images
from inspections.services.shared import photos
from inspections.rendering import qr
from inspections.readers import qr_codes
from inspections.services.shared.photos import PhotoRefused

TOKEN = "IO1.JC20261127-0001.91350100M000100Y43.20261127.abcdefghijklmnopqrstuv"
LINK = f"https://10.0.0.5:8501/?code={TOKEN}"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side: int) -> bytes:
    """A valid 1-bit PNG of side x side zeros: 10950 px (120 megapixels) is some 15 KB; written row by
    row into a streaming compressor, so that the test itself never holds the pixels."""
    packer = zlib.compressobj(9)
    row = b"\x00" + bytes((side + 7) // 8)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + _chunk(b"IDAT", body) + _chunk(b"IEND", b""))


def qr_image() -> Image.Image:
    """The inspection code's QR as a camera would frame it."""
    code = Image.open(io.BytesIO(qr.png_bytes(LINK))).convert("RGB").resize((420, 420))
    framed = Image.new("RGB", (1000, 800), (90, 110, 120))
    framed.paste(code, (290, 190))
    return framed


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


@pytest.fixture
def loads(monkeypatch):
    """Every Image.load() call made (the decode of the pixels), counted."""
    calls = []
    real = ImageFile.ImageFile.load

    def counted(self):
        calls.append(self.size)
        return real(self)
    monkeypatch.setattr(ImageFile.ImageFile, "load", counted)
    return calls


def test_the_huge_png_of_the_review_is_small_on_disk():
    assert len(bomb_png(10950)) < 455 * 1024


@pytest.mark.parametrize("side", [10950, 30000])
def test_a_huge_png_photo_of_a_code_is_refused_before_decoding(loads, side):
    assert qr_codes.decode_inspection_code(bomb_png(side)) == (None, "image_pixels")
    assert qr_codes.decode_enterprise_code(bomb_png(side)) == (None, "image_pixels")
    assert loads == []


@pytest.mark.parametrize("side", [10950, 30000])
def test_a_huge_png_evidence_photo_is_refused_before_decoding(loads, side):
    with pytest.raises(PhotoRefused) as refused:
        photos.compress(bomb_png(side))
    assert refused.value.reason == "image_pixels"
    assert refused.value.values == {"megapixels": round(side * side / 1e6)}
    assert loads == []


def test_just_over_the_pixel_limit_is_refused_and_at_the_limit_accepted(monkeypatch, loads):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    with pytest.raises(images.ImageRefused) as refused:
        with images.opened(encoded(Image.new("L", (101, 100)), "PNG")):
            pass
    assert refused.value.reason == "image_pixels" and loads == []
    with images.opened(encoded(Image.new("L", (100, 100)), "PNG")) as image:
        assert image.size == (100, 100)
    assert loads == [(100, 100)]


def test_pillows_bomb_warning_is_a_refusal(monkeypatch, loads):
    """Should Pillow's own limit ever be the lower one, its warning refuses the image too."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50 * 50)   # warns over 2,500 pixels, fails over 5,000
    for side in (60, 80):
        with pytest.raises(images.ImageRefused) as refused:
            with images.opened(encoded(Image.new("L", (side, side)), "PNG")):
                pass
        assert refused.value.reason == "image_pixels"
    assert loads == []


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused_by_content(fmt):
    data = encoded(qr_image(), fmt)
    assert qr_codes.decode_inspection_code(data) == (None, "image_format")
    with pytest.raises(PhotoRefused) as refused:
        photos.compress(data)
    assert (refused.value.reason, refused.value.values) == ("image_format", {"format": fmt})


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_normal_photo_of_a_code_still_decodes(fmt):
    data = encoded(qr_image(), fmt, **({"quality": 90} if fmt != "PNG" else {}))
    assert qr_codes.decode_inspection_code(data) == (TOKEN, None)
    jpeg, width, height = photos.compress(data)
    assert (width, height) == (1000, 800) and jpeg[:3] == b"\xff\xd8\xff"


def test_what_is_no_image_at_all_is_still_no_qr_and_not_an_image():
    assert qr_codes.decode_inspection_code(b"not an image") == (None, "no_qr")
    assert qr_codes.decode_inspection_code(b"") == (None, "no_qr")
    with pytest.raises(PhotoRefused) as refused:
        photos.compress(b"%PDF-1.4 not an image")
    assert refused.value.reason == "not_image"


def test_a_truncated_png_is_not_an_image():
    whole = encoded(Image.effect_noise((400, 300), 60), "PNG")
    with pytest.raises(images.ImageRefused) as refused:
        with images.opened(whole[:len(whole) // 2]):
            pass
    assert refused.value.reason == "not_image"


def test_decodes_at_once_are_capped_and_a_busy_server_says_so(monkeypatch):
    monkeypatch.setattr(images, "WAIT_SECONDS", 0.05)
    data = encoded(qr_image(), "PNG")
    held = [images._decoding.acquire(timeout=1) for _ in range(images.DECODERS)]
    try:
        assert all(held)
        assert qr_codes.decode_inspection_code(data) == (None, "image_busy")
        with pytest.raises(PhotoRefused) as refused:
            photos.compress(data)
        assert refused.value.reason == "image_busy"
    finally:
        for _ in held:
            images._decoding.release()
    assert qr_codes.decode_inspection_code(data) == (TOKEN, None)


def test_no_more_than_the_cap_decode_together(monkeypatch):
    """Six threads open an image each; never more than DECODERS are inside at once."""
    inside, most, lock = [0], [0], threading.Lock()
    release = threading.Event()
    monkeypatch.setattr(images, "WAIT_SECONDS", 5)
    data = encoded(Image.new("RGB", (64, 64)), "PNG")
    results = []

    def work():
        try:
            with images.opened(data):
                with lock:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                release.wait(0.2)
                with lock:
                    inside[0] -= 1
            results.append("ok")
        except images.ImageRefused as refused:
            results.append(refused.reason)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most[0] == images.DECODERS and results == ["ok"] * 6


def test_every_refusal_has_its_message_for_photos_and_for_codes():
    """The pages show photo refusals as photo_<reason> (with the file's name) and a photographed code's
    as check_in_<reason> (the verify and check-in pages); each message states the limits it names."""
    from inspections.ui.i18n import catalogue
    messages = catalogue()
    for reason in images.REASONS:
        photo = messages[f"photo_{reason}"]
        assert "{name}" in photo.zh and "{name}" in photo.en, reason
        if reason != "not_image":   # bytes that are no image at all: the code's message is check_in_no_qr
            code = messages[f"check_in_{reason}"]
            assert "{" not in code.zh + code.en, reason   # shown as t(f"check_in_{why}"), without values
    assert "2500 万像素" in messages["check_in_image_pixels"].zh and images.MAX_PIXELS == 25_000_000
    assert "25 megapixels" in messages["photo_image_pixels"].en
    for fmt in ("JPEG", "PNG", "WEBP"):
        assert fmt in messages["check_in_image_format"].zh and fmt in messages["photo_image_format"].en


def test_a_large_phone_jpeg_is_decoded_small_by_the_jpeg_decoder_and_kept(monkeypatch):
    """A 48 MP camera JPEG (8000 x 6000) is over the decode limit, yet an inspector's evidence: the JPEG
    decoder reduces it (draft mode) so at most 25 MP are decoded, and the stored photo is the usual
    1600 px. A PNG of the same size cannot be reduced so and is refused."""
    picture = Image.new("RGB", (8000, 6000), (40, 120, 200))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=60)
    decoded = []
    real_load = ImageFile.ImageFile.load

    def load(self):
        decoded.append(self.size)
        return real_load(self)
    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    stored, width, height = photos.compress(out.getvalue())
    assert (width, height) == (1600, 1200) and stored[:2] == b"\xff\xd8"
    assert decoded and all(w * h <= images.MAX_PIXELS for w, h in decoded)
    as_png = io.BytesIO()
    Image.new("L", (8000, 6000)).save(as_png, format="PNG")
    with pytest.raises(PhotoRefused) as refused:
        photos.compress(as_png.getvalue())
    assert refused.value.reason == "image_pixels"
