"""The bad-input matrix (tests/matrix/helpers.py), what the importers are fed: the hazard ledger and the
enterprise registry, row by row, header and file (services.data.imports)."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from inspections import messages
from inspections.domain.rows import ImportRefused
from inspections.services.data import imports
from inspections.store import enterprises as enterprise_store
from inspections.store import hazards as hazard_store
from tests.checksums import row_counts, table_checksums
from tests.matrix.conftest import new_code
from tests.matrix.helpers import (BAD_CHECK, CHECK_WHY, CSV_TEXT, GOOD, HEADER, LIMIT_MB, OLE2_XLS, REG_BAD, REG_GOOD,
                                  REG_HEADER, REG_WHY, ZH_HEADER, bytes_of, csv_of, docx_bytes, enterprise, ledger,
                                  missing, renamed, sized, state, text_of, under_limit, xlsx_of)


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
    problems = "\n".join(messages.import_problems(caught.value))  # the English the CLI writes
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
    before = row_counts(table_checksums(ctx.db.query))
    report = IMPORTERS[kind](ctx, build(tmp_path, monkeypatch))
    after = row_counts(table_checksums(ctx.db.query))
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
