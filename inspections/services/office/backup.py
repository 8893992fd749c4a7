"""Backup and restore of a deployment: the database (one Parquet file per table, see store/backup.py), the
inspection-code signing secret and the photos, into one folder with a manifest.json written last (the
sha256 and size of every file). Such a folder stays on the server and holds everything, the secret and
the password hashes too; its folders are 0700 and its files 0600.

The CLI cannot open a database the running app holds (DuckDB allows one process), so the office also
backs up from the app (`backup_now`): the export runs on the app's own connection, in one snapshot, while
inspectors go on answering. `backups` lists the complete ones (with a manifest) only.

A download (`backup_zip`) is for keeping a copy off the machine, so it is not a master key: it leaves out
the signing secret and every password hash, it is offered only after the office user has given their
password again (`confirm_password`, which counts a wrong one as a failed sign-in), and each download is
written to the audit trail.

Restoring verifies the manifest, builds the new database beside the target from this version's own
migrations (no SQL from the backup is ever run), and swaps it in only when complete, holding the target's
lock meanwhile: a target another process (the app) has open is refused as in use. Over an existing
database it needs `force`; a backup without the secret needs `new_secret`; after a backup without
password hashes every account needs a new password (`user reset-password` on the command line)."""
from __future__ import annotations

import datetime as dt
import io
import secrets
import shutil
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from inspections import config, owner_only
from inspections.store import Database, DatabaseInUse, StoreError
from inspections.store import backup as store
from inspections.services.shared import audit, auth
from inspections.services.shared.access import NotFound, require_office
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.domain.refusals import NotAllowed

FILES = "files"  # inside the backup folder: secret.key and photos/
SECRET = f"{FILES}/secret.key"
PHOTOS = f"{FILES}/photos/"
USERS = f"{store.TABLES}/{store.PASSWORDS}.parquet"
GRANT_FOR = dt.timedelta(minutes=5)


class DownloadRefused(NotAllowed):
    """'password_needed': the office user has not given their password again (or too long ago)."""


@dataclass(frozen=True)
class Restored:
    path: Path
    secret: bool                   # the backup's signing secret came along
    users_without_password: int    # a backup without hashes: these accounts need a new password


def backup(db: Database, out: str | Path, now: dt.datetime | None = None) -> dict:
    """The database, the secret and the photos into the new (or empty) folder `out`, the manifest last.
    A backup that fails on the way is removed (when this made its folder) and is never listed."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise StoreError(f"{out} is not empty: choose a new folder for the backup")
    made_folder = not out.exists()
    owner_only.make_dirs(out)
    owner_only.tighten(out, owner_only.DIR_MODE)
    try:
        exported = store.export_tables(db, out)
        files = owner_only.make_dirs(out / FILES)
        secret = config.secret_path(db.path)
        if secret.is_file():
            owner_only.copy_file(secret, files / secret.name)
        _copy_owner_only(config.photo_dir(db.path), files / "photos")
        manifest = store.manifest_for(out, exported, now or db.clock.instant(), secret=secret.is_file())
        store.write_manifest(out, manifest)
    except BaseException:
        if made_folder:
            shutil.rmtree(out, ignore_errors=True)
        raise
    return {"folder": str(out), "tables": len(exported["tables"])}


def restore(folder: str | Path, target: str | Path, *, force: bool = False, new_secret: bool = False) -> Restored:
    """Build `target` from a backup folder. A backup without its signing secret is refused unless
    `new_secret` says so: a new secret would make every code issued before read as tampered."""
    folder, target = Path(folder), Path(target)
    if not folder.is_dir():
        raise StoreError(f"{folder}: no such backup folder")
    manifest = store.verified_manifest(folder, may_lack=(SECRET,) if new_secret else ())
    if SECRET not in manifest["files"]:
        manifest["secret"] = False
    if not manifest["secret"] and not new_secret:
        raise StoreError(f"{folder} holds no signing secret (files/secret.key; a downloaded .zip never does): "
                         "every inspection code issued before would read as tampered. Restore from the "
                         "server's own backup folder, or pass --new-secret to start a new secret knowingly "
                         "(a secret already beside the target database is kept)")
    if target.exists() and not force:
        raise StoreError(f"{target} exists: restoring over a database needs --force")
    _hold(target).close()                  # refuse at once when the app has it open, before any work
    owner_only.make_dirs(target.parent)
    building = target.with_name(target.name + ".restoring")
    for stale in (building, building.with_name(building.name + ".wal")):
        stale.unlink(missing_ok=True)
    try:
        built = store.import_tables(building, folder, manifest)
    except BaseException:
        building.unlink(missing_ok=True)
        building.with_name(building.name + ".wal").unlink(missing_ok=True)
        raise
    holder = _hold(target)                 # held through the swap: nobody opens the old file meanwhile
    try:
        target.with_name(target.name + ".wal").unlink(missing_ok=True)
        owner_only.tighten(building)
        building.replace(target)
    finally:
        holder.close()
    if manifest["secret"]:
        owner_only.copy_file(folder / SECRET, config.secret_path(target))
    photos = config.photo_dir(target)
    for rel in sorted(manifest["files"]):
        if rel.startswith(PHOTOS):
            destination = photos / rel[len(PHOTOS):]
            owner_only.make_dirs(destination.parent)
            owner_only.copy_file(folder / rel, destination)
    return Restored(target, bool(manifest["secret"]), built["users_without_password"])


class _NoHolder:
    def close(self) -> None:
        pass


def _hold(target: Path):
    """The target opened read-only (a lock DuckDB gives no other process's writer), or DatabaseInUse.
    A target that is not there, or not a database DuckDB can open, is not held: nobody else holds it either."""
    if not target.exists():
        return _NoHolder()
    try:
        return Database(target, read_only=True, migrate_schema=False)
    except DatabaseInUse:
        raise
    except StoreError:
        return _NoHolder()


def _copy_owner_only(source: Path, target: Path) -> None:
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.is_symlink():
            destination = target / path.relative_to(source)
            owner_only.make_dirs(destination.parent)
            owner_only.copy_file(path, destination)
    owner_only.make_dirs(target)


def backup_now(ctx: Context, user: User, now: dt.datetime | None = None) -> dict:
    """The office's backup from the running app, into backups/<date-time> beside the database."""
    require_office(user)
    now = now or ctx.clock.instant()
    root = owner_only.make_dirs(config.backup_dir(ctx.db.path))
    owner_only.tighten(root, owner_only.DIR_MODE)
    return backup(ctx.db, root / now.strftime("%Y%m%d-%H%M%S"), now)


def backups(ctx: Context, user: User) -> list[dict]:
    """The in-app backups that finished (their manifest written), newest first: name, folder, size in bytes."""
    require_office(user)
    root = config.backup_dir(ctx.db.path)
    found = [folder for folder in root.iterdir() if folder.is_dir() and store.is_complete(folder)] \
        if root.is_dir() else []
    return [{"name": folder.name, "folder": str(folder),
             "bytes": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())}
            for folder in sorted(found, key=lambda f: f.name, reverse=True)]


