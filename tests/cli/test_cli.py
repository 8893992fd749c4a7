"""The CLI's contracts, run as a user runs them: `python -m inspections ...` in a subprocess."""
import json
import os
import subprocess

import pytest

from inspections.domain import credit_code
from tests.conftest import REPO, SUITE_TODAY, cli_command

SHAPE_ITEM = {"id", "title", "basis", "departments", "sectors", "task", "shared", "major_if"}


def cli(*args, db=None, env=None, check=True):
    command = cli_command(*(["--db", str(db)] if db else []), *args)
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, **(env or {})})
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    out = cli("init", "--demo", db=db).stdout
    assert "demo data seeded" in out
    return db


def test_export_json_shape():
    data = json.loads(cli("checklist", "export", "--json").stdout)
    assert list(data) == ["version", "areas", "sectors", "departments", "scenarios", "items"]
    assert set(data["areas"][0]) == {"id", "title", "tasks"} and set(data["areas"][0]["title"]) == {"zh", "en"}
    assert set(data["areas"][0]["tasks"][0]) == {"id", "title"}
    assert sum(len(a["tasks"]) for a in data["areas"]) == 53
    assert set(data["scenarios"][0]) == {"id", "title", "sectors"}
    for item in data["items"]:
        assert SHAPE_ITEM <= set(item) <= SHAPE_ITEM | {"scenarios"}
        assert item["sectors"] == ["*"] or "*" not in item["sectors"]
    assert any(i["shared"] and i["sectors"] == ["*"] for i in data["items"])


def test_merge_json_contract():
    data = json.loads(cli("checklist", "merge", "--sectors", "fire,food_drugs", "--departments",
                          "fire_rescue,市场监督管理局", "--json").stdout)
    assert data["sectors"] == ["food_drugs", "fire"] and data["departments"] == ["market", "fire_rescue"]
    items = data["items"]
    assert all(set(i) == {"id", "title", "departments", "task", "shared"} for i in items)
    assert len({i["id"] for i in items}) == len(items)
    shared = [i["shared"] for i in items]
    assert shared == sorted(shared, reverse=True)  # shared items first
    assert all(set(i["departments"]) <= {"market", "fire_rescue"} and i["departments"] for i in items)


def test_merge_without_departments_and_with_scenario():
    data = json.loads(cli("checklist", "merge", "--scenario", "petrol_station", "--json").stdout)
    assert data["sectors"] == ["fire", "hazchem"] and set(data["departments"]) >= {"emergency", "fire_rescue"}


def test_merge_bad_input_exits_2():
    result = cli("checklist", "merge", "--sectors", "mining", "--json", check=False)
    assert result.returncode == 2 and result.stderr.startswith("error: unknown sector 'mining'")


def test_stats_json_on_demo(demo_db):
    data = json.loads(cli("stats", "--by", "sector", "--as-of", SUITE_TODAY.isoformat(), "--json", db=demo_db).stdout)
    assert list(data) == ["by", "as_of", "from", "to", "rows", "total"]
    assert data["as_of"] == SUITE_TODAY.isoformat() and data["from"] is None
    groups = [r["group"] for r in data["rows"]]
    assert groups == sorted(groups)
    assert sum(r["found"] for r in data["rows"]) == data["total"]["found"] > 0
    assert data["total"]["overdue_open"] > 0 and data["total"]["major_found"] > 0
    import duckdb
    with duckdb.connect(str(demo_db), read_only=True) as con:     # the demo's supervised majors, counted by hand
        supervised = con.execute("SELECT count(*) FROM hazards WHERE supervised AND found_on <= ?", [SUITE_TODAY]).fetchone()[0]
    assert data["total"]["supervised"] == supervised > 0
    assert sum(r["supervised"] for r in data["rows"]) == supervised
    assert {"fixed_on_spot", "major_with_plan", "supervised_closed_on_time"} <= set(data["total"])


