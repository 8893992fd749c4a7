"""Backup and restore of a deployment: the database (Parquet, via the store), the inspection-code signing
secret and the photos, into one folder. Restoring builds the new database beside the target and swaps
it in only when complete; restoring over an existing database needs `force`.

The CLI cannot open a database the running app holds (DuckDB allows one process), so the office also
backs up from the app (`backup_now`): the export runs on the app's own connection, in one transaction,
while inspectors go on answering."""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import zipfile
from pathlib import Path

from .. import config
from ..store import Database, StoreError
from ..store.backup import export_database, import_database
from .access import NotFound, require_office
from .auth import User
from .context import Context

FILES = "files"  # inside the backup folder: secret.key and photos/


def backup(db: Database, out: str | Path) -> dict:
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise StoreError(f"{out} is not empty: choose a new folder for the backup")
    out.mkdir(parents=True, exist_ok=True)
    export_database(db, out)
    files = out / FILES
    files.mkdir()
    secret = config.secret_path(db.path)
    if secret.is_file():
        shutil.copy2(secret, files / secret.name)
    photos = config.photo_dir(db.path)
    if photos.is_dir():
        shutil.copytree(photos, files / "photos")
    tables = sorted(p.stem for p in out.glob("*.parquet"))
    return {"folder": str(out), "tables": len(tables)}


def restore(folder: str | Path, target: str | Path, *, force: bool = False, new_secret: bool = False) -> Path:
    """Build `target` from a backup folder. A backup without its signing secret is refused unless
    `new_secret` says so: a new secret would make every code issued before read as tampered."""
    folder, target = Path(folder), Path(target)
    if not folder.is_dir():
        raise StoreError(f"{folder}: no such backup folder")
    is_backup = (folder / "schema.sql").is_file()       # anything else is refused below as not a backup
    if is_backup and not (folder / FILES / "secret.key").is_file() and not new_secret:
        raise StoreError(f"{folder} holds no signing secret (files/secret.key): every inspection code issued "
                         "before would read as tampered. Restore from a complete backup, or pass --new-secret "
                         "to start a new secret knowingly")
    if target.exists() and not force:
        raise StoreError(f"{target} exists: restoring over a database needs --force")
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(target.name + ".restoring")
    for stale in (building, building.with_name(building.name + ".wal")):
        stale.unlink(missing_ok=True)
    try:
        import_database(building, folder)
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    Database(building).close()  # opens cleanly and is migrated to this version's schema
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    os.replace(building, target)
    files = folder / FILES
    if (files / "secret.key").is_file():
        shutil.copy2(files / "secret.key", config.secret_path(target))
    if (files / "photos").is_dir():
        shutil.copytree(files / "photos", config.photo_dir(target), dirs_exist_ok=True)
    return target


def backup_now(ctx: Context, user: User, now: dt.datetime | None = None) -> dict:
    """The office's backup from the running app, into backups/<date-time> beside the database."""
    require_office(user)
    stamp = (now or ctx.clock.instant()).strftime("%Y%m%d-%H%M%S")
    return backup(ctx.db, config.backup_dir(ctx.db.path) / stamp)


def backups(ctx: Context, user: User) -> list[dict]:
    """The in-app backups, newest first: name, folder, size in bytes."""
    require_office(user)
    root = config.backup_dir(ctx.db.path)
    found = [folder for folder in root.iterdir() if (folder / "schema.sql").is_file()] if root.is_dir() else []
    return [{"name": folder.name, "folder": str(folder),
             "bytes": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())}
            for folder in sorted(found, key=lambda f: f.name, reverse=True)]


def backup_zip(ctx: Context, user: User, name: str) -> bytes:
    """One in-app backup as a .zip, to keep off this machine; restore with `restore DIR` once unzipped."""
    chosen = next((b for b in backups(ctx, user) if b["name"] == name), None)
    if chosen is None:
        raise NotFound(name)
    folder = Path(chosen["folder"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(name) / path.relative_to(folder))
    return out.getvalue()
