"""Shared fixtures: the real catalogue, a fresh real DuckDB file per test, and file helpers."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from inspections import config
from inspections.catalogue_files import load
from inspections.domain import credit_code
from inspections.services.context import Context

REPO = config.REPO_ROOT


@pytest.fixture(scope="session")
def catalogue():
    result = load(config.DEFAULT_CHECKLIST_DIR)
    assert result.ok, result.problems
    return result.catalogue


@pytest.fixture
def ctx(tmp_path: Path):
    context = Context.open(tmp_path / "test.duckdb")
    yield context
    context.close()


DEMO_TODAY = dt.date(2026, 11, 27)


def office_user():
    """The demo's safety-office account (README, "Demo accounts"), as the services see it signed in."""
    from inspections.services.auth import User
    return User("office", "安委办", "office")


@pytest.fixture
def demo_ctx(tmp_path: Path):
    """A fresh database with the demo data seeded as of DEMO_TODAY."""
    from inspections.services import demo
    context = Context.open(tmp_path / "demo.duckdb")
    demo.seed(context, today=DEMO_TODAY)
    yield context
    context.close()


def code(n: int) -> str:
    """A valid credit code, different for each n."""
    return credit_code.complete(f"9122010{n:010d}")


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# One headless chromium (Debian's, driven by Playwright) for every real-browser test in the run: Playwright's
# sync API allows one instance per process.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    # pages other than the last one opened are background pages: keep their timers and rendering running
    # (the kill -9 test drives 20 sessions at once)
    "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
]


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if not executable:
        pytest.fail("chromium is not on PATH: run `bash scripts/test.sh` (as root it installs chromium and "
                    "fonts-noto-cjk), or `apt-get install chromium fonts-noto-cjk`", pytrace=False)
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
