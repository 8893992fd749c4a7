"""Inspection codes against the database (cancelled, foreign), account rules, and demo data integrity."""
import datetime as dt
import re

import pytest

from inspections.domain.hazards import Status
from inspections.messages import english, refusal
from inspections.services.office import accounts
from inspections.services.shared import codes
from inspections.services.data import demo
from inspections.services.shared.context import Context, read_or_create_secret
from inspections.store import hazards as hazard_store
from inspections.store import users as user_store
from tests.conftest import SUITE_TODAY, copy_demo

TODAY = SUITE_TODAY


@pytest.fixture(scope="module")
def demo_ctx(demo_world, tmp_path_factory):
    ctx = Context.open(copy_demo(demo_world, tmp_path_factory.mktemp("codes") / "demo"))
    yield ctx
    ctx.close()


def _scheduled(ctx):
    return ctx.db.query("SELECT id FROM inspections WHERE status = 'scheduled' ORDER BY scheduled_on DESC, id LIMIT 2")


def test_code_verifies_until_cancelled(demo_ctx):
    (first,), (second,) = _scheduled(demo_ctx)
    token = codes.issue_code(demo_ctx, first)
    result = codes.verify_code(demo_ctx, token)
    assert result.valid and result.inspection["id"] == first
    other = codes.issue_code(demo_ctx, second)
    demo_ctx.db.write(lambda c: c.execute("UPDATE inspections SET status = 'cancelled' WHERE id = ?", [second]))
    assert codes.verify_code(demo_ctx, other) == codes.Verification(False, "cancelled", codes.verify_code(
        demo_ctx, other).inspection)
    assert codes.code_url("http://x:8501/", token) == f"http://x:8501/verify?code={token}"


@pytest.mark.parametrize("pasted", ["{t}", "  {t}\n", "http://x:8501/verify?code={t}", "https://x/?code={t}&lang=zh",
                                    "http://192.168.1.20:8501/verify?code={t}  "])
def test_the_verify_box_takes_the_bare_code_or_the_whole_link(pasted):
    token = "IO1.JC20261201-0001.912201001G74348G3U.20261201.abc_-DEF"
    assert codes.token_from(pasted.format(t=token)) == token


def test_code_from_another_deployment_is_foreign(demo_ctx, tmp_path):
    (first,), _ = _scheduled(demo_ctx)
    from inspections.domain.inspection_codes import CodeClaims, sign
    row = demo_ctx.db.query("SELECT enterprise_code, scheduled_on FROM inspections WHERE id = ?", [first])[0]
    foreign = sign(CodeClaims(first, row[0], row[1]), read_or_create_secret(tmp_path / "other.key"))
    assert codes.verify_code(demo_ctx, foreign).reason == "malformed_or_tampered"


def test_secret_is_created_once_and_private(tmp_path):
    path = tmp_path / "secret.key"
    first = read_or_create_secret(path)
    assert len(first) == 32 and read_or_create_secret(path) == first
    assert path.stat().st_mode & 0o077 == 0


def test_accounts(ctx):
    accounts.create_user(ctx, "insp", "Xiaofang-2026", "inspector", department="fire_rescue")
    stored = user_store.get(ctx.db, "insp")
    assert stored["password_hash"].startswith("$argon2") and "Xiaofang" not in stored["password_hash"]
    with pytest.raises(accounts.AccountError, match="username_taken") as taken:
        accounts.create_user(ctx, "insp", "Xiaofang-2026", "inspector", department="fire_rescue")
    assert taken.value.values == {"username": "insp"}
    with pytest.raises(accounts.AccountError, match="inspector_department"):
        accounts.create_user(ctx, "x", "Xiaofang-2026", "inspector")
    with pytest.raises(accounts.AccountError, match="account_unknown_department") as unknown:
        accounts.create_user(ctx, "z", "Xiaofang-2026", "inspector", department="army")
    assert english(unknown.value) == "unknown department 'army'"
    assert refusal(unknown.value, "zh") == "未知部门“army”。"


@pytest.mark.parametrize("password, username, why", [
    ("Ab1-xyz", "y", "at least 10 characters"),             # short, though of all four kinds
    ("longenoughpassword", "y", "at least 3 of"),           # one kind only
    ("longenough2026", "y", "at least 3 of"),               # two kinds
    ("Zhang.Wei-2026", "zhang.wei", "must not contain the username"),
    ("demo@2026", "y", "at least 10 characters"),
    ("Demo@20262026", "y", "published or too common"),     # the README's password, lengthened
    ("Aa1-Aa1-Aa1-", "y", "too few different characters"),
])
def test_the_password_policy_refuses_weak_passwords_with_every_reason(ctx, password, username, why):
    with pytest.raises(accounts.AccountError, match="password_refused") as refused:
        accounts.create_user(ctx, username, password, "office")
    assert why in english(refused.value)                      # the command line's English, every reason
    assert refusal(refused.value, "zh").startswith("密码不符合要求：")
    assert user_store.get(ctx.db, username) is None


@pytest.mark.parametrize("password", ["Anquan-Ban-7", "fire rescue 2026 ok", "检查员Li-2026"])
def test_the_password_policy_accepts_what_a_person_would_choose(ctx, password):
    accounts.create_user(ctx, "someone", password, "office")
    assert user_store.get(ctx.db, "someone") is not None


