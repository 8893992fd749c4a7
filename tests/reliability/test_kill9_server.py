"""kill -9 of the real app process (`streamlit run`) while 20 browser sessions answer their checklists: an
answer counts as acknowledged once its card shows "已保存" in the browser, which the page draws only
after the save committed. After the kill the database opens cleanly (WAL replayed), every acknowledged
answer is in it, and a restarted server shows them to the inspector.

test_kill9.py does the same to a process running the services under heavier load; this one goes through
Streamlit's own server, sessions and callbacks."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _free_port, _stop, _wait_healthy
from tests.e2e.helpers import DEMO_PASSWORD, REPO, goto, sign_in, wait_idle
from tests.conftest import SUITE_NOW, SUITE_TODAY, served_demo

SESSIONS = 20
ITEMS = 8                      # per inspection: every card on one screen
INSPECTOR = "emergency1"
BUTTONS = {"pass": re.compile(r"(^|[^不])符合$"), "not_applicable": re.compile(r"不适用$")}
SAVED = re.compile("^已保存")

pytestmark = pytest.mark.timeout(420)


def _prepare(db_path: Path) -> list[tuple[str, list[str]]]:
    """One in-progress inspection per session on the demo database, each of the first ITEMS items."""
    from inspections.domain.merge import merge
    from inspections.services.shared.context import Context
    from inspections.store import inspections as inspection_store
    ctx = Context.open(db_path)
    try:
        catalogue = ctx.catalogue
        merged = merge(catalogue, catalogue.sector_ids, catalogue.department_ids)
        merged = merged.model_copy(update={"items": merged.items[:ITEMS]})
        codes = [row[0] for row in ctx.db.query("SELECT code FROM enterprises ORDER BY code")]
        rows = [{"id": f"KILL-{n:02d}", "enterprise_code": codes[n % len(codes)], "scheduled_on": SUITE_TODAY,
                 "lead_department": "emergency", "departments": merged.departments, "team": [INSPECTOR],
                 "kind": "special", "reason": "kill -9", "status": "in_progress",
                 "checklist_version": catalogue.version, "merged_list_json": merged.model_dump_json(),
                 "created_by": "test", "cap_override_reason": "", "checked_in_at": SUITE_NOW,
                 "checkin_method": "typed", "checked_in_by": INSPECTOR} for n in range(SESSIONS)]
        ctx.db.write(lambda c: inspection_store.insert_inspections(c, rows, SUITE_NOW))
        return [(row["id"], [item.id for item in merged.items]) for row in rows]
    finally:
        ctx.close()


def _serve(db_path: Path, port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "INSPECTIONS_DB": str(db_path), "INSPECTIONS_BASE_URL": f"http://127.0.0.1:{port}"}
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
             "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    _wait_healthy(process, f"http://127.0.0.1:{port}", log_path, timeout=60)
    return process


def _card(page, item_id: str):
    return page.locator(f".st-key-card-{item_id}")


def _result(item_index: int) -> str:
    return "not_applicable" if item_index % 3 == 2 else "pass"


def test_kill9_of_the_server_loses_no_acknowledged_answer(browser, demo_world, tmp_path):
    db_path, log_path, port = served_demo(demo_world, tmp_path / "demo"), tmp_path / "streamlit.log", _free_port()
    visits = _prepare(db_path)
    url = f"http://127.0.0.1:{port}"
    server = _serve(db_path, port, log_path)
    contexts, pages = [], []
    try:
        # open and sign in all 20 sessions side by side (one after the other takes minutes)
        for inspection_id, _ in visits:
            context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
            contexts.append(context)
            pages.append(context.new_page())
            pages[-1].goto(f"{url}/inspection?inspection={inspection_id}", wait_until="commit")
        for page in pages:
            page.locator("input[autocomplete='username']").fill(INSPECTOR, timeout=60000)
            page.locator("input[autocomplete='current-password']").fill(DEMO_PASSWORD)
            page.get_by_test_id("stForm").get_by_role("button", name="登录").click()
        for page, (_, items) in zip(pages, visits):
            expect(_card(page, items[-1])).to_be_visible(timeout=60000)

        acknowledged: dict[tuple[str, str], str] = {}
        kill_after = ITEMS - 2        # this round's clicks are in flight when the server dies
        for round_number in range(kill_after + 1):
            for page, (inspection_id, items) in zip(pages, visits):
                _card(page, items[round_number]).get_by_role("radio", name=BUTTONS[_result(round_number)]).click()
            if round_number == kill_after:
                break
            for page, (inspection_id, items) in zip(pages, visits):   # the browser shows them saved
                expect(_card(page, items[round_number]).get_by_text(SAVED)).to_be_visible(timeout=60000)
                acknowledged[(inspection_id, items[round_number])] = _result(round_number)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        assert server.returncode == -signal.SIGKILL
        assert len(acknowledged) == SESSIONS * kill_after
    finally:
        for context in contexts:
            context.close()
        _stop(server)

    from inspections.services.shared.context import Context
    from inspections.store import inspections as inspection_store
    reopened = Context.open(db_path)                   # replays the WAL; must open cleanly
    try:
        stored = {inspection_id: inspection_store.answers(reopened.db, inspection_id) for inspection_id, _ in visits}
        missing = [key for key in acknowledged if key[1] not in stored[key[0]]]
        assert not missing, f"acknowledged but lost: {missing}"
        assert all(stored[i][item]["result"] == result for (i, item), result in acknowledged.items())
        first_id, first_items = visits[0]
        saved_first = len(stored[first_id])
    finally:
        reopened.close()

    server = _serve(db_path, port, log_path)           # and the app starts again on the same file
    try:
        context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
        page = context.new_page()
        goto(page, f"{url}/inspection?inspection={first_id}")
        sign_in(page, INSPECTOR)
        expect(_card(page, first_items[-1])).to_be_visible(timeout=30000)
        wait_idle(page)
        expect(page.locator("[class*='st-key-card-']").get_by_text(SAVED)).to_have_count(saved_first)
        context.close()
    finally:
        _stop(server)
