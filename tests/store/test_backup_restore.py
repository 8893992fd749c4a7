"""Backup and restore through the CLI, as an operator runs them: identical statistics and row counts in
the restored file, the signing secret carried over, a refusal to overwrite without --force, and the
clear 'in use' line when the app holds the file."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO, SUITE_TODAY, cli_command

TABLES = ("enterprises", "users", "inspections", "inspection_items", "hazards", "hazard_events", "evaluations",
          "photos", "extension_requests", "checklist_versions", "schema_migrations")


def cli(*args, check=True):
    result = subprocess.run(cli_command(*args), capture_output=True, text=True, cwd=REPO,
                            env={**os.environ})
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


def counts(db):
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    db = tmp_path_factory.mktemp("orig") / "orig.duckdb"
    cli("--db", str(db), "init", "--demo")
    inspection = json.loads(cli("--db", str(db), "stats", "--by", "sector", "--json").stdout)
    assert inspection["total"]["found"] > 0
    return db


def test_backup_and_restore_give_identical_data(original, tmp_path):
    token_line = None
    import duckdb
    con = duckdb.connect(str(original), read_only=True)
    scheduled = con.execute("SELECT id FROM inspections WHERE status = 'scheduled' LIMIT 1").fetchone()[0]
    con.close()
    token_line = cli("--db", str(original), "code", "issue", scheduled).stdout.splitlines()[0]
    out = tmp_path / "backup"
    assert "backup written" in cli("--db", str(original), "backup", "--out", str(out)).stdout
    restored = tmp_path / "restored" / "new.duckdb"
    assert "restored" in cli("--db", str(restored), "restore", str(out)).stdout
    assert counts(restored) == counts(original)
    for by in ("sector", "department", "level", "month", "enterprise"):
        a = cli("--db", str(original), "stats", "--by", by, "--as-of", SUITE_TODAY.isoformat(), "--json").stdout
        b = cli("--db", str(restored), "stats", "--by", by, "--as-of", SUITE_TODAY.isoformat(), "--json").stdout
        assert json.loads(a) == json.loads(b)
    verified = json.loads(cli("--db", str(restored), "code", "verify", token_line).stdout)
    assert verified["valid"] is True  # the signing secret came along


def test_restore_over_an_existing_database_needs_force(original, tmp_path):
    out = tmp_path / "backup"
    cli("--db", str(original), "backup", "--out", str(out))
    target = tmp_path / "existing.duckdb"
    cli("--db", str(target), "init")
    refused = cli("--db", str(target), "restore", str(out), check=False)
    assert refused.returncode == 1 and "needs --force" in refused.stderr
    assert counts(target)["hazards"] == 0
    cli("--db", str(target), "restore", str(out), "--force")
    assert counts(target) == counts(original)


def test_backup_refuses_a_non_empty_folder_and_restore_a_non_backup(original, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x.txt").write_text("x")
    busy = cli("--db", str(original), "backup", "--out", str(tmp_path / "busy"), check=False)
    assert busy.returncode == 1 and "not empty" in busy.stderr
    not_backup = cli("--db", str(tmp_path / "n.duckdb"), "restore", str(tmp_path / "busy"), check=False)
    assert not_backup.returncode == 1 and "is not a backup" in not_backup.stderr
    assert not (tmp_path / "n.duckdb").exists()


def test_a_backup_without_its_secret_is_restored_only_when_told(original, tmp_path):
    """Issue 18 #17: restoring a backup that lost secret.key silently made a new secret, and every code
    issued before then read as tampered."""
    out = tmp_path / "backup"
    cli("--db", str(original), "backup", "--out", str(out))
    (out / "files" / "secret.key").unlink()
    target = tmp_path / "restored.duckdb"
    refused = cli("--db", str(target), "restore", str(out), check=False)
    assert refused.returncode == 1 and "--new-secret" in refused.stderr and not target.exists()
    told = cli("--db", str(target), "restore", str(out), "--new-secret")
    assert told.returncode == 0 and target.exists()
