"""The office's backup from the running app (services.backup.backup_now): taken on the app's own
connection while inspectors keep answering, it holds a consistent snapshot, its .zip restores to the
same rows, and nobody but the office can make, list or download one. The .zip holds neither the signing
secret nor the password hashes, is given only after the office user's password again, and each download is
audited (issue 18 #10); a half-written backup is never listed; a restored database goes on numbering after
the restored rows; the files under the data folder are owner-only."""
import contextlib
import datetime as dt
import io
import json
import os
import threading
import zipfile

import pytest

from inspections import config
from inspections.services.shared import audit, auth, photos
from inspections.services.office import backup, planning
from inspections.services.inspector import inspecting
from inspections.services.shared.access import NotFound
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.store import StoreError
from tests.checksums import file_checksums, row_counts, table_checksums
from tests.conftest import SUITE_TODAY, office_user, png, today_at
from tests.ui.conftest import PASSWORD

TODAY = SUITE_TODAY
NOW = today_at(9, 30)
OFFICE = office_user()
# what changes after the backup's snapshot: the answers still coming in, and the download's audit entry
AFTER_THE_SNAPSHOT = {"inspection_items", "answer_history", "audit_log"}


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
    assert made["tables"] == len(table_checksums(ctx.db.query))    # every table of the schema
    listed = backup.backups(ctx, OFFICE)
    name = f"{NOW:%Y%m%d-%H%M%S}"
    assert [b["name"] for b in listed] == [name] and listed[0]["bytes"] > 0

    archive = tmp_path / "b.zip"
    archive.write_bytes(backup.backup_zip(ctx, OFFICE, name, backup.confirm_password(ctx, OFFICE, PASSWORD)))
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path / "unzipped")
    with pytest.raises(StoreError, match="--new-secret"):    # the download holds no signing secret
        backup.restore(tmp_path / "unzipped" / name, tmp_path / "restored" / "r.duckdb")
    restored = backup.restore(tmp_path / "unzipped" / name, tmp_path / "restored" / "r.duckdb", new_secret=True)
    assert not restored.secret and restored.users_without_password == live_users(ctx)
    copy = row_counts(file_checksums(restored.path))
    live = row_counts(table_checksums(ctx.db.query))
    assert copy.keys() == live.keys()                  # every table of the schema
    assert {t: n for t, n in copy.items() if t not in AFTER_THE_SNAPSHOT} == \
        {t: n for t, n in live.items() if t not in AFTER_THE_SNAPSHOT}
    # the answers: somewhere between the six answered before the backup began and all of them, each with
    # its line of history in the same snapshot
    answered_in_copy = copy["inspection_items"] - (live["inspection_items"] - len(items))
    assert 6 <= answered_in_copy <= len(items)
    assert copy["answer_history"] - (live["answer_history"] - len(items)) == answered_in_copy
    assert copy["audit_log"] == live["audit_log"] - 1   # the download, audited after the backup
    assert not (tmp_path / "restored" / "secret.key").exists()
    # the server's own folder holds the secret and the hashes: restored from it, codes and passwords work
    server_copy = backup.restore(made["folder"], tmp_path / "server" / "r.duckdb")
    assert server_copy.secret and server_copy.users_without_password == 0
    assert (tmp_path / "server" / "secret.key").read_bytes() == secret
    with _opened(server_copy.path) as restored_ctx:
        assert auth.sign_in(restored_ctx, "office", PASSWORD).role == "office"


def live_users(ctx):
    return ctx.db.scalar("SELECT count(*) FROM users")


@contextlib.contextmanager
def _opened(path):
    ctx = Context.open(path)
    try:
        yield ctx
    finally:
        ctx.close()


def test_only_the_office_backs_up(world):
    ctx = world
    for user in (User("emergency1", "x", "inspector", "emergency"), User("ent01", "x", "enterprise", None, "X")):
        with pytest.raises(NotFound):
            backup.backup_now(ctx, user)
        with pytest.raises(NotFound):
            backup.backups(ctx, user)
        with pytest.raises(NotFound):
            backup.backup_zip(ctx, user, "anything", None)
        with pytest.raises(NotFound):
            backup.confirm_password(ctx, user, PASSWORD)
    with pytest.raises(NotFound):
        backup.backup_zip(ctx, OFFICE, "../../etc", backup.confirm_password(ctx, OFFICE, PASSWORD))


