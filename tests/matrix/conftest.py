"""Fixtures for the bad-input matrix.

One demo database is seeded once per session and a small "world" is built on it through the services
(a finished visit whose findings, rectifications and rejection reasons hold HTML/markdown notes, a visit
in progress, a self-check, enterprises named like HTML). That folder (database, signing secret, photos)
is the template: cases that only read or are refused share one copy per module (`shared`); cases that
write get their own copy (`fresh`); page tests run AppTest on one more copy (`page_db`).
"""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import streamlit as st

from inspections import config
from inspections.domain import credit_code
from inspections.services.inspector import inspecting, rechecks
from inspections.services.enterprise import portal, rectification
from inspections.services.office import registry
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.store import Database
from inspections.store import users as user_store
from tests.conftest import DEMO_DB, SUITE_NOW, SUITE_TODAY, copy_demo, jpeg

TODAY = SUITE_TODAY
APP = str(config.REPO_ROOT / "inspections" / "ui" / "entry" / "main.py")  # the script a tab runs
PASSWORD = "Demo@2026"
DB_NAME = DEMO_DB

# Notes that a browser would run or a markdown renderer would format, by case id.
PAYLOADS = {
    "script-tag": "<script>alert(1)</script>",
    "markdown-bold-and-js-link": "**bold** [x](javascript:alert(1))",
    "img-onerror": "<img src=x onerror=alert(1)>",
}
MARKDOWN_PAYLOADS = {"markdown-bold-and-js-link"}  # formatted (not shown as typed) if rendered as markdown
# Each kind of note gets its own lead-in, so that a page showing several of them tells them apart.
NOTE_PREFIX = {"finding": "发现：", "rectification": "整改：", "rejection": "退回：", "self_check": "自查："}


def note(kind: str, payload_id: str) -> str:
    return NOTE_PREFIX[kind] + PAYLOADS[payload_id]


def new_code(n: int) -> str:
    """A valid credit code that the demo data does not use."""
    return credit_code.complete(f"91990100{n:09d}")


def now() -> dt.datetime:
    return SUITE_NOW


# -- the world -------------------------------------------------------------------------------------
@dataclass
class World:
    finished_id: str = ""             # completed traffic-police visit
    finished_enterprise: str = ""
    finished_inspector: User | None = None
    enterprise_user: User | None = None   # the user of the finished visit's enterprise
    finding_hazards: dict[str, str] = field(default_factory=dict)   # payload id -> hazard: finding and
    #                                                                 rectification notes hold it; submitted
    rejected_hazards: dict[str, str] = field(default_factory=dict)  # payload id -> hazard rejected with it
    finding_items: dict[str, str] = field(default_factory=dict)     # payload id -> item id on the finished visit
    walk_id: str = ""                 # joint visit in progress
    walk_inspector: User | None = None
    walk_item: str = ""               # answered (fail) item of the visit in progress
    self_id: str = ""                 # scheduled visit with self-check answers
    self_user: User | None = None
    self_items: dict[str, str] = field(default_factory=dict)        # payload id -> item (note = payload)
    rect_hazard: str = ""             # open general hazard of enterprise_user's enterprise
    named: dict[str, str] = field(default_factory=dict)             # payload id -> enterprise code (name = payload)


def _user(ctx: Context, username: str) -> User:
    row = user_store.get(ctx.db, username)
    return User(row["username"], row["display_name"], row["role"], row["department"], row["enterprise_code"])


