"""The ledger and registry importers: every rule, encodings, .xlsx, Chinese headers, atomicity,
idempotent re-import and the export/import round trip."""
import csv
import datetime as dt

import pytest
from openpyxl import Workbook

from inspections import messages
from inspections.domain.rows import ImportRefused
from inspections.services.shared.context import Context
from inspections.services.data.exports import export_hazards
from inspections.services.data.imports import import_enterprises, import_hazards
from inspections.services.data.stats import closure_stats
from inspections.store import enterprises as enterprise_store
from inspections.store import hazards as hazard_store
from tests.conftest import code, write_csv

HEADER = ["hazard_id", "enterprise_code", "enterprise_name", "sector", "department", "level",
          "description", "found_on", "deadline", "rectified_on", "closed_on"]
ZH_HEADER = ["隐患编号", "统一社会信用代码", "企业名称", "行业领域", "检查部门", "隐患等级", "隐患描述",
             "发现日期", "整改期限", "整改完成日期", "销号日期"]


def row(hid="H1", ent=None, name="演示企业", sector="roads", dep="transport", level="general",
        desc="消防通道堵塞", found="2026-01-10", deadline="2026-02-10", rect="", closed=""):
    return [hid, ent or code(1), name, sector, dep, level, desc, found, deadline, rect, closed]


def refused(ctx, path):
    with pytest.raises(ImportRefused) as caught:
        import_hazards(ctx, path)
    assert hazard_store.count(ctx.db) == 0 and enterprise_store.count(ctx.db) == 0
    return messages.import_problems(caught.value)


def test_good_ledger_creates_hazards_enterprises_and_events(ctx, tmp_path):
    path = write_csv(tmp_path / "l.csv", HEADER, [row(), row("H2", closed="2026-02-01", rect="2026-01-20")])
    report = import_hazards(ctx, path)
    assert (report.created, report.updated, report.unchanged, report.enterprises_created) == (2, 0, 0, 1)
    assert enterprise_store.get(ctx.db, code(1)).sectors == ["roads"]
    h2 = hazard_store.get(ctx.db, "H2")
    assert h2.status == "closed" and h2.source == "import"
    assert [e.action for e in hazard_store.events(ctx.db, "H2")] == ["import"]


@pytest.mark.parametrize("bad, column, why", [
    (dict(ent="91350100M000100Y44"), "enterprise_code", "check character is '4' but GB 32100-2015 gives '3'"),
    (dict(deadline="2026-01-09"), "deadline", "is before found_on 2026-01-10"),
    (dict(rect="2026-01-01"), "rectified_on", "is before found_on"),
    (dict(closed="2026-01-05"), "closed_on", "is before found_on"),
    (dict(rect="2026-01-20", closed="2026-01-15"), "closed_on", "is before rectified_on 2026-01-20"),
    (dict(found="2026-02-30"), "found_on", "no such date in the calendar"),
    (dict(found="10/01/2026"), "found_on", "not a date in the form YYYY-MM-DD"),
    (dict(sector="mining"), "sector", "unknown sector"),
    (dict(dep="police"), "department", "unknown department"),
    (dict(level="critical"), "level", "unknown level"),
    (dict(desc=""), "description", "required"),
    (dict(hid=""), "hazard_id", "required"),
])
def test_each_rule_refuses_the_whole_file(ctx, tmp_path, bad, column, why):
    path = write_csv(tmp_path / "l.csv", HEADER, [row("H0"), row(**{"hid": "H1", **bad})])
    problems = refused(ctx, path)
    assert len(problems) == 1
    assert problems[0].startswith(f"row 3, column {column}: ")
    assert why in problems[0]


def test_problem_line_format(ctx, tmp_path):
    problems = refused(ctx, write_csv(tmp_path / "l.csv", HEADER, [row(sector="矿山")]))
    assert problems == ["row 2, column sector: '矿山': unknown sector"]


def test_all_problems_listed_at_once(ctx, tmp_path):
    path = write_csv(tmp_path / "l.csv", HEADER, [row("H1", level="x"), row("H1", dep="y")])
    problems = refused(ctx, path)
    assert len(problems) == 3
    assert any("duplicate: row 2 has the same hazard_id" in p for p in problems)


