"""The bad-input matrix: every importer, form and upload, one table row per bad input with an id that
says what is wrong. Each refused case checks (1) a clear message: which row, column or field and why, or
the page's error text; and (2) that nothing was written: the row count of every table and the photo
files are the same before and after. Inputs that only look suspicious (GBK, BOM, a title row above the
header, a transparent PNG, notes holding HTML or markdown) must be accepted, stored as given, and shown
as text.

A bug is written as the correct behaviour and marked xfail(strict=True, reason="BUG: ...")."""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
import random
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PIL import Image

from inspections import config
from inspections.domain import credit_code
from inspections.domain.inspection_codes import CodeClaims, sign
from inspections.domain.rows import ImportRefused
from inspections.services.shared import access, auth, codes, photos
from inspections.services.data import exports, imports
from inspections.services.inspector import inspecting, notices, rechecks
from inspections.services.enterprise import portal, rectification
from inspections.services.office import registry
from inspections.services.office.accounts import AccountError
from inspections.services.shared.auth import SignInError, User
from inspections.services.shared.photos import PhotoRefused
from inspections.services.data.stats import closure_stats
from inspections.store import enterprises as enterprise_store
from inspections.store import hazards as hazard_store
from inspections.store import photos as photo_store
from inspections.readers.tabular import read_rows
from inspections.messages import refusal as refusal_message
from inspections.ui.i18n import catalogue as message_catalogue
from tests.conftest import cli_command, write_csv
from tests.matrix.conftest import (MARKDOWN_PAYLOADS, PAYLOADS, TODAY, app, copy_template, jpeg, new_code, note,
                                   now, open_page, photo_files, run, signed_in, table_counts)

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
    """What "nothing written" compares: every table's row count and the photo files."""
    return table_counts(ctx), photo_files(ctx.db.path)


