"""A dead zone, in a real browser at 1024x768 with touch: between the tablet and `streamlit run` sits a
proxy that freezes all traffic for 3 minutes while the inspector answers 3 items, then lets it through.
During the freeze the page says offline, 3 waiting; afterwards, all saved; and the database holds the 3
answers exactly once each, in the order they were given."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import served_demo
from tests.e2e.conftest import _free_port, _plan_field_visits, _stop, _today_visits, _wait_healthy
from tests.e2e.helpers import REPO, goto, screenshot, sign_in, wait_idle
from tests.e2e.stall_proxy import StallingProxy

FREEZE_SECONDS = int(os.environ.get("DEAD_ZONE_SECONDS", "180"))
PASS = re.compile(r"(^|[^不])符合$")

pytestmark = pytest.mark.timeout(FREEZE_SECONDS + 240)


@pytest.fixture
def stalled_server(demo_world):
    """A server of its own (the test reads its database afterwards) on a copy of the demo world, reached
    through the proxy."""
    with tempfile.TemporaryDirectory(prefix="inspections-deadzone-") as tmp:
        db_path, log_path = served_demo(demo_world, Path(tmp) / "demo"), Path(tmp) / "streamlit.log"
        _plan_field_visits(db_path)
        visit = next(v for v in _today_visits(db_path) if v["team"][0] == "traffic_police2")
        port = _free_port()
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
                 "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false"],
                cwd=REPO, env={**os.environ, "INSPECTIONS_DB": str(db_path)}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        proxy = StallingProxy(port)
        try:
            _wait_healthy(process, f"http://127.0.0.1:{port}", log_path, timeout=60)
            yield proxy, visit, db_path, process
        finally:
            proxy.close()
            _stop(process)


def test_answers_given_in_a_dead_zone_arrive_once_each_in_order(stalled_server, browser):
    proxy, visit, db_path, process = stalled_server
    url = f"http://127.0.0.1:{proxy.port}"
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, locale="zh-CN")
    try:
        page = context.new_page()
        goto(page, f"{url}/?enterprise={visit['code']}")
        sign_in(page, "traffic_police2")
        expect(page.get_by_role("heading", name=re.compile(visit["name"]))).to_be_visible(timeout=20000)
        status = page.locator("#inspect-once-connection")
        expect(status).to_have_text("全部已保存", timeout=15000)
        cards = page.locator("[class*='st-key-card-']")
        items = [next(c for c in cards.nth(i).get_attribute("class").split() if c.startswith("st-key-card-"))
                 for i in range(4)]
        items, found = items[:3], items[3]
        finding = page.locator(f"[class~='{found}']")          # a finding, answered before the dead zone
        finding.get_by_role("radio", name=re.compile("不符合$")).click()
        wait_idle(page)
        expect(finding.locator("input[type='file']")).to_be_attached(timeout=15000)
        photo = Path(tempfile.mkdtemp()) / "finding.jpg"
        Image.new("RGB", (1600, 1200), (180, 60, 40)).save(photo, format="JPEG")

        proxy.freeze()
        frozen_at = time.monotonic()
        for key in items:
            page.locator(f"[class~='{key}']").get_by_role("radio", name=PASS).tap()
            page.wait_for_timeout(400)
        expect(status).to_have_text("离线 · 3 条待发送", timeout=20000)
        screenshot(page, "dead_zone_offline")
        # a photo cannot wait in the browser's storage: chosen now, it is said at once not to be saved
        finding.locator("input[type='file']").set_input_files(str(photo))
        expect(status).to_have_text(re.compile("^照片未保存.* · 离线 · 3 条待发送$"), timeout=10000)
        page.wait_for_timeout(max(0, FREEZE_SECONDS - (time.monotonic() - frozen_at)) * 1000)
        expect(status).to_have_text(re.compile("离线 · 3 条待发送$"))
        proxy.thaw()
        thawed_at = time.monotonic()
        expect(status).to_have_text(re.compile("全部已保存$"), timeout=60000)
        caught_up = time.monotonic() - thawed_at
        wait_idle(page, 60000)
        for key in items:
            expect(page.locator(f"[class~='{key}']").get_by_text(re.compile("^已保存"))).to_be_visible(timeout=60000)
        screenshot(page, "dead_zone_all_saved")
        print(f"answers kept offline for {thawed_at - frozen_at:.0f} s; all saved {caught_up:.1f} s after the "
              f"connection came back")
    finally:
        context.close()
    _stop(process)                                   # the file is the server's until it stops
    with duckdb.connect(str(db_path), read_only=True) as db:
        rows = db.execute("""SELECT item_id, to_result FROM answer_history WHERE inspection_id = ?
            ORDER BY changed_at, version""", [visit["id"]]).fetchall()
        keys = db.execute("SELECT count(*) FROM answer_keys WHERE inspection_id = ?", [visit["id"]]).fetchone()[0]
        answers = db.execute("SELECT item_id, result, version FROM inspection_items WHERE inspection_id = ? "
                             "AND NOT self_check ORDER BY answered_at", [visit["id"]]).fetchall()
    ids, finding_id = [key[len("st-key-card-"):] for key in items], found[len("st-key-card-"):]
    assert rows == [(finding_id, "fail")] + [(item, "pass") for item in ids]   # once each, in the order given
    assert keys == 4 and answers == [(finding_id, "fail", 1)] + [(item, "pass", 1) for item in ids]