def test_unknown_enterprise_needs_a_name(ctx, tmp_path):
    problems = refused(ctx, write_csv(tmp_path / "l.csv", HEADER, [row(name="")]))
    assert problems == ["row 2, column enterprise_name: '': required: the enterprise is not registered yet "
                        "and is created from this row"]


def test_chinese_headers_names_and_gbk(ctx, tmp_path):
    rows = [row("YH-1", sector="道路交通", dep="应急管理局", level="重大", found="2026-03-01",
                deadline="2026-04-01")]
    path = write_csv(tmp_path / "gbk.csv", ZH_HEADER, rows, encoding="gbk")
    import_hazards(ctx, path)
    hazard = hazard_store.get(ctx.db, "YH-1")
    assert (hazard.sector, hazard.department, hazard.level) == ("roads", "emergency", "major")
    assert enterprise_store.get(ctx.db, code(1)).name == "演示企业"


def test_utf8_with_bom(ctx, tmp_path):
    import_hazards(ctx, write_csv(tmp_path / "bom.csv", HEADER, [row()], encoding="utf-8-sig"))
    assert hazard_store.count(ctx.db) == 1


def test_xlsx_with_date_cells_and_a_title_row(ctx, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["某区隐患台账（2026年）"])
    sheet.append(ZH_HEADER)
    sheet.append(["X1", code(2), "演示二厂", "工贸", "应急局", "一般", "配电箱未接地",
                  dt.datetime(2026, 5, 1), dt.datetime(2026, 5, 31), None, None])
    path = tmp_path / "ledger.xlsx"
    workbook.save(path)
    import_hazards(ctx, path)
    hazard = hazard_store.get(ctx.db, "X1")
    assert hazard.found_on == dt.date(2026, 5, 1) and hazard.sector == "industry_trade"


def test_xlsx_row_numbers_count_the_title_row(ctx, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["台账"])
    sheet.append(HEADER)
    sheet.append(row(level="bad"))
    path = tmp_path / "ledger.xlsx"
    workbook.save(path)
    assert refused(ctx, path) == ["row 3, column level: 'bad': unknown level (general/一般 or major/重大)"]


