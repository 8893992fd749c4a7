"""Real-browser fixtures: the app served by `streamlit run` on a copy of the session's demo world, and Debian's
headless chromium driven by Playwright (no browser download). `bash scripts/test.sh` installs chromium
and the CJK fonts when they are missing."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.helpers import REPO
from tests.conftest import SUITE_TODAY, served_demo

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Every browser test gets 180 s (pytest-timeout), unless it asks for more (the dead zone waits 3 min)."""
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(180))


@dataclass(frozen=True)
class AppServer:
    url: str
    port: int
    db_path: Path
    log_path: Path
    today_visits: tuple = ()  # today's demo visits, read before the server holds the file
    at_cap: dict | None = None  # an enterprise at its yearly cap, likewise
    field_visits: tuple = ()  # more small visits for today, one per test that walks one (traffic_police2)


def _at_cap(db_path: Path) -> dict | None:
    """An enterprise at its yearly cap with no visit within the merge window of the planning form's default
    date (a week ahead), so that planning one more asks only for the override reason."""
    import datetime as dt

    from inspections.services.office import planning
    from inspections.services.shared.auth import User
    from inspections.services.shared.context import Context
    ctx = Context.open(db_path)
    try:
        office, day = User("office", "安委办", "office"), SUITE_TODAY + dt.timedelta(days=7)
        rows = planning.inspections_per_enterprise(ctx, SUITE_TODAY.year)
        return next((r for r in rows if r["at_cap"] and r["cap"] >= 1
                     and not planning.nearby(ctx, office, r["enterprise_code"], day)), None)
    finally:
        ctx.close()


def _today_visits(db_path: Path) -> tuple:
    """The visits the server shows as today's: the district's day by the server's (real) clock, not
    DuckDB's current_date, which is the UTC day on a UTC machine from 16:00 to midnight."""
    import duckdb

    from inspections.clock import Clock
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute("""SELECT i.id, i.enterprise_code, e.name, i.departments, i.team,
                json_array_length(i.merged_list_json, '$.items') AS items
            FROM inspections i JOIN enterprises e ON e.code = i.enterprise_code
            WHERE i.scheduled_on = ? AND i.status = 'scheduled' ORDER BY i.id""", [Clock().today()]).fetchall()
    finally:
        con.close()
    return tuple(dict(zip(("id", "code", "name", "departments", "team", "items"), row)) for row in rows)


FIELD_VISITS = 4
FIELD_ENTERPRISE_USER = ("fleet_rep", "Fleet-Safety#2026")   # an account of field_visits[2]'s enterprise


def _plan_field_visits(db_path: Path) -> None:
    """Small traffic-police checks for today at transport companies with nothing else today, so that tests
    walking a visit of their own do not meet each other's answers; the third one's enterprise gets an
    account (FIELD_ENTERPRISE_USER), for a test that follows its hazard to the end."""
    from inspections.services.office import planning
    from inspections.services.shared.auth import User
    from inspections.services.shared.context import Context
    from inspections.clock import Clock
    ctx = Context.open(db_path, clock=Clock())
    try:
        today, office = ctx.clock.today(), User("office", "安委办", "office")
        busy = {r[0] for r in ctx.db.query("SELECT enterprise_code FROM inspections WHERE scheduled_on = ?", [today])}
        codes = [r[0] for r in ctx.db.query("SELECT code FROM enterprises WHERE scenario = 'transport_company' "
                                            "ORDER BY code") if r[0] not in busy][:FIELD_VISITS]
        for code in codes:
            planning.create(ctx, office, code, today, "traffic_police", ["traffic_police"],
                            ["traffic_police2", "traffic_police1"],
                            "special", reason="浏览器测试专项检查", override_reason="浏览器测试", confirm_nearby=True)
        from inspections.services.office import accounts
        accounts.create_user(ctx, *FIELD_ENTERPRISE_USER, "enterprise", display_name="车队安全员",
                             enterprise_code=codes[2])
    finally:
        ctx.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen) -> None:
    """End the server's whole process group: SIGTERM, then SIGKILL after 5 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


@pytest.fixture(scope="session")
def app_server(demo_world):
    with tempfile.TemporaryDirectory(prefix="inspections-e2e-") as tmp:
        folder = Path(tmp)
        db_path, log_path = served_demo(demo_world, folder / "demo"), folder / "streamlit.log"
        _plan_field_visits(db_path)
        visits, capped = _today_visits(db_path), _at_cap(db_path)
        field = tuple(v for v in visits if v["team"][0] == "traffic_police2")
        visits = tuple(v for v in visits if v not in field)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "INSPECTIONS_DB": str(db_path), "INSPECTIONS_BASE_URL": url}
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
                 "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_healthy(process, url, log_path, timeout=60)
            yield AppServer(url=url, port=port, db_path=db_path, log_path=log_path, today_visits=visits,
                            at_cap=capped, field_visits=field)
        finally:
            _stop(process)


def _wait_healthy(process: subprocess.Popen, url: str, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with code {process.returncode}; log tail:\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"streamlit did not answer {url}/_stcore/health within {timeout:.0f} s; log tail:\n"
                f"{_tail(log_path)}")


def _page(browser, **options):
    context = browser.new_context(**options)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def tablet(browser):
    yield from _page(browser, viewport={"width": 1024, "height": 768}, has_touch=True, locale="zh-CN")


@pytest.fixture
def desktop(browser):
    yield from _page(browser, viewport={"width": 1280, "height": 800}, locale="zh-CN")


@pytest.fixture
def phone(browser):
    yield from _page(browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                     locale="zh-CN")