# ==================================================================================================
# 1. Importers: services.imports.import_hazards / import_enterprises
# ==================================================================================================
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
# (importer, file, every text the problems must hold (a tuple: one of them), texts they must not hold)
IMPORT_REFUSALS = [
    # --- the hazard ledger, row by row -------------------------------------------------------------
    pytest.param("hazards", csv_of([ledger("MX-1"), ledger("MX-2", ent=BAD_CHECK)]),
                 [f"row 3, column enterprise_code: '{BAD_CHECK}': {CHECK_WHY}"], [],
                 id="ledger-credit-code-wrong-check-character"),
    pytest.param("hazards", csv_of([ledger(ent=GOOD[:4] + "I" + GOOD[5:])]),
                 ["row 2, column enterprise_code: ", "contains 'I', which credit codes never use"], [],
                 id="ledger-credit-code-letter-I"),
    pytest.param("hazards", csv_of([ledger(ent=GOOD[:17])]),
                 [f"row 2, column enterprise_code: '{GOOD[:17]}': has 17 characters"], [],
                 id="ledger-credit-code-17-characters"),
    pytest.param("hazards", csv_of([ledger(found="2026-02-30", deadline="2026-03-30")]),
                 ["row 2, column found_on: '2026-02-30': no such date in the calendar"], [],
                 id="ledger-impossible-date-feb-30"),
    pytest.param("hazards", csv_of([ledger(found="2026-02-01", deadline="2026-02-29")]),
                 ["row 2, column deadline: '2026-02-29': no such date in the calendar"], [],
                 id="ledger-feb-29-in-a-common-year"),
    pytest.param("hazards", csv_of([ledger(found="2026-13-01")]),
                 ["row 2, column found_on: '2026-13-01': no such date in the calendar"], [],
                 id="ledger-month-13"),
    pytest.param("hazards", csv_of([ledger(found="10/01/2026")]),
                 ["row 2, column found_on: '10/01/2026': not a date in the form YYYY-MM-DD"], [],
                 id="ledger-day-first-date"),
    pytest.param("hazards", csv_of([ledger(found="2026-03-10", deadline="2026-03-01")]),
                 ["row 2, column deadline: '2026-03-01': is before found_on 2026-03-10"], [],
                 id="ledger-deadline-before-found-on"),
    pytest.param("hazards", csv_of([ledger(rect="2026-01-20", closed="2026-01-15")]),
                 ["row 2, column closed_on: '2026-01-15': is before rectified_on 2026-01-20"], [],
                 id="ledger-closed-before-rectified"),
    pytest.param("hazards", csv_of([ledger(rect="2026-01-01")]),
                 ["row 2, column rectified_on: '2026-01-01': is before found_on 2026-01-10"], [],
                 id="ledger-rectified-before-found-on"),
    pytest.param("hazards", csv_of([ledger("MX-1"), ledger("MX-1", desc="另一处护栏缺失")]),
                 ["row 3, column hazard_id: 'MX-1': duplicate: row 2 has the same hazard_id"], [],
                 id="ledger-duplicate-hazard-id"),
    pytest.param("hazards", csv_of([ledger(sector="矿山")]),
                 ["row 2, column sector: '矿山': unknown sector"], [], id="ledger-unknown-sector"),
    pytest.param("hazards", csv_of([ledger(dep="police")]),
                 ["row 2, column department: 'police': unknown department"], [], id="ledger-unknown-department"),
    pytest.param("hazards", csv_of([ledger(level="critical")]),
                 ["row 2, column level: 'critical': unknown level (general/一般 or major/重大)"], [],
                 id="ledger-unknown-level"),
    pytest.param("hazards", csv_of([ledger(name="")]),
                 ["row 2, column enterprise_name: '': required: the enterprise is not registered yet"], [],
                 id="ledger-new-enterprise-without-name"),
    pytest.param("hazards", csv_of([ledger("MX-1", sector="矿山", dep="police"), ledger("MX-1", found="2026-02-30")]),
                 ["row 2, column sector: '矿山'", "row 2, column department: 'police'",
                  "row 3, column hazard_id: 'MX-1': duplicate", "row 3, column found_on: '2026-02-30'"], [],
                 id="ledger-every-problem-listed-at-once"),
    pytest.param("hazards", xlsx_of([["某区隐患台账（2026年）"], HEADER, ledger("MX-1"), ledger("MX-2", level="bad")]),
                 ["row 4, column level: 'bad': unknown level"], [], id="ledger-xlsx-title-row-counts-in-row-numbers"),
    pytest.param("hazards", xlsx_of([["台账"], ["（单位：经开区安委办）"], HEADER, ledger(found="2026-02-30")]),
                 ["row 4, column found_on: '2026-02-30': no such date"], [], id="ledger-xlsx-two-title-rows"),
    pytest.param("hazards", text_of(",".join(HEADER) + "\n" + ",".join(ledger("MX-1")) + "\n\n"
                                    + ",".join(ledger("MX-2", level="bad")) + "\n"),
                 ["row 4, column level: 'bad'"], [], id="ledger-csv-blank-line-between-rows"),
    pytest.param("hazards", xlsx_of([["台账"], [], HEADER, ledger(level="bad")]),
                 ["row 4, column level: 'bad'"], [], id="ledger-xlsx-blank-row-under-title"),
    # --- the hazard ledger, the header -----------------------------------------------------------------
    pytest.param("hazards", csv_of([ledger()[:8] + ledger()[9:]], header=HEADER[:8] + HEADER[9:]),
                 ["row 1: header is missing required columns: deadline (整改期限)"], ["hazard_id ("],
                 id="ledger-csv-header-without-deadline"),
    pytest.param("hazards", xlsx_of([HEADER[:8] + HEADER[9:], ledger()[:8] + ledger()[9:]]),
                 ["header is missing required columns: deadline (整改期限)"], ["hazard_id ("],
                 id="ledger-xlsx-header-without-deadline"),
    pytest.param("hazards", xlsx_of([["某区隐患台账"], HEADER[:8] + HEADER[9:], ledger()[:8] + ledger()[9:]]),
                 ["row 2: header is missing required columns: deadline (整改期限)"], ["hazard_id (", "row 1:"],
                 id="ledger-xlsx-title-row-then-header-without-deadline"),
    pytest.param("hazards", bytes_of((",".join(HEADER) + "\n").encode()),
                 ["the file has a header but no data rows"], [], id="ledger-header-only"),
    # --- the file itself ------------------------------------------------------------------------------
    pytest.param("hazards", bytes_of(b""), ["the file is empty: expected a header row and data rows"], [],
                 id="file-empty-0-bytes"),
    pytest.param("hazards", bytes_of(b"\r\n\r\n,,,\r\n"), ["the file is empty"], [], id="file-blank-lines-only"),
    pytest.param("hazards", text_of(CSV_TEXT, encoding="utf-16"), ["the file is neither UTF-8 nor GBK text"], [],
                 id="file-utf16-with-bom"),
    pytest.param("hazards", text_of(CSV_TEXT, encoding="utf-16-le"),
                 [("the file holds binary data, not CSV text", "the file is neither UTF-8 nor GBK text")], [],
                 id="file-utf16le-without-bom"),
    pytest.param("hazards", bytes_of(random.Random(7).randbytes(4096)), ["the file is neither UTF-8 nor GBK text"],
                 [], id="file-binary-junk"),
    pytest.param("hazards", bytes_of(CSV_TEXT.encode() + b"\x00\x00\x01\x02"),
                 ["the file holds binary data, not CSV text"], [], id="file-text-with-nul-bytes"),
    pytest.param("hazards", renamed(xlsx_of([HEADER, ledger()]), "ledger.csv"),
                 ["the file is neither UTF-8 nor GBK text"], [], id="file-csv-that-is-really-xlsx"),
    pytest.param("hazards", text_of(CSV_TEXT, name="ledger.xlsx"),
                 ["not a readable .xlsx workbook (BadZipFile)"], [], id="file-xlsx-that-is-really-csv"),
    pytest.param("hazards", bytes_of(OLE2_XLS, name="ledger.xlsx"), ["not a readable .xlsx workbook"], [],
                 id="file-legacy-xls-named-xlsx"),
    pytest.param("hazards", bytes_of(docx_bytes(), name="ledger.xlsx"), ["not a readable .xlsx workbook"], [],
                 id="file-docx-named-xlsx"),
    pytest.param("hazards", bytes_of(OLE2_XLS, name="ledger.xls"),
                 ["unsupported file type '.xls': use .csv or .xlsx"], [], id="file-xls-extension"),
    pytest.param("hazards", missing(), ["no such file"], [], id="file-missing"),
    pytest.param("hazards", sized(51 * 1024 * 1024), [f"the file is 51.0 MB; the limit is {LIMIT_MB} MB"], [],
                 id="file-51-mb-over-limit"),
    pytest.param("hazards", sized(LIMIT_MB * 1024 * 1024 + 1), [f"the limit is {LIMIT_MB} MB"],
                 [f"the file is {LIMIT_MB}.0 MB"], id="file-one-byte-over-limit"),
    pytest.param("hazards", under_limit(1024 * 1024, csv_of([ledger(f"MX-{n}") for n in range(16000)])),
                 ["the limit is 1 MB", "the file is 1."], [], id="file-over-lowered-1-mb-limit"),
    pytest.param("hazards", text_of(",".join(HEADER) + '\n"' + "x" * 200_000 + '"\n'),
                 ["not valid CSV: field larger than field limit"], [], id="file-one-200k-character-field"),
    # --- the enterprise registry ------------------------------------------------------------------------
    pytest.param("enterprises", csv_of([enterprise(new_code(62)), enterprise(REG_BAD)], header=REG_HEADER,
                                       name="registry.csv"),
                 [f"row 3, column code: '{REG_BAD}': {REG_WHY}"], [], id="registry-credit-code-wrong-check-character"),
    pytest.param("enterprises", csv_of([enterprise(), enterprise(name="另一家")], header=REG_HEADER,
                                       name="registry.csv"),
                 [f"row 3, column code: '{REG_GOOD}': duplicate: row 2 has the same code"], [],
                 id="registry-duplicate-code"),
    pytest.param("enterprises", csv_of([enterprise(), enterprise(" ".join(REG_GOOD.lower()))], header=REG_HEADER,
                                       name="registry.csv"),
                 [f"row 3, column code: '{REG_GOOD}': duplicate: row 2 has the same code"], [],
                 id="registry-duplicate-code-typed-lowercase-with-spaces"),
    pytest.param("enterprises", csv_of([enterprise(sectors="消防;矿山")], header=REG_HEADER, name="registry.csv"),
                 ["row 2, column sectors: '矿山': unknown sector"], [], id="registry-one-unknown-sector"),
    pytest.param("enterprises", csv_of([enterprise(scenario="月球基地")], header=REG_HEADER, name="registry.csv"),
                 ["row 2, column scenario: '月球基地': unknown scenario"], [], id="registry-unknown-scenario"),
    pytest.param("enterprises", csv_of([enterprise(tier="E")], header=REG_HEADER, name="registry.csv"),
                 ["row 2, column tier: 'E': risk tier must be A, B, C or D"], [], id="registry-tier-E"),
    pytest.param("enterprises", csv_of([enterprise(phone="call me")], header=REG_HEADER, name="registry.csv"),
                 ["row 2, column phone: 'call me': not a phone number"], [], id="registry-phone-not-a-number"),
    pytest.param("enterprises", csv_of([enterprise(name="")], header=REG_HEADER, name="registry.csv"),
                 ["row 2, column name: '': required"], [], id="registry-name-missing"),
    pytest.param("enterprises", csv_of([enterprise(sectors="矿山")], header=REG_HEADER, name="registry.csv",
                                       encoding="gbk"),
                 ["row 2, column sectors: '矿山': unknown sector"], [], id="registry-gbk-file-with-a-bad-row"),
    pytest.param("enterprises", xlsx_of([REG_HEADER[:2] + REG_HEADER[3:], enterprise()[:2] + enterprise()[3:]],
                                        name="registry.xlsx"),
                 ["header is missing required columns: sectors (行业领域)"], ["code (", "name ("],
                 id="registry-xlsx-header-without-sectors"),
    pytest.param("enterprises", xlsx_of([["企业名录"], REG_HEADER[:2] + REG_HEADER[3:],
                                         enterprise()[:2] + enterprise()[3:]], name="registry.xlsx"),
                 ["row 2: header is missing required columns: sectors (行业领域)"], ["code (", "name (", "row 1:"],
                 id="registry-xlsx-title-row-then-header-without-sectors"),
    pytest.param("enterprises", xlsx_of([["企业名录"], [], REG_HEADER, enterprise(tier="Z")], name="registry.xlsx"),
                 ["row 4, column tier: 'Z'"], [], id="registry-xlsx-blank-row-under-title"),
    pytest.param("enterprises", text_of("code,name,sectors\n" + ",".join(enterprise()[:3]) + "\n", name="registry.csv",
                                        encoding="utf-16"),
                 ["the file is neither UTF-8 nor GBK text"], [], id="registry-utf16"),
    pytest.param("enterprises", bytes_of(b"", name="registry.xlsx"), ["the file is empty"], [],
                 id="registry-empty-xlsx"),
    pytest.param("enterprises", text_of("code,name,sectors\n", name="registry.xlsx"),
                 ["not a readable .xlsx workbook"], [], id="registry-xlsx-that-is-really-csv"),
]
IMPORTERS = {"hazards": imports.import_hazards, "enterprises": imports.import_enterprises}


