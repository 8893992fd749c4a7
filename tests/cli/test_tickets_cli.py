"""`python -m inspections tickets import` and `tickets stats`, run as an operator runs them: the JSON
contract of the 有求必应 issue, figures checked by hand on a two-order file, exit codes 0 and 2."""
import json
import subprocess

from tests.conftest import REPO, cli_command, write_csv
from tests.services.test_ticket_imports import EN, ZH, rows


def cli(*args, db):
    result = subprocess.run(cli_command("--db", str(db), *args), capture_output=True, text=True, cwd=REPO, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_import_then_stats_as_json(tmp_path):
    db = tmp_path / "t.duckdb"
    path = write_csv(tmp_path / "orders.csv", EN, rows("emergency"), encoding="gbk")
    done = cli("tickets", "import", str(path), db=db)
    assert done.returncode == 0, done.stderr
    assert "2 work order rows: 2 created, 0 updated, 0 unchanged" in done.stdout
    assert "0 created, 0 updated, 2 unchanged" in cli("tickets", "import", str(path), db=db).stdout
    # as of 12 May: the first order (received 6 May, signed in 5 h, due 11 May, replied that day; its callback
    # was recorded by this import, after 12 May: not yet counted) and the second (received 7 May, untouched)
    result = cli("tickets", "stats", "--by", "source", "--as-of", "2026-05-12", "--json", db=db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"as_of", "by", "rows", "total"}
    assert (report["as_of"], report["by"]) == ("2026-05-12T23:59:59+08:00", "source")
    assert [row["key"] for row in report["rows"]] == ["12345", "grid"]
    assert report["total"] == {"received": 2, "signed_in_24h": 1, "replied": 1, "due": 1, "replied_on_time": 1,
                               "overdue_open": 0, "called_back": 0, "resolved": 0, "satisfied": 0,
                               "sign_rate": 0.5, "on_time_rate": 1.0, "resolution_rate": None,
                               "satisfaction_rate": None}
    assert report["rows"][1] == {"key": "grid", "received": 1, "signed_in_24h": 0, "replied": 0, "due": 0,
                                 "replied_on_time": 0, "overdue_open": 0, "called_back": 0, "resolved": 0,
                                 "satisfied": 0, "sign_rate": 0.0, "on_time_rate": None, "resolution_rate": None,
                                 "satisfaction_rate": None}
    before = cli("tickets", "stats", "--by", "month", "--as-of", "2026-05-06T09:00", "--json", db=db)
    assert json.loads(before.stdout)["total"]["received"] == 0          # received at 09:15
    table = cli("tickets", "stats", "--by", "department", "--from", "2026-05-07", "--as-of", "2026-05-12", db=db)
    assert table.returncode == 0 and "TOTAL" in table.stdout and "—" in table.stdout


def test_bad_rows_and_bad_arguments_exit_2(tmp_path):
    db = tmp_path / "t.duckdb"
    data = rows("emergency")
    data[1][6] = "not-a-code"
    refused = cli("tickets", "import", str(write_csv(tmp_path / "bad.csv", ZH, data)), db=db)
    assert refused.returncode == 2
    assert "bad.csv: row 3, column 统一社会信用代码: 'NOT-A-CODE'" in refused.stderr
    assert "refused, nothing was imported (1 problem(s))" in refused.stderr
    assert json.loads(cli("tickets", "stats", "--by", "month", "--as-of", "2026-05-12", "--json", db=db).stdout
                      )["total"]["received"] == 0
    assert cli("tickets", "stats", "--by", "enterprise", db=db).returncode == 2
    assert cli("tickets", "stats", "--by", "month", "--as-of", "12 May", db=db).returncode == 2
    assert cli("tickets", "stats", "--by", "month", "--from", "2026-05-10", "--to", "2026-05-01", db=db).returncode == 2
