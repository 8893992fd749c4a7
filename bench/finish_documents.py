"""What issuing the documents adds to finishing a visit: on a fresh demo world, today's joint visit
(emergency, market, fire and rescue) is walked by its market officer with HAZARDS failed items split
between the emergency department (its 责令限期整改指令书) and the others (the joint 隐患整改通知书), a photo on
every failure. Times, median of N renders of the same walk: the on-site record alone (what the finish
rendered before), the notice and 指令书 (services.inspector.notices.issue: what it adds), then the whole
finish once (both renders, the signatures' photos and the transaction).

    python -m bench.finish_documents [--runs N] [--hazards N]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.notice_pdf import timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hazards", type=int, default=6)
    args = parser.parse_args()

    from inspections.domain.hazards import Hazard
    from inspections.domain.visits import found_on, hazard_sector
    from inspections.services.data import demo
    from inspections.services.inspector import inspecting, notices
    from inspections.services.shared import documents
    from inspections.services.shared.auth import User
    from inspections.services.shared.context import Context
    from tests.conftest import jpeg
    from tests.services.test_notice_pdf import ENTERPRISE_STROKES, INSPECTOR_STROKES, _drawn

    with tempfile.TemporaryDirectory() as folder:
        ctx = Context.open(Path(folder) / "bench.duckdb")
        demo.seed(ctx)
        today = ctx.clock.today()
        visit = ctx.db.query_dicts("SELECT * FROM inspections WHERE scheduled_on = ? AND status = 'scheduled' "
                                   "AND list_contains(departments, 'emergency') AND list_contains(departments, 'market') "
                                   "ORDER BY id LIMIT 1", [today])[0]
        officer = next(u for u in visit["team"]
                       if ctx.db.scalar("SELECT department FROM users WHERE username = ?", [u]) == "market")
        user = User(officer, officer, "inspector", "market")
        inspecting.check_in(ctx, user, visit["enterprise_code"], "typed")
        items = inspecting.walk(ctx, user, visit["id"]).merged.items
        emergency = [i for i in items if "market" not in i.departments][: args.hazards // 2]
        others = [i for i in items if "market" in i.departments][: args.hazards - len(emergency)]
        failing = {i.id for i in emergency + others}
        for item in items:
            failed = item.id in failing
            inspecting.answer_item(ctx, user, visit["id"], item.id, "fail" if failed else "pass",
                                   note="二号车间东侧安全出口被成品托盘堵塞，疏散通道宽度不足1米。" if failed else "")
            if failed:
                inspecting.add_photo(ctx, user, visit["id"], item.id, jpeg(1600, 1200))
        state = inspecting.walk(ctx, user, visit["id"])
        now = ctx.clock.instant()
        hazards = [Hazard(id=f"YH-BENCH-{n:03d}", enterprise_code=state.enterprise.code,
                          sector=hazard_sector(item.section, state.enterprise.sectors),
                          department="market" if "market" in item.departments else item.departments[0],
                          level=state.answers[item.id]["level"], description=state.answers[item.id]["note"],
                          found_on=found_on(visit), deadline=state.answers[item.id]["deadline"],
                          inspection_id=visit["id"], item_id=item.id)
                   for n, item in enumerate([i for i in items if i.id in failing], 1)]
        signatures = {"inspector_signature": _drawn(INSPECTOR_STROKES), "enterprise_signature": _drawn(ENTERPRISE_STROKES)}
        record_s, _ = timed(args.runs, lambda: documents.inspection_record(
            ctx, state, finished_at=now, finished_by=officer, hazards=hazards, statement="", enterprise_signer="王海燕",
            **signatures))
        notices_s, issued = timed(args.runs, lambda: notices.issue(
            ctx, state, hazards=hazards, finished_at=now, finished_by=officer, enterprise_signer="王海燕", **signatures))
        start = time.perf_counter()
        raised = inspecting.finish(ctx, user, visit["id"], signatures["inspector_signature"],
                                   signatures["enterprise_signature"], enterprise_signer="王海燕")
        finish_s = time.perf_counter() - start
        ctx.close()
    kinds = ", ".join(f"{d.kind} {len(d.pdf) // 1024} KB" for d in issued)
    print(f"hazards {len(raised)} ({len(emergency)} emergency), photos {len(failing)}; issued: {kinds}")
    print(f"record render      {record_s * 1000:8.0f} ms (median of {args.runs})")
    print(f"notice + 指令书     {notices_s * 1000:8.0f} ms (median of {args.runs}): what the finish adds")
    print(f"whole finish       {finish_s * 1000:8.0f} ms (once)")


if __name__ == "__main__":
    main()
