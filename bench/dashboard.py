"""Server-side render time of the office's closure dashboard (the real page, through AppTest) over a
database of N hazards (default 1,000,000), and the same four statistics computed by pandas in the same
process, as the alternative; the figures must agree.

    python -m bench.dashboard [--hazards N] [--repeat K]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.answer_rerun import signing_in


def build(db_path: Path, hazards: int) -> None:
    """A demo database (accounts, catalogue) plus `hazards` synthetic ledger rows, bulk-loaded."""
    from bench.ledger_data import write_ledger
    from inspections.services.data import demo
    from inspections.services.shared.context import Context
    from inspections.services.data.imports import import_hazards
    from inspections.readers.tabular import MAX_DATA_ROWS
    ctx = Context.open(db_path)
    demo.seed(ctx)
    with tempfile.TemporaryDirectory() as folder:
        per_file = MAX_DATA_ROWS  # the importer takes at most this many data rows from one file
        for part in range(0, hazards, per_file):
            size = min(per_file, hazards - part)
            ledger = write_ledger(Path(folder) / f"part{part}.csv", size, seed=part + 1)
            text = ledger.read_text(encoding="utf-8").replace("\nB", f"\nP{part // per_file}B")
            ledger.write_text(text, encoding="utf-8")
            import_hazards(ctx, ledger)
    ctx.db.checkpoint()
    ctx.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    db_path = folder / "dashboard.duckdb"
    start = time.perf_counter()
    build(db_path, args.hazards)
    print(f"database with {args.hazards:,} imported hazards (+ demo) built in {time.perf_counter() - start:.1f} s")
    os.environ["INSPECTIONS_DB"] = str(db_path)
    from inspections.services.shared.auth import User
    from inspections.services.office.oversight import stats
    from inspections.ui.runtime import context
    at = signing_in("office", timeout=300)
    renders = []
    for _ in range(args.repeat):
        begin = time.perf_counter()
        at.run()
        renders.append((time.perf_counter() - begin) * 1000)
        assert not at.exception, at.exception
    assert at.title[0].value == "隐患整改闭环统计"
    ctx, office, today = context(), User("office", "o", "office"), context().clock.today()
    ours = []
    for _ in range(args.repeat):
        begin = time.perf_counter()
        reports = {by: stats(ctx, office, by, today) for by in ("sector", "department", "level", "month")}
        ours.append((time.perf_counter() - begin) * 1000)
    frame = ctx.db.cursor().sql("SELECT sector, department, level, found_on, deadline, rectified_on, closed_on "
                                "FROM hazards").df()
    theirs = []
    for _ in range(args.repeat):
        begin = time.perf_counter()
        pandas_reports = {by: _pandas(frame, by, today) for by in ("sector", "department", "level", "month")}
        theirs.append((time.perf_counter() - begin) * 1000)
    for by, report in reports.items():
        assert {r.group: r.figures.found for r in report.rows} == pandas_reports[by], by
    print(f"dashboard page render (AppTest, server side)   median {statistics.median(renders):8.1f} ms "
          f"(min {min(renders):.1f}, max {max(renders):.1f})")
    print(f"its four statistics, DuckDB                     median {statistics.median(ours):8.1f} ms")
    print(f"the same four in pandas (data in memory)        median {statistics.median(theirs):8.1f} ms")
    print(f"ratio pandas / DuckDB                           {statistics.median(theirs) / statistics.median(ours):8.1f} x")


def _pandas(frame: pd.DataFrame, by: str, today: dt.date) -> dict[str, int]:
    t = pd.Timestamp(today)
    found = frame[pd.to_datetime(frame.found_on) <= t]
    key = pd.to_datetime(found.found_on).dt.strftime("%Y-%m") if by == "month" else found[by]
    return {group: int(count) for group, count in found.groupby(key).size().items()}


if __name__ == "__main__":
    main()
