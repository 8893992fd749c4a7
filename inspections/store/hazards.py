"""Hazard ledger queries: the idempotent ledger upsert with its audit events, single hazards with their
event trail, a lifecycle change stored only if the hazard is still as it was decided from (`save`), and
the ledger rows for export."""
from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from inspections.domain.hazards import Hazard, HazardEvent, TrailEvent
from inspections.store import bulk
from inspections.store.conditions import Where
from inspections.store.database import Database

LEDGER_FIELDS = ("id", "enterprise_code", "sector", "department", "level", "description",
                 "found_on", "deadline", "rectified_on", "closed_on", "status")
HAZARD_FIELDS = LEDGER_FIELDS + ("supervised", "source", "inspection_id", "item_id", "fixed_on_spot", "plan_on",
                                  "supervising_unit", "supervisor", "supervision_deadline", "accepted_on",
                                  "accepted_by")
SCHEMA = {"found_on": pa.date32(), "deadline": pa.date32(), "rectified_on": pa.date32(),
          "closed_on": pa.date32(), "evidence": pa.list_(pa.string()), "occurred_at": bulk.INSTANT,
          "inspection_id": pa.string(), "item_id": pa.string(), "from_status": pa.string(),
          "to_status": pa.string(), "plan_on": pa.date32(), "supervision_deadline": pa.date32(),
          "accepted_on": pa.date32(), "accepted_by": pa.string()}
_CHANGED = " OR ".join(f"h.{f} IS DISTINCT FROM s.{f}" for f in LEDGER_FIELDS[1:])


def upsert_ledger(cursor: duckdb.DuckDBPyConnection, columns: dict[str, list], *, actor: str,
                  at: dt.datetime, note: str) -> dict[str, int]:
    """Insert new hazards and update changed ones from ledger columns (LEDGER_FIELDS); rows equal to
    what is stored are left alone, so importing the same ledger twice changes nothing. Each new or
    changed hazard gets an 'import' event. Returns counts of created, updated and unchanged rows."""
    cursor.register("ledger_rows", bulk.arrow_table(columns, SCHEMA))
    try:
        cursor.execute(f"""CREATE OR REPLACE TEMP TABLE ledger_changes AS
            SELECT s.*, h.status AS old_status, h.id IS NULL AS is_new
            FROM ledger_rows s LEFT JOIN hazards h ON h.id = s.id
            WHERE h.id IS NULL OR {_CHANGED}""")
        created, updated = cursor.execute(
            "SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) FROM ledger_changes"
        ).fetchone()
        assignments = ", ".join(f"{f} = c.{f}" for f in LEDGER_FIELDS[1:])
        cursor.execute(f"UPDATE hazards SET {assignments} FROM ledger_changes c "
                       "WHERE hazards.id = c.id AND NOT c.is_new")
        names = ", ".join(LEDGER_FIELDS)
        cursor.execute(f"INSERT INTO hazards ({names}, source) "
                       f"SELECT {names}, 'import' FROM ledger_changes WHERE is_new")
        cursor.execute("""INSERT INTO hazard_events (hazard_id, occurred_at, actor, action, from_status, to_status, note)
            SELECT id, ?, ?, 'import', old_status, status, ? FROM ledger_changes""", [at, actor, note])
        cursor.execute("DROP TABLE ledger_changes")
    finally:
        cursor.unregister("ledger_rows")
    total = len(columns["id"])
    return {"created": created, "updated": updated, "unchanged": total - created - updated}


def insert_hazards(cursor: duckdb.DuckDBPyConnection, hazards: list[Hazard]) -> int:
    columns = {f: [_value(getattr(h, f)) for h in hazards] for f in HAZARD_FIELDS}
    return bulk.insert(cursor, "hazards", columns, SCHEMA)


def insert_events(cursor: duckdb.DuckDBPyConnection, events: list[HazardEvent]) -> int:
    fields = ("hazard_id", "occurred_at", "actor", "action", "from_status", "to_status", "note", "evidence")
    columns = {f: [_value(getattr(e, f)) for e in events] for f in fields}
    return bulk.insert(cursor, "hazard_events", columns, SCHEMA)


