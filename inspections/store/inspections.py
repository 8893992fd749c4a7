"""Joint inspections, their answered items, checklist versions and evaluations."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from inspections.store import bulk
from inspections.store.database import Database, dicts_of
from inspections.domain.visits import ANSWER_FIELDS, transition

INSPECTION_FIELDS = ("id", "enterprise_code", "scheduled_on", "lead_department", "departments", "team",
                     "kind", "reason", "cap_override_reason", "status", "checklist_version",
                     "merged_list_json", "checked_in_at", "checkin_method", "checked_in_by",
                     "created_by", "completed_at", "recheck_of", "plan_number")
HISTORY_FIELDS = ("inspection_id", "item_id", "version", "changed_at", "changed_by", "from_result", "to_result",
                  "from_note", "to_note", "from_level", "to_level")
SCHEMA = {"departments": pa.list_(pa.string()), "team": pa.list_(pa.string()), "plan_number": pa.string(),
          "photos": pa.list_(pa.string()), "scheduled_on": pa.date32(), "deadline": pa.date32(),
          "checked_in_at": bulk.INSTANT, "completed_at": bulk.INSTANT, "created_at": bulk.INSTANT,
          "answered_at": bulk.INSTANT, "checkin_method": pa.string(),
          "checked_in_by": pa.string(), "level": pa.string(), "recheck_of": pa.string()}


def record_checklist_version(cursor: duckdb.DuckDBPyConnection, version: str, catalogue_json: dict,
                             at: dt.datetime) -> None:
    cursor.execute("INSERT INTO checklist_versions (version, catalogue_json, recorded_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (version) DO NOTHING", [version, json.dumps(catalogue_json, ensure_ascii=False), at])


def next_numbers(cursor: duckdb.DuckDBPyConnection, sequence: str, how_many: int) -> list[int]:
    return [row[0] for row in cursor.execute(
        f"SELECT nextval('{sequence}') FROM range(?)", [how_many]).fetchall()]


def insert_inspections(cursor: duckdb.DuckDBPyConnection, inspections: list[dict], at: dt.datetime) -> int:
    """New inspections, created `at`."""
    columns = {f: [i.get(f) for i in inspections] for f in INSPECTION_FIELDS}
    columns["created_at"] = [at] * len(inspections)
    return bulk.insert(cursor, "inspections", columns, SCHEMA)


def insert_answers(cursor: duckdb.DuckDBPyConnection, answers: list[dict]) -> int:
    columns = {f: [a.get(f) for a in answers] for f in ANSWER_FIELDS}
    columns["version"] = [a.get("version") or 1 for a in answers]
    return bulk.insert(cursor, "inspection_items", columns, SCHEMA)


def insert_evaluations(cursor: duckdb.DuckDBPyConnection, evaluations: list[dict]) -> int:
    fields = ("inspection_id", "rating", "comment", "rated_by", "rated_at")
    columns = {f: [e[f] for e in evaluations] for f in fields}
    return bulk.insert(cursor, "evaluations", columns, {"rated_at": bulk.INSTANT})


def get(db: Database, inspection_id: str) -> dict | None:
    rows = db.query_dicts(f"SELECT {', '.join(INSPECTION_FIELDS)} FROM inspections WHERE id = ?",
                          [inspection_id])
    return rows[0] if rows else None


def header(db: Database, inspection_id: str) -> dict | None:
    """The inspection without its merged list, but with the list's md5 (`merged_list_md5`), so that a
    caller holding the parsed list already can tell whether it is still the same one, and with its
    `presence_proof` (none until presence is proven), so that a page need not ask again."""
    fields = ", ".join(f for f in INSPECTION_FIELDS if f != "merged_list_json")
    rows = db.query_dicts(f"""SELECT {fields}, md5(merged_list_json) AS merged_list_md5, presence_proof
        FROM inspections
        WHERE id = ?""", [inspection_id])
    return rows[0] if rows else None


def for_team_member(db: Database, username: str) -> list[dict]:
    """Inspections on which the user is in the team, newest first, with the enterprise and progress."""
    return db.query_dicts("""
        SELECT i.id, i.enterprise_code, i.scheduled_on, i.departments, i.team, i.kind, i.status,
               i.merged_list_json, i.checked_in_at, e.name AS enterprise_name, e.address,
               (SELECT count(*) FROM inspection_items a WHERE a.inspection_id = i.id AND NOT a.self_check) AS answered,
               (SELECT count(*) FROM inspection_items a WHERE a.inspection_id = i.id AND NOT a.self_check
                    AND a.result = 'fail') AS failed
        FROM inspections i JOIN enterprises e ON e.code = i.enterprise_code
        WHERE list_contains(i.team, ?) AND i.status <> 'cancelled'
        ORDER BY i.scheduled_on DESC, i.id""", [username])


def scheduled_on_day(db: Database, enterprise_code: str, day: dt.date,
                     statuses: tuple[str, ...] = ("scheduled", "in_progress")) -> list[dict]:
    """The enterprise's visits of `day` in `statuses` (by default those one may still check in to)."""
    return db.query_dicts(f"""SELECT {', '.join(INSPECTION_FIELDS)} FROM inspections
        WHERE enterprise_code = ? AND scheduled_on = ? AND list_contains(?, status)
        ORDER BY id""", [enterprise_code, day, list(statuses)])


