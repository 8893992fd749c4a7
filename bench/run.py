"""Every benchmark figure of Inspect Once in one run, each beside its target (bench/RESULTS.md keeps the
latest full-size figures and the machine they were measured on).

    python bench/run.py [--quick] [--json]          (or: python -m bench.run ...)

  stats_*        closure statistics by sector, every count of domain/closure.py, over N hazards (1,000,000;
                 --quick 100,000): our store (services.stats.closure_stats on a DuckDB file) against the same
                 definitions in SQLite (a file database with indexes) and in pandas (data already in a
                 DataFrame); median of --repeat (7) interleaved rounds; the results are asserted equal per sector.
  autosave_*     50 (--quick 5) simulated inspectors, one thread each, answering every item of their own
                 in-progress inspection through services.inspecting.answer_item as the item card does, all
                 at once with no pause between answers (--think-ms adds one); latency per answer,
                 exceptions, and answers acknowledged but then missing or different in the database.
  answer_rerun_* AppTest's rerun of the inspection page after one answer (bench/answer_rerun.py's approach).
  import_100k_s  a 100,000-row ledger (--quick 10,000) imported into an empty database.
  qr_sheet_3160_s  render_qr_sheet (services.qr_sheets_pdf) for 3,160 enterprises (--quick 316).
  peak_rss_mb    the peak memory (ru_maxrss) of a child process that renders the office's dashboard (AppTest
                 of streamlit_app.py) over the N-hazard database.

The table (or with --json one JSON object) goes to stdout; progress goes to stderr. Figures are printed,
never asserted, except that the three statistics must agree and every answer must be saved."""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import answer_rerun  # noqa: E402
from bench.answer_rerun import percentile  # noqa: E402
from bench.autosave import bench_autosave  # noqa: E402

AS_OF = dt.date(2026, 11, 27)          # the synthetic ledger's "today" (bench/ledger_data.py)
INSPECTION_ITEMS = 150                 # each simulated inspection: the catalogue's first 150 items (or all)
FULL = dict(hazards=1_000_000, inspectors=50, ledger=100_000, enterprises=3160, reruns=40)
QUICK = dict(hazards=100_000, inspectors=5, ledger=10_000, enterprises=316, reruns=20)
KEYS = ("stats_rows", "stats_duckdb_ms", "stats_sqlite_ms", "stats_pandas_ms",
        "autosave_sessions", "autosave_answers", "autosave_p50_ms", "autosave_p95_ms", "autosave_errors",
        "autosave_lost", "answer_rerun_p50_ms", "answer_rerun_p95_ms", "import_100k_s", "qr_sheet_3160_s",
        "peak_rss_mb")
SECTIONS = ("import", "qr", "stats", "autosave", "rerun")
STARTED = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def interleaved_ms(functions: dict, repeat: int) -> dict[str, tuple[float, object]]:
    """{name: (median wall ms, last result)} of `repeat` rounds, each round calling every function once
    in turn (after one warm-up call each), so that all of them meet the same machine load."""
    results = {name: function() for name, function in functions.items()}
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            results[name] = function()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: (statistics.median(times[name]), results[name]) for name in functions}


# -- closure statistics: DuckDB (ours), SQLite, pandas -------------------------------------------------

SQLITE_SQL = """SELECT sector,
    count(*),
    count(*) FILTER (WHERE rectified_on <= :t OR closed_on <= :t),
    count(*) FILTER (WHERE closed_on <= :t),
    count(*) FILTER (WHERE deadline < :t),
    count(*) FILTER (WHERE deadline < :t AND closed_on <= deadline),
    count(*) FILTER (WHERE deadline < :t AND (closed_on IS NULL OR closed_on > :t)),
    count(*) FILTER (WHERE level = 'major'),
    count(*) FILTER (WHERE level = 'major' AND closed_on <= :t),
    count(*) FILTER (WHERE level = 'major' AND (closed_on IS NULL OR closed_on > :t))
FROM hazards WHERE found_on <= :t GROUP BY sector"""


