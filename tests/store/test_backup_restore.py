"""Backup and restore through the CLI, as an operator runs them: identical statistics and the same contents
of every table the schema has in the restored file (tests/checksums.py), the signing secret carried over, a
refusal to overwrite without --force, and the clear 'in use' line when the app holds the file. A restore
never runs SQL from a backup (issue 18 #8): the old EXPORT DATABASE folder is refused, SQL put into a backup
is never executed, and a file changed or missing after the manifest was written is named and refused. The
backup on the server is owner-only."""
import json
import os
import subprocess
import sys

import pytest

from tests.checksums import file_checksums, row_counts
from tests.conftest import REPO, SUITE_TODAY, cli_command, copy_demo

HOLD = """
import sys, time
from inspections.store import Database
db = Database(sys.argv[1])
print("held", flush=True)
time.sleep(120)
"""


def cli(*args, check=True):
    result = subprocess.run(cli_command(*args), capture_output=True, text=True, cwd=REPO,
                            env={**os.environ})
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


def contents(db):
    """Every table of the schema, by content (a restore that lost a table or a row of one fails)."""
    return file_checksums(db)


@pytest.fixture(scope="module")
def original(demo_world, tmp_path_factory):
    """A copy of the session's demo world (tests/conftest.py), with its signing secret."""
    db = copy_demo(demo_world, tmp_path_factory.mktemp("orig") / "orig")
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
    assert contents(restored) == contents(original)
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
    assert row_counts(contents(target))["hazards"] == 0
    cli("--db", str(target), "restore", str(out), "--force")
    assert contents(target) == contents(original)


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
    assert refused.returncode == 1 and "files/secret.key is missing" in refused.stderr and not target.exists()
    told = cli("--db", str(target), "restore", str(out), "--new-secret")
    assert told.returncode == 0 and target.exists() and "no longer verify" in told.stdout


def test_a_backup_made_without_a_secret_needs_new_secret(original, tmp_path):
    """A backup whose manifest says it holds no secret (as a downloaded .zip) is refused without --new-secret."""
    out = tmp_path / "backup"
    cli("--db", str(original), "backup", "--out", str(out))
    (out / "files" / "secret.key").unlink()
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["files"]["files/secret.key"]
    (out / "manifest.json").write_text(json.dumps({**manifest, "secret": False}))
    target = tmp_path / "restored.duckdb"
    refused = cli("--db", str(target), "restore", str(out), check=False)
    assert refused.returncode == 1 and "--new-secret" in refused.stderr and not target.exists()
    assert cli("--db", str(target), "restore", str(out), "--new-secret").returncode == 0


def test_restore_refuses_a_database_another_process_holds(original, tmp_path):
    """Issue 18 #7: `restore --force` swapped the file under the running app, whose later writes were lost."""
    out = tmp_path / "backup"
    cli("--db", str(original), "backup", "--out", str(out))
    target = tmp_path / "live.duckdb"
    cli("--db", str(target), "init")
    before = contents(target)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(target)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert holder.stdout.readline().strip() == "held"
        refused = cli("--db", str(target), "restore", str(out), "--force", "--new-secret", check=False)
        assert refused.returncode == 1
        assert "in use" in refused.stderr and str(target) in refused.stderr and f"PID {holder.pid}" in refused.stderr
        assert not target.with_name(target.name + ".restoring").exists()
    finally:
        holder.kill()
        holder.wait()
    assert contents(target) == before                  # the app's database is untouched
    cli("--db", str(target), "restore", str(out), "--force", "--new-secret")   # once the app has stopped
    assert contents(target) == contents(original)


def _pwn(folder, pwned):
    """What an attacker with write access to a backup appends to its schema.sql (which IMPORT DATABASE runs
    whole; DuckDB lets load.sql hold COPY ... FROM only): read a host file into a table, write a file."""
    with open(folder / "schema.sql", "a", encoding="utf-8") as handle:
        handle.write(f"\nCREATE TABLE stolen AS SELECT * FROM read_text('/etc/hostname');"
                     f"\nCOPY (SELECT 1) TO '{pwned}';\n")


def test_sql_put_into_a_backup_is_never_run(original, tmp_path):
    """Issue 18 #8: IMPORT DATABASE ran the folder's schema.sql and load.sql, so two appended statements read a
    host file and wrote one. A backup holds no SQL now; SQL-looking files put into it are not executed."""
    out = tmp_path / "backup"
    cli("--db", str(original), "backup", "--out", str(out))
    pwned = tmp_path / "pwned.csv"
    _pwn(out, pwned)
    target = tmp_path / "restored.duckdb"
    result = cli("--db", str(target), "restore", str(out), "--new-secret", check=False)
    assert not pwned.exists()
    if result.returncode == 0:                          # the files the manifest does not list are ignored
        import duckdb
        con = duckdb.connect(str(target), read_only=True)
        try:
            assert not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'stolen'"
                                   ).fetchone()[0]
        finally:
            con.close()
        assert contents(target) == contents(original)