@pytest.mark.parametrize("kind, build, must, must_not", IMPORT_REFUSALS)
def test_import_refuses_with_row_and_column_and_writes_nothing(shared, tmp_path, monkeypatch, kind, build, must,
                                                                 must_not):
    ctx, _ = shared
    path = build(tmp_path, monkeypatch)
    before = state(ctx)
    with pytest.raises(ImportRefused) as caught:
        IMPORTERS[kind](ctx, path)
    problems = "\n".join(caught.value.problems)
    assert str(caught.value).startswith(f"{path.name}: ") and "nothing was imported" in str(caught.value)
    for text in must:  # a tuple: any one of these
        assert any(t in problems for t in ((text,) if isinstance(text, str) else text)), problems
    for text in must_not:
        assert text not in problems, problems
    assert state(ctx) == before


# (importer, a valid file (ledger row MX-1 or registry row REG_GOOD), the rows each table gains)
IMPORT_ACCEPTED = [
    pytest.param("hazards", csv_of([ledger(sector="道路交通", dep="交通运输局", level="一般")], header=ZH_HEADER,
                                   encoding="gbk"),
                 {"hazards": 1, "hazard_events": 1, "enterprises": 1}, id="ledger-gbk-chinese-headers"),
    pytest.param("hazards", csv_of([ledger()], encoding="utf-8-sig"),
                 {"hazards": 1, "hazard_events": 1, "enterprises": 1}, id="ledger-utf8-with-bom"),
    pytest.param("hazards", csv_of([ledger(sector="道路交通")], header=ZH_HEADER, encoding="gb18030"),
                 {"hazards": 1, "hazard_events": 1, "enterprises": 1}, id="ledger-gb18030"),
    pytest.param("hazards", xlsx_of([["某区隐患台账（2026年）"], HEADER,
                                     ledger(found=dt.datetime(2026, 1, 10), deadline=dt.datetime(2026, 2, 10))]),
                 {"hazards": 1, "hazard_events": 1, "enterprises": 1}, id="ledger-xlsx-title-row-and-date-cells"),
    pytest.param("enterprises", csv_of([enterprise()], header=REG_HEADER, name="registry.csv", encoding="gbk"),
                 {"enterprises": 1}, id="registry-gbk"),
    pytest.param("enterprises", csv_of([enterprise()], header=REG_HEADER, name="registry.csv", encoding="utf-8-sig"),
                 {"enterprises": 1}, id="registry-utf8-with-bom"),
    pytest.param("enterprises", xlsx_of([["企业名录（2026）"], REG_HEADER, enterprise()], name="registry.xlsx"),
                 {"enterprises": 1}, id="registry-xlsx-title-row"),
]


@pytest.mark.parametrize("kind, build, growth", IMPORT_ACCEPTED)
def test_valid_file_imports(fresh, tmp_path, monkeypatch, kind, build, growth):
    ctx, _ = fresh
    before = table_counts(ctx)
    report = IMPORTERS[kind](ctx, build(tmp_path, monkeypatch))
    after = table_counts(ctx)
    assert {t: after[t] - before[t] for t in after if after[t] != before[t]} == growth
    assert (report.rows, report.created) == (1, 1)
    if kind == "hazards":
        hazard = hazard_store.get(ctx.db, "MX-1")
        assert (hazard.description, hazard.sector, hazard.department, hazard.level) == (
            "护栏缺失（北门）", "roads", "transport", "general")
        assert (hazard.found_on, hazard.deadline) == (dt.date(2026, 1, 10), dt.date(2026, 2, 10))
        assert enterprise_store.get(ctx.db, GOOD).name == "（矩阵）测试企业"
    else:
        saved = enterprise_store.get(ctx.db, REG_GOOD)
        assert (saved.name, saved.sectors, saved.contact) == ("（矩阵）登记企业", ["fire"], "张三")


# ==================================================================================================
# 2. The command line: exit code 2, one clear line per problem, no traceback, nothing written
# ==================================================================================================

# (arguments, file given as the last argument or None, exit code, texts the output must hold)
CLI_CASES = [
    pytest.param(["import", "hazards"], csv_of([ledger("MX-1"), ledger("MX-2", ent=BAD_CHECK)]), 2,
                 [f"ledger.csv: row 3, column enterprise_code: '{BAD_CHECK}': {CHECK_WHY}",
                  "ledger.csv: refused, nothing was imported (1 problem(s))"],
                 id="import-hazards-wrong-check-character"),
    pytest.param(["import", "hazards"], csv_of([ledger(found="2026-03-10", deadline="2026-03-01",
                                                       rect="2026-03-20", closed="2026-03-12")]), 2,
                 ["ledger.csv: row 2, column deadline: '2026-03-01': is before found_on 2026-03-10",
                  "ledger.csv: row 2, column closed_on: '2026-03-12': is before rectified_on 2026-03-20",
                  "refused, nothing was imported (2 problem(s))"], id="import-hazards-swapped-dates"),
    pytest.param(["import", "hazards"], text_of(CSV_TEXT, encoding="utf-16"), 2,
                 ["ledger.csv: the file is neither UTF-8 nor GBK text"], id="import-hazards-utf16"),
    pytest.param(["import", "hazards"], sized(51 * 1024 * 1024), 2,
                 [f"ledger.csv: the file is 51.0 MB; the limit is {LIMIT_MB} MB"], id="import-hazards-51-mb"),
    pytest.param(["import", "hazards"], missing(), 2, ["nowhere.csv: no such file"], id="import-hazards-missing-file"),
    pytest.param(["import", "enterprises"], text_of("code,name,sectors\n", name="registry.xlsx"), 2,
                 ["registry.xlsx: not a readable .xlsx workbook (BadZipFile)"],
                 id="import-enterprises-xlsx-really-csv"),
    pytest.param(["import", "enterprises"], bytes_of(b"", name="registry.csv"), 2,
                 ["registry.csv: the file is empty"], id="import-enterprises-empty"),
    pytest.param(["checklist", "merge", "--sectors", "'; DROP TABLE hazards; --"], None, 2,
                 ["error: unknown sector ''; DROP TABLE hazards; --' (known: roads"], id="merge-sectors-sql-injection"),
    pytest.param(["code", "verify", "' OR 1=1 --"], None, 2, ['"valid": false', '"malformed_or_tampered"'],
                 id="code-verify-sql-metacharacters"),
    pytest.param(["code", "verify", "IO1.JC20260101-0001.91220100034A4B261A.20260101.签名"], None, 2,
                 ['"valid": false', '"malformed_or_tampered"'], id="code-verify-non-ascii-signature",
                 marks=()),
]