def _made(ctx):
    return backup.backup_now(ctx, OFFICE, now=NOW)["folder"]


def test_the_download_holds_neither_the_secret_nor_the_password_hashes(world, tmp_path):
    """Issue 18 #10a: the .zip held files/secret.key and every password hash, all an attacker needs to forge
    inspection codes and crack passwords. The server's folder keeps both; the download leaves them out."""
    ctx = world
    ctx.secret                                 # noqa: B018 - there is a secret to leave out
    folder = _made(ctx)
    name = os.path.basename(folder)
    assert os.path.isfile(os.path.join(folder, "files", "secret.key"))
    archive = zipfile.ZipFile(io.BytesIO(backup.backup_zip(ctx, OFFICE, name,
                                                           backup.confirm_password(ctx, OFFICE, PASSWORD))))
    names = archive.namelist()
    assert f"{name}/files/secret.key" not in names and not [n for n in names if n.endswith(".key")]
    assert f"{name}/tables/users.parquet" in names and f"{name}/manifest.json" in names
    import duckdb
    archive.extractall(tmp_path / "z")
    con = duckdb.connect()
    hashes = {row[0] for row in con.execute("SELECT password_hash FROM read_parquet(?)",
                                            [str(tmp_path / "z" / name / "tables" / "users.parquet")]).fetchall()}
    assert hashes == {""}
    manifest = json.loads(archive.read(f"{name}/manifest.json"))
    assert manifest["secret"] is False and manifest["password_hashes"] is False
    assert "files/secret.key" not in manifest["files"]
    # restored, no account signs in with its old password, and the restore says so
    restored = backup.restore(tmp_path / "z" / name, tmp_path / "r" / "r.duckdb", new_secret=True)
    assert restored.users_without_password == live_users(ctx) > 0
    with _opened(restored.path) as restored_ctx:
        with pytest.raises(auth.SignInError):
            auth.sign_in(restored_ctx, "office", PASSWORD)


def test_a_download_needs_the_password_again_and_a_wrong_one_counts_as_a_failed_sign_in(world):
    """Issue 18 #10b: any office session (a tablet left signed in) could take the whole database away."""
    ctx = world
    name = os.path.basename(_made(ctx))
    with pytest.raises(backup.DownloadRefused):
        backup.backup_zip(ctx, OFFICE, name, None)
    with pytest.raises(backup.DownloadRefused):
        backup.backup_zip(ctx, OFFICE, name, "made-up")
    failures = ctx.db.scalar("SELECT failed_attempts FROM users WHERE username = 'office'")
    with pytest.raises(auth.SignInError) as wrong:
        backup.confirm_password(ctx, OFFICE, "not the password")
    assert wrong.value.reason == "invalid"
    assert ctx.db.scalar("SELECT failed_attempts FROM users WHERE username = 'office'") == failures + 1
    other = User("office2", "o", "office")
    grant = backup.confirm_password(ctx, OFFICE, PASSWORD)
    with pytest.raises(backup.DownloadRefused):       # a grant is its own user's
        backup.backup_zip(ctx, other, name, grant)
    assert backup.backup_zip(ctx, OFFICE, name, grant)[:2] == b"PK"


def test_each_download_is_in_the_audit_trail(world):
    """Issue 18 #10c."""
    ctx = world
    name = os.path.basename(_made(ctx))
    grant = backup.confirm_password(ctx, OFFICE, PASSWORD)
    for _ in range(2):
        backup.backup_zip(ctx, OFFICE, name, grant)
    entries = audit.trail(ctx, OFFICE, action="backup_downloaded")
    assert [(e["actor"], e["subject"]) for e in entries] == [("office", name)] * 2


