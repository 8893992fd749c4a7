"""Shared fixtures: the suite's one clock, the real catalogue, a fresh real DuckDB file per test, the
demo world, and file helpers (CSV files, JPEG and PNG images).

The clock. The whole suite runs on one moment, `SUITE_NOW`: the district's time when the session
started, standing still. Every context a test opens gets a FixedClock at that moment (through
`inspections.clock.district_clock`, which the suite replaces), so pages under AppTest, services and the
demo seeder agree on "today". Tests take dates and objects from the data they build, never literals.

Moved clocks. With INSPECTIONS_TEST_TRAVEL=<ISO instant> (scripts/test.sh sets it, with TZ=UTC, for its
second and third runs), time-machine moves the system clock of every thread of this process to that
instant before anything reads it, and lets it run on. What it cannot move (child processes, DuckDB's own
clock) is kept out of the code by tests/unit/test_one_clock.py.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

if os.environ.get("INSPECTIONS_TEST_TRAVEL"):
    import time_machine
    time_machine.travel(dt.datetime.fromisoformat(os.environ["INSPECTIONS_TEST_TRAVEL"]), tick=True).start()

import pytest  # noqa: E402

from inspections import clock as clocks  # noqa: E402
from inspections import config  # noqa: E402
from inspections.readers.catalogue_files import load  # noqa: E402
from inspections.domain import credit_code  # noqa: E402
from inspections.services.shared.context import Context  # noqa: E402

REPO = config.REPO_ROOT
SUITE_NOW = clocks.Clock().instant().replace(microsecond=0)
SUITE_TODAY = SUITE_NOW.date()


def district_time(*parts: int) -> dt.datetime:
    """A wall-clock time in the district, as the services and the store expect it (aware)."""
    return dt.datetime(*parts, tzinfo=config.time_zone())


def today_at(hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time on the suite's day, in the district."""
    return district_time(SUITE_TODAY.year, SUITE_TODAY.month, SUITE_TODAY.day, hour, minute)


def suite_clock(moment: dt.datetime | None = None) -> clocks.FixedClock:
    """A clock of its own (so a test may move it) at the suite's moment, or at `moment`."""
    return clocks.FixedClock(moment or SUITE_NOW)


def cli_command(*args: str) -> list[str]:
    """`python -m inspections ARGS` as an operator runs it; in a moved-clock run the child process is
    moved to the suite's moment too."""
    if os.environ.get("INSPECTIONS_TEST_TRAVEL"):
        return [sys.executable, "-m", "tests.travelling", SUITE_NOW.isoformat(), "inspections", *args]
    return [sys.executable, "-m", "inspections", *args]


@pytest.fixture(autouse=True, scope="session")
def _the_suite_clock():
    """Every context opened without a clock of its own gets the suite's."""
    patch = pytest.MonkeyPatch()
    patch.setattr(clocks, "district_clock", suite_clock)
    yield
    patch.undo()


def pytest_collection_modifyitems(items):
    """Tiers by what a test needs: `browser` (a real Chromium) and `kill9` (killing real processes). The
    moved-clock runs leave both out: their servers run in child processes that time-machine cannot move."""
    for item in items:
        if "browser" in item.fixturenames or "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.browser)
        if "/reliability/" in str(item.path):
            item.add_marker(pytest.mark.kill9)


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


def office_user():
    """The demo's safety-office account (README, "Demo accounts"), as the services see it signed in."""
    from inspections.services.shared.auth import User
    return User("office", "安委办", "office")


@pytest.fixture(scope="session")
def demo_world(tmp_path_factory) -> Path:
    """The suite's one demo world: a folder with the database seeded once on the suite's clock (a few
    seconds) and its signing secret. Tests work on copies (`copy_demo`), never on it."""
    from inspections.services.data import demo
    folder = tmp_path_factory.mktemp("demo-world")
    context = Context.open(folder / DEMO_DB)
    demo.seed(context)
    context.secret  # noqa: B018 - the signing secret travels with every copy
    context.close()
    return folder


