"""Import a 100,000-row ledger and compute closure statistics over it; the same statistics in pandas
in the same process as the alternative, results checked equal. Prints figures and ratios.

    python -m bench.import_and_stats [--rows N] [--repeat K]
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.ledger_data import write_ledger
from inspections.domain.closure import COUNT_NAMES
from inspections.services.shared.context import Context
from inspections.services.data.imports import import_hazards
from inspections.services.data.stats import closure_stats

AS_OF = dt.date(2026, 11, 27)


def pandas_counts(frame: pd.DataFrame, by: str, as_of: dt.date) -> dict[str, dict[str, int]]:
    """The closure definition (domain/closure.py) written in pandas, the alternative we compare with."""
    t = pd.Timestamp(as_of)
    f = frame[frame.found_on <= t]
    closed = f.closed_on <= t
    due = f.deadline < t
    major = f.level == "major"
    flags = pd.DataFrame({
        "group": f[by], "found": 1, "rectified": (f.rectified_on <= t) | closed, "closed": closed,
        "due": due, "closed_on_time": due & (f.closed_on <= f.deadline), "overdue_open": due & ~closed,
        "major_found": major, "major_closed": major & closed, "major_open": major & ~closed})
    summed = flags.groupby("group").sum()
    return {group: {name: int(row[name]) for name in COUNT_NAMES} for group, row in summed.iterrows()}


def median_ms(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ledger = write_ledger(Path(folder) / "ledger.csv", args.rows)
        ctx = Context.open(Path(folder) / "bench.duckdb")
        start = time.perf_counter()
        report = import_hazards(ctx, ledger)
        import_s = time.perf_counter() - start
        start = time.perf_counter()
        again = import_hazards(ctx, ledger)
        reimport_s = time.perf_counter() - start
        assert again.unchanged == args.rows
        ours_ms, ours = median_ms(lambda: closure_stats(ctx, "sector", as_of=AS_OF), args.repeat)
        frame = pd.read_csv(ledger, parse_dates=["found_on", "deadline", "rectified_on", "closed_on"])
        pandas_ms, theirs = median_ms(lambda: pandas_counts(frame, "sector", AS_OF), args.repeat)
        ours_counts = {row.group: {n: getattr(row.figures, n) for n in COUNT_NAMES} for row in ours.rows}
        assert ours_counts == theirs, "DuckDB and pandas disagree"
        print(f"rows                         {args.rows:>10,}")
        print(f"import (new, csv)            {import_s:>10.2f} s   ({report.created:,} created, "
              f"{report.enterprises_created:,} enterprises)")
        print(f"re-import (unchanged)        {reimport_s:>10.2f} s")
        print(f"stats --by sector, DuckDB    {ours_ms:>10.1f} ms  (median of {args.repeat})")
        print(f"same figures, pandas         {pandas_ms:>10.1f} ms  (data already in memory)")
        print(f"ratio pandas / ours          {pandas_ms / ours_ms:>10.1f} x   results equal: yes")
        ctx.close()


if __name__ == "__main__":
    main()