def record_check_in(cursor: duckdb.DuckDBPyConnection, inspection_id: str, at: dt.datetime, method: str,
                    username: str) -> None:
    start, leads_to = transition("check_in")
    cursor.execute("""UPDATE inspections SET status = ?, checked_in_at = ?, checkin_method = ?,
        checked_in_by = ? WHERE id = ? AND status = ?""", [leads_to, at, method, username, inspection_id, start])


def answers(db: Database, inspection_id: str, self_check: bool = False) -> dict[str, dict]:
    rows = db.query_dicts(f"""SELECT {', '.join(ANSWER_FIELDS)} FROM inspection_items
        WHERE inspection_id = ? AND self_check = ?""", [inspection_id, self_check])
    return {row["item_id"]: row for row in rows}


def answer(source: Database | duckdb.DuckDBPyConnection, inspection_id: str, item_id: str,
           self_check: bool = False) -> dict | None:
    """One answer, read from the database or, inside a write, through the writing transaction's cursor."""
    cursor = source.cursor() if isinstance(source, Database) else source
    rows = dicts_of(cursor, f"""SELECT {', '.join(ANSWER_FIELDS)} FROM inspection_items
        WHERE inspection_id = ? AND item_id = ? AND self_check = ?""", [inspection_id, item_id, self_check])
    return rows[0] if rows else None


@dataclass(frozen=True)
class AnswerWrite:
    """One answer to save, and the statuses its inspection must still have when the answer is written
    (the inspector's: in progress; the enterprise's self-check: scheduled). `seen_version` is the
    version of the answer its author saw (0: none); None writes whatever is stored."""
    answer: dict
    open_statuses: tuple[str, ...]
    seen_version: int | None = None
    client_key: str | None = None      # a tablet's key for this delivery: a resent one is saved once


@dataclass(frozen=True)
class AnswerSaved:
    """What became of one AnswerWrite: refused_by is None when it was saved, else the inspection's status
    ('completed', 'cancelled', ..., or 'missing') read in the same transaction, or 'conflict' when the
    stored answer changed since its author saw it and says something else (`stored` is that answer);
    photos and version are the answer's as stored."""
    refused_by: str | None
    photos: tuple[str, ...] = ()
    version: int = 0
    stored: dict | None = None


COMPARED = ("result", "note", "level")   # what makes an answer another answer (photos only add up)


