"""Autosave under load for bench/run.py: N simulated inspectors (threads) answer every item of their own
in-progress inspection through services.inspecting.answer_item, as the pages' callbacks do; latency per
answer, errors, and acknowledged answers missing afterwards."""
from __future__ import annotations

import random
import statistics
import threading
import time
from pathlib import Path

from bench.answer_rerun import percentile

INSPECTION_ITEMS = 150                 # each simulated inspection: the catalogue's first 150 items (or all)


def say(message: str) -> None:
    import sys
    print(message, file=sys.stderr, flush=True)


def build_inspections(db_path: Path, sessions: int) -> tuple[list[tuple[str, object]], int]:
    """A demo database plus one in-progress inspection per simulated inspector, built as
    bench/answer_rerun.py builds its whole-catalogue one, with the merged list's first 150 items."""
    from inspections.domain.merge import merge
    from inspections.services.data import demo
    from inspections.services.shared.auth import User
    from inspections.services.shared.context import Context
    from inspections.store import inspections as store
    ctx = Context.open(db_path)
    demo.seed(ctx)
    catalogue = ctx.catalogue
    merged = merge(catalogue, catalogue.sector_ids, catalogue.department_ids)
    merged = merged.model_copy(update={"items": merged.items[:INSPECTION_ITEMS]})
    codes = [row[0] for row in ctx.db.query("SELECT code FROM enterprises ORDER BY code")]
    departments = catalogue.department_ids
    inspectors, rows = [], []
    for n in range(sessions):
        username = f"bench_inspector{n + 1:02d}"
        department = departments[n % len(departments)]
        inspection_id = f"BENCH-AUTOSAVE-{n + 1:02d}"
        inspectors.append((inspection_id, User(username, f"压测检查员{n + 1}", "inspector", department)))
        rows.append({
            "id": inspection_id, "enterprise_code": codes[n % len(codes)], "scheduled_on": ctx.clock.today(),
            "lead_department": department, "departments": merged.departments, "team": [username],
            "kind": "special", "reason": "bench", "status": "in_progress", "checklist_version": catalogue.version,
            "merged_list_json": merged.model_dump_json(), "created_by": "bench", "cap_override_reason": "",
            "checked_in_at": ctx.clock.instant(), "checkin_method": "typed", "checked_in_by": username})
    ctx.db.write(lambda c: store.insert_inspections(c, rows, ctx.clock.instant()))
    ctx.close()
    return inspectors, len(merged.items)


def _answer_plan(n: int) -> tuple[str, str, str | None]:
    """(result, note, level) of the n-th item, as a card would send them: mostly passes, some failures
    (a few major), some not applicable."""
    if n % 7 == 3:
        return "fail", f"压测发现的问题 {n}", "major" if n % 21 == 3 else None
    if n % 11 == 5:
        return "not_applicable", "", None
    return "pass", "", None


def bench_autosave(work: Path, size: dict, think_ms: float) -> dict:
    from inspections.domain.merge import MergedList
    from inspections.services.inspector import inspecting
    from inspections.services.shared.context import Context
    from inspections.store import inspections as store
    sessions = size["inspectors"]
    db_path = work / "autosave.duckdb"
    inspectors, item_count = build_inspections(db_path, sessions)
    say(f"autosave: {sessions} inspectors x {item_count} items (the catalogue has {item_count}), "
        f"{'no pause' if not think_ms else f'{think_ms:.0f} ms pause'} between answers")
    ctx = Context.open(db_path)          # one context per process, as the app's st.cache_resource
    items = [item.id for item in MergedList.model_validate_json(
        store.get(ctx.db, inspectors[0][0])["merged_list_json"]).items]
    gate = threading.Barrier(sessions)
    latencies: list[float] = []
    acknowledged: list[dict] = []
    errors: list[str] = []
    lock = threading.Lock()

    def inspector(inspection_id: str, user) -> None:
        pause = random.Random(inspection_id)
        mine, acks, failures = [], [], []
        gate.wait()
        for n, item_id in enumerate(items):
            result, note, level = _answer_plan(n)
            start = time.perf_counter()
            try:
                answer = inspecting.answer_item(ctx, user, inspection_id, item_id, result, note=note,
                                                level=level, deadline=None)
            except Exception as error:  # noqa: BLE001  (every exception counts as an error)
                failures.append(f"{inspection_id} {item_id}: {type(error).__name__}: {error}")
            else:
                acks.append(answer)
            mine.append((time.perf_counter() - start) * 1000)
            if think_ms:
                time.sleep(pause.uniform(0.5, 1.5) * think_ms / 1000)
        with lock:
            latencies.extend(mine)
            acknowledged.extend(acks)
            errors.extend(failures)

    threads = [threading.Thread(target=inspector, args=pair, name=pair[0]) for pair in inspectors]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    for line in errors[:10]:
        say(f"autosave error: {line}")
    lost = 0
    saved = {inspection_id: store.answers(ctx.db, inspection_id) for inspection_id, _ in inspectors}
    for answer in acknowledged:
        row = saved[answer["inspection_id"]].get(answer["item_id"])
        if row is None or any(row[f] != answer[f] for f in store.ANSWER_FIELDS):
            lost += 1
    ctx.close()
    answers = sessions * item_count
    say(f"autosave: {len(acknowledged):,} of {answers:,} answers acknowledged in {elapsed:.1f} s "
        f"({len(acknowledged) / elapsed:.0f} a second), {len(errors)} errors, {lost} lost")
    return dict(autosave_sessions=sessions, autosave_answers=answers,
                autosave_p50_ms=statistics.median(latencies), autosave_p95_ms=percentile(latencies, 0.95),
                autosave_errors=len(errors), autosave_lost=lost)


# -- the inspection page's rerun after one answer (AppTest) ---------------------------------------------