def get(db: Database, hazard_id: str) -> Hazard | None:
    rows = db.query_dicts(f"SELECT {', '.join(HAZARD_FIELDS)} FROM hazards WHERE id = ?", [hazard_id])
    return Hazard(**rows[0]) if rows else None


def events(db: Database, hazard_id: str) -> list[TrailEvent]:
    """The hazard's events, oldest first, each with its actor's display name, role, department and
    enterprise name (from the accounts; none for an actor that is no account)."""
    rows = db.query_dicts("""SELECT v.hazard_id, v.occurred_at, v.actor, v.action, v.from_status, v.to_status,
               v.note, v.evidence, u.display_name AS actor_name, u.role AS actor_role,
               u.department AS actor_department, e.name AS actor_enterprise
        FROM hazard_events v LEFT JOIN users u ON u.username = v.actor
             LEFT JOIN enterprises e ON e.code = u.enterprise_code
        WHERE v.hazard_id = ? ORDER BY v.occurred_at, v.rowid""", [hazard_id])
    return [TrailEvent(**row) for row in rows]


def count(db: Database) -> int:
    return db.scalar("SELECT count(*) FROM hazards")


def _value(value):
    return value.value if hasattr(value, "value") else value


def for_inspection(db: Database, inspection_id: str) -> list[Hazard]:
    rows = db.query_dicts(f"SELECT {', '.join(HAZARD_FIELDS)} FROM hazards WHERE inspection_id = ? ORDER BY id",
                          [inspection_id])
    return [Hazard(**row) for row in rows]


def submitted_for_department(db: Database, department: str) -> list[dict]:
    return db.query_dicts(f"""SELECT {', '.join('h.' + f for f in HAZARD_FIELDS)}, e.name AS enterprise_name
        FROM hazards h JOIN enterprises e ON e.code = h.enterprise_code
        WHERE h.department = ? AND h.status = 'submitted' AND h.accepted_on IS NULL
        ORDER BY h.deadline, h.id""", [department])


def save(cursor: duckdb.DuckDBPyConnection, hazard: Hazard, event: HazardEvent,
         before: Hazard | None = None) -> int:
    """Store a hazard's new state and its event in the caller's transaction, provided the stored hazard is
    still the one the change was decided from: in the status the event starts from (`event.from_status`)
    and, given `before` (the hazard as read), equal to it in every field, so that of two changes decided
    from the same read (a close and a reject of one submission, a supervision and an extension) the
    second finds the row changed. Returns 1; 0 when it changed meanwhile, and then nothing was written,
    no event either: the caller refuses (domain.refusals.ChangedMeanwhile)."""
    assignments = ", ".join(f"{f} = ?" for f in HAZARD_FIELDS[1:])
    guarded = ["status = ?"] + ([f"{f} IS NOT DISTINCT FROM ?" for f in HAZARD_FIELDS[1:]] if before else [])
    params = [_value(event.from_status)] + ([_value(getattr(before, f)) for f in HAZARD_FIELDS[1:]] if before else [])
    changed = cursor.execute(f"UPDATE hazards SET {assignments} WHERE id = ? AND {' AND '.join(guarded)}",
                             [_value(getattr(hazard, f)) for f in HAZARD_FIELDS[1:]] + [hazard.id] + params
                             ).fetchone()[0]
    if changed == 1:
        insert_events(cursor, [event])
    return changed


def for_enterprise(db: Database, enterprise_code: str) -> list[Hazard]:
    rows = db.query_dicts(f"SELECT {', '.join(HAZARD_FIELDS)} FROM hazards WHERE enterprise_code = ? "
                          "ORDER BY (status = 'closed'), deadline, id", [enterprise_code])
    return [Hazard(**row) for row in rows]


