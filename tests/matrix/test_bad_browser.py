"""The bad-input matrix (tests/matrix/helpers.py), the self-check uploader in a real browser (fragment reruns,
which AppTest cannot run; the refused file's side of the same bug is
test_bad_pages.py::test_page_self_check_photo_upload_names_the_refused_file)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from inspections import config
from tests.conftest import jpeg
from tests.matrix.conftest import copy_template, photo_files




@pytest.fixture(scope="module")
def browser_app(template, tmp_path_factory, browser):
    """`streamlit run` on a copy of the template, and headless chromium; skipped where either is missing."""
    import signal
    import socket
    import time
    import urllib.request
    db = copy_template(template, tmp_path_factory.mktemp("browser") / "db")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = (db.parent / "streamlit.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
         "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false"],
        cwd=config.REPO_ROOT, env={**os.environ, "INSPECTIONS_DB": str(db), "INSPECTIONS_BASE_URL": url},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline, "streamlit did not start"
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        yield browser, url, db  # the run's one shared browser (tests/conftest.py)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the server's own process group, started above
            server.wait(timeout=10)
        log.close()


def _self_check_card(browser_app, template, item_id: str):
    from tests.e2e.helpers import goto, sign_in
    browser, url, _ = browser_app
    w = template[1]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    goto(page, f"{url}/self-check?inspection={w.self_id}")
    sign_in(page, w.self_user.username)
    return context, page, page.locator(f".st-key-scard-{item_id}")


def test_browser_self_check_valid_photo_is_saved_once(browser_app, template, tmp_path):
    import time
    w = template[1]
    (tmp_path / "after.jpg").write_bytes(jpeg(800, 600, (30, 160, 60)))
    context, page, card = _self_check_card(browser_app, template, w.self_items["markdown-bold-and-js-link"])
    try:
        files = len(photo_files(browser_app[2]))
        card.locator("input[type='file']").set_input_files(str(tmp_path / "after.jpg"))
        deadline = time.monotonic() + 20
        while len(photo_files(browser_app[2])) == files and time.monotonic() < deadline:
            time.sleep(0.2)  # until the upload is saved ...
        time.sleep(2.5)  # ... and a while longer, for any repeat
        assert len(photo_files(browser_app[2])) - files == 1
    finally:
        context.close()
