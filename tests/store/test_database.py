"""The database file: migrations, atomic writes, concurrent writers, and the held-file message."""
import subprocess
import sys
import threading

import pytest

from inspections.store import Database, DatabaseInUse
from inspections.store.migrations import LATEST

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
    assert db.scalar("SELECT count(*) FROM schema_migrations") == LATEST
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