def _build_world(ctx: Context) -> World:
    w = World()
    at = now()
    # 1. the traffic-police visit of today: three findings hold the payloads, three more are plain
    finished = ctx.db.query_dicts("SELECT * FROM inspections WHERE scheduled_on = ? AND status = 'scheduled' "
                                  "AND list_contains(team, 'traffic_police1')", [TODAY])[0]
    w.finished_id, w.finished_enterprise = finished["id"], finished["enterprise_code"]
    w.finished_inspector = _user(ctx, "traffic_police1")
    inspecting.check_in(ctx, w.finished_inspector, w.finished_enterprise, "typed", at)
    items = inspecting.walk(ctx, w.finished_inspector, w.finished_id).merged.items
    payload_ids = list(PAYLOADS)
    for n, item in enumerate(items):
        if n < 3:
            w.finding_items[payload_ids[n]] = item.id
            inspecting.answer_item(ctx, w.finished_inspector, w.finished_id, item.id, "fail",
                                   note=note("finding", payload_ids[n]), now=at)
        elif n < 6:
            inspecting.answer_item(ctx, w.finished_inspector, w.finished_id, item.id, "fail",
                                   note=f"第{n}项：护栏缺失", now=at)
        else:
            inspecting.answer_item(ctx, w.finished_inspector, w.finished_id, item.id, "pass", now=at)
    hazards = inspecting.finish(ctx, w.finished_inspector, w.finished_id, jpeg(300, 100), jpeg(300, 100), at)
    by_item = {h.item_id: h.id for h in hazards}
    username = ctx.db.scalar("SELECT username FROM users WHERE enterprise_code = ? ORDER BY username LIMIT 1",
                             [w.finished_enterprise])
    w.enterprise_user = _user(ctx, username)
    for pid in payload_ids:  # the enterprise answers each payload finding with the payload as its note
        hazard_id = by_item[w.finding_items[pid]]
        rectification.submit(ctx, w.enterprise_user, hazard_id, note("rectification", pid), TODAY, [], now=at)
        w.finding_hazards[pid] = hazard_id
    plain = [h.id for h in hazards if h.id not in w.finding_hazards.values()]
    for pid, hazard_id in zip(payload_ids, plain, strict=True):  # ... and the inspector rejects with it
        rectification.submit(ctx, w.enterprise_user, hazard_id, "已安装护栏", TODAY, [], now=at)
        rechecks.decide(ctx, w.finished_inspector, hazard_id, False, reason=note("rejection", pid), now=at)
        w.rejected_hazards[pid] = hazard_id
    # 2. the joint visit of today, in progress with one failed item
    joint = ctx.db.query_dicts("SELECT * FROM inspections WHERE scheduled_on = ? AND status = 'scheduled' "
                               "AND list_contains(team, 'emergency1')", [TODAY])[0]
    w.walk_id, w.walk_inspector = joint["id"], _user(ctx, "emergency1")
    inspecting.check_in(ctx, w.walk_inspector, joint["enterprise_code"], "typed", at)
    w.walk_item = inspecting.walk(ctx, w.walk_inspector, w.walk_id).merged.items[0].id
    inspecting.answer_item(ctx, w.walk_inspector, w.walk_id, w.walk_item, "fail", note="灭火器过期", now=at)
    # 3. a scheduled visit of an enterprise with an account: self-check notes hold the payloads
    visit = ctx.db.query_dicts("""SELECT i.id, u.username FROM inspections i JOIN users u
        ON u.enterprise_code = i.enterprise_code WHERE i.status = 'scheduled' AND u.role = 'enterprise'
        ORDER BY i.scheduled_on, i.id, u.username LIMIT 1""")[0]
    w.self_id, w.self_user = visit["id"], _user(ctx, visit["username"])
    self_items = portal.check(ctx, w.self_user, w.self_id)["merged"].items
    for pid, item in zip(payload_ids, self_items, strict=False):
        portal.self_check_answer(ctx, w.self_user, w.self_id, item.id, "fail", note("self_check", pid), now=at)
        w.self_items[pid] = item.id
    # 4. an open hazard of the finished visit's enterprise, for rectification uploads
    w.rect_hazard = ctx.db.scalar("""SELECT id FROM hazards WHERE enterprise_code = ? AND status = 'open'
        AND level = 'general' AND inspection_id IS DISTINCT FROM ? ORDER BY id LIMIT 1""",
                                  [w.finished_enterprise, w.finished_id])
    # 5. enterprises whose names are the payloads
    office = _user(ctx, "office")
    for n, pid in enumerate(payload_ids, 1):
        code = new_code(n)
        registry.save(ctx, office, code, PAYLOADS[pid], ["fire"], None, "", "", "", "B", new=True)
        w.named[pid] = code
    return w


@pytest.fixture(scope="session")
def template(demo_world, tmp_path_factory) -> tuple[Path, World]:
    """(folder holding the seeded database with its world, secret and photos; the world's ids)."""
    folder = tmp_path_factory.mktemp("matrix") / "template"
    ctx = Context.open(copy_demo(demo_world, folder))
    world = _build_world(ctx)
    ctx.close()
    return folder, world


def copy_template(template: tuple[Path, World], target: Path) -> Path:
    """A copy of the template folder; returns the database path in it."""
    shutil.copytree(template[0], target)
    return target / DB_NAME


def open_ctx(db_path: Path, catalogue) -> Context:
    """A Context on an existing database, reusing the session's catalogue (no YAML reload)."""
    return Context(db=Database(db_path), catalogue=catalogue, base_url=config.base_url())


@pytest.fixture(scope="module")
def shared(template, catalogue, tmp_path_factory):
    """(Context, World) on one copy per module, for cases that must not write anything."""
    ctx = open_ctx(copy_template(template, tmp_path_factory.mktemp("shared") / "db"), catalogue)
    yield ctx, template[1]
    ctx.close()


@pytest.fixture
def fresh(template, catalogue, tmp_path):
    """(Context, World) on a copy of its own, for cases that write."""
    ctx = open_ctx(copy_template(template, tmp_path / "db"), catalogue)
    yield ctx, template[1]
    ctx.close()


def photo_files(db_path: Path) -> list[Path]:
    folder = config.photo_dir(Path(db_path))
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# -- AppTest ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def page_db(template, tmp_path_factory):
    """A copy for the page tests of a module, named by INSPECTIONS_DB while the module runs."""
    target = copy_template(template, tmp_path_factory.mktemp("pages") / "db")
    patch = pytest.MonkeyPatch()
    patch.setenv("INSPECTIONS_DB", str(target))
    st.cache_resource.clear()
    yield target
    st.cache_resource.clear()
    patch.undo()