def test_stats_table_and_bad_dates(demo_db):
    out = cli("stats", "--by", "month", "--from", "2026-01-01", db=demo_db).stdout
    assert "closure statistics by month" in out and "TOTAL" in out
    bad = cli("stats", "--by", "month", "--from", "2026-13-01", db=demo_db, check=False)
    assert bad.returncode == 2 and "not a date in the form YYYY-MM-DD" in bad.stderr


def test_database_from_environment(demo_db):
    data = json.loads(cli("stats", "--by", "level", "--json", env={"INSPECTIONS_DB": str(demo_db)}).stdout)
    assert data["total"]["found"] > 0


def test_export_then_import_into_empty_database(demo_db, tmp_path):
    out = tmp_path / "ledger.xlsx"
    assert "hazards written" in cli("export", "hazards", "--out", str(out), db=demo_db).stdout
    fresh = tmp_path / "fresh.duckdb"
    cli("init", db=fresh)
    assert "created" in cli("import", "hazards", str(out), db=fresh).stdout
    for by in ("sector", "enterprise", "month"):
        a = cli("stats", "--by", by, "--as-of", SUITE_TODAY.isoformat(), "--json", db=demo_db).stdout
        b = cli("stats", "--by", by, "--as-of", SUITE_TODAY.isoformat(), "--json", db=fresh).stdout
        assert _ledger_figures(json.loads(a)) == _ledger_figures(json.loads(b))


# What the ledger's import format does not carry: the steps of a hazard beyond its dates (fixed on the spot,
# a major's plan, supervision); tests/store/test_major_hazard_figures.py counts them.
STEP_FIGURES = ("fixed_on_spot", "major_with_plan", "supervised", "supervised_closed_on_time")


def _ledger_figures(report: dict) -> dict:
    def strip(figures: dict) -> dict:
        return {k: v for k, v in figures.items() if k not in STEP_FIGURES}
    return {**report, "total": strip(report["total"]), "rows": [strip(row) for row in report["rows"]]}


def test_refused_import_prints_rows(tmp_path):
    db = tmp_path / "x.duckdb"
    path = tmp_path / "e.csv"
    path.write_text("code,name,sectors\n91350100M000100Y44,甲,消防\n", encoding="utf-8")
    result = cli("import", "enterprises", str(path), db=db, check=False)
    assert result.returncode == 2
    assert ("e.csv: row 2, column code: '91350100M000100Y44': check character is '4' but GB 32100-2015 "
            "gives '3'") in result.stderr
    assert "nothing was imported" in result.stderr


def test_import_roster_records_ids_or_prints_the_rows_it_refuses(tmp_path):
    """`import roster`: the inspectors' enforcement IDs, all or none, as an operator runs it."""
    db = tmp_path / "x.duckdb"
    cli("init", db=db)
    made = subprocess.run(cli_command("--db", str(db), "user", "create", "--role", "inspector", "--username",
                                      "market1", "--department", "market"),
                          input="Shichang-Jian-7\n", capture_output=True, text=True, cwd=REPO)
    assert made.returncode == 0, made.stderr
    bad = tmp_path / "r.csv"
    bad.write_text("username,number,issuer,valid_until\nmarket1,吉2201-01,长春市人民政府,2030-13-01\n"
                   "market9,吉2201-02,长春市人民政府,2030-01-01\n", encoding="utf-8")
    refused = cli("import", "roster", str(bad), db=db, check=False)
    assert refused.returncode == 2 and "nothing was imported" in refused.stderr
    assert "r.csv: row 2, column valid_until: '2030-13-01'" in refused.stderr
    good = tmp_path / "good.csv"
    good.write_text("用户名,执法证号,发证机关,有效期至\nmarket1,吉2201-01,长春市人民政府,2030-01-31\n", encoding="utf-8")
    assert "1 enforcement ID rows: 1 created, 0 updated, 0 unchanged" in cli("import", "roster", str(good), db=db).stdout


