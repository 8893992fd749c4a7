"""What every use case needs: the open database, the validated catalogue, the base URL, the clock (the
only source of "now", in the district's time zone) and the secret that signs inspection codes. Pages
build it once per process; each CLI command builds one."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..clock import Clock
from ..catalogue_files import load
from ..domain.catalogue import Catalogue
from ..store import Database
from ..store.inspections import record_checklist_version

SECRET_BYTES = 32


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
    # Headers of visits in progress, by id, for the answer path (services.inspecting.answer_item): once a
    # visit has started, its enterprise, departments, team and merged list never change, and its status
    # is checked again in the transaction that saves each answer.
    in_progress: dict[str, dict] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def open(cls, db_path: str | Path | None = None, *, checklist_dir: str | Path | None = None,
             base_url: str | None = None, clock: Clock | None = None) -> "Context":
        catalogue = load_catalogue(checklist_dir)
        db = Database(config.db_path(db_path), clock=clock)
        from . import catalogue as catalogue_service
        db.write(lambda cursor: record_checklist_version(
            cursor, catalogue.version, catalogue_service.export_json(catalogue), db.clock.instant()))
        return cls(db=db, catalogue=catalogue, base_url=config.base_url(base_url))

    @property
    def clock(self) -> Clock:
        """The clock every use case reads the time from (the database's, so both agree on the zone)."""
        return self.db.clock

    @property
    def secret(self) -> bytes:
        return read_or_create_secret(config.secret_path(self.db.path))

    def close(self) -> None:
        self.db.close()


def read_or_create_secret(path: Path) -> bytes:
    """The signing secret, created (random, owner-only) on first use; it never enters git."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(SECRET_BYTES))
        return path.read_bytes()