def open_as_of(db: Database, as_of, *, overdue: bool = False, major: bool = False,
               supervised: bool = False, plan_missing_found_before=None,
               unaccepted_reported_before=None, limit: int | None = None) -> tuple[list[dict], int]:
    """(up to `limit` hazards, how many there are in all) found by `as_of` and not closed by it: all,
    overdue (deadline before it), major, or supervised ones, earliest deadline first, with the
    enterprise's name; the same meanings as the closure statistics. `plan_missing_found_before`: majors
    found before that day with no plan (their plan is overdue: domain.hazards.plan_overdue).
    `unaccepted_reported_before`: submitted majors not yet accepted whose completion was reported before
    that day (their acceptance is overdue: domain.hazards.acceptance_overdue)."""
    conditions = ["h.found_on <= $as_of", "(h.closed_on IS NULL OR h.closed_on > $as_of)"]
    if overdue:
        conditions.append("h.deadline < $as_of")
    if major:
        conditions.append("h.level = 'major'")
    if supervised:
        conditions.append("h.supervised")
    params = {"as_of": as_of}
    if plan_missing_found_before is not None:
        conditions.append("h.level = 'major' AND h.plan_on IS NULL AND h.found_on < $plan_from")
        params["plan_from"] = plan_missing_found_before
    if unaccepted_reported_before is not None:
        conditions.append("h.level = 'major' AND h.status = 'submitted' AND h.accepted_on IS NULL "
                          "AND h.rectified_on < $reported_from")
        params["reported_from"] = unaccepted_reported_before
    where = " AND ".join(conditions)
    total = db.scalar(f"SELECT count(*) FROM hazards h WHERE {where}", params)
    rows = db.query_dicts(f"""SELECT h.id, h.enterprise_code, e.name AS enterprise_name, h.sector, h.department,
               h.level, h.description, h.found_on, h.deadline, h.status, h.supervised,
               h.supervising_unit, h.supervisor, h.supervision_deadline, h.plan_on, h.accepted_on, h.accepted_by,
               h.rectified_on,
               date_diff('day', h.deadline, $as_of) AS days_overdue
        FROM hazards h JOIN enterprises e ON e.code = h.enterprise_code
        WHERE {where} ORDER BY h.deadline, h.id {f'LIMIT {int(limit)}' if limit else ''}""", params)
    return rows, total


def awaiting_approval(db: Database) -> list[dict]:
    """Major hazards accepted on site and waiting for the second person's approval to close, oldest
    acceptance first, with the enterprise's name."""
    return db.query_dicts(f"""SELECT {', '.join('h.' + f for f in HAZARD_FIELDS)}, e.name AS enterprise_name
        FROM hazards h JOIN enterprises e ON e.code = h.enterprise_code
        WHERE h.level = 'major' AND h.status = 'submitted' AND h.accepted_on IS NOT NULL
        ORDER BY h.accepted_on, h.id""")


PLAN_FIELDS = ("hazard_id", "submitted_at", "submitted_by", "responsible", "measures", "funds", "deadline",
               "interim_measures")


def insert_plan(cursor: duckdb.DuckDBPyConnection, plan: dict) -> None:
    cursor.execute(f"INSERT INTO hazard_plans ({', '.join(PLAN_FIELDS)}) VALUES ({', '.join('?' for _ in PLAN_FIELDS)})",
                   [plan[f] for f in PLAN_FIELDS])


def latest_plan(db: Database, hazard_id: str) -> dict | None:
    """The hazard's current rectification plan (the last one submitted), or None."""
    rows = db.query_dicts(f"SELECT {', '.join(PLAN_FIELDS)} FROM hazard_plans WHERE hazard_id = ? "
                          "ORDER BY submitted_at DESC, rowid DESC LIMIT 1", [hazard_id])
    return rows[0] if rows else None


def ledger_filtered(db: Database, *, sector: str | None = None, department: str | None = None,
                    level: str | None = None, status: str | None = None, found_from=None, found_to=None) -> pa.Table:
    """The ledger in the import format for a filter (every condition a parameter)."""
    where = Where()
    for column, value in (("h.sector", sector), ("h.department", department), ("h.level", level),
                          ("h.status", status)):
        where.when(value, f"{column} = ?")
    where.when(found_from, "h.found_on >= ?")
    where.when(found_to, "h.found_on <= ?")
    return db.cursor().sql(f"""
        SELECT h.id AS hazard_id, h.enterprise_code, coalesce(e.name, '') AS enterprise_name, h.sector,
               h.department, h.level, h.description, h.found_on, h.deadline, h.rectified_on, h.closed_on
        FROM hazards h LEFT JOIN enterprises e ON e.code = h.enterprise_code
        WHERE {where.sql} ORDER BY h.found_on, h.id""", params=where.params).to_arrow_table()
