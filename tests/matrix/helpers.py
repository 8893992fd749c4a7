"""The bad-input matrix: every importer, form and upload, one table row per bad input with an id that
says what is wrong. Each refused case checks (1) a clear message: which row, column or field and why, or
the page's error text; and (2) that nothing was written: a checksum of the contents of every table the
schema has (tests/checksums.py) and the photo files are the same before and after. Inputs that only look suspicious (GBK, BOM, a title row above the
header, a transparent PNG, notes holding HTML or markdown) must be accepted, stored as given, and shown
as text.

A bug is written as the correct behaviour and marked xfail(strict=True, reason="BUG: ...").

The matrix is split by what it feeds: test_bad_imports, test_bad_cli, test_bad_photos, test_bad_notes,
test_bad_exports, test_bad_codes, test_bad_forms, test_bad_pages, test_bad_browser. The world they feed it
to is built in conftest.py; this module holds what they share: the files for the importers and the command
line, the photos, the usernames with SQL in them, the messages a refusal is shown with, and what "nothing
written" compares."""
from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

import pytest
from openpyxl import Workbook
from PIL import Image

from inspections.domain import credit_code
from inspections.services.data import imports
from inspections.services.shared.auth import User
from inspections.readers.tabular import read_rows
from inspections.ui.i18n import catalogue as message_catalogue
from tests.checksums import table_checksums
from tests.conftest import jpeg, png, write_csv
from tests.matrix.conftest import new_code, photo_files

OFFICE = User("office", "安委办", "office")


def message(key: str, lang: str = "en", **values) -> str:
    """A message of the catalogue (inspections/ui/messages.yaml) with its values."""
    text = message_catalogue()[key].get(lang)
    return text.format(**values) if values else text


def shown(key: str, lang: str = "en", **values) -> str:
    """A refusal's message as the page's Markdown element holds it: the values (a typed code, a file
    name) escaped by labels.plain, so that they are shown as typed and never rendered."""
    from inspections.ui.labels import plain
    return message(key, lang, **{k: plain(v) if isinstance(v, str) else v for k, v in values.items()})


def state(ctx) -> tuple[dict, list]:
    """What "nothing written" compares: a checksum of the contents of every table the schema has
    (tests/checksums.py) and the photo files."""
    return table_checksums(ctx.db.query), photo_files(ctx.db.path)


HEADER = ["hazard_id", "enterprise_code", "enterprise_name", "sector", "department", "level", "description",
          "found_on", "deadline", "rectified_on", "closed_on"]
ZH_HEADER = ["隐患编号", "统一社会信用代码", "企业名称", "行业领域", "检查部门", "隐患等级", "隐患描述", "发现日期",
             "整改期限", "整改完成日期", "销号日期"]
REG_HEADER = ["code", "name", "sectors", "scenario", "address", "contact", "phone", "tier"]
GOOD = new_code(60)
BAD_CHECK = GOOD[:17] + next(c for c in credit_code.ALPHABET if c != GOOD[17])
CHECK_WHY = f"check character is '{BAD_CHECK[17]}' but GB 32100-2015 gives '{GOOD[17]}'"
REG_GOOD = new_code(61)
REG_BAD = REG_GOOD[:17] + next(c for c in credit_code.ALPHABET if c != REG_GOOD[17])
REG_WHY = f"check character is '{REG_BAD[17]}' but GB 32100-2015 gives '{REG_GOOD[17]}'"
LIMIT_MB = 50  # tabular.MAX_BYTES


def ledger(hid="MX-1", ent=GOOD, name="（矩阵）测试企业", sector="roads", dep="transport", level="general",
           desc="护栏缺失（北门）", found="2026-01-10", deadline="2026-02-10", rect="", closed=""):
    return [hid, ent, name, sector, dep, level, desc, found, deadline, rect, closed]


def enterprise(code=REG_GOOD, name="（矩阵）登记企业", sectors="消防", scenario="", address="经开区一路1号",
               contact="张三", phone="0431-8888888", tier="B"):
    return [code, name, sectors, scenario, address, contact, phone, tier]


# File builders: (folder, monkeypatch) -> the file to import.
def csv_of(rows, header=HEADER, name="ledger.csv", encoding="utf-8"):
    return lambda d, mp: write_csv(d / name, header, rows, encoding)


def text_of(text: str, name="ledger.csv", encoding="utf-8"):
    return bytes_of(text.encode(encoding), name)


def bytes_of(data: bytes, name="ledger.csv"):
    def build(d, mp):
        (d / name).write_bytes(data)
        return d / name
    return build


def xlsx_of(rows, name="ledger.xlsx"):
    def build(d, mp):
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(d / name)
        return d / name
    return build


def sized(size: int, name="ledger.csv"):
    """A file of `size` bytes without writing them (sparse): the size check comes before any read."""
    def build(d, mp):
        with (d / name).open("wb") as handle:
            handle.truncate(size)
        return d / name
    return build


def under_limit(limit: int, build):
    """The importer's size limit lowered to `limit` bytes (tabular.read_rows' max_bytes)."""
    def lowered(d, mp):
        mp.setattr(imports, "read_rows", functools.partial(read_rows, max_bytes=limit))
        return build(d, mp)
    return lowered


def renamed(build, name):
    def rename(d, mp):
        return build(d, mp).rename(d / name)
    return rename


def missing(name="nowhere.csv"):
    return lambda d, mp: d / name


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


CSV_TEXT = ",".join(HEADER) + "\n" + ",".join(ledger()) + "\n"
OLE2_XLS = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)  # the start of a legacy .xls (BIFF) file
def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def bomb_png(side: int = 20000) -> bytes:
    """A valid 1-bit greyscale PNG of side x side zeros (20000: 400 million pixels), some 50 KB on disk;
    compressed row by row, so that building it never holds the pixels."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    packer, row = zlib.compressobj(9), b"\x00" + bytes((side + 7) // 8)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body)
            + _png_chunk(b"IEND", b""))


@functools.cache
def fifty_mb() -> bytes:
    return b"\xff\xd8\xff" + bytes(50 * 1024 * 1024 - 3)


def truncated_jpeg() -> bytes:
    whole = jpeg(1200, 900)
    return whole[:len(whole) // 2]



def rgba_png() -> bytes:
    image = Image.new("RGBA", (3000, 1000), (0, 0, 0, 0))
    image.paste((220, 30, 30, 128), (0, 0, 1500, 1000))
    return png(image)


def palette_png() -> bytes:
    image = Image.new("P", (500, 400), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(1, (0, 0, 250, 400))
    return png(image, transparency=0)


def grey_alpha_png() -> bytes:
    return png(Image.new("LA", (2000, 2000), (90, 100)))


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SIGN_IN_NAMES = [
    pytest.param("admin' --", id="admin-comment"),
    pytest.param("office' --", id="real-user-comment"),
    pytest.param("' OR '1'='1' --", id="or-1-equals-1"),
    pytest.param("office\"; DROP TABLE users; --", id="drop-table"),
    pytest.param("' UNION SELECT * FROM users --", id="union-select"),
]