@pytest.mark.parametrize("args, build, exit_code, must", CLI_CASES)
def test_cli_bad_input(template, tmp_path, args, build, exit_code, must):
    db = copy_template(template, tmp_path / "db")
    argv = cli_command("--db", str(db), *args)
    if build is not None:
        argv.append(str(build(tmp_path, None)))
    before = table_counts(db), photo_files(db)
    done = subprocess.run(argv, cwd=config.REPO_ROOT, capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    output = (done.stdout + done.stderr).decode("utf-8")
    assert "Traceback" not in output, output
    assert done.returncode == exit_code, output
    for text in must:
        assert text in output, output
    assert (table_counts(db), photo_files(db)) == before


# ==================================================================================================
# 3. Photos: the inspector's finding, the enterprise's rectification evidence, the self-check
# ==================================================================================================
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


def png(image: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


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


# ==================================================================================================
# 4. Notes holding HTML and markdown: stored exactly, shown as text
# ==================================================================================================
def _stored(ctx, w, surface: str, pid: str) -> list[str]:
    if surface == "inspector-finding-note":
        answer = inspecting.walk(ctx, w.finished_inspector, w.finished_id).answers[w.finding_items[pid]]
        return [answer["note"], hazard_store.get(ctx.db, w.finding_hazards[pid]).description]
    if surface == "rectification-note":
        return [next(e.note for e in rechecks.trail(ctx, w.finished_inspector, w.finding_hazards[pid])
                     if e.action == "submit")]
    if surface == "re-inspection-rejection-reason":
        return [rectification.last_rejection(ctx, w.enterprise_user, w.rejected_hazards[pid])]
    if surface == "self-check-note":
        return [portal.check(ctx, w.self_user, w.self_id)["self_check"][w.self_items[pid]]["note"]]
    found = registry.search(ctx, OFFICE, PAYLOADS[pid])  # the name is also searched for as plain text
    return [enterprise_store.get(ctx.db, w.named[pid]).name] + [e.name for e in found]


NOTE_SURFACES = {"inspector-finding-note": "finding", "rectification-note": "rectification",
                 "re-inspection-rejection-reason": "rejection", "self-check-note": "self_check",
                 "enterprise-name": None}


@pytest.mark.parametrize("pid", PAYLOADS)
@pytest.mark.parametrize("surface", NOTE_SURFACES)
def test_note_is_stored_exactly_as_typed(shared, surface, pid):
    ctx, w = shared
    expected = note(NOTE_SURFACES[surface], pid) if NOTE_SURFACES[surface] else PAYLOADS[pid]
    assert _stored(ctx, w, surface, pid) == [expected] * (2 if surface in ("inspector-finding-note",
                                                                           "enterprise-name") else 1)


def test_rectification_notice_pdf_prints_notes_holding_html_as_text(shared):
    from inspections.rendering.pdf_fonts import FontMissing, find_cjk_font
    try:
        find_cjk_font()
    except FontMissing:
        pytest.skip("no CJK font for PDFs on this machine")
    ctx, w = shared
    before = state(ctx)
    pdf = notices.notice_pdf(ctx, w.finished_inspector, w.finished_id)
    assert pdf.startswith(b"%PDF") and state(ctx) == before
    import shutil
    if shutil.which("pdftotext"):  # each finding note is printed as typed
        text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        printed = "".join(text.decode("utf-8").split())
        assert all("".join(note("finding", pid).split()) in printed for pid in PAYLOADS), printed


MARKDOWN_ELEMENTS = {"Markdown", "Alert", "Heading"}  # element protos whose text Streamlit renders as markdown


def _unescape(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def places(at, text: str) -> list[tuple[str, bool, bool]]:
    """Where the page shows `text`: (element, rendered as markdown, HTML allowed). Text in a markdown
    element counts as rendered when it appears there unescaped."""
    found = []

    def visit(node):
        proto = getattr(node, "proto", None)
        kind = type(proto).__name__ if proto is not None else ""
        if kind in MARKDOWN_ELEMENTS:
            body = proto.body
            if text in body:
                found.append((kind, True, bool(getattr(proto, "allow_html", False))))
            elif text in _unescape(body):
                found.append((kind + " (escaped)", False, False))
        elif kind == "Expandable" and text in proto.label:
            found.append(("expander label", True, False))
        elif kind in ("Text", "Code") and text in (getattr(proto, "body", "") or getattr(proto, "code_text", "")):
            found.append((kind, False, False))
        elif type(node).__name__ == "Dataframe" and any(text == str(v) for v in node.value.to_numpy().ravel()):
            found.append(("dataframe", False, False))
        elif kind in ("TextInput", "TextArea") and text in (node.value or ""):
            found.append((kind, False, False))
        for child in (getattr(node, "children", None) or {}).values():
            visit(child)

    visit(at._tree)
    return found


NOTE_PAGES = {  # page -> how to open it
    "inspection-summary": lambda w: open_page(signed_in("traffic_police1"), "inspection", inspection=w.finished_id),
    "re-inspection": lambda w: open_page(signed_in("traffic_police1"), "rechecks"),
    "our-hazards": lambda w: open_page(signed_in(w.enterprise_user.username), "our-hazards"),
}
# (page, the note on it, where the page renders it as markdown today)
NOTE_ON_PAGE = [
    ("inspection-summary", "finding", "finish_panel.summary writes the finding note into st.markdown"),
    ("re-inspection", "finding", "rechecks._review shows the hazard description with st.write"),
    ("re-inspection", "rectification", "rechecks._review writes the enterprise's rectification note into st.markdown"),
    ("our-hazards", "finding", "my_hazards._hazard shows the hazard description with st.write"),
    ("our-hazards", "rejection", "my_hazards._hazard writes the rejection reason into st.warning (markdown)"),
]
NOTE_PAGE_CASES = [
    pytest.param(page, kind, pid, id=f"{page}-{kind}-{pid}", marks=[])
    for page, kind, where in NOTE_ON_PAGE for pid in PAYLOADS]


@pytest.fixture(scope="module")
def rendered(page_db, template):
    """Each notes page rendered once per module (AppTest), on the page database."""
    pages: dict[str, object] = {}

    def get(page: str):
        if page not in pages:
            pages[page] = NOTE_PAGES[page](template[1])
        return pages[page]
    return get


@pytest.mark.parametrize("page, kind, pid", NOTE_PAGE_CASES)
def test_note_is_shown_as_text_not_rendered(rendered, page, kind, pid):
    at = rendered(page)
    text = note(kind, pid)
    shown = places(at, text)
    assert shown, f"{text!r} is not shown on {page}"
    rendered_as_markup = [element for element, markdown, html in shown
                          if html or (markdown and pid in MARKDOWN_PAYLOADS)]
    assert not rendered_as_markup, f"{text!r} is rendered by {rendered_as_markup} on {page}"


# ==================================================================================================
# 5. Exports: text a spreadsheet would run as a formula is written as text
# ==================================================================================================
FORMULAS = {"equals": "=HYPERLINK(\"http://evil.example\",\"点我\")", "plus": "+SUM(1,2)",
            "minus": "-2+3*cmd|' /C calc'!A0", "at": "@SUM(A1:A9)"}


@pytest.fixture(scope="module")
def formula_exports(template, catalogue, tmp_path_factory):
    """A copy whose ledger holds hazards and enterprises named like formulas, exported both ways."""
    from tests.matrix.conftest import open_ctx
    folder = tmp_path_factory.mktemp("formulas")
    ctx = open_ctx(copy_template(template, folder / "db"), catalogue)
    rows = [ledger(f"FX-{key}", ent=new_code(80 + n), name=text, desc=text) for n, (key, text) in
            enumerate(FORMULAS.items())]
    imports.import_hazards(ctx, write_csv(folder / "formulas.csv", HEADER, rows))
    outputs = {}
    for suffix in (".csv", ".xlsx"):
        exports.export_hazards(ctx, folder / f"ledger{suffix}")
        outputs[suffix] = folder / f"ledger{suffix}"
    report = closure_stats(ctx, "enterprise", TODAY)
    labels = {row.group: FORMULAS[list(FORMULAS)[n % len(FORMULAS)]] for n, row in enumerate(report.rows)}
    outputs["stats"] = exports.stats_xlsx(report, labels)
    outputs["labels"] = labels
    ctx.close()
    return outputs


def _csv_row(path: Path, hazard_id: str) -> dict:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(row for row in csv.DictReader(handle) if row["hazard_id"] == hazard_id)


def _xlsx_row(path: Path, hazard_id: str) -> dict:
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == hazard_id)
    return dict(zip(header, row, strict=False))


@pytest.mark.parametrize("column", ["description", "enterprise_name"])
@pytest.mark.parametrize("key", FORMULAS)
def test_csv_export_puts_an_apostrophe_before_formula_text(formula_exports, key, column):
    assert _csv_row(formula_exports[".csv"], f"FX-{key}")[column] == "'" + FORMULAS[key]


@pytest.mark.parametrize("column", ["description", "enterprise_name"])
@pytest.mark.parametrize("key", FORMULAS)
def test_xlsx_export_writes_formula_text_as_a_string_cell(formula_exports, key, column):
    cell = _xlsx_row(formula_exports[".xlsx"], f"FX-{key}")[column]
    assert (cell.data_type, cell.value) == ("s", FORMULAS[key])


@pytest.mark.parametrize("key", FORMULAS)
def test_statistics_workbook_writes_formula_labels_as_string_cells(formula_exports, key):
    sheet = load_workbook(io.BytesIO(formula_exports["stats"])).active
    cells = [row[0] for row in sheet.iter_rows(min_row=3)]
    labelled = [c for c in cells if c.value == FORMULAS[key]]
    assert labelled and all(c.data_type == "s" for c in labelled)
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


# ==================================================================================================
# 6. Tampered inspection codes: all invalid, none raise, nothing written
# ==================================================================================================
def _parts(token: str) -> list[str]:
    return token.split(".")


def _join(parts) -> str:
    return ".".join(parts)


def _replace(index: int, value):
    return lambda token, ctx, w: _join(_parts(token)[:index] + [value(_parts(token)) if callable(value) else value]
                                       + _parts(token)[index + 1:])


TAMPERED = "malformed_or_tampered"
# (how to make the code from a genuine one, the reason expected)
TAMPERED_CODES = [
    pytest.param(lambda token, ctx, w: token, "genuine", id="control-genuine-code"),
    pytest.param(lambda token, ctx, w: _join(_parts(token)[:1] + [w.walk_id] + _parts(token)[2:]), TAMPERED,
                 id="changed-inspection-id"),
    pytest.param(_replace(3, lambda p: (dt.date(int(p[3][:4]), int(p[3][4:6]), int(p[3][6:]))
                                        + dt.timedelta(days=1)).strftime("%Y%m%d")), TAMPERED, id="changed-date"),
    pytest.param(_replace(2, lambda p: new_code(5)), TAMPERED, id="changed-enterprise"),
    pytest.param(_replace(4, lambda p: p[4][:-3]), TAMPERED, id="truncated-signature"),
    pytest.param(lambda token, ctx, w: _join(_parts(token)[:4]), TAMPERED, id="signature-dropped"),
    pytest.param(_replace(4, lambda p: p[4][::-1]), TAMPERED, id="signature-reversed"),
    pytest.param(lambda token, ctx, w: token.lower(), TAMPERED, id="lower-cased"),
    pytest.param(lambda token, ctx, w: "IO2" + token[3:], TAMPERED, id="other-prefix"),
    pytest.param(lambda token, ctx, w: token + ".extra", TAMPERED, id="six-parts"),
    pytest.param(lambda token, ctx, w: sign(_claims(token), b"another secret, 32 bytes long!!!"), TAMPERED,
                 id="signed-with-another-secret"),
    pytest.param(lambda token, ctx, w: sign(CodeClaims("JC20991231-9999", _claims(token).enterprise_code,
                                                       _claims(token).scheduled_on), ctx.secret),
                 "unknown_inspection", id="our-signature-on-an-unknown-inspection"),
    pytest.param(_replace(3, "20260230"), TAMPERED, id="impossible-date-in-code"),
    pytest.param(lambda token, ctx, w: "", TAMPERED, id="empty"),
    pytest.param(lambda token, ctx, w: "   \n", TAMPERED, id="whitespace-only"),
    pytest.param(lambda token, ctx, w: token + "A" * (10_000 - len(token)), TAMPERED, id="10000-characters"),
    pytest.param(lambda token, ctx, w: _join(["IO1", "J" * 9990, "x", "20260101", "y"]), TAMPERED,
                 id="10000-characters-in-five-parts"),
    pytest.param(lambda token, ctx, w: "检查码：请出示", TAMPERED, id="non-ascii-free-text"),
    pytest.param(_replace(4, "签名签名签名签名签名签名签名签名签名签名签名"), TAMPERED, id="non-ascii-signature",
                 marks=()),
    pytest.param(_replace(1, "检查JC-0001"), TAMPERED, id="non-ascii-inspection-id",
                 marks=()),
    pytest.param(_replace(3, lambda p: p[3].translate(str.maketrans("0123456789", "０１２３４５６７８９"))), TAMPERED,
                 id="full-width-digits-in-date", marks=()),
    pytest.param(lambda token, ctx, w: token + "\u200b", TAMPERED, id="zero-width-space-appended",
                 marks=()),
    pytest.param(lambda token, ctx, w: "' OR 1=1 --", TAMPERED, id="sql-or-1-equals-1"),
    pytest.param(_replace(1, "x' OR '1'='1"), TAMPERED, id="sql-in-inspection-id-part"),
    pytest.param(_replace(1, "x'; DROP TABLE inspections; --"), TAMPERED, id="sql-drop-table-in-id-part"),
    pytest.param(lambda token, ctx, w: token.replace(".", "\x00", 1), TAMPERED, id="nul-byte"),
]


def _claims(token: str) -> CodeClaims:
    _, inspection_id, enterprise_code, day, _ = _parts(token)
    return CodeClaims(inspection_id, enterprise_code, dt.date(int(day[:4]), int(day[4:6]), int(day[6:])))


@pytest.mark.parametrize("make, reason", TAMPERED_CODES)
def test_tampered_inspection_code_is_invalid_and_never_raises(shared, make, reason):
    ctx, w = shared
    token = make(codes.issue_code(ctx, w.finished_id), ctx, w)
    before = state(ctx)
    verification = codes.verify_code(ctx, token)
    assert (verification.valid, verification.reason) == (reason == "genuine", reason)
    assert codes.public_view(ctx, token) is None or reason == "genuine"
    assert state(ctx) == before


# ==================================================================================================
# 7. SQL metacharacters in every text that reaches a query
# ==================================================================================================
SQL_TEXTS = [
    pytest.param("' OR 1=1 --", id="or-1-equals-1"),
    pytest.param("'; DROP TABLE enterprises; --", id="drop-table"),
    pytest.param("\") OR (\"1\"=\"1", id="double-quoted-or"),
    pytest.param("%", id="like-percent"),
    pytest.param("_", id="like-underscore"),
    pytest.param("\\", id="backslash"),
    pytest.param("x') UNION SELECT username, password_hash FROM users --", id="union-select"),
    pytest.param("\x00", id="nul-byte"),
]


@pytest.mark.parametrize("text", SQL_TEXTS)
def test_registry_search_treats_sql_as_text(shared, text):
    ctx, _ = shared
    before = state(ctx)
    assert registry.search(ctx, OFFICE, text) == []
    assert state(ctx) == before


SIGN_IN_NAMES = [
    pytest.param("admin' --", id="admin-comment"),
    pytest.param("office' --", id="real-user-comment"),
    pytest.param("' OR '1'='1' --", id="or-1-equals-1"),
    pytest.param("office\"; DROP TABLE users; --", id="drop-table"),
    pytest.param("' UNION SELECT * FROM users --", id="union-select"),
]


@pytest.mark.parametrize("username", SIGN_IN_NAMES)
def test_sign_in_username_with_sql_is_just_a_wrong_username(shared, username):
    ctx, _ = shared
    before = state(ctx)
    with pytest.raises(SignInError) as caught:
        auth.sign_in(ctx, username, "Demo@2026")
    assert caught.value.reason == "invalid" and message("sign_in_invalid") == "Wrong username or password."
    assert state(ctx) == before


CHECK_IN_CODES = [
    pytest.param("' OR 1=1 --", id="or-1-equals-1"),
    pytest.param("'; DROP TABLE inspections; --", id="drop-table"),
    pytest.param("91220100034A4B261A' OR '1'='1", id="real-code-then-or"),
    pytest.param("%", id="like-percent"),
]


@pytest.mark.parametrize("typed", CHECK_IN_CODES)
def test_check_in_typed_code_with_sql_is_a_bad_code(shared, typed):
    ctx, w = shared
    before = state(ctx)
    with pytest.raises(inspecting.InspectionError) as caught:
        inspecting.check_in(ctx, w.finished_inspector, typed, "typed", now())
    assert caught.value.reason == "bad_code"
    assert message("error_bad_code", **caught.value.values) == (
        f"'{typed}' is not a valid unified social credit code.")
    assert state(ctx) == before


# ==================================================================================================
# 8. Forms: every field checked, one clear reason, nothing written
# ==================================================================================================
def _save(**changes):
    """A registry save with the fields changed; a change may be a function of the world (a code it holds)."""
    fields = dict(code=new_code(70), name="（矩阵）新企业", sectors=["fire"], scenario=None, address="", contact="",
                  phone="", tier="B", new=True)
    fields.update(changes)
    return lambda ctx, w: registry.save(ctx, OFFICE, **{k: v(w) if callable(v) else v for k, v in fields.items()})


def _taken_code(w) -> str:
    return w.finished_enterprise


def _account(**changes):
    fields = dict(username="matrix9", password="Start@2026x", role="inspector", display_name="矩阵",
                  department="fire_rescue", enterprise_code=None)
    fields.update(changes)
    return lambda ctx, w: registry.create_account(ctx, OFFICE, **fields)


def _answer(result="fail", item=None, **changes):
    return lambda ctx, w: inspecting.answer_item(ctx, w.walk_inspector, w.walk_id, item or w.walk_item, result,
                                                 note="灭火器过期", now=now(), **changes)


def _submit(what="已更换灭火器", done_on=TODAY, hazard=None):
    return lambda ctx, w: rectification.submit(ctx, w.enterprise_user, hazard(w) if hazard else w.rect_hazard, what,
                                               done_on(ctx, w) if callable(done_on) else done_on, [], now())


def _found_on(ctx, w):
    return hazard_store.get(ctx.db, w.rect_hazard).found_on


def _major_hazard(ctx):
    return ctx.db.query_dicts("""SELECT h.id, h.deadline, u.username, u.enterprise_code FROM hazards h
        JOIN users u ON u.enterprise_code = h.enterprise_code WHERE h.level = 'major'
        AND h.status IN ('open', 'rectifying') AND h.deadline >= ? ORDER BY h.id LIMIT 1""", [TODAY])


def _extension(days=30, reason="设备到货需要时间", general=False):
    def call(ctx, w):
        if general:
            return rectification.request_extension(ctx, w.enterprise_user, w.rect_hazard,
                                                   TODAY + dt.timedelta(days=days), reason, now())
        found = _major_hazard(ctx)
        # the demo world (the same on any day) leaves each enterprise account a visit 12 days ago with
        # open findings, major where the item has a major-hazard criterion
        assert found, "the demo world holds no open major hazard of an enterprise with an account"
        h = found[0]
        user = User(h["username"], "x", "enterprise", enterprise_code=h["enterprise_code"])
        return rectification.request_extension(ctx, user, h["id"], h["deadline"] + dt.timedelta(days=days), reason,
                                               now())
    return call


def _rate(rating, finished=True):
    def call(ctx, w):
        visit = ctx.db.query_dicts("""SELECT i.id, u.username, u.enterprise_code FROM inspections i
            JOIN users u ON u.enterprise_code = i.enterprise_code WHERE i.status = ?
            AND i.id NOT IN (SELECT inspection_id FROM evaluations) ORDER BY i.id LIMIT 1""",
                                   ["completed" if finished else "scheduled"])[0]
        user = User(visit["username"], "x", "enterprise", enterprise_code=visit["enterprise_code"])
        return portal.rate(ctx, user, visit["id"], rating, "好", now())
    return call


# (the form's call, the error class, its reason (or None), a text its message must hold, the page message key)
FORM_CASES = [
    pytest.param(_save(code=BAD_CHECK), registry.RegistryError, "bad_credit_code", CHECK_WHY, "error_bad_credit_code",
                 id="registry-credit-code-wrong-check-character"),
    pytest.param(_save(code=GOOD[:17]), registry.RegistryError, "bad_credit_code", "has 17 characters",
                 "error_bad_credit_code", id="registry-credit-code-17-characters"),
    pytest.param(_save(code=GOOD[:3] + "O" + GOOD[4:]), registry.RegistryError, "bad_credit_code", "contains 'O'",
                 "error_bad_credit_code", id="registry-credit-code-letter-O"),
    pytest.param(_save(code="' OR 1=1 --"), registry.RegistryError, "bad_credit_code", "characters",
                 "error_bad_credit_code", id="registry-credit-code-sql"),
    pytest.param(_save(name="   "), registry.RegistryError, "name_required", None, "error_name_required",
                 id="registry-name-blank"),
    pytest.param(_save(sectors=["mining"]), registry.RegistryError, "sectors_required", None, "error_sectors_required",
                 id="registry-unknown-sector"),
    pytest.param(_save(sectors=[]), registry.RegistryError, "sectors_required", None, "error_sectors_required",
                 id="registry-no-sector"),
    pytest.param(_save(scenario="moon_base"), registry.RegistryError, "unknown_scenario", "moon_base",
                 "error_unknown_scenario", id="registry-unknown-scenario"),
    pytest.param(_save(tier="E"), registry.RegistryError, "bad_tier", None, "error_bad_tier", id="registry-tier-E"),
    pytest.param(_save(code=_taken_code), registry.RegistryError, "code_taken", _taken_code,
                 "error_code_taken", id="registry-new-with-a-taken-code"),
    pytest.param(_save(new=False), access.NotFound, None, None, "not_found", id="registry-edit-unknown-code"),
    pytest.param(_save(code=new_code(71), phone="call me maybe"), registry.RegistryError, None, "phone", None,
                 id="registry-phone-not-a-number"),
    pytest.param(_account(password="Short1!xy"), AccountError, "password_refused", "at least 10 characters",
                 "error_password_refused",
                 id="account-password-9-characters"),
    pytest.param(_account(password="Demo@2026Demo"), AccountError, "password_refused", "published or too common",
                 "error_password_refused",
                 id="account-password-the-published-one-lengthened"),
    pytest.param(_account(department=None), AccountError, "inspector_department", "an inspector needs a department",
                 "error_inspector_department",
                 id="account-inspector-without-department"),
    pytest.param(_account(department="police"), AccountError, "account_unknown_department",
                 "unknown department 'police'", "error_account_unknown_department",
                 id="account-unknown-department"),
    pytest.param(_account(role="enterprise", department=None, enterprise_code=new_code(72)), AccountError,
                 "account_unknown_enterprise", f"unknown enterprise '{new_code(72)}'", "error_account_unknown_enterprise",
                 id="account-unknown-enterprise"),
    pytest.param(_account(role="admin", department=None), AccountError, "unknown_role", "unknown role 'admin'",
                 "error_unknown_role",
                 id="account-unknown-role"),
    pytest.param(_account(username="office", role="office", department=None), AccountError, "username_taken",
                 "the username 'office' is taken", "error_username_taken", id="account-username-taken"),
    pytest.param(_account(username="   "), AccountError, "username_empty", "the username is empty",
                 "error_username_empty",
                 id="account-username-blank"),
    pytest.param(_answer(result="maybe"), inspecting.InspectionError, "bad_result", None, "error_bad_result",
                 id="answer-unknown-result"),
    pytest.param(_answer(level="major", deadline=TODAY + dt.timedelta(days=91)), inspecting.InspectionError,
                 "bad_deadline", "90 days", "error_bad_deadline", id="answer-deadline-91-days"),
    pytest.param(_answer(deadline=TODAY - dt.timedelta(days=1)), inspecting.InspectionError, "bad_deadline", None,
                 "error_bad_deadline", id="answer-deadline-before-the-finding"),
    pytest.param(_answer(item="ZZ-999"), access.NotFound, None, None, "not_found", id="answer-item-not-on-the-list"),
    pytest.param(_submit(what="  \n "), portal.PortalError, "describe_rectification", None,
                 "error_describe_rectification", id="rectify-what-was-done-blank"),
    pytest.param(_submit(done_on=TODAY + dt.timedelta(days=1)), portal.PortalError, "cannot_submit",
                 "between the finding and today", "error_cannot_submit", id="rectify-done-tomorrow"),
    pytest.param(_submit(done_on=lambda ctx, w: _found_on(ctx, w) - dt.timedelta(days=1)), portal.PortalError,
                 "cannot_submit", "between the finding and today", "error_cannot_submit",
                 id="rectify-done-before-the-finding"),
    pytest.param(_submit(hazard=lambda w: w.finding_hazards["script-tag"]), portal.PortalError, "cannot_submit",
                 "submitted", "error_cannot_submit", id="rectify-already-submitted"),
    pytest.param(_extension(general=True), portal.PortalError, "extension_major_only", None,
                 "error_extension_major_only", id="extension-for-a-general-hazard"),
    pytest.param(_extension(days=0), portal.PortalError, "extension_not_later", None, "error_extension_not_later",
                 id="extension-deadline-not-later"),
    pytest.param(_extension(reason=" "), portal.PortalError, "extension_reason", None, "error_extension_reason",
                 id="extension-reason-blank"),
    pytest.param(_rate(0), portal.PortalError, "bad_rating", None, "error_bad_rating", id="rating-0-stars"),
    pytest.param(_rate(6), portal.PortalError, "bad_rating", None, "error_bad_rating", id="rating-6-stars"),
    pytest.param(_rate("5"), portal.PortalError, "bad_rating", None, "error_bad_rating", id="rating-as-text"),
    pytest.param(_rate(4, finished=False), portal.PortalError, "rate_after_finish", None, "error_rate_after_finish",
                 id="rating-a-visit-not-finished"),
]


@pytest.mark.parametrize("call, error, reason, text, key", FORM_CASES)
def test_form_refuses_with_a_clear_reason_and_writes_nothing(shared, call, error, reason, text, key):
    ctx, w = shared
    before = state(ctx)
    with pytest.raises(error) as caught:
        call(ctx, w)
    values = getattr(caught.value, "values", {})
    if reason is not None:
        assert caught.value.reason == reason
    if key and key.startswith(("error_", "photo_")):     # the page's own rendering, a cause translated too
        prefix = key.split("_")[0]
        assert f"{prefix}_{caught.value.reason}" == key
        shown = refusal_message(caught.value, "en", prefix)
    else:
        shown = message(key, **values) if key else str(caught.value)
    if text is not None:
        assert (text(w) if callable(text) else text) in shown, shown
    assert state(ctx) == before


# ==================================================================================================
# 9. Pages: uploads, the verify, sign-in and check-in boxes (AppTest)
# ==================================================================================================
def page_state(page_db: Path) -> tuple[dict, list]:
    """"Nothing written" for the page tests, read through the app's own (cached) context on the file."""
    from inspections.ui.runtime import context
    return table_counts(context()), photo_files(page_db)


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _run_tolerating_fragment_rerun(at):
    """AppTest runs whole scripts only: a card that answers an upload with st.rerun(scope="fragment") fails
    there with this one error (in a browser the upload itself reruns the fragment, where that is allowed)."""
    at.run()
    assert all("can only be specified from `@st.fragment`" in e.message for e in at.exception), at.exception


def test_page_inspector_photo_upload_names_the_refused_file(page_db, template):
    w = template[1]
    at = open_page(signed_in(w.walk_inspector.username), "inspection", inspection=w.walk_id)
    before = page_state(page_db)
    next(u for u in at.file_uploader if u.key.startswith(f"up-{w.walk_item}-")).set_value(
        [("report.jpg", PDF, "image/jpeg")])
    _run_tolerating_fragment_rerun(at)
    run(at)
    assert shown("photo_not_image", "zh", name="report.jpg") in _errors(at)
    assert page_state(page_db) == before


def test_page_self_check_photo_upload_names_the_refused_file(page_db, template):
    w = template[1]
    at = open_page(signed_in(w.self_user.username), "self-check", inspection=w.self_id)
    before = page_state(page_db)
    item = w.self_items["script-tag"]
    next(u for u in at.file_uploader if u.key.startswith(f"sup-{item}-")).set_value(
        ("notes.jpg", "现场情况说明".encode(), "image/jpeg"))
    try:
        _run_tolerating_fragment_rerun(at)
        at.run()
        assert not at.exception, at.exception
        assert shown("photo_not_image", "zh", name="notes.jpg") in _errors(at)
    finally:
        assert page_state(page_db) == before


def test_page_rectification_upload_names_the_refused_file(page_db, template):
    w = template[1]
    at = open_page(signed_in(w.enterprise_user.username), "our-hazards")
    before = page_state(page_db)
    at.text_area(key=f"what-{w.rect_hazard}").input("已更换灭火器")
    next(u for u in at.file_uploader if u.key == f"evidence-{w.rect_hazard}").set_value(
        [("after.jpg", jpeg(800, 600), "image/jpeg"), ("report.jpg", PDF, "image/jpeg")])
    next(b for b in at.button if (b.key or "").startswith(f"FormSubmitter:rectify-{w.rect_hazard}")).click()
    try:
        run(at)
        assert _errors(at) and all("不是图片" in e for e in _errors(at))  # the refusal is shown ...
        assert shown("photo_not_image", "zh", name="report.jpg") in _errors(at)  # ... naming the file
    finally:
        assert page_state(page_db) == before


REGISTRY_UPLOADS = [
    pytest.param("registry.csv", "code,name,sectors\n91220100034A4B261A,甲,消防\n".encode("utf-16"),
                 "the file is neither UTF-8 nor GBK text", id="utf16-csv"),
    pytest.param("registry.csv", f"code,name,sectors\n{REG_BAD},甲,消防\n".encode("gbk"),
                 f"row 2, column code: '{REG_BAD}': {REG_WHY}", id="gbk-csv-wrong-check-character"),
    pytest.param("registry.xlsx", b"code,name,sectors\n", "not a readable .xlsx workbook (BadZipFile)",
                 id="xlsx-that-is-really-csv"),
    pytest.param("registry.csv", b"", "the file is empty", id="empty-file"),
]


@pytest.fixture(scope="module")
def registry_page(page_db):
    return open_page(signed_in("office"), "registry")


@pytest.mark.parametrize("name, data, problem", REGISTRY_UPLOADS)
def test_page_registry_import_shows_the_problem_table(page_db, registry_page, name, data, problem):
    at = registry_page
    before = page_state(page_db)
    at.get("file_uploader")[0].upload(name, data, "application/octet-stream")
    run(at)
    assert _errors(at) == [message("reg_import_refused", "zh")]
    assert problem in "\n".join(at.dataframe[-1].value["problem"])
    assert page_state(page_db) == before


@pytest.fixture(scope="module")
def verify_page(page_db):
    return open_page(run(app()), "verify")


VERIFY_CODES = [
    pytest.param("' OR 1=1 --", id="sql-or-1-equals-1"),
    pytest.param("'; DROP TABLE inspections; --", id="sql-drop-table"),
    pytest.param("IO1.x' OR '1'='1.91220100034A4B261A.20260101.abc", id="sql-in-code-part"),
    pytest.param("IO1." + "A" * 10_000, id="10000-characters"),
    pytest.param("IO1.JC20260101-0001.91220100034A4B261A.20260101.签名", id="non-ascii-signature",
                 marks=()),
]


@pytest.mark.parametrize("code", VERIFY_CODES)
def test_page_verify_says_invalid(page_db, verify_page, code):
    at = verify_page
    before = page_state(page_db)
    at.text_input(key="verify_token").input(code)
    run(at)
    assert _errors(at) == [message("verify_invalid", "zh")]
    assert not at.success and page_state(page_db) == before


@pytest.fixture(scope="module")
def sign_in_page(page_db):
    return run(app())


@pytest.mark.parametrize("username", SIGN_IN_NAMES)
def test_page_sign_in_with_sql_username_says_wrong_username_or_password(page_db, sign_in_page, username):
    at = sign_in_page
    before = page_state(page_db)
    at.text_input[0].input(username)
    at.text_input[1].input("Demo@2026")
    at.button[0].click()
    run(at)
    assert _errors(at) == [message("sign_in_invalid", "zh")]
    assert page_state(page_db) == before


@pytest.fixture(scope="module")
def check_in_page(page_db):
    return open_page(signed_in("traffic_police1"), "check-in")


@pytest.mark.parametrize("typed", [pytest.param("' OR 1=1 --", id="or-1-equals-1"),
                                   pytest.param("';DROP TABLE x;--", id="drop-table"),
                                   pytest.param("%_\\", id="like-wildcards")])
def test_page_check_in_typed_sql_says_bad_code(page_db, check_in_page, typed):
    at = check_in_page
    before = page_state(page_db)
    next(t for t in at.text_input if t.label == message("check_in_typed", "zh")).input(typed)
    next(b for b in at.button if b.label == message("check_in_button", "zh")).click()
    run(at)
    assert _errors(at) == [shown("error_bad_code", "zh", code=typed)]
    assert page_state(page_db) == before


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 110, 120)).save(out, format="GIF")
    return out.getvalue()