# -- downloads -------------------------------------------------------------------------------------
_grants: dict[str, tuple[str, dt.datetime]] = {}
_grants_lock = threading.Lock()


def confirm_password(ctx: Context, user: User, password: str) -> str:
    """The office user's password again, before a download: a grant (kept by the page) valid for a few
    minutes. A wrong password raises auth.SignInError and counts as a failed sign-in like any other."""
    require_office(user)
    signed = auth.sign_in(ctx, user.username, password)
    if signed.username != user.username or signed.role != "office":
        raise NotFound(user.username)
    grant, now = secrets.token_urlsafe(24), ctx.clock.instant()
    with _grants_lock:
        for stale in [g for g, (_, until) in _grants.items() if until <= now]:
            del _grants[stale]
        _grants[grant] = (user.username, now + GRANT_FOR)
    return grant


def grant_valid(ctx: Context, user: User, grant: str | None) -> bool:
    with _grants_lock:
        held = _grants.get(grant or "")
    return held is not None and held[0] == user.username and held[1] > ctx.clock.instant()


def backup_zip(ctx: Context, user: User, name: str, grant: str | None) -> bytes:
    """One in-app backup as a .zip, to keep off this machine: everything but the signing secret and the
    password hashes (its manifest says so), for an office user who gave their password again; each
    download is recorded in the audit trail. Restore with `restore DIR --new-secret` once unzipped."""
    require_office(user)
    chosen = next((b for b in backups(ctx, user) if b["name"] == name), None)
    if chosen is None:
        raise NotFound(name)
    if not grant_valid(ctx, user, grant):
        raise DownloadRefused("password_needed")
    folder = Path(chosen["folder"])
    manifest = store.verified_manifest(folder)
    files: dict[str, dict] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in sorted(manifest["files"]):
            if rel == SECRET:
                continue
            if rel == USERS:
                data = store.without_password_hashes(folder / rel)
                archive.writestr(f"{name}/{rel}", data)
                files[rel] = store.file_entry(data=data)
            else:
                archive.write(folder / rel, f"{name}/{rel}")
                files[rel] = manifest["files"][rel]
        archive.writestr(f"{name}/{store.MANIFEST}", store.manifest_bytes(
            {**manifest, "secret": False, "password_hashes": False, "files": files}))
    ctx.db.write(lambda cursor: audit.record(cursor, ctx, user.username, "backup_downloaded", name,
                                             f"{out.tell()} bytes, without the signing secret and password hashes"))
    return out.getvalue()
