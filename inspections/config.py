"""Where things live: repository folders, the database path, the base URL and the signing secret's file.

Every setting has an embedded default so that `streamlit run streamlit_app.py` works on a fresh clone;
environment variables override them (INSPECTIONS_DB, INSPECTIONS_BASE_URL, INSPECTIONS_CHECKLISTS,
INSPECTIONS_TZ, INSPECTIONS_DEMO).
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CHECKLIST_DIR = REPO_ROOT / "checklists"
DEFAULT_DB_PATH = REPO_ROOT / "data" / "inspections.duckdb"
DEFAULT_BASE_URL = "http://localhost:8501"
DEFAULT_TIME_ZONE = "Asia/Shanghai"  # the district's: every "today" and every shown time is in it


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: the explicit argument, else $INSPECTIONS_DB, else data/inspections.duckdb."""
    chosen = explicit or os.environ.get("INSPECTIONS_DB") or DEFAULT_DB_PATH
    return _resolved(str(chosen), os.getcwd())


@functools.lru_cache(maxsize=64)
def _resolved(chosen: str, cwd: str) -> Path:
    """Path.resolve() asks the file system; the app asks for the database path on every label."""
    return Path(chosen).expanduser().resolve()


def checklist_dir(explicit: str | os.PathLike | None = None) -> Path:
    chosen = explicit or os.environ.get("INSPECTIONS_CHECKLISTS") or DEFAULT_CHECKLIST_DIR
    return Path(chosen).expanduser().resolve()


def base_url(explicit: str | None = None) -> str:
    """The address tablets reach the app at; QR codes encode links below it."""
    return (explicit or os.environ.get("INSPECTIONS_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def secret_path(database: Path) -> Path:
    """The inspection-code signing secret lives beside its database (git-ignored), so a backup or a
    move of the data folder keeps codes verifiable."""
    return database.parent / "secret.key"


def photo_dir(database: Path) -> Path:
    return database.parent / "photos"


def backup_dir(database: Path) -> Path:
    """Where the office's in-app backups go (one folder each, named by time), beside the database."""
    return database.parent / "backups"


class ConfigurationError(ValueError):
    """A setting that cannot be used; the message names the variable and says why."""


def time_zone(explicit: str | None = None) -> ZoneInfo:
    """The district's time zone: the explicit argument, else $INSPECTIONS_TZ, else Asia/Shanghai."""
    name = explicit or os.environ.get("INSPECTIONS_TZ") or DEFAULT_TIME_ZONE
    return _zone(name)


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(f"INSPECTIONS_TZ={name!r} is not a time zone name (for example "
                                 f"{DEFAULT_TIME_ZONE!r})") from None


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to `address` is reachable from this machine only. Unset means every
    address (Streamlit's default), so not loopback."""
    if not address:
        return False
    return address in LOOPBACK_NAMES or address.startswith("127.")


def demo_served_openly() -> bool:
    """INSPECTIONS_DEMO=1: the operator knowingly serves a demo database to other machines (a trial on
    tablets), whose accounts' password is published."""
    return os.environ.get("INSPECTIONS_DEMO", "").strip() == "1"