def test_reimport_is_idempotent_and_updates_changes(ctx, tmp_path):
    path = write_csv(tmp_path / "l.csv", HEADER, [row(), row("H2")])
    import_hazards(ctx, path)
    again = import_hazards(ctx, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert len(hazard_store.events(ctx.db, "H1")) == 1
    changed = write_csv(tmp_path / "l2.csv", HEADER, [row(), row("H2", rect="2026-01-15")])
    report = import_hazards(ctx, changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    h2 = hazard_store.get(ctx.db, "H2")
    assert h2.status == "submitted" and h2.rectified_on == dt.date(2026, 1, 15)
    assert [(e.from_status, e.to_status) for e in hazard_store.events(ctx.db, "H2")] == [
        (None, "open"), ("open", "submitted")]


@pytest.mark.parametrize("content, why", [
    (b"", "the file is empty"),
    (b"\n\n", "the file is empty"),
    (",".join(HEADER).encode() + b"\n", "header but no data rows"),
    (b"a,b,c\n1,2,3\n", "header is missing required columns"),
])
def test_empty_and_headerless_files(ctx, tmp_path, content, why):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    assert why in " ".join(refused(ctx, path))


def test_wrong_type_and_broken_xlsx(ctx, tmp_path):
    (tmp_path / "f.txt").write_text("x")
    assert "unsupported file type '.txt'" in refused(ctx, tmp_path / "f.txt")[0]
    (tmp_path / "f.xlsx").write_bytes(b"not a zip")
    assert "not a readable .xlsx" in refused(ctx, tmp_path / "f.xlsx")[0]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_import_round_trip(ctx, tmp_path, suffix):
    rows = [row("H1", rect="2026-01-20", closed="2026-02-01", desc="=1+1 看似公式"),
            row("H2", ent=code(2), sector="food_drugs", dep="market", level="major", found="2026-03-01",
                deadline="2026-04-30", desc="-冷库温度超标"),
            row("H3", ent=code(3), sector="fire", dep="fire_rescue", found="2026-06-01", deadline="2026-06-20"),
            row("H4", ent=code(4), name="=某物流公司", found="2026-06-02", deadline="2026-06-30")]
    # (a hazard id may not begin with '-' any more: domain.ledger.HAZARD_ID; the name still does with '=')
    import_hazards(ctx, write_csv(tmp_path / "in.csv", HEADER, rows))
    out = tmp_path / f"out{suffix}"
    assert export_hazards(ctx, out) == 4
    again = import_hazards(ctx, out)              # every text column reads back as it was written
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    fresh = Context.open(tmp_path / "fresh.duckdb")
    try:
        import_hazards(fresh, out)
        for by in ("sector", "department", "level", "month", "enterprise"):
            a = closure_stats(ctx, by, as_of=dt.date(2026, 7, 1)).contract_json()
            b = closure_stats(fresh, by, as_of=dt.date(2026, 7, 1)).contract_json()
            assert a == b
        assert hazard_store.get(fresh.db, "H1").description == "=1+1 看似公式"
        assert hazard_store.get(fresh.db, "H2").description == "-冷库温度超标"
        assert enterprise_store.get(fresh.db, code(4)).name == "=某物流公司"
    finally:
        fresh.close()


def _ledger(ctx) -> list[dict]:
    """Every field of every hazard in the ledger, and its status."""
    fields = hazard_store.ledger_filtered(ctx.db).to_pylist()
    return [{**f, "status": hazard_store.get(ctx.db, f["hazard_id"]).status} for f in fields]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_office_export_is_chinese_and_imports_back_to_the_same_hazards(ctx, tmp_path, suffix):
    """Issue 'One language': the office opens the ledger in Excel or WPS. The header is the ledger's
    Chinese column names, and sectors, departments and levels are their Chinese names; the importer
    reads that file back to the same hazards, every field."""
    rows = [row("H1", rect="2026-01-20", closed="2026-02-01"),
            row("H2", ent=code(2), sector="food_drugs", dep="market", level="major", found="2026-03-01",
                deadline="2026-04-30", desc="冷库温度超标"),
            row("H3", ent=code(3), sector="fire", dep="fire_rescue", found="2026-06-01", deadline="2026-06-20",
                rect="2026-06-10")]
    import_hazards(ctx, write_csv(tmp_path / "in.csv", HEADER, rows))
    out = tmp_path / f"台账{suffix}"
    assert export_hazards(ctx, out) == 3
    written = _read_back(out)
    assert written[0] == ZH_HEADER
    h2 = dict(zip(ZH_HEADER, next(r for r in written if r[0] == "H2"), strict=True))
    assert (h2["行业领域"], h2["检查部门"], h2["隐患等级"]) == ("食品药品", "市场监督管理局", "重大")
    assert (h2["统一社会信用代码"], h2["企业名称"], h2["隐患描述"]) == (code(2), "演示企业", "冷库温度超标")
    dates = (h2["发现日期"], h2["整改期限"], h2["整改完成日期"], h2["销号日期"])
    assert dates == ("2026-03-01", "2026-04-30", "", "")
    h3 = dict(zip(ZH_HEADER, next(r for r in written if r[0] == "H3"), strict=True))
    assert (h3["行业领域"], h3["检查部门"], h3["隐患等级"]) == ("消防", "消防救援大队", "一般")
    fresh = Context.open(tmp_path / "fresh.duckdb")
    try:
        report = import_hazards(fresh, out)
        assert (report.created, report.enterprises_created) == (3, 3)
        assert _ledger(fresh) == _ledger(ctx)
        assert [h["status"] for h in _ledger(fresh)] == ["closed", "open", "submitted"]
    finally:
        fresh.close()
    assert import_hazards(ctx, out).unchanged == 3          # and into the same database: nothing changes


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_english_export_writes_field_names_and_ids(ctx, tmp_path, suffix):
    """The command line's `--lang en`: the field names and ids, as the ledger's English import format."""
    import_hazards(ctx, write_csv(tmp_path / "in.csv", HEADER, [row(sector="food_drugs", dep="market",
                                                                    level="major")]))
    out = tmp_path / f"ledger{suffix}"
    export_hazards(ctx, out, lang="en")
    header, line = _read_back(out)
    assert header == HEADER
    assert line[:6] == ["H1", code(1), "演示企业", "food_drugs", "market", "major"]
    with pytest.raises(ValueError, match="unknown language"):
        export_hazards(ctx, out, lang="fr")


def _read_back(path) -> list[list[str]]:
    """The exported file's rows as text (dates as YYYY-MM-DD, empty cells as '')."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    from openpyxl import load_workbook
    sheet = load_workbook(path).active
    return [["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else str(v) for v in r]
            for r in sheet.iter_rows(values_only=True)]


def test_csv_export_neutralises_formulas(ctx, tmp_path):
    import_hazards(ctx, write_csv(tmp_path / "in.csv", HEADER, [row(desc="=cmd|' /C calc'!A0")]))
    export_hazards(ctx, tmp_path / "out.csv")
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text


@pytest.mark.parametrize("lead", ["\t", "\r"])
def test_csv_export_neutralises_text_beginning_with_a_tab_or_carriage_return(ctx, tmp_path, lead):
    """The OWASP rule counts a leading tab or carriage return too; an import strips them, so the text
    is written as a typed note would reach the store."""
    import_hazards(ctx, write_csv(tmp_path / "in.csv", HEADER, [row()]))
    ctx.db.write(lambda c: c.execute("UPDATE hazards SET description = ? WHERE id = 'H1'", [lead + "=1+2"]))
    export_hazards(ctx, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as handle:
        exported = next(r for r in csv.DictReader(handle) if r["隐患编号"] == "H1")
    assert exported["隐患描述"] == "'" + lead + "=1+2"


def test_xlsx_export_writes_text_not_formulas(ctx, tmp_path):
    from openpyxl import load_workbook
    import_hazards(ctx, write_csv(tmp_path / "in.csv", HEADER, [row(desc="=SUM(A1:A2)")]))
    export_hazards(ctx, tmp_path / "out.xlsx")
    cell = load_workbook(tmp_path / "out.xlsx").active["G2"]
    assert cell.value == "=SUM(A1:A2)" and cell.data_type == "s"


ENTERPRISE_HEADER = ["code", "name", "sectors", "scenario", "address", "contact", "phone", "tier"]


def test_enterprise_import_names_and_upsert(ctx, tmp_path):
    rows = [[code(5), "演示饭店", "食品药品;消防；燃气", "餐饮店", "东风大街1号", "王建国", "0431-81234567", "c"],
            [code(6), "演示工地", "construction", "construction_site", "", "", "", ""]]
    report = import_enterprises(ctx, write_csv(tmp_path / "e.csv", ENTERPRISE_HEADER, rows))
    assert (report.created, report.updated) == (2, 0)
    restaurant = enterprise_store.get(ctx.db, code(5))
    assert restaurant.sectors == ["food_drugs", "fire", "gas"] and restaurant.scenario == "restaurant"
    assert restaurant.tier == "C" and enterprise_store.get(ctx.db, code(6)).tier == "B"
    again = import_enterprises(ctx, write_csv(tmp_path / "e.csv", ENTERPRISE_HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    rows[0][1] = "演示饭店（新址）"
    assert import_enterprises(ctx, write_csv(tmp_path / "e.csv", ENTERPRISE_HEADER, rows)).updated == 1


@pytest.mark.parametrize("bad, column, why", [
    ({0: "91350100M000100Y4"}, "code", "has 17 characters"),
    ({1: ""}, "name", "required"),
    ({2: "矿山"}, "sectors", "unknown sector"),
    ({2: ""}, "sectors", "required"),
    ({3: "bakery"}, "scenario", "unknown scenario"),
    ({7: "E"}, "tier", "risk tier must be A, B, C or D"),
    ({6: "call me"}, "phone", "not a phone number"),
])
def test_enterprise_rules(ctx, tmp_path, bad, column, why):
    good = [code(7), "演示", "fire", "", "", "", "", "A"]
    broken = list(good)
    broken[0] = code(8)
    for position, value in bad.items():
        broken[position] = value
    with pytest.raises(ImportRefused) as caught:
        import_enterprises(ctx, write_csv(tmp_path / "e.csv", ENTERPRISE_HEADER, [good, broken]))
    assert enterprise_store.count(ctx.db) == 0
    problems = messages.import_problems(caught.value)
    assert problems[0].startswith(f"row 3, column {column}: ")
    assert why in problems[0]


# -- files that declare or hold more than they carry (issue 18 #9) ------------------------------------
# The reader streams: it never trusts a workbook's declared <dimension>, keeps no blank row, and stops
# at the limits (tabular.MAX_DATA_ROWS data rows, MAX_COLUMNS columns, MAX_LINES lines blank ones
# included, MAX_UNPACKED bytes unpacked from an .xlsx), naming the file and the limit.
import re
import tracemalloc
import zipfile

from inspections.readers import tabular

SMALL_PEAK = 50 * 1024 * 1024   # what reading any of these files may hold at once, at most


def peak_of(work) -> tuple[object, int]:
    """(what `work()` returned or raised, the peak of the Python memory it allocated)."""
    tracemalloc.start()
    try:
        try:
            result = work()
        except ImportRefused as refusal:
            result = refusal
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def ledger_xlsx(path, rows, *, dimension=None, far_cell=None):
    """A ledger workbook; its sheet's <dimension> rewritten to `dimension`, and `far_cell` (ref, value)
    written into the sheet XML as a cell of a row of its own at the end."""
    workbook = Workbook()
    workbook.active.append(HEADER)
    for values in rows:
        workbook.active.append(values)
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    if dimension:
        sheet, replaced = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', sheet)
        assert replaced == 1
    if far_cell:
        ref, value = far_cell
        number = re.sub(r"[A-Z]", "", ref)
        sheet = sheet.replace("</sheetData>",
                              f'<row r="{number}"><c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c></row>'
                              "</sheetData>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


FIVE = [row(f"D{n}", ent=code(40 + n)) for n in range(1, 6)]


@pytest.mark.parametrize("dimension", ["A1:B2", "A1:K3"])
def test_xlsx_with_a_stale_dimension_imports_every_row(ctx, tmp_path, dimension):
    path = ledger_xlsx(tmp_path / "stale.xlsx", FIVE, dimension=dimension)
    report = import_hazards(ctx, path)
    assert (report.rows, report.created) == (5, 5)
    assert sorted(h for h, in ctx.db.query("SELECT id FROM hazards")) == [f"D{n}" for n in range(1, 6)]


def test_xlsx_declaring_a_huge_dimension_is_read_with_little_memory(ctx, tmp_path):
    """A1:XFD10000 declared, and the sheet ending with an empty cell in row 10000 (as a formatted sheet
    does): read as declared, the rows in between would be 10,000 x 16,384 cells (1.3 GB)."""
    path = ledger_xlsx(tmp_path / "huge.xlsx", FIVE, dimension="A1:XFD10000", far_cell=("A10000", ""))
    assert path.stat().st_size < 10_000
    report, peak = peak_of(lambda: import_hazards(ctx, path))
    assert (report.rows, report.created) == (5, 5)
    assert peak < SMALL_PEAK, f"{peak / 1e6:.0f} MB"


def test_xlsx_with_one_cell_far_down_and_right_is_refused_with_little_memory(ctx, tmp_path):
    path = ledger_xlsx(tmp_path / "far.xlsx", FIVE, far_cell=("XFD1048576", "x"))
    problems, peak = peak_of(lambda: refused(ctx, path))
    assert problems == [f"row 1048576: a value in column XFD (16384); at most {tabular.MAX_COLUMNS} columns "
                        f"are read"]
    assert peak < SMALL_PEAK, f"{peak / 1e6:.0f} MB"


def test_xlsx_empty_cells_far_right_are_ignored(ctx, tmp_path):
    path = ledger_xlsx(tmp_path / "styled.xlsx", FIVE, dimension="A1:XFD6", far_cell=("XFD7", ""))
    assert import_hazards(ctx, path).created == 5


@pytest.mark.parametrize("lines", [200_000, None])
def test_csv_of_ten_megabytes_of_blank_lines_is_refused_with_little_memory(ctx, tmp_path, monkeypatch, lines):
    """10 MB of blank lines (10 million): refused at MAX_LINES lines, holding none of them (the limit is
    lowered in one case, which only makes the refusal come sooner: tracemalloc makes lines slow)."""
    if lines:
        monkeypatch.setattr(tabular, "MAX_LINES", lines, raising=False)
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\n" * (10 * 1024 * 1024))
    if lines:
        problems, peak = peak_of(lambda: refused(ctx, path))
        assert peak < SMALL_PEAK, f"{peak / 1e6:.0f} MB"
    else:
        problems = refused(ctx, path)
    limit = f"{tabular.MAX_LINES:,}"
    assert problems == [f"more than {limit} lines, blank ones included (a spreadsheet holds at most {limit} rows)"]


def test_blank_lines_are_skipped_and_not_kept(ctx, tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("\n" * 50_000 + ",".join(HEADER) + "\n" + "\n" * 50_000 + ",".join(row()) + "\n",
                    encoding="utf-8")
    numbered, peak = peak_of(lambda: tabular.read_rows(path))
    assert [number for number, _ in numbered] == [50_001, 100_002]
    assert peak < SMALL_PEAK, f"{peak / 1e6:.0f} MB"
    assert import_hazards(ctx, path).created == 1


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_more_data_rows_than_the_limit_are_refused(ctx, tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(tabular, "MAX_DATA_ROWS", 4)
    rows = [row(f"R{n}", ent=code(50 + n)) for n in range(5)]
    path = (write_csv(tmp_path / "many.csv", HEADER, rows) if suffix == ".csv"
            else ledger_xlsx(tmp_path / "many.xlsx", rows))
    assert refused(ctx, path) == ["5 data rows: at most 4 are imported from one file (split it into several)"]
    assert import_hazards(ctx, write_csv(tmp_path / "four.csv", HEADER, rows[:4])).created == 4


def test_the_reader_stops_at_the_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_DATA_ROWS", 4)
    path = write_csv(tmp_path / "many.csv", HEADER, [row(f"R{n}") for n in range(100_000)])
    seen = []
    real = tabular._kept_rows
    monkeypatch.setattr(tabular, "_kept_rows", lambda name, rows: real(name, (seen.append(1) or r for r in rows)))
    with pytest.raises(ImportRefused) as caught:
        tabular.read_rows(path)
    assert messages.import_problems(caught.value) == ["more than 4 data rows: at most 4 are imported from one file (split it "
                                     "into several)"]
    assert len(seen) <= 4 + tabular.HEADER_ROOM + 1


def test_a_value_beyond_the_column_limit_is_refused_and_empty_ones_are_not(ctx, tmp_path):
    wide = write_csv(tmp_path / "wide.csv", HEADER + [""] * 60, [row() + [""] * 53 + ["x"]])
    assert refused(ctx, wide) == [f"row 2: a value in column 65; at most {tabular.MAX_COLUMNS} columns are read"]
    trailing = write_csv(tmp_path / "trailing.csv", HEADER + [""] * 200, [row() + [""] * 200])
    assert import_hazards(ctx, trailing).created == 1


def test_one_csv_row_of_too_many_characters_is_refused(ctx, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(",".join(HEADER) + "\n" + "," * (tabular.MAX_ROW_CHARS + 10) + "\n", encoding="utf-8")
    assert refused(ctx, path) == [f"row 2: more than {tabular.MAX_ROW_CHARS:,} characters in one row"]


def test_an_xlsx_that_unpacks_to_too_much_is_refused(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNPACKED", 1024 * 1024)
    path = ledger_xlsx(tmp_path / "bloated.xlsx", FIVE, far_cell=("A7", " " * (2 * 1024 * 1024)))
    assert path.stat().st_size < 100_000
    assert refused(ctx, path) == ["the workbook unpacks to 2.0 MB; at most 1 MB is read"]


# -- hazard ids (issue 18 #11) ----------------------------------------------------------------------
@pytest.mark.parametrize("hazard_id", ["H1", "YH202601-00001", "YH-JC20260101-0001-001", "ZC-JC20260101-0001-S01",
                                       "B0000001", "P0B0000001", "a_b.c-d", "2026001", "X" * 64])
def test_the_ids_of_the_demo_the_app_and_ledgers_import(ctx, tmp_path, hazard_id):
    assert import_hazards(ctx, write_csv(tmp_path / "l.csv", HEADER, [row(hazard_id)])).created == 1


@pytest.mark.parametrize("hazard_id", [
    "[点此](http://evil.example) ![x](http://evil.example/t.png)", "<b>x</b>", "a b", "-H4", "_x", ".x",
    "X" * 65, "隐患001", "H1\u200b", "H1/2"])
def test_an_id_that_could_be_markup_is_refused_naming_row_and_column(ctx, tmp_path, hazard_id):
    path = write_csv(tmp_path / "l.csv", HEADER, [row("H0"), row(hazard_id)])
    assert refused(ctx, path) == [f"row 3, column hazard_id: '{hazard_id}': a hazard id is 1 to 64 letters, "
                                  "digits, '_', '.' or '-', beginning with a letter or digit"]
