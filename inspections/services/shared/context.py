"""What every use case needs: the open database, the validated catalogue, the base URL, the clock (the
only source of "now", in the district's time zone) and the secret that signs inspection codes. Pages
build it once per process; each CLI command builds one."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from inspections import config, owner_only
from inspections.clock import Clock
from inspections.readers.catalogue_files import load
from inspections.domain.catalogue import Catalogue
from inspections.store import Database, StoreError  # noqa: F401  (pages catch it from here, not from the store)
from inspections.store.inspections import record_checklist_version
from inspections.services.shared.caches import LruCache

SECRET_BYTES = 32
IN_PROGRESS_KEPT = 2000             # visits in progress whose header the answer path keeps (ctx.in_progress)


class CatalogueInvalid(RuntimeError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"the checklists have {len(problems)} problem(s); run "
                         "`python -m inspections checklist validate` to see them")


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    result = load(config.checklist_dir(directory))
    if not result.ok:
        raise CatalogueInvalid(result.problems)
    return result.catalogue


@dataclass
class Context:
    db: Database
    catalogue: Catalogue
    base_url: str
    # Headers of visits in progress, by id, for the answer path (services.inspector.inspecting.answer_item): once a
    # visit has started, its enterprise, departments, team and merged list never change, and its status
    # is checked again in the transaction that saves each answer.
    in_progress: LruCache[dict] = field(default_factory=lambda: LruCache(IN_PROGRESS_KEPT), repr=False,
                                        compare=False)
    _secret: bytes | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(cls, db_path: str | Path | None = None, *, checklist_dir: str | Path | None = None,
             base_url: str | None = None, clock: Clock | None = None) -> "Context":
        catalogue = load_catalogue(checklist_dir)
        db = Database(config.db_path(db_path), clock=clock)
        from inspections.services.data import catalogue as catalogue_service
        db.write(lambda cursor: record_checklist_version(
            cursor, catalogue.version, catalogue_service.export_json(catalogue), db.clock.instant()))
        return cls(db=db, catalogue=catalogue, base_url=config.base_url(base_url))

    @property
    def clock(self) -> Clock:
        """The clock every use case reads the time from (the database's, so both agree on the zone)."""
        return self.db.clock

    @property
    def secret(self) -> bytes:
        """The code-signing secret, read once (then kept in memory) and checked for its length."""
        if self._secret is None:
            self._secret = read_or_create_secret(config.secret_path(self.db.path))
        return self._secret

    def close(self) -> None:
        self.db.close()


class SecretUnusable(RuntimeError):
    """The signing secret's file is there but is not a secret (empty or cut short): nothing is signed or
    verified with it, since a token signed with an empty key would verify as genuine."""


def read_or_create_secret(path: Path) -> bytes:
    """The signing secret, created on first use (random, owner-only, written whole: a temporary file,
    fsync, then a rename, so no reader ever sees a partial or empty one; of two first users at once,
    one file wins and both read it); it never enters git. A file of the wrong length is refused."""
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        owner_only.make_dirs(path.parent)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(SECRET_BYTES))
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, path)       # never replaces a secret another process wrote first
            except FileExistsError:
                pass
        finally:
            temporary.unlink(missing_ok=True)
        secret = path.read_bytes()
    if len(secret) != SECRET_BYTES:
        raise SecretUnusable(f"{path} holds {len(secret)} bytes, not a {SECRET_BYTES}-byte secret: restore it "
                             "from a backup (inspection codes issued with it verify again), or remove it to "
                             "start a new one (earlier codes then no longer verify)")
    return secret
