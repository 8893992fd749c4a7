"""Planning queries: each enterprise's inspections in a year (for the caps), scheduled visits in a
window, the finished visits a re-check may re-check, new inspection ids, merging and cancelling visits,
the configured caps and the override report, and the keys of submitted planning forms (a form sent twice
plans one visit).
Functions taking a cursor work inside `Database.write` (one transaction) as well as for plain reads
(`db.cursor()`)."""
from __future__ import annotations

import datetime as dt

import duckdb

from inspections.domain.visits import transition
from inspections.store.inspections import INSPECTION_FIELDS, insert_inspections, next_numbers

_FIELDS = ", ".join(INSPECTION_FIELDS)


def _dicts(cursor: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> list[dict]:
    result = cursor.execute(sql, params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


# -- reads -----------------------------------------------------------------------------------------
def year_kinds(cursor: duckdb.DuckDBPyConnection, year: int,
               enterprise_code: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """(kind, status) of every inspection scheduled in the calendar year, by enterprise."""
    sql = "SELECT enterprise_code, kind, status FROM inspections WHERE year(scheduled_on) = ?"
    params: list = [year]
    if enterprise_code is not None:
        sql, params = sql + " AND enterprise_code = ?", [year, enterprise_code]
    found: dict[str, list[tuple[str, str]]] = {}
    for code, kind, status in cursor.execute(sql + " ORDER BY enterprise_code, scheduled_on, id", params).fetchall():
        found.setdefault(code, []).append((kind, status))
    return found


def year_visits(cursor: duckdb.DuckDBPyConnection, year: int, enterprise_code: str) -> list[tuple[str, str, str]]:
    """(id, kind, status) of the enterprise's inspections scheduled in the calendar year."""
    return [tuple(row) for row in cursor.execute("""SELECT id, kind, status FROM inspections
        WHERE year(scheduled_on) = ? AND enterprise_code = ? ORDER BY scheduled_on, id""",
                                                 [year, enterprise_code]).fetchall()]


def submitted(cursor: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """The visit a planning form with this key planned, unless it has been cancelled since."""
    row = cursor.execute("""SELECT s.inspection_id FROM plan_submissions s
        JOIN inspections i ON i.id = s.inspection_id WHERE s.key = ? AND i.status <> 'cancelled'""",
                         [key]).fetchone()
    return row[0] if row else None


def get_many(cursor: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict]:
    if not ids:
        return {}
    rows = _dicts(cursor, f"SELECT {_FIELDS} FROM inspections WHERE list_contains(?, id)", [list(ids)])
    return {row["id"]: row for row in rows}


def scheduled_between(cursor: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date | None = None,
                      enterprise_codes: list[str] | None = None) -> list[dict]:
    """Visits still to come (status 'scheduled') from `start` to `end` (both inclusive; no end: all)."""
    sql = f"SELECT {_FIELDS} FROM inspections WHERE status = 'scheduled' AND scheduled_on >= ?"
    params: list = [start]
    if end is not None:
        sql += " AND scheduled_on <= ?"
        params.append(end)
    if enterprise_codes is not None:
        sql += " AND list_contains(?, enterprise_code)"
        params.append(list(enterprise_codes))
    return _dicts(cursor, sql + " ORDER BY enterprise_code, scheduled_on, id", params)


def with_open_hazards(cursor: duckdb.DuckDBPyConnection, enterprise_code: str) -> list[dict]:
    """The enterprise's finished visits with hazards their inspectors found that are not closed, newest
    first: id, scheduled_on, departments and how many hazards are open (`open_hazards`): what a
    re-check may re-check."""
    return _dicts(cursor, """SELECT i.id, i.scheduled_on, i.departments, count(*) AS open_hazards
        FROM inspections i JOIN hazards h ON h.inspection_id = i.id
        WHERE i.enterprise_code = ? AND i.status = 'completed' AND h.source = 'inspection'
          AND h.item_id IS NOT NULL AND h.status <> 'closed'
        GROUP BY i.id, i.scheduled_on, i.departments ORDER BY i.scheduled_on DESC, i.id DESC""", [enterprise_code])


def inspectors(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every inspector account (active or not) with its department and enforcement ID."""
    return _dicts(cursor, """SELECT username, display_name, department, active, enforcement_number,
        enforcement_issuer, enforcement_valid_until FROM users
        WHERE role = 'inspector' ORDER BY department, username""")


def cancellation(cursor: duckdb.DuckDBPyConnection, inspection_id: str) -> dict | None:
    rows = _dicts(cursor, """SELECT inspection_id, reason, merged_into, cancelled_by, cancelled_at
        FROM inspection_cancellations WHERE inspection_id = ?""", [inspection_id])
    return rows[0] if rows else None


def overrides(cursor: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """Inspections planned beyond the cap in the year, with the override reason and the enterprise."""
    return _dicts(cursor, """SELECT i.id, i.enterprise_code, e.name AS enterprise_name, e.tier, i.scheduled_on,
               i.kind, i.status, i.departments, i.cap_override_reason, i.created_by
        FROM inspections i JOIN enterprises e ON e.code = i.enterprise_code
        WHERE i.cap_override_reason <> '' AND year(i.scheduled_on) = ?
        ORDER BY i.scheduled_on, i.id""", [year])


def caps(cursor: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The configured caps by tier (tiers never configured are absent)."""
    return dict(cursor.execute("SELECT tier, cap FROM inspection_caps ORDER BY tier").fetchall())


# -- writes ----------------------------------------------------------------------------------------
def save_caps(cursor: duckdb.DuckDBPyConnection, caps_by_tier: dict[str, int], by: str, at: dt.datetime) -> None:
    for tier, cap in caps_by_tier.items():
        cursor.execute("""INSERT INTO inspection_caps (tier, cap, updated_by, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (tier) DO UPDATE SET cap = excluded.cap, updated_by = excluded.updated_by,
            updated_at = excluded.updated_at""", [tier, cap, by, at])


def new_ids(cursor: duckdb.DuckDBPyConnection, days: list[dt.date]) -> list[str]:
    """One new id `JC{yyyymmdd}-{n:04d}` per day, n from the `inspection_number` sequence; a number whose
    id is already taken (the demo numbers its visits itself) is skipped."""
    ids: list[str] = []
    while len(ids) < len(days):
        wanted = days[len(ids):]
        numbers = next_numbers(cursor, "inspection_number", len(wanted))
        candidates = [f"JC{day:%Y%m%d}-{n:04d}" for day, n in zip(wanted, numbers)]
        taken = {row[0] for row in cursor.execute(
            "SELECT id FROM inspections WHERE list_contains(?, id)", [candidates]).fetchall()}
        for candidate in candidates:
            if candidate in taken:
                break
            ids.append(candidate)
    return ids


def insert(cursor: duckdb.DuckDBPyConnection, records: list[dict], at: dt.datetime) -> int:
    return insert_inspections(cursor, records, at)


def next_plan_sequence(cursor: duckdb.DuckDBPyConnection, year: int) -> int:
    """The sequence of the year's next plan (1 for its first), in the caller's transaction."""
    return cursor.execute("SELECT coalesce(max(sequence), 0) + 1 FROM inspection_plans WHERE year = ?",
                          [year]).fetchone()[0]


def insert_plans(cursor: duckdb.DuckDBPyConnection, plans: list[dict]) -> None:
    fields = ("number", "year", "sequence", "kind", "visits", "created_at", "created_by")
    cursor.executemany(f"INSERT INTO inspection_plans ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
                       [[plan[f] for f in fields] for plan in plans])


def record_submission(cursor: duckdb.DuckDBPyConnection, key: str, inspection_id: str, at: dt.datetime) -> None:
    """Remember which visit the form with this key planned (a key whose visit was cancelled moves on)."""
    cursor.execute("""INSERT INTO plan_submissions (key, inspection_id, submitted_at) VALUES (?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET inspection_id = excluded.inspection_id,
        submitted_at = excluded.submitted_at""", [key, inspection_id, at])


def update_plan(cursor: duckdb.DuckDBPyConnection, inspection_id: str, scheduled_on: dt.date,
                departments: list[str], team: list[str], merged_list_json: str, checklist_version: str) -> int:
    """Change a visit that has not started; returns 1, or 0 when it is no longer scheduled."""
    start, _ = transition("replan")
    return cursor.execute("""UPDATE inspections SET scheduled_on = ?, departments = ?, team = ?,
        merged_list_json = ?, checklist_version = ? WHERE id = ? AND status = ?""",
                          [scheduled_on, departments, team, merged_list_json, checklist_version,
                           inspection_id, start]).fetchone()[0]


def cancel(cursor: duckdb.DuckDBPyConnection, inspection_ids: list[str], reason: str, by: str,
           at: dt.datetime, merged_into: str | None = None) -> int:
    """Cancel visits that have not started, recording why; returns how many were cancelled."""
    start, leads_to = transition("cancel")
    changed = cursor.execute("""UPDATE inspections SET status = ?
        WHERE list_contains(?, id) AND status = ?""", [leads_to, list(inspection_ids), start]).fetchone()[0]
    for inspection_id in inspection_ids:
        cursor.execute("""INSERT INTO inspection_cancellations
            (inspection_id, reason, merged_into, cancelled_by, cancelled_at) VALUES (?, ?, ?, ?, ?)""",
                       [inspection_id, reason, merged_into, by, at])
    return changed
