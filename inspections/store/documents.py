"""Documents as issued (现场检查记录, 整改复查意见书): the PDF bytes written once, in the transaction of the act
that issues them, with their sha256; never updated, so a later name or catalogue change leaves them as
they were."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import duckdb

from inspections.store.database import Database

FIELDS = ("id", "kind", "inspection_id", "hazard_id", "issued_at", "issued_by", "sha256")


def insert(cursor: duckdb.DuckDBPyConnection, *, kind: str, inspection_id: str, hazard_id: str | None,
           issued_at: dt.datetime, issued_by: str, pdf: bytes) -> str:
    """Store a document as issued (in the caller's transaction); returns its id."""
    document_id = secrets.token_urlsafe(12)
    cursor.execute(f"INSERT INTO documents ({', '.join(FIELDS)}, pdf) VALUES ({', '.join('?' for _ in FIELDS)}, ?)",
                   [document_id, kind, inspection_id, hazard_id, issued_at, issued_by,
                    hashlib.sha256(pdf).hexdigest(), pdf])
    return document_id


def of_inspection(db: Database, inspection_id: str) -> list[dict]:
    """The documents of a visit and of its hazards (without their bytes), oldest first."""
    return db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM documents WHERE inspection_id = ? "
                          "ORDER BY issued_at, id", [inspection_id])


def of_hazard(db: Database, hazard_id: str) -> list[dict]:
    return db.query_dicts(f"SELECT {', '.join(FIELDS)} FROM documents WHERE hazard_id = ? ORDER BY issued_at, id",
                          [hazard_id])


def get(db: Database, document_id: str) -> dict | None:
    """The document with its bytes (`pdf`)."""
    rows = db.query_dicts(f"SELECT {', '.join(FIELDS)}, pdf FROM documents WHERE id = ?", [document_id])
    return rows[0] if rows else None