def test_a_half_written_backup_is_not_listed_and_not_restored(world, tmp_path, monkeypatch):
    """A backup that stopped half-way (the process killed, a disk full) looked complete: listed, zipped,
    restorable. Only one with its manifest (written last) is a backup."""
    ctx = world
    folder = _made(ctx)
    os.remove(os.path.join(folder, "manifest.json"))      # as if killed before the last step
    assert backup.backups(ctx, OFFICE) == []
    with pytest.raises(StoreError, match="manifest.json missing"):
        backup.restore(folder, tmp_path / "r.duckdb")
    assert not (tmp_path / "r.duckdb").exists()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(backup.store, "write_manifest", full)
    with pytest.raises(OSError):
        backup.backup_now(ctx, OFFICE, now=NOW + dt.timedelta(minutes=1))
    assert backup.backups(ctx, OFFICE) == []


def test_a_restored_database_numbers_on_after_the_restored_rows(world, tmp_path):
    """The sequences (inspection_number, audit_number) start again at 1 in a database built afresh: the
    restored one must issue numbers after the restored ones, and a new audit entry must not collide."""
    ctx = world
    code = ctx.db.scalar("SELECT code FROM enterprises WHERE scenario = 'restaurant' ORDER BY code LIMIT 1")
    market = [p["username"] for p in planning.inspector_options(ctx, OFFICE) if p["department"] == "market"][:2]
    day = TODAY + dt.timedelta(days=5)
    planned = [planning.create(ctx, OFFICE, code, day, "market", ["market"], market, "special",
                               "专项", "专项", confirm_nearby=True)["id"] for _ in range(3)]
    ctx.db.write(lambda cursor: audit.record(cursor, ctx, "office", "account_created", "x"))
    folder = _made(ctx)
    restored = backup.restore(folder, tmp_path / "r" / "r.duckdb")
    with _opened(restored.path) as copy:
        again = planning.create(copy, OFFICE, code, day + dt.timedelta(days=1), "market", ["market"],
                                market, "special", "专项", "专项", confirm_nearby=True)["id"]
        number = int(again.rsplit("-", 1)[1])
        assert number > max(int(i.rsplit("-", 1)[1]) for i in planned)
        old_ids = {row[0] for row in copy.db.query("SELECT id FROM audit_log")}
        copy.db.write(lambda cursor: audit.record(cursor, copy, "office", "account_created", "y"))
        new_ids = {row[0] for row in copy.db.query("SELECT id FROM audit_log")} - old_ids
        assert len(new_ids) == 1 and min(new_ids) > max(old_ids)


def _mode(path) -> int:
    return os.stat(path).st_mode & 0o777


def test_the_files_the_app_writes_are_owner_only(tmp_path):
    """Issue 18 #10d: the database, its WAL, the secret, photos and backups were 0644 in a 0755 folder."""
    from PIL import Image
    ctx = Context.open(tmp_path / "data" / "inspections.duckdb")
    try:
        ctx.secret                             # noqa: B018
        image = png(Image.new("RGB", (20, 20), "red"))
        code = "91220101MA0000001X"
        photo = ctx.db.write(lambda cursor: photos.store(ctx, cursor, image, enterprise_code=code,
                                                         purpose="finding", uploaded_by="t"))
        stored = photos.path_of(ctx, ctx.db.query_dicts("SELECT path FROM photos WHERE id = ?", [photo])[0])
        wal = ctx.db.path.with_name(ctx.db.path.name + ".wal")
        data = tmp_path / "data"
        assert _mode(data) == 0o700
        assert _mode(ctx.db.path) == 0o600
        assert wal.exists() and _mode(wal) == 0o600   # DuckDB made it 0644 after the last checkpoint
        assert _mode(config.secret_path(ctx.db.path)) == 0o600
        assert _mode(stored) == 0o600 and _mode(stored.parent) == 0o700 and _mode(data / "photos") == 0o700
        folder = backup.backup_now(ctx, OFFICE)["folder"]
        for path in [data / "backups", *(data / "backups").rglob("*")]:
            assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
        assert os.path.isdir(folder)
    finally:
        ctx.close()