def save_answers(cursor: duckdb.DuckDBPyConnection, writes: list[AnswerWrite]) -> list[AnswerSaved]:
    """Insert or replace answers in one statement (one statement costs about the same for one row as for
    fifty); used through Database.write_grouped. Returns one AnswerSaved per write.

    The photos stored with an answer are kept: only the photo functions change them, inside their own
    transaction, so a photo added while the answer was being changed is never lost. The same item twice
    in one batch: the later answer wins."""
    delivered = _delivered(cursor, [w.client_key for w in writes if w.client_key])
    latest = {_answer_key(w.answer): w for w in writes if w.client_key not in delivered}
    before = _stored(cursor, list(latest))
    conflicts = {key: before[key] for key, w in latest.items() if w.seen_version is not None
                 and key in before and before[key]["version"] != w.seen_version
                 and before[key]["answered_by"] != w.answer["answered_by"]       # a colleague's, not one's own
                 and any(before[key][f] != w.answer.get(f) for f in COMPARED)}
    going = {key: w for key, w in latest.items() if key not in conflicts}
    versions = {key: before.get(key, {}).get("version", 0) + 1 for key in going}
    columns = {f: [w.answer.get(f) for w in going.values()] for f in ANSWER_FIELDS}
    columns["version"] = list(versions.values())
    columns["open_statuses"] = [list(w.open_statuses) for w in going.values()]
    names = ", ".join(ANSWER_FIELDS)
    updates = ", ".join(f"{f} = excluded.{f}" for f in ANSWER_FIELDS
                        if f not in ("inspection_id", "item_id", "self_check", "photos"))
    stored = {}
    if going:
        with bulk.staged(cursor, columns, {**SCHEMA, "open_statuses": pa.list_(pa.string())}) as rows:
            stored = {(i, item, own): tuple(photos) for i, item, own, photos in cursor.execute(f"""
                INSERT INTO inspection_items ({names}) SELECT {names} FROM {rows} AS r
                WHERE list_contains(r.open_statuses, (SELECT status FROM inspections WHERE id = r.inspection_id))
                ON CONFLICT (inspection_id, item_id, self_check) DO UPDATE SET {updates}
                RETURNING inspection_id, item_id, self_check, photos""").fetchall()}
        _record_history(cursor, [(going[key].answer, before.get(key), versions[key]) for key in stored
                                 if not key[2]])
        for write in writes:                   # every delivery of a stored item, the collapsed ones too
            key = _answer_key(write.answer)
            if write.client_key and write.client_key not in delivered and key in stored:
                cursor.execute("INSERT INTO answer_keys (key, inspection_id, item_id, version, saved_at) "
                               "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                               [write.client_key, key[0], key[1], versions[key], write.answer["answered_at"]])
    refused = {w.answer["inspection_id"] for key, w in going.items() if key not in stored}
    status = dict(cursor.execute("SELECT id, status FROM inspections WHERE list_contains(?, id)",
                                 [sorted(refused)]).fetchall()) if refused else {}
    outcomes = []
    for key, w in ((_answer_key(w.answer), w) for w in writes):
        if w.client_key in delivered:
            outcomes.append(AnswerSaved(None, version=delivered[w.client_key], stored={"duplicate": True}))
        elif key in conflicts:
            outcomes.append(AnswerSaved("conflict", version=conflicts[key]["version"], stored=conflicts[key]))
        elif key in stored:
            outcomes.append(AnswerSaved(None, stored[key], versions[key]))
        else:
            outcomes.append(AnswerSaved(status.get(w.answer["inspection_id"], "missing")))
    return outcomes


def _delivered(cursor: duckdb.DuckDBPyConnection, client_keys: list[str]) -> dict[str, int]:
    """Which of these delivery keys were saved before, with the version each made."""
    if not client_keys:
        return {}
    return dict(cursor.execute("SELECT key, version FROM answer_keys WHERE list_contains(?, key)",
                               [client_keys]).fetchall())


def _stored(cursor: duckdb.DuckDBPyConnection, keys: list[tuple[str, str, bool]]) -> dict[tuple, dict]:
    """The stored answers of these (inspection, item, self_check) keys, read in the writing transaction."""
    if not keys:
        return {}
    columns = {"inspection_id": [k[0] for k in keys], "item_id": [k[1] for k in keys],
               "self_check": [k[2] for k in keys]}
    names = ", ".join(f"s.{f}" for f in ANSWER_FIELDS)
    with bulk.staged(cursor, columns) as wanted:
        result = cursor.execute(f"""SELECT {names} FROM inspection_items s JOIN {wanted} w
            ON s.inspection_id = w.inspection_id AND s.item_id = w.item_id AND s.self_check = w.self_check""")
        found = [dict(zip(ANSWER_FIELDS, row)) for row in result.fetchall()]
    return {_answer_key(row): row for row in found}


def _record_history(cursor: duckdb.DuckDBPyConnection, changes: list[tuple[dict, dict | None, int]]) -> None:
    """One history row per change of an inspector's answer: who, when, from what, to what."""
    rows = [{"inspection_id": new["inspection_id"], "item_id": new["item_id"], "version": version,
             "changed_at": new["answered_at"], "changed_by": new["answered_by"],
             "from_result": old and old["result"], "to_result": new["result"], "from_note": old and old["note"],
             "to_note": new["note"], "from_level": old and old["level"], "to_level": new.get("level")}
            for new, old, version in changes
            if old is None or any(old[f] != new.get(f) for f in COMPARED)]
    if rows:
        bulk.insert(cursor, "answer_history", {f: [r[f] for r in rows] for f in HISTORY_FIELDS},
                    {"changed_at": bulk.INSTANT})


def history(db: Database, inspection_id: str, item_id: str | None = None) -> list[dict]:
    """The answer history of a visit (or of one item), oldest first."""
    where, params = "inspection_id = ?", [inspection_id]
    if item_id is not None:
        where, params = where + " AND item_id = ?", params + [item_id]
    return db.query_dicts(f"SELECT {', '.join(HISTORY_FIELDS)} FROM answer_history WHERE {where} "
                          "ORDER BY changed_at, item_id, version", params)


def fingerprint(cursor: duckdb.DuckDBPyConnection, inspection_id: str, excluding: str | None = None) -> int:
    """A number that changes whenever an inspector's answer of the visit changes (versions only grow), of
    answers last given by anyone but `excluding`. Read through the cursor it is given: inside a write,
    the writing transaction's own (fetched whole, so that the transaction may go on to register staged
    rows)."""
    return cursor.execute("SELECT coalesce(sum(version), 0) + count(*) FROM inspection_items "
                          "WHERE inspection_id = ? AND NOT self_check AND answered_by IS DISTINCT FROM ?",
                          [inspection_id, excluding]).fetchall()[0][0]


def _answer_key(answer: dict) -> tuple[str, str, bool]:
    return answer["inspection_id"], answer["item_id"], answer["self_check"]


def upsert_answer(cursor: duckdb.DuckDBPyConnection, answer: dict) -> None:
    """Insert or replace one answer: saving the same answer twice is harmless."""
    names = ", ".join(ANSWER_FIELDS)
    updates = ", ".join(f"{f} = excluded.{f}" for f in ANSWER_FIELDS
                        if f not in ("inspection_id", "item_id", "self_check"))
    cursor.execute(f"""INSERT INTO inspection_items ({names}) VALUES ({', '.join('?' for _ in ANSWER_FIELDS)})
        ON CONFLICT (inspection_id, item_id, self_check) DO UPDATE SET {updates}""",
                   [answer.get(f) if f != "version" else answer.get(f) or 1 for f in ANSWER_FIELDS])


def carry_self_check(cursor: duckdb.DuckDBPyConnection, from_ids: list[str], to_id: str,
                     item_ids: list[str]) -> int:
    """Copy the enterprise's self-check answers of merged-away visits to the visit they were merged into:
    for each item of `item_ids` it has not answered itself, the latest answer among them (photos
    included). Returns how many were copied."""
    names = ", ".join(ANSWER_FIELDS)
    chosen = ", ".join("? AS inspection_id" if f == "inspection_id" else f for f in ANSWER_FIELDS)
    return cursor.execute(f"""INSERT INTO inspection_items ({names})
        SELECT {chosen} FROM inspection_items
        WHERE self_check AND list_contains(?, inspection_id) AND list_contains(?, item_id)
        QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY answered_at DESC, inspection_id) = 1
        ON CONFLICT (inspection_id, item_id, self_check) DO NOTHING""",
                          [to_id, list(from_ids), list(item_ids)]).fetchone()[0]


def complete(cursor: duckdb.DuckDBPyConnection, inspection_id: str, at: dt.datetime, by: str,
             inspector_signature: str, enterprise_signature: str, enterprise_signer: str) -> int:
    start, leads_to = transition("finish")
    return cursor.execute("""UPDATE inspections SET status = ?, completed_at = ?, completed_by = ?,
        inspector_signature = ?, enterprise_signature = ?, enterprise_signer = ?
        WHERE id = ? AND status = ?""",
                          [leads_to, at, by, inspector_signature, enterprise_signature, enterprise_signer,
                           inspection_id, start]).fetchone()[0]


def signatures(db: Database, inspection_id: str) -> dict | None:
    """Who signed a finished visit and the photo ids of both signatures."""
    rows = db.query_dicts("""SELECT completed_at, completed_by, inspector_signature, enterprise_signature,
        enterprise_signer FROM inspections WHERE id = ?""", [inspection_id])
    return rows[0] if rows else None


def for_enterprise(db: Database, enterprise_code: str) -> list[dict]:
    """An enterprise's inspections (not cancelled), newest first, with its rating if any."""
    return db.query_dicts(f"""SELECT {', '.join('i.' + f for f in INSPECTION_FIELDS)},
               v.rating, v.comment AS rating_comment, v.rated_at
        FROM inspections i LEFT JOIN evaluations v ON v.inspection_id = i.id
        WHERE i.enterprise_code = ? AND i.status <> 'cancelled'
        ORDER BY i.scheduled_on DESC, i.id""", [enterprise_code])


def evaluation(db: Database, inspection_id: str) -> dict | None:
    rows = db.query_dicts("SELECT inspection_id, rating, comment, rated_by, rated_at FROM evaluations "
                          "WHERE inspection_id = ?", [inspection_id])
    return rows[0] if rows else None


def insert_evaluation(cursor: duckdb.DuckDBPyConnection, evaluation: dict) -> None:
    cursor.execute("INSERT INTO evaluations (inspection_id, rating, comment, rated_by, rated_at) "
                   "VALUES (?, ?, ?, ?, ?)", [evaluation[k] for k in
                                              ("inspection_id", "rating", "comment", "rated_by", "rated_at")])


def joint_share(db: Database, year: int) -> tuple[int, int]:
    """(joint inspections, all inspections) completed in the year; joint = two or more departments."""
    row = db.query("""SELECT count(*) FILTER (WHERE len(departments) >= 2), count(*) FROM inspections
        WHERE status = 'completed' AND year(scheduled_on) = ?""", [year])[0]
    return row[0], row[1]


def ratings_by_department(db: Database) -> list[dict]:
    return db.query_dicts("""SELECT i.lead_department AS department, count(*) AS ratings,
               round(avg(v.rating), 2) AS average, count(*) FILTER (WHERE v.rating <= 2) AS low
        FROM evaluations v JOIN inspections i ON i.id = v.inspection_id
        GROUP BY i.lead_department ORDER BY i.lead_department""")


def record_statement(cursor: duckdb.DuckDBPyConnection, inspection_id: str, statement: str) -> None:
    """The enterprise representative's statement (陈述、申辩) given at the finish ('' for none)."""
    cursor.execute("UPDATE inspections SET enterprise_statement = ? WHERE id = ?", [statement, inspection_id])


def statement(db: Database, inspection_id: str) -> str | None:
    return db.scalar("SELECT enterprise_statement FROM inspections WHERE id = ?", [inspection_id])
