"""Nothing but the clock reads the system time.

time-machine moves the clock of this process only; DuckDB's own clock and child processes stay where
they are. So the rule is held three ways: the source is scanned for every way Python reads the time and
for the SQL functions that read the database's clock; the live schema holds no column default that reads
it; and the demo world seeded while the system clock is years away from the context's clock holds only
dates and times of the context's clock.
"""
from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import time_machine
import yaml

from inspections.services.data import demo
from inspections.services.shared.context import Context
from tests.conftest import REPO, district_time, suite_clock

CLOCK_MODULE = REPO / "inspections" / "clock.py"
# Python's ways to read the system time, as `<owner>.<attribute>` (owner: the name it is reached through)
PYTHON_READS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
                ("datetime", "fromtimestamp"), ("date", "fromtimestamp"), ("time", "time"), ("time", "time_ns"),
                ("time", "localtime"), ("time", "gmtime"), ("time", "ctime"), ("time", "strftime")}
SQL_READS = re.compile(r"\b(current_date|current_timestamp|current_time|localtimestamp|localtime|"
                       r"get_current_timestamp|get_current_time|transaction_timestamp|now\s*\(|today\s*\()",
                       re.IGNORECASE)
# released migration steps are never edited; what they left behind is checked on the live schema below
RELEASED_SQL = {REPO / "inspections" / "store" / name for name in   # the released schema steps (store.migrations)
                ("schema_foundation.py", "schema_record_and_requests.py")}


def _sources() -> list[Path]:
    return sorted((REPO / "inspections").rglob("*.py")) + [REPO / "streamlit_app.py"]


def _owner(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def system_time_reads(path: Path, root: Path = REPO) -> list[str]:
    """`file:line: what` for every read of the system time in one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name, found = path.relative_to(root), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and (_owner(node.value), node.attr) in PYTHON_READS:
            found.append(f"{name}:{node.lineno}: {_owner(node.value)}.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
            for alias in node.names:
                if any(alias.name == attribute for _, attribute in PYTHON_READS):
                    found.append(f"{name}:{node.lineno}: from {node.module} import {alias.name}")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and path not in RELEASED_SQL
              and SQL_READS.search(node.value)):
            found.append(f"{name}:{node.lineno}: SQL {SQL_READS.search(node.value).group(0)!r}")
    return sorted(found, key=lambda line: int(line.split(":")[1]))


def test_only_the_clock_reads_the_system_time():
    reads = [line for path in _sources() if path != CLOCK_MODULE for line in system_time_reads(path)]
    assert reads == []


def test_the_scan_finds_each_way_of_reading_the_time(tmp_path):
    """The scan itself: each line from the fourth on reads the time, and each is reported once."""
    sample = tmp_path / "sample.py"
    lines = ["import datetime as dt", "import time", "x = dt.date(2026, 1, 1)", "a = dt.datetime.now()",
             "b = dt.date.today()", "c = date.today()", "d = time.time()", "e = dt.datetime.utcnow",
             "f = 'UPDATE t SET at = now() WHERE x'", "g = 'SELECT current_date'", "from time import time",
             "h = 'CREATE TABLE t (at TIMESTAMPTZ DEFAULT current_timestamp)'"]
    sample.write_text("\n".join(lines), encoding="utf-8")
    assert [line.split(":")[1] for line in system_time_reads(sample, tmp_path)] == \
        [str(n) for n in range(4, len(lines) + 1)]


def test_no_column_default_reads_the_database_clock(ctx):
    defaults = ctx.db.query("""SELECT table_name, column_name, column_default FROM duckdb_columns()
        WHERE NOT internal AND column_default IS NOT NULL""")
    assert [d for d in defaults if SQL_READS.search(d[2])] == []
    kinds = dict(((t, c), k) for t, c, k in ctx.db.query(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal"))
    assert [key for key, kind in kinds.items() if kind == "TIMESTAMP"] == []   # every time is an instant


def test_a_world_seeded_while_the_system_clock_is_elsewhere_holds_only_the_contexts_time(tmp_path):
    """The system clock is moved three years ahead; the context's clock says 2026-03-15. Every date and
    time the demo seeder and the store write must come from the context's clock: within the demo's year
    of history and month of plans around 2026-03-15, none near the system's 2029."""
    context_now = district_time(2026, 3, 15, 10, 0)
    with time_machine.travel(dt.datetime(2029, 7, 1, 12, 0, tzinfo=dt.timezone.utc), tick=False):
        ctx = Context.open(tmp_path / "elsewhere.duckdb", clock=suite_clock(context_now))
        try:
            demo.seed(ctx)
            values = _every_date_and_time(ctx, but=("users", "enforcement_valid_until"))
            valid_until = {row[0] for row in ctx.db.query("SELECT DISTINCT enforcement_valid_until FROM users "
                                                          "WHERE role = 'inspector'")}
        finally:
            ctx.close()
    earliest, latest = dt.date(2025, 3, 1), dt.date(2026, 5, 31)
    assert values and [v for v in values if not earliest <= v <= latest] == []
    days = yaml.safe_load(demo.SEED_FILE.read_text(encoding="utf-8"))["enforcement_ids"]["valid_days"]
    assert valid_until == {dt.date(2026, 3, 15) + dt.timedelta(days=days)}    # the IDs' years ahead, from the context


def _every_date_and_time(ctx, but: tuple[str, str] | None = None) -> list[dt.date]:
    columns = ctx.db.query("""SELECT table_name, column_name FROM duckdb_columns()
        WHERE NOT internal AND data_type IN ('DATE', 'TIMESTAMP WITH TIME ZONE')""")
    values = []
    for table, column in columns:
        if (table, column) == but:
            continue
        for (value,) in ctx.db.query(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'):
            values.append(value.date() if isinstance(value, dt.datetime) else value)
    return values
