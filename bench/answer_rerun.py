"""Server time to answer one item of a large inspection (every catalogue item: all sectors, all
departments), median and 95th percentile:
  - save: the autosave itself (services.inspecting.answer_item, what the card's callback calls);
  - rerun: AppTest's whole-script rerun after the answer, an upper bound on the server time of the
    fragment rerun a browser gets (AppTest replays the whole page), compared with the save.

    python -m bench.answer_rerun [--answers N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

APP = str(Path(__file__).resolve().parent.parent / "inspections" / "ui" / "entry" / "main.py")


def signing_in(username: str, timeout: int = 120):
    """An AppTest of the app whose next run signs `username` in (demo password)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    st.config.set_option("server.address", "127.0.0.1")   # the demo database is served to this machine only
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input("Demo@2026")
    at.button[0].click()
    return at


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def build(db_path: Path) -> tuple[str, str]:
    from inspections.domain.merge import merge
    from inspections.services.data import demo
    from inspections.services.shared.context import Context
    from inspections.store import inspections as store
    ctx = Context.open(db_path)
    demo.seed(ctx)
    catalogue = ctx.catalogue
    merged = merge(catalogue, catalogue.sector_ids, catalogue.department_ids)
    code = ctx.db.scalar("SELECT code FROM enterprises LIMIT 1")
    inspection_id = "BENCH-ALL-ITEMS"
    ctx.db.write(lambda c: store.insert_inspections(c, [{
        "id": inspection_id, "enterprise_code": code, "scheduled_on": ctx.clock.today(), "lead_department": "emergency",
        "departments": merged.departments, "team": ["emergency1"], "kind": "special", "reason": "bench",
        "status": "in_progress", "checklist_version": catalogue.version, "merged_list_json": merged.model_dump_json(),
        "created_by": "bench", "cap_override_reason": "", "checked_in_at": ctx.clock.instant(),
        "checkin_method": "typed", "checked_in_by": "emergency1"}], ctx.clock.instant()))
    ctx.close()
    return inspection_id, str(len(merged.items))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    db_path = folder / "bench.duckdb"
    inspection_id, item_count = build(db_path)
    os.environ["INSPECTIONS_DB"] = str(db_path)
    from streamlit.navigation.page import calc_hash

    from inspections.services.shared.auth import User
    from inspections.services.inspector.inspecting import answer_item
    from inspections.ui.runtime import context
    at = signing_in("emergency1")
    at.run()
    at.query_params["inspection"] = inspection_id
    at._page_hash = calc_hash("inspection")
    at.run()
    groups = [g.key for g in at.get("button_group") if g.key.startswith("res-")]
    reruns = []
    for n, key in enumerate(groups[: args.answers]):
        at.button_group(key=key).set_value("pass" if n % 5 else "fail")
        start = time.perf_counter()
        at.run()
        reruns.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    ctx, user = context(), User("emergency1", "x", "inspector", "emergency")
    items = [k[4:] for k in groups]
    saves = []
    for n in range(args.answers * 3):
        start = time.perf_counter()
        answer_item(ctx, user, inspection_id, items[n % len(items)], "pass")
        saves.append((time.perf_counter() - start) * 1000)
    print(f"inspection items             {item_count:>8}   (section on screen: {len(groups)} cards)")
    print(f"save one answer   p50 / p95  {statistics.median(saves):8.1f} / {percentile(saves, .95):.1f} ms")
    print(f"page rerun        p50 / p95  {statistics.median(reruns):8.1f} / {percentile(reruns, .95):.1f} ms"
          "   (AppTest whole-script rerun; the browser reruns only the card's fragment)")
    print(f"ratio rerun / save (p50)     {statistics.median(reruns) / statistics.median(saves):8.1f} x")


if __name__ == "__main__":
    main()