DEMO_DB = "demo.duckdb"


def copy_demo(demo_world: Path, target: Path) -> Path:
    """A copy of the demo world in the new folder `target`; returns its database path."""
    shutil.copytree(demo_world, target)
    return target / DEMO_DB


def served_demo(demo_world: Path, target: Path) -> Path:
    """A demo database for a server of its own (`streamlit run` in a child process, on the system clock), in
    the new folder `target`: a copy of the session's world. That world was seeded on the suite's clock, so
    its "today" is the server's unless the run has crossed the district's midnight since it began; then the
    database is seeded anew on the system clock (`init --demo`), as the server will see it."""
    if clocks.Clock().today() != SUITE_TODAY:
        target.mkdir(parents=True)
        subprocess.run([sys.executable, "-m", "inspections", "--db", str(target / DEMO_DB), "init", "--demo"],
                       cwd=REPO, check=True, capture_output=True, timeout=120)
        return target / DEMO_DB
    return copy_demo(demo_world, target)


@pytest.fixture
def demo_ctx(demo_world: Path, tmp_path: Path):
    """A context on a copy of the demo world of its own."""
    context = Context.open(copy_demo(demo_world, tmp_path / "demo"))
    yield context
    context.close()


def code(n: int) -> str:
    """A valid credit code, different for each n."""
    return credit_code.complete(f"9122010{n:010d}")


def png(image, **options) -> bytes:
    """A PIL image as the bytes of a PNG file; `options` go to PIL's save (`transparency=0`)."""
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


def jpeg(width: int = 2400, height: int = 1800, colour=(200, 40, 40)) -> bytes:
    """A photo of one colour as the bytes of a JPEG file; 2400 x 1800 is a phone's, which the app scales down."""
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="JPEG")
    return out.getvalue()


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


def teams(inspector_options: list[dict]) -> dict[str, list[str]]:
    """Department -> its inspectors' usernames (planning.inspector_options): a department alone on a visit
    sends them all, since a team needs two officers (inspections/rules/enforcement.yaml)."""
    found: dict[str, list[str]] = {}
    for option in inspector_options:
        found.setdefault(option["department"], []).append(option["username"])
    return found


def an_enterprise_at_its_cap(ctx, today: dt.date, clear_of: tuple[int, ...] = (3, 7)) -> dict:
    """An enterprise at its yearly cap in `today`'s year, with no visit within the merge window of
    today + each of `clear_of` days (the days a test plans on): the demo's own if it has one, else one
    brought to its cap by planning routine visits 45 days on (early in a year, on a moved clock, nobody is
    at a cap yet). Returns its row of planning.inspections_per_enterprise."""
    from inspections.services.office import planning
    from inspections.services.shared.auth import User
    office = User("office", "o", "office")

    def clear(code: str) -> bool:
        return not any(planning.nearby(ctx, office, code, today + dt.timedelta(days=d)) for d in clear_of)

    rows = planning.inspections_per_enterprise(ctx, today.year)
    found = next((r for r in rows if r["at_cap"] and r["cap"] >= 1 and clear(r["enterprise_code"])), None)
    if found is not None:
        return found
    day = today + dt.timedelta(days=45)          # beyond the merge window of the days the tests plan on
    assert day.year == today.year, "bring an enterprise to its cap earlier in the year"
    row = min((r for r in rows if r["cap"] >= 1 and clear(r["enterprise_code"])
               and not planning.nearby(ctx, office, r["enterprise_code"], day)), key=lambda r: r["cap"] - r["used"])
    people = teams(planning.inspector_options(ctx, office))["market"]
    for _ in range(row["cap"] - row["used"]):
        planning.create(ctx, office, row["enterprise_code"], day, "market", ["market"], people, "routine",
                        confirm_nearby=True)
    return next(r for r in planning.inspections_per_enterprise(ctx, today.year)
                if r["enterprise_code"] == row["enterprise_code"])
