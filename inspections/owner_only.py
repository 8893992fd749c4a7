"""The files the app keeps under its data folder (the database and its WAL, the signing secret, photos,
backups) are its owner's alone: folders it creates are 0700, files it writes 0600, whatever the process's
umask. Files another program creates for it (DuckDB's database file and WAL, Parquet written by COPY) are
tightened to 0600 afterwards with `tighten`."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def make_dirs(path: str | os.PathLike) -> Path:
    """`path` and any missing parents, each created 0700; folders that exist already are left as they are."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)
    return path


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write (or overwrite) a file, 0600 from its first byte."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)           # an existing file keeps its mode through O_CREAT
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
    finally:
        if fd >= 0:
            os.close(fd)
    return path


def copy_file(source: str | os.PathLike, target: str | os.PathLike) -> Path:
    """Copy a file's bytes (and times) into a 0600 file."""
    target = Path(target)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as into:
        shutil.copyfileobj(into, out)
    shutil.copystat(source, target)
    os.chmod(target, FILE_MODE)            # copystat copied the source's mode too
    return target


def tighten(path: str | os.PathLike, mode: int = FILE_MODE) -> None:
    """Make an existing file (or folder, with mode=DIR_MODE) owner-only; a missing one, or one this
    process may not change (another owner's), is left alone."""
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, mode)
    except (FileNotFoundError, PermissionError):
        pass