def build_sqlite(duck_path: Path, path: Path) -> sqlite3.Connection:
    """The same hazards in a SQLite file (dates as ISO text, which orders like dates), with indexes on
    found_on and sector and one covering the statistics (sector first, so GROUP BY needs no sort)."""
    import duckdb
    source = duckdb.connect(str(duck_path), read_only=True)
    rows = source.execute("""SELECT id, enterprise_code, sector, department, level, CAST(found_on AS VARCHAR),
        CAST(deadline AS VARCHAR), CAST(rectified_on AS VARCHAR), CAST(closed_on AS VARCHAR) FROM hazards""").fetchall()
    source.close()
    con = sqlite3.connect(str(path))
    con.executescript("""CREATE TABLE hazards (id TEXT PRIMARY KEY, enterprise_code TEXT NOT NULL, sector TEXT NOT NULL,
        department TEXT NOT NULL, level TEXT NOT NULL, found_on TEXT NOT NULL, deadline TEXT NOT NULL,
        rectified_on TEXT, closed_on TEXT)""")
    with con:
        con.executemany("INSERT INTO hazards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.executescript("""CREATE INDEX hazards_found_on ON hazards (found_on);
        CREATE INDEX hazards_sector ON hazards (sector);
        CREATE INDEX hazards_stats ON hazards (sector, found_on, level, deadline, rectified_on, closed_on);
        ANALYZE;""")
    return con


def sqlite_counts(con: sqlite3.Connection, as_of: dt.date) -> dict[str, dict[str, int]]:
    from inspections.domain.closure import COUNT_NAMES
    return {row[0]: dict(zip(COUNT_NAMES, row[1:]))
            for row in con.execute(SQLITE_SQL, {"t": as_of.isoformat()}).fetchall()}


def bench_stats(work: Path, size: dict, repeat: int) -> tuple[dict, Path]:
    from bench.dashboard import build
    from bench.import_and_stats import pandas_counts
    from inspections.domain.closure import COUNT_NAMES
    from inspections.services.shared.context import Context
    from inspections.services.data.stats import closure_stats
    db_path = work / "hazards.duckdb"
    say(f"stats: building a database of {size['hazards']:,} imported hazards (+ demo data)")
    start = time.perf_counter()
    build(db_path, size["hazards"])
    say(f"stats: built in {time.perf_counter() - start:.1f} s; copying it to SQLite")
    lite = build_sqlite(db_path, work / "hazards.sqlite")
    ctx = Context.open(db_path)
    rows = ctx.db.scalar("SELECT count(*) FROM hazards")
    frame = ctx.db.cursor().execute("SELECT sector, level, found_on, deadline, rectified_on, closed_on "
                                    "FROM hazards").df()
    say(f"stats: DuckDB (ours), SQLite and pandas in turn, {repeat} rounds (median of each)")
    timed = interleaved_ms({"duckdb": lambda: closure_stats(ctx, "sector", as_of=AS_OF),
                            "sqlite": lambda: sqlite_counts(lite, AS_OF),
                            "pandas": lambda: pandas_counts(frame, "sector", AS_OF)}, repeat)
    (duck_ms, report), (lite_ms, theirs_lite), (pandas_ms, theirs_pandas) = (
        timed["duckdb"], timed["sqlite"], timed["pandas"])
    ours = {row.group: {name: getattr(row.figures, name) for name in COUNT_NAMES} for row in report.rows}
    lite.close()
    ctx.close()
    assert ours == theirs_lite, f"DuckDB and SQLite disagree:\n{ours}\n{theirs_lite}"
    assert ours == theirs_pandas, f"DuckDB and pandas disagree:\n{ours}\n{theirs_pandas}"
    assert all(sum(c[n] for c in ours.values()) == getattr(report.total, n) for n in COUNT_NAMES), report.total
    say(f"stats: equal in all three ({len(ours)} sectors, {sum(c['found'] for c in ours.values()):,} hazards "
        f"found by {AS_OF}): DuckDB {duck_ms:.1f} ms, SQLite {lite_ms:.1f} ms, pandas {pandas_ms:.1f} ms")
    return dict(stats_rows=rows, stats_duckdb_ms=duck_ms, stats_sqlite_ms=lite_ms, stats_pandas_ms=pandas_ms), db_path


# -- peak memory of the app process (a child rendering the dashboard) -----------------------------------

def dashboard_child(db_path: str) -> None:
    """Run in a child process: render the office's dashboard over `db_path`, print its own peak RSS."""
    os.environ["INSPECTIONS_DB"] = db_path
    at = answer_rerun.signing_in("office", timeout=600)
    start = time.perf_counter()
    at.run()
    first_ms = (time.perf_counter() - start) * 1000
    assert not at.exception, at.exception
    start = time.perf_counter()
    at.run()
    again_ms = (time.perf_counter() - start) * 1000
    assert not at.exception, at.exception
    assert at.title[0].value == "隐患整改闭环统计", at.title[0].value
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss       # kilobytes on Linux
    print(json.dumps({"peak_rss_mb": peak_kb / 1024, "first_render_ms": first_ms, "rerender_ms": again_ms}))


def bench_peak_rss(db_path: Path) -> dict:
    say("memory: rendering the dashboard in a child process")
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--dashboard-child", str(db_path)],
                          capture_output=True, text=True, cwd=str(ROOT), timeout=1800)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise RuntimeError(f"the dashboard child failed with exit code {done.returncode}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    say(f"memory: peak {figures['peak_rss_mb']:.0f} MB; dashboard first render {figures['first_render_ms']:.0f} ms, "
        f"rerender {figures['rerender_ms']:.0f} ms (AppTest, server side)")
    return dict(peak_rss_mb=figures["peak_rss_mb"])