def test_the_policy_is_data_validated_on_load(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("min_length: 4\nmin_classes: 3\n", encoding="utf-8")
    with pytest.raises(accounts.AccountError, match="password_policy_unusable") as unusable:
        accounts.password_policy(bad)
    assert re.search("policy.yaml.*min_length", english(unusable.value))
    assert accounts.password_policy().min_length >= 10


def test_demo_data_is_rich_and_consistent(demo_ctx):
    db = demo_ctx.db
    assert 60 <= db.scalar("SELECT count(*) FROM enterprises") <= 70
    assert db.scalar("SELECT count(DISTINCT scenario) FROM enterprises") == len(demo_ctx.catalogue.scenarios)
    roles = dict(db.query("SELECT role, count(*) FROM users GROUP BY role"))
    assert roles["office"] >= 1 and roles["inspector"] >= 6 and roles["enterprise"] >= 8
    assert db.scalar("SELECT count(*) FROM inspections WHERE scheduled_on = ? AND status = 'scheduled'", [TODAY]) >= 2
    assert db.scalar("SELECT min(scheduled_on) FROM inspections") >= TODAY - dt.timedelta(days=366)
    statuses = dict(db.query("SELECT status, count(*) FROM hazards GROUP BY status"))
    assert set(statuses) == {s.value for s in Status}
    assert db.scalar("SELECT count(*) FROM hazards WHERE status <> 'closed' AND deadline < ?", [TODAY]) > 0
    assert db.scalar("SELECT count(*) FROM hazards WHERE closed_on > deadline") > 0
    assert db.scalar("SELECT count(*) FROM hazards WHERE level = 'major'") > 0
    # every hazard starts with a 'raise' event and its stored status is where its trail ends
    mismatched = db.scalar("""
        SELECT count(*) FROM hazards h JOIN (
            SELECT hazard_id, arg_max(to_status, occurred_at) AS last, min_by(action, occurred_at) AS first
            FROM hazard_events GROUP BY hazard_id) e ON e.hazard_id = h.id
        WHERE e.last <> h.status OR e.first <> 'raise'""")
    assert mismatched == 0
    assert db.scalar("SELECT count(*) FROM hazards h WHERE NOT EXISTS "
                     "(SELECT 1 FROM hazard_events e WHERE e.hazard_id = h.id)") == 0
    # each failed answer raised exactly one hazard
    assert db.scalar("SELECT count(*) FROM inspection_items WHERE result = 'fail'") == \
        db.scalar("SELECT count(*) FROM hazards")
    hazard = hazard_store.get(db, db.scalar("SELECT id FROM hazards WHERE status = 'closed' LIMIT 1"))
    assert hazard.closed_on and hazard.rectified_on and hazard.closed_on >= hazard.rectified_on


def test_demo_refuses_a_database_with_data(demo_ctx):
    with pytest.raises(RuntimeError, match="empty database"):
        demo.seed(demo_ctx, today=TODAY)


def _world(ctx) -> dict:
    """What a demo world is, with every date taken relative to the day it was seeded."""
    today = ctx.clock.today()
    return {
        "enterprises": ctx.db.query("SELECT code, name, sectors, scenario, address, contact, phone, tier "
                                    "FROM enterprises ORDER BY code"),
        "users": ctx.db.query("SELECT username, display_name, role, department, enterprise_code FROM users "
                              "ORDER BY username"),
        "visits": sorted((e, (day - today).days, status, kind, departments, team) for e, day, status, kind, departments,
                         team in ctx.db.query("SELECT enterprise_code, scheduled_on, status, kind, departments, "
                                              "team FROM inspections")),
        "hazards": sorted((e, (found - today).days, (deadline - today).days, level, status, description)
                          for e, found, deadline, level, status, description in ctx.db.query(
                              "SELECT enterprise_code, found_on, deadline, level, status, description FROM hazards")),
        "events": ctx.db.scalar("SELECT count(*) FROM hazard_events"),
    }


def test_the_demo_is_the_same_world_whatever_day_it_is_seeded(tmp_path):
    """Seeded on a leap day and on an ordinary autumn day (not the suite's day): the same enterprises,
    accounts, credit codes and names, and the same visits and hazards, moved with the day."""
    from tests.conftest import district_time, suite_clock
    worlds = []
    for n, moment in enumerate([district_time(2028, 2, 29, 8, 0), district_time(2026, 10, 9, 17, 45)]):
        ctx = Context.open(tmp_path / f"w{n}.duckdb", clock=suite_clock(moment))
        try:
            demo.seed(ctx)
            worlds.append(_world(ctx))
        finally:
            ctx.close()
    assert worlds[0]["enterprises"] and len(worlds[0]["users"]) > 20 and worlds[0]["events"] > 100
    assert worlds[0] == worlds[1]


def test_an_empty_or_short_secret_is_refused_not_used(tmp_path):
    """A 0-byte secret.key (a failed write) once let a token signed with the empty key verify: now it is
    refused, and so is one cut short."""
    from inspections.domain.inspection_codes import CodeClaims, sign, verify
    from inspections.services.shared.context import SecretUnusable
    for content in (b"", b"x" * 31):
        path = tmp_path / f"secret-{len(content)}.key"
        path.write_bytes(content)
        with pytest.raises(SecretUnusable, match=f"holds {len(content)} bytes"):
            read_or_create_secret(path)
    forged = sign(CodeClaims("JC20261201-0001", "912201001G74348G3U", dt.date(2026, 12, 1)), b"")
    assert verify(forged, read_or_create_secret(tmp_path / "new.key")) is None


def test_first_users_at_once_all_get_the_one_whole_secret(tmp_path):
    """24 threads create the secret at the same moment, 30 times over: every read gets the same 32 bytes."""
    import threading
    for round_ in range(30):
        path, seen, barrier = tmp_path / f"race-{round_}.key", [], threading.Barrier(24)

        def first_use():
            barrier.wait()
            seen.append(read_or_create_secret(path))
        threads = [threading.Thread(target=first_use) for _ in range(24)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(seen)) == 1 and len(seen[0]) == 32
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]     # no temporary file left