def test_an_old_export_database_backup_is_refused_unrun(tmp_path):
    """The format before this one (EXPORT DATABASE, no manifest) is refused with what to do instead, and the
    SQL in it is never run."""
    import duckdb
    source = tmp_path / "old.duckdb"
    cli("--db", str(source), "init")
    old = tmp_path / "old-backup"
    con = duckdb.connect(str(source))
    con.execute(f"EXPORT DATABASE '{old}' (FORMAT parquet)")
    con.close()
    pwned = tmp_path / "pwned.csv"
    _pwn(old, pwned)
    target = tmp_path / "restored.duckdb"
    refused = cli("--db", str(target), "restore", str(old), "--new-secret", check=False)
    assert not pwned.exists()
    assert refused.returncode == 1 and "old-format backup" in refused.stderr and "new backup" in refused.stderr
    assert not target.exists()


def test_a_changed_or_missing_file_is_named_and_refused(original, tmp_path):
    out = tmp_path / "backup"
    cli("--db", str(original), "backup", "--out", str(out))
    hazards = out / "tables" / "hazards.parquet"
    data = bytearray(hazards.read_bytes())
    data[len(data) // 2] ^= 0xFF
    hazards.write_bytes(bytes(data))
    target = tmp_path / "restored.duckdb"
    changed = cli("--db", str(target), "restore", str(out), check=False)
    assert changed.returncode == 1 and "tables/hazards.parquet" in changed.stderr and "sha256" in changed.stderr
    hazards.unlink()
    missing = cli("--db", str(target), "restore", str(out), check=False)
    assert missing.returncode == 1 and "tables/hazards.parquet is missing" in missing.stderr
    assert not target.exists()


def test_a_backup_of_a_newer_schema_is_refused(original, tmp_path):
    from inspections.store.migrations import LATEST
    out = tmp_path / "backup"
    cli("--db", str(original), "backup", "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["schema_version"] == LATEST and manifest["secret"] and manifest["password_hashes"]
    manifest["schema_version"] = LATEST + 1
    (out / "manifest.json").write_text(json.dumps(manifest))
    refused = cli("--db", str(tmp_path / "r.duckdb"), "restore", str(out), check=False)
    assert refused.returncode == 1 and "newer version" in refused.stderr


def test_a_backup_of_an_older_schema_is_restored_and_migrated_on(tmp_path):
    """A backup taken at schema 9 loads into a database migrated to 9, then goes on to the latest."""
    from inspections.services.office.backup import backup as run_backup, restore
    from inspections.store import Database
    from inspections.store.migrations import LATEST, MIGRATIONS, migrate
    from tests.conftest import suite_clock
    clock = suite_clock()
    source = Database(tmp_path / "v9.duckdb", migrate_schema=False, clock=clock)
    source.write(lambda c: migrate(c, clock.instant(), until=9))
    source.write(lambda c: c.execute("INSERT INTO departments VALUES ('market', '市场监管', 'Market')"))
    run_backup(source, tmp_path / "backup")
    source.close()
    assert json.loads((tmp_path / "backup" / "manifest.json").read_text())["schema_version"] == 9
    restored = restore(tmp_path / "backup", tmp_path / "r.duckdb", new_secret=True).path
    db = Database(restored, read_only=True)
    try:
        assert db.scalar("SELECT max(version) FROM schema_migrations") == LATEST == MIGRATIONS[-1][0]
        assert db.query("SELECT id FROM departments") == [("market",)]
    finally:
        db.close()


def test_the_server_backup_is_owner_only(original, tmp_path):
    """Issue 18 #10: the backup's files were 0644. Folders are 0700 and files 0600 now."""
    from inspections.services.shared.context import read_or_create_secret
    read_or_create_secret(original.parent / "secret.key")
    photo = original.parent / "photos" / "202601" / "p.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"a photo")
    os.chmod(photo, 0o644)
    out = tmp_path / "backup"
    cli("--db", str(original), "backup", "--out", str(out))
    paths = [out, *out.rglob("*")]
    assert any(p.name == "secret.key" for p in paths) and any(p.suffix == ".jpg" for p in paths)
    for path in paths:
        mode = os.stat(path).st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