def test_qr_png_decodes_to_the_enterprise_link(tmp_path):
    import zxingcpp
    from PIL import Image
    code = credit_code.complete("91220100ABCDEFGH1")
    out = tmp_path / "qr.png"
    cli("qr", "enterprise", code, "--out", str(out), "--base-url", "https://insp.example:8501/")
    decoded = zxingcpp.read_barcodes(Image.open(out))
    assert [d.text for d in decoded] == [f"https://insp.example:8501/?enterprise={code}"]
    svg = tmp_path / "qr.svg"
    cli("qr", "enterprise", code, "--out", str(svg), env={"INSPECTIONS_BASE_URL": "http://10.0.0.5:8501"})
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()
    bad = cli("qr", "enterprise", "91350100M000100Y44", "--out", str(out), check=False)
    assert bad.returncode == 2 and "check character" in bad.stderr


def test_inspection_code_issue_and_verify(demo_db):
    import duckdb
    con = duckdb.connect(str(demo_db), read_only=True)
    inspection_id = con.execute("SELECT id FROM inspections WHERE status = 'scheduled' LIMIT 1").fetchone()[0]
    con.close()
    token = cli("code", "issue", inspection_id, db=demo_db).stdout.splitlines()[0]
    assert json.loads(cli("code", "verify", token, db=demo_db).stdout)["valid"] is True
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    result = cli("code", "verify", forged, db=demo_db, check=False)
    assert result.returncode == 2 and json.loads(result.stdout)["reason"] == "malformed_or_tampered"
    unknown = cli("code", "issue", "JC-NOPE", db=demo_db, check=False)
    assert unknown.returncode == 2 and "no inspection" in unknown.stderr


def test_init_twice_keeps_data(demo_db):
    out = cli("init", "--demo", db=demo_db).stdout
    assert "not seeded: the database already holds data" in out


def test_a_real_install_makes_its_first_office_account_on_the_command_line(tmp_path):
    """Issue 18 #1: `init` seeds nothing; `user create --role office` reads the password from stdin
    (never an argument), applies the policy, and records the act in the audit trail as the command line's."""
    db = tmp_path / "real.duckdb"
    assert "demo data" not in cli("init", db=db).stdout

    def create(password: str, *extra: str):
        return subprocess.run(cli_command("--db", str(db), "user", "create", "--role", "office", "--username",
                                          "chief", "--name", "张主任", *extra),
                              input=password + "\n", capture_output=True, text=True, cwd=REPO)
    weak = create("Demo@2026")
    assert weak.returncode == 2 and "at least 10 characters" in weak.stderr and "Traceback" not in weak.stderr
    made = create("Anquan-Ban-7")
    assert made.returncode == 0 and "account chief (office) created" in made.stdout
    assert create("Anquan-Ban-7").returncode == 2                        # taken
    reset = subprocess.run(cli_command("--db", str(db), "user", "reset-password", "--username", "chief"),
                           input="Anquan-Ban-8\n", capture_output=True, text=True, cwd=REPO)
    assert reset.returncode == 0, reset.stderr
    from inspections.services.shared import auth
    from inspections.services.data import demo
    from inspections.services.shared.context import Context
    ctx = Context.open(db)
    assert auth.sign_in(ctx, "chief", "Anquan-Ban-8").role == "office" and not demo.is_demo(ctx)
    assert ctx.db.query("SELECT actor, action, subject FROM audit_log ORDER BY id") == [
        ("cli", "account_created", "chief"), ("cli", "password_reset", "chief")]
    assert ctx.db.scalar("SELECT count(*) FROM enterprises") == 0
    ctx.db.close()


def test_the_demo_database_is_marked_as_a_demo(demo_db):
    from inspections.services.data import demo
    from inspections.services.shared.context import Context
    ctx = Context.open(demo_db)
    try:
        assert demo.is_demo(ctx)
    finally:
        ctx.db.close()