# -- autosave: concurrent inspectors through answer_item ------------------------------------------------


def _quiet_streamlit() -> None:
    """Streamlit warns on every widget touched outside `streamlit run` (hundreds of lines): errors only."""
    import logging
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def bench_rerun(work: Path, size: dict) -> dict:
    db_path = work / "rerun.duckdb"
    inspection_id, item_count = answer_rerun.build(db_path)
    os.environ["INSPECTIONS_DB"] = str(db_path)
    from streamlit.navigation.page import calc_hash
    _quiet_streamlit()
    at = answer_rerun.signing_in("emergency1")
    at.run()
    at.query_params["inspection"] = inspection_id
    at._page_hash = calc_hash("inspection")
    at.run()
    assert not at.exception, at.exception
    _quiet_streamlit()         # again: the runs above made more of Streamlit's loggers
    groups = [g.key for g in at.get("button_group") if g.key.startswith("res-")]
    say(f"answer rerun: inspection of {item_count} items, {len(groups)} cards on screen, "
        f"{min(size['reruns'], len(groups))} answers")
    reruns = []
    for n, key in enumerate(groups[:size["reruns"]]):
        at.button_group(key=key).set_value("pass" if n % 5 else "fail")
        start = time.perf_counter()
        at.run()
        reruns.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return dict(answer_rerun_p50_ms=statistics.median(reruns), answer_rerun_p95_ms=percentile(reruns, 0.95))


# -- import and QR sheet --------------------------------------------------------------------------------

def bench_import(work: Path, size: dict) -> dict:
    from bench.ledger_data import write_ledger
    from inspections.services.shared.context import Context
    from inspections.services.data.imports import import_hazards
    ledger = write_ledger(work / "ledger.csv", size["ledger"])
    ctx = Context.open(work / "import.duckdb")
    start = time.perf_counter()
    report = import_hazards(ctx, ledger)
    seconds = time.perf_counter() - start
    ctx.close()
    assert report.created == size["ledger"], report
    say(f"import: {report.created:,} hazards and {report.enterprises_created:,} enterprises in {seconds:.2f} s")
    return dict(import_100k_s=seconds)


def bench_qr(size: dict) -> dict:
    # bench/qr_sheet.py's enterprises, and render_qr_sheet from wherever that bench imports it (it moved
    # from services.sheets_pdf to services.qr_sheets_pdf).
    from bench.qr_sheet import enterprises, render_qr_sheet
    listed = enterprises(size["enterprises"])
    start = time.perf_counter()
    sheet = render_qr_sheet(listed, per_page=12)
    seconds = time.perf_counter() - start
    say(f"QR sheet: {len(listed):,} enterprises, {-(-len(listed) // 12)} pages, {len(sheet) / 1e6:.1f} MB "
        f"in {seconds:.1f} s")
    return dict(qr_sheet_3160_s=seconds)


# -- the table --------------------------------------------------------------------------------------------

