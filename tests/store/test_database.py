"""The database file: migrations, atomic writes, concurrent writers, and the held-file message."""
import subprocess
import sys
import threading

import pytest

from inspections.store import Database, DatabaseInUse
from inspections.store.migrations import LATEST, MIGRATIONS

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(60)
"""


@pytest.fixture
def holder(tmp_path):
    path = tmp_path / "held.duckdb"
    Database(path).close()
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    yield path, process
    process.kill()
    process.wait()


def test_migrations_run_once(tmp_path):
    db = Database(tmp_path / "a.duckdb")
    assert db.scalar("SELECT max(version) FROM schema_migrations") == LATEST
    db.close()
    db = Database(tmp_path / "a.duckdb")
    assert db.query("SELECT version FROM schema_migrations ORDER BY version") == [(v,) for v, _, _ in MIGRATIONS]
    db.close()


def test_a_failed_write_leaves_nothing(tmp_path):
    db = Database(tmp_path / "a.duckdb")

    def half_then_fail(cursor):
        cursor.execute("INSERT INTO departments VALUES ('x', 'x', 'x')")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        db.write(half_then_fail)
    assert db.scalar("SELECT count(*) FROM departments") == 0
    db.close()


def test_concurrent_writers_never_fail(tmp_path):
    db = Database(tmp_path / "a.duckdb")
    errors = []

    def writer(n):
        try:
            for i in range(25):
                db.write(lambda c: c.execute("INSERT INTO departments VALUES (?, 'z', 'e')", [f"{n}-{i}"]))
        except Exception as error:  # noqa: BLE001 - the test records any failure
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.scalar("SELECT count(*) FROM departments") == 200
    db.close()


def test_held_file_gives_a_clear_error(holder):
    path, process = holder
    with pytest.raises(DatabaseInUse) as caught:
        Database(path)
    message = str(caught.value)
    assert str(path) in message and "in use" in message and f"PID {process.pid}" in message


def test_cli_on_held_file_prints_one_line(holder):
    path, _ = holder
    result = subprocess.run([sys.executable, "-m", "inspections", "--db", str(path), "stats", "--by", "sector"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "in use" in lines[0] and str(path) in lines[0]
    assert "Traceback" not in result.stderr


def test_a_database_of_naive_times_becomes_one_of_instants_in_district_time(tmp_path):
    """A file written before timestamps were instants (schema 4, wall-clock TIMESTAMPs written by a server
    in the district): opening it migrates every time to TIMESTAMPTZ read as district time, and drops
    the defaults that read the database's own clock."""
    import datetime as dt

    import duckdb

    from inspections.store.migrations import MIGRATIONS
    from tests.conftest import district_time, suite_clock
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as old:
        old.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, "
                    "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
        for version, description, sql in MIGRATIONS[:4]:
            old.execute(sql)
            old.execute("INSERT INTO schema_migrations (version, description) VALUES (?, ?)", [version, description])
        old.execute("INSERT INTO hazard_events (hazard_id, occurred_at, actor, action) "
                    "VALUES ('H1', TIMESTAMP '2026-01-01 07:00:00', 'emergency1', 'raise')")
    db = Database(path, clock=suite_clock(district_time(2026, 3, 1, 9, 0)))
    try:
        assert db.scalar("SELECT max(version) FROM schema_migrations") == LATEST
        at = db.scalar("SELECT occurred_at FROM hazard_events")
        assert at == district_time(2026, 1, 1, 7, 0)
        assert at.astimezone(dt.timezone.utc) == dt.datetime(2025, 12, 31, 23, 0, tzinfo=dt.timezone.utc)
        assert db.scalar("SELECT applied_at FROM schema_migrations WHERE version = ?", [LATEST]) == \
            district_time(2026, 3, 1, 9, 0)
        assert db.query("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
                        "AND (data_type = 'TIMESTAMP' OR column_default ILIKE '%current%')") == []
    finally:
        db.close()


def test_bulk_writes_keep_the_instant_and_refuse_a_time_without_a_zone(tmp_path):
    """Arrow would take a naive datetime as UTC (eight hours off for a district wall-clock time) and turn an
    aware one into its UTC instant: a bulk-written time reads back as the same instant in district time,
    and a naive one is refused before anything is written."""
    import datetime as dt

    from inspections.domain.hazards import HazardEvent
    from inspections.store import hazards as hazard_store
    from tests.conftest import district_time
    db = Database(tmp_path / "bulk.duckdb")
    try:
        at = district_time(2027, 1, 1, 7, 0)
        event = HazardEvent(hazard_id="H1", occurred_at=at, actor="emergency1", action="raise", from_status=None,
                            to_status="open")
        db.write(lambda c: hazard_store.insert_events(c, [event]))
        assert [e.occurred_at for e in hazard_store.events(db, "H1")] == [at]
        naive = event.model_copy(update={"hazard_id": "H2", "occurred_at": dt.datetime(2027, 1, 1, 7, 0)})
        with pytest.raises(TypeError, match="no time zone"):
            db.write(lambda c: hazard_store.insert_events(c, [naive]))
        assert db.scalar("SELECT count(*) FROM hazard_events") == 1
    finally:
        db.close()