# A photo sent as the camera's (the browser says image/jpeg whatever it holds): (bytes, the message key)
CAMERA_PHOTOS = [
    pytest.param(lambda: bomb_png(10950), "check_in_image_pixels", id="png-10950x10950-120-megapixels"),
    pytest.param(lambda: bomb_png(30000), "check_in_image_pixels", id="png-30000x30000-900-megapixels"),
    pytest.param(_gif, "check_in_image_format", id="gif"),
    pytest.param(lambda: PDF, "check_in_no_qr", id="pdf"),
]


@pytest.mark.parametrize("data, key", CAMERA_PHOTOS)
def test_page_verify_camera_photo_is_refused_in_words(page_db, data, key):
    """The public /verify page, signed out: a refusal in Chinese, never a traceback."""
    at = open_page(run(app()), "verify")
    at.toggle(key="verify_scan").set_value(True)
    run(at)
    at.camera_input(key="verify_photo").set_value(("photo.jpg", data(), "image/jpeg"))
    run(at)
    assert [w.value for w in at.warning] == [message(key, "zh")]
    assert not at.exception and not at.error and not at.success


@pytest.mark.parametrize("data, key", CAMERA_PHOTOS)
def test_page_check_in_camera_photo_is_refused_in_words(page_db, data, key):
    at = open_page(signed_in("traffic_police1"), "check-in")
    before = page_state(page_db)
    at.camera_input(key="check_in_photo").set_value(("photo.jpg", data(), "image/jpeg"))
    run(at)
    assert [w.value for w in at.warning] == [message(key, "zh")]
    assert not at.exception and not at.error and page_state(page_db) == before