def rows_of(figures: dict, size: dict) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, met) for every figure measured; '—' where a figure has no target."""
    def met(ok: bool) -> str:
        return "yes" if ok else "no"
    rows = []
    f = figures
    if "stats_rows" in f:
        duck, lite, pand = f["stats_duckdb_ms"], f["stats_sqlite_ms"], f["stats_pandas_ms"]
        rows += [
            ("stats_rows", f"{f['stats_rows']:,}", f">= {size['hazards']:,} hazards", met(f["stats_rows"] >= size["hazards"])),
            ("stats_duckdb_ms", f"{duck:.1f}", "<= 50 ms (median)", met(duck <= 50)),
            ("stats_sqlite_ms", f"{lite:.1f} ({lite / duck:.1f}x ours)", ">= 10x ours", met(lite >= 10 * duck)),
            ("stats_pandas_ms", f"{pand:.1f} ({pand / duck:.1f}x ours)", ">= 3x ours", met(pand >= 3 * duck)),
        ]
    if "autosave_sessions" in f:
        per = f["autosave_answers"] // max(1, f["autosave_sessions"])
        rows += [
            ("autosave_sessions", str(f["autosave_sessions"]), f"{size['inspectors']} inspectors",
             met(f["autosave_sessions"] == size["inspectors"])),
            ("autosave_answers", f"{f['autosave_answers']:,}", f"every item ({per} each; catalogue < 150)"
             if per < INSPECTION_ITEMS else "every item", "—"),
            ("autosave_p50_ms", f"{f['autosave_p50_ms']:.1f}", "—", "—"),
            ("autosave_p95_ms", f"{f['autosave_p95_ms']:.1f}", "<= 50 ms", met(f["autosave_p95_ms"] <= 50)),
            ("autosave_errors", str(f["autosave_errors"]), "0", met(f["autosave_errors"] == 0)),
            ("autosave_lost", str(f["autosave_lost"]), "0", met(f["autosave_lost"] == 0)),
        ]
    if "answer_rerun_p50_ms" in f:
        rows += [
            ("answer_rerun_p50_ms", f"{f['answer_rerun_p50_ms']:.1f}", "—", "—"),
            ("answer_rerun_p95_ms", f"{f['answer_rerun_p95_ms']:.1f}", "<= 150 ms", met(f["answer_rerun_p95_ms"] <= 150)),
        ]
    if "import_100k_s" in f:
        rows.append(("import_100k_s", f"{f['import_100k_s']:.2f}", f"<= 10 s ({size['ledger']:,} rows)",
                     met(f["import_100k_s"] <= 10)))
    if "qr_sheet_3160_s" in f:
        rows.append(("qr_sheet_3160_s", f"{f['qr_sheet_3160_s']:.1f}", f"<= 60 s ({size['enterprises']:,} enterprises)",
                     met(f["qr_sheet_3160_s"] <= 60)))
    if "peak_rss_mb" in f:
        rows.append(("peak_rss_mb", f"{f['peak_rss_mb']:.0f}", "<= 1024 MB (1 GB)", met(f["peak_rss_mb"] <= 1024)))
    return rows


def table(rows: list[tuple[str, str, str, str]]) -> str:
    header = ("figure", "value", "target", "met")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(4)]
    line = lambda r: "  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(tuple("-" * w for w in widths))] + [line(r) for r in rows])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size (CI)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each statistics engine (median)")
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="mean pause of each simulated inspector between answers (default none)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run, of {', '.join(SECTIONS)} (default all)")
    parser.add_argument("--dashboard-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dashboard_child:
        dashboard_child(args.dashboard_child)
        return
    only = set(args.only.split(","))
    if only - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(only - set(SECTIONS)))}")
    size = QUICK if args.quick else FULL

    # Everything the run prints, from Python or C, goes to stderr; stdout gets only the result.
    sys.stdout.flush()
    result_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    work = Path(tempfile.mkdtemp(prefix="inspect-bench-"))
    figures: dict = {}
    try:
        with contextlib.redirect_stdout(sys.stderr):
            say(f"{'quick' if args.quick else 'full-size'} run in {work}; load average "
                f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
            if "import" in only:
                figures.update(bench_import(work, size))
            if "qr" in only:
                figures.update(bench_qr(size))
            if "stats" in only:
                stats, db_path = bench_stats(work, size, args.repeat)
                figures.update(stats)
                figures.update(bench_peak_rss(db_path))
            if "autosave" in only:
                figures.update(bench_autosave(work, size, args.think_ms))
            if "rerun" in only:
                figures.update(bench_rerun(work, size))
            say(f"done; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ordered = {key: figures[key] for key in KEYS if key in figures}
    rounded = {k: round(v, 2) if isinstance(v, float) else v for k, v in ordered.items()}
    if args.json:
        result_out.write(json.dumps(rounded) + "\n")
    else:
        result_out.write(table(rows_of(ordered, size)) + "\n")
    result_out.flush()
    # The Streamlit session of the rerun section still holds its database, now deleted: leave at once.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
