"""The backup format: one Parquet file per table (`tables/<name>.parquet`, each written by
`COPY table TO file (FORMAT parquet)`, all in one snapshot) and a `manifest.json` written last and
atomically: the format, the schema version, when it was made, whether it holds the signing secret and the
password hashes, the sequences' values, and the size and sha256 of every file in the folder.

A restore never runs SQL from a backup. It builds a new database from this code's own migrations, up to
the backup's schema version; loads each table those migrations made from its Parquet file (named by this
code, read through a bound parameter, column by column), continues the sequences after the restored
numbers, and then migrates on to the latest version. A folder without a manifest (half-written, or not a
backup), one whose files do not match the manifest, one made by a newer version, and the old format of
DuckDB's EXPORT DATABASE (schema.sql and load.sql, which IMPORT DATABASE would run) are refused; files the
manifest does not list are never read."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
from pathlib import Path, PurePosixPath

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from inspections import owner_only
from inspections.clock import Clock
from inspections.store.database import Database, StoreError
from inspections.store.migrations import LATEST, current_version, migrate

FORMAT = "inspect-once-backup"
FORMAT_VERSION = 2          # 1 was EXPORT DATABASE's folder of SQL scripts and Parquet: never restored
MANIFEST = "manifest.json"
TABLES = "tables"
OLD_MARKERS = ("schema.sql", "load.sql")
PASSWORDS = "users"         # the table whose password_hash column a download leaves out
NO_PASSWORD = "!no-password: set a new one"   # not an argon2 hash: every sign-in with it fails
MAX_SEQUENCE_STEP = 10_000_000
NEXTVAL = re.compile(r"^nextval\('(?P<name>[^']+)'\)$")


class BackupRefused(StoreError):
    """A folder that is not restored; the message names the folder, the file and what is wrong."""


# -- writing ---------------------------------------------------------------------------------------
def export_tables(db: Database, folder: Path) -> dict:
    """Every table of `db` into folder/tables/<name>.parquet (0600) in one snapshot, on a cursor of its
    own: writers go on meanwhile and none of their later changes is in the copy. Returns the schema
    version, the tables and the sequences' values (read after the copies, so at least the numbers any
    copied row holds)."""
    target = owner_only.make_dirs(folder / TABLES)

    def work(cursor: duckdb.DuckDBPyConnection) -> dict:
        version = current_version(cursor)
        names = _tables(cursor)
        for name in names:
            path = target / f"{name}.parquet"
            cursor.execute(f"COPY {_ident(name)} TO ? (FORMAT parquet)", [str(path)])
            owner_only.tighten(path)
        sequences = {name: int(value or 0) for name, value in cursor.execute(
            "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = current_database() "
            "AND schema_name = 'main' ORDER BY sequence_name").fetchall()}
        return {"schema_version": version, "tables": names, "sequences": sequences}
    return db.snapshot(work)


def manifest_for(folder: Path, exported: dict, created_at: dt.datetime, *, secret: bool,
                 password_hashes: bool = True, files: dict[str, dict] | None = None) -> dict:
    """The manifest of a backup folder: `files` (relative path -> sha256 and size) is every file in the
    folder unless given."""
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": exported["schema_version"],
            "created_at": created_at.isoformat(), "secret": secret, "password_hashes": password_hashes,
            "tables": list(exported["tables"]), "sequences": dict(exported["sequences"]),
            "files": files if files is not None else {
                rel: file_entry(folder / rel) for rel in _files_in(folder) if rel != MANIFEST}}


def file_entry(path: Path | None = None, data: bytes | None = None) -> dict:
    if data is not None:
        return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def write_manifest(folder: Path, manifest: dict) -> Path:
    """Write manifest.json whole (a temporary file, fsync, rename): a backup has one only once complete."""
    target = folder / MANIFEST
    temporary = folder / f".{MANIFEST}.{secrets.token_hex(8)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, owner_only.FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(manifest_bytes(manifest))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def without_password_hashes(path: Path) -> bytes:
    """The users table's Parquet file with every password_hash emptied (for a download)."""
    table = pq.read_table(path)
    index = table.schema.get_field_index("password_hash")
    if index >= 0:
        table = table.set_column(index, table.schema.field(index), pa.array([""] * table.num_rows, pa.string()))
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def is_complete(folder: Path) -> bool:
    """A folder with its manifest (written last): a backup that finished. Its files are checked on restore."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        return False


# -- checking --------------------------------------------------------------------------------------
def verified_manifest(folder: Path, may_lack: tuple[str, ...] = ()) -> dict:
    """The folder's manifest once every file it lists is there with its size and sha256, or BackupRefused.
    A file named in `may_lack` (the secret, when the operator starts a new one) may be missing: the manifest
    returned then leaves it out."""
    path = folder / MANIFEST
    if not path.is_file():
        if any((folder / marker).exists() for marker in OLD_MARKERS):
            raise BackupRefused(
                f"{folder} is an old-format backup (DuckDB EXPORT DATABASE: schema.sql and load.sql, no "
                f"{MANIFEST}); it is not restored, since restoring it would run the SQL in it. Make a new "
                "backup with this version (python -m inspections backup --out DIR, or 立即备份 in the app)")
        raise BackupRefused(f"{folder} is not a backup: {MANIFEST} missing (a backup writes it last, so this "
                            "is no backup or one that did not finish)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupRefused(f"{folder}: {MANIFEST} cannot be read ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{folder}: {MANIFEST} is not the manifest of an Inspect Once backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(f"{folder}: backup format {manifest.get('format_version')!r}, this version reads "
                            f"format {FORMAT_VERSION} only")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupRefused(f"{folder}: {MANIFEST} names no schema version")
    if version > LATEST:
        raise BackupRefused(f"{folder} was made by a newer version (schema {version}; this one knows up to "
                            f"{LATEST}): restore it with that version or a later one")
    files = manifest.get("files")
    tables = manifest.get("tables")
    sequences = manifest.get("sequences", {})
    if (not isinstance(files, dict) or not isinstance(tables, list) or not isinstance(sequences, dict)
            or not all(isinstance(t, str) for t in tables)
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in sequences.values())):
        raise BackupRefused(f"{folder}: {MANIFEST} is damaged (files, tables or sequences)")
    root, lacking = folder.resolve(), []
    for rel, entry in files.items():
        where = _inside(root, rel)
        if where is None:
            raise BackupRefused(f"{folder}: {MANIFEST} lists {rel!r}, a path outside the backup")
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise BackupRefused(f"{folder}: {MANIFEST}'s entry for {rel} is damaged")
        if (folder / rel).is_symlink() or not where.is_file():
            if rel in may_lack and not (folder / rel).exists():
                lacking.append(rel)
                continue
            raise BackupRefused(f"{folder}: {rel} is missing (listed in {MANIFEST})")
        found = file_entry(where)
        if found["bytes"] != entry.get("bytes"):
            raise BackupRefused(f"{folder}: {rel} is {found['bytes']} bytes, {MANIFEST} says {entry.get('bytes')}: "
                                "the file was changed or damaged")
        if found["sha256"] != entry["sha256"]:
            raise BackupRefused(f"{folder}: {rel} was changed or damaged (its sha256 differs from {MANIFEST}'s)")
    for name in tables:
        if f"{TABLES}/{name}.parquet" not in files:
            raise BackupRefused(f"{folder}: {MANIFEST} lists table {name} but not its file {TABLES}/{name}.parquet")
    if lacking:
        manifest = {**manifest, "files": {rel: e for rel, e in files.items() if rel not in lacking}}
    return manifest


# -- restoring -------------------------------------------------------------------------------------
def import_tables(target: Path, folder: Path, manifest: dict, clock: Clock | None = None) -> dict:
    """Build a new database file at `target` (which must not exist) from a verified backup folder.
    Returns how many users have no password (a backup without hashes)."""
    version = manifest["schema_version"]
    db = Database(target, migrate_schema=False, clock=clock)
    try:
        at = db.clock.instant()
        without_passwords = db.write(lambda cursor: _load(cursor, folder, manifest, version, at))
        db.checkpoint()
    finally:
        db.close()
    Database(target, clock=clock).close()       # the rest of the migrations, when the backup is older
    return {"users_without_password": without_passwords}


def _load(cursor: duckdb.DuckDBPyConnection, folder: Path, manifest: dict, version: int, at: dt.datetime) -> int:
    migrate(cursor, at, until=version)
    known = [name for name in _tables(cursor) if name != "schema_migrations"]
    listed = set(manifest["tables"])
    unknown = sorted(listed - set(known) - {"schema_migrations"})
    if unknown:
        raise BackupRefused(f"{folder}: table(s) {', '.join(unknown)} are not part of schema {version}: "
                            "not restored")
    missing = [name for name in known if name not in listed]
    if missing:
        raise BackupRefused(f"{folder}: {', '.join(f'{TABLES}/{name}.parquet' for name in missing)} missing "
                            f"(schema {version} has these tables)")
    for name in known:
        path = str(folder / TABLES / f"{name}.parquet")
        columns = [row[0] for row in cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
            "AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [name]).fetchall()]
        try:
            present = [row[0] for row in cursor.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()]
        except duckdb.Error as error:
            raise BackupRefused(f"{folder}: {TABLES}/{name}.parquet cannot be read ({error})") from None
        if sorted(present) != sorted(columns):
            raise BackupRefused(f"{folder}: {TABLES}/{name}.parquet does not hold the columns of table {name} "
                                f"at schema {version}")
        quoted = ", ".join(_ident(column) for column in columns)
        cursor.execute(f"INSERT INTO {_ident(name)} ({quoted}) SELECT {quoted} FROM read_parquet(?)", [path])
    if "schema_migrations" in listed:      # when each step first ran, as the backup remembers it
        cursor.execute("""UPDATE schema_migrations SET applied_at = b.applied_at
            FROM read_parquet(?) AS b WHERE schema_migrations.version = b.version""",
                       [str(folder / TABLES / "schema_migrations.parquet")])
    _continue_sequences(cursor, manifest["sequences"])
    if manifest.get("password_hashes", True):
        return 0
    return cursor.execute("UPDATE users SET password_hash = ?", [NO_PASSWORD]).fetchone()[0]


def _continue_sequences(cursor: duckdb.DuckDBPyConnection, recorded: dict[str, int]) -> None:
    """Each sequence goes on after the larger of its value in the backup and the largest number a column
    it numbers holds, so a restored database never issues a number again."""
    current = {name: int(value or 0) for name, value in cursor.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = current_database() "
        "AND schema_name = 'main'").fetchall()}
    wanted = {name: max(0, int(recorded.get(name, 0))) for name in current}
    for table, column, default in cursor.execute(
            "SELECT table_name, column_name, column_default FROM duckdb_columns() WHERE database_name = "
            "current_database() AND schema_name = 'main' AND column_default LIKE 'nextval(%'").fetchall():
        match = NEXTVAL.match(default or "")
        if match and match["name"] in wanted:
            highest = cursor.execute(f"SELECT max({_ident(column)}) FROM {_ident(table)}").fetchone()[0]
            wanted[match["name"]] = max(wanted[match["name"]], int(highest or 0))
    for name, value in wanted.items():
        step = value - current[name]
        if step > MAX_SEQUENCE_STEP:
            raise BackupRefused(f"sequence {name} would jump by {step}: the backup's manifest is not believable")
        if step > 0:
            cursor.execute("SELECT max(nextval(?)) FROM range(?)", [name, step])


# -- helpers ---------------------------------------------------------------------------------------
def _tables(cursor: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _files_in(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def _inside(root: Path, rel: object) -> Path | None:
    """The file a manifest entry names, if it is a plain relative path that stays inside the backup."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel:
        return None
    pure = PurePosixPath(rel)
    if pure.is_absolute() or any(part in ("", ".", "..") for part in pure.parts):
        return None
    where = (root / pure).resolve()
    return where if where.is_relative_to(root) else None