# ==================================================================================================
# 10. The self-check uploader in a real browser (fragment reruns, which AppTest cannot run; the refused
#     file's side of the same bug is test_page_self_check_photo_upload_names_the_refused_file above)
# ==================================================================================================


@pytest.fixture(scope="module")
def browser_app(template, tmp_path_factory, browser):
    """`streamlit run` on a copy of the template, and headless chromium; skipped where either is missing."""
    import signal
    import socket
    import time
    import urllib.request
    db = copy_template(template, tmp_path_factory.mktemp("browser") / "db")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = (db.parent / "streamlit.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
         "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false"],
        cwd=config.REPO_ROOT, env={**os.environ, "INSPECTIONS_DB": str(db), "INSPECTIONS_BASE_URL": url},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline, "streamlit did not start"
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        yield browser, url, db  # the run's one shared browser (tests/conftest.py)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the server's own process group, started above
            server.wait(timeout=10)
        log.close()


def _self_check_card(browser_app, template, item_id: str):
    from tests.e2e.helpers import goto, sign_in
    browser, url, _ = browser_app
    w = template[1]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    goto(page, f"{url}/self-check?inspection={w.self_id}")
    sign_in(page, w.self_user.username)
    return context, page, page.locator(f".st-key-scard-{item_id}")


def test_browser_self_check_valid_photo_is_saved_once(browser_app, template, tmp_path):
    import time
    w = template[1]
    Image.new("RGB", (800, 600), (30, 160, 60)).save(tmp_path / "after.jpg", format="JPEG")
    context, page, card = _self_check_card(browser_app, template, w.self_items["markdown-bold-and-js-link"])
    try:
        files = len(photo_files(browser_app[2]))
        card.locator("input[type='file']").set_input_files(str(tmp_path / "after.jpg"))
        deadline = time.monotonic() + 20
        while len(photo_files(browser_app[2])) == files and time.monotonic() < deadline:
            time.sleep(0.2)  # until the upload is saved ...
        time.sleep(2.5)  # ... and a while longer, for any repeat
        assert len(photo_files(browser_app[2])) - files == 1
    finally:
        context.close()
