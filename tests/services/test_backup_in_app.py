"""The office's backup from the running app (services.backup.backup_now): taken on the app's own
connection while inspectors keep answering, it holds a consistent snapshot, its .zip restores to the
same rows, and nobody but the office can make, list or download one."""
import datetime as dt
import threading
import zipfile

import pytest

from inspections.services import backup, inspecting
from inspections.services.access import NotFound
from inspections.services.auth import User
from tests.conftest import SUITE_TODAY, office_user, today_at
from tests.store.test_backup_restore import TABLES, counts

TODAY = SUITE_TODAY
NOW = today_at(9, 30)
OFFICE = office_user()


@pytest.fixture
def world(demo_ctx):
    return demo_ctx


def test_a_backup_taken_while_inspectors_answer_restores_to_a_consistent_copy(world, tmp_path):
    ctx = world
    secret = ctx.secret                       # created on first use, as when the first code is issued
    visit = ctx.db.query_dicts("SELECT id, enterprise_code, team FROM inspections WHERE scheduled_on = ? "
                               "AND status = 'scheduled' ORDER BY id LIMIT 1", [TODAY])[0]
    lead = visit["team"][0]
    inspector = User(lead, lead, "inspector", ctx.db.scalar("SELECT department FROM users WHERE username = ?", [lead]))
    inspecting.check_in(ctx, inspector, visit["enterprise_code"], "typed", NOW)
    items = [i.id for i in inspecting.walk(ctx, inspector, visit["id"]).merged.items]
    answering = threading.Event()

    def answer_everything():
        for n, item in enumerate(items):
            inspecting.answer_item(ctx, inspector, visit["id"], item, "pass", now=NOW)
            if n == 5:
                answering.set()

    worker = threading.Thread(target=answer_everything)
    worker.start()
    answering.wait(10)
    made = backup.backup_now(ctx, OFFICE, now=NOW)
    worker.join(60)
    assert made["tables"] >= len(TABLES) - 1
    listed = backup.backups(ctx, OFFICE)
    name = f"{NOW:%Y%m%d-%H%M%S}"
    assert [b["name"] for b in listed] == [name] and listed[0]["bytes"] > 0

    archive = tmp_path / "b.zip"
    archive.write_bytes(backup.backup_zip(ctx, OFFICE, name))
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path / "unzipped")
    restored = backup.restore(tmp_path / "unzipped" / name, tmp_path / "restored" / "r.duckdb")
    copy = counts(restored)
    live = {t: ctx.db.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}
    assert {t: n for t, n in copy.items() if t != "inspection_items"} == \
        {t: n for t, n in live.items() if t != "inspection_items"}
    # the answers: somewhere between the six answered before the backup began and all of them
    answered_in_copy = copy["inspection_items"] - (live["inspection_items"] - len(items))
    assert 6 <= answered_in_copy <= len(items)
    assert (tmp_path / "restored" / "secret.key").read_bytes() == secret


def test_only_the_office_backs_up(world):
    ctx = world
    for user in (User("emergency1", "x", "inspector", "emergency"), User("ent01", "x", "enterprise", None, "X")):
        with pytest.raises(NotFound):
            backup.backup_now(ctx, user)
        with pytest.raises(NotFound):
            backup.backups(ctx, user)
        with pytest.raises(NotFound):
            backup.backup_zip(ctx, user, "anything")
    with pytest.raises(NotFound):
        backup.backup_zip(ctx, OFFICE, "../../etc")
