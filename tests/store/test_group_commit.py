"""Group commit (store/group_commit.py) on a real DuckDB file: rows from many threads are written in
shared transactions, each caller returns only after its row is committed, one bad row refuses only its
own caller, and the answer store's save keeps photos and re-checks the inspection's status."""
import threading

import duckdb
import pytest

from inspections.store import Database
from inspections.store import inspections as inspection_store
from tests.conftest import today_at

NOW = today_at(9, 30)


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "g.duckdb")
    database.write(lambda c: c.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR NOT NULL)"))
    yield database
    database.close()


def test_rows_from_many_threads_share_transactions_and_all_commit(db):
    batches: list[int] = []
    inside = threading.Event()

    def write_notes(cursor, rows):
        batches.append(len(rows))
        if len(batches) == 1:        # hold the first transaction until the others have queued
            inside.set()
            threading.Event().wait(0.3)
        cursor.executemany("INSERT INTO notes VALUES (?, ?)", rows)
        return [f"ok {row[0]}" for row in rows]

    outcomes: dict[int, object] = {}

    def submit(n):
        outcomes[n] = db.write_grouped(write_notes, (n, f"note {n}"))

    first = threading.Thread(target=submit, args=(0,))
    first.start()
    inside.wait(5)
    others = [threading.Thread(target=submit, args=(n,)) for n in range(1, 31)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)
    assert outcomes == {n: f"ok {n}" for n in range(31)}
    assert db.scalar("SELECT count(*) FROM notes") == 31
    assert batches[0] == 1 and len(batches) < 31 and sum(batches) == 31   # the 30 queued ones were grouped


def test_a_bad_row_refuses_only_its_own_caller(db):
    db.write(lambda c: c.execute("INSERT INTO notes VALUES (7, 'taken')"))
    release = threading.Event()
    calls: list[list] = []

    def write_notes(cursor, rows):
        calls.append(rows)
        if len(calls) == 1:
            release.wait(5)
        cursor.executemany("INSERT INTO notes VALUES (?, ?)", rows)
        return [None] * len(rows)

    errors: dict[int, BaseException] = {}

    def submit(n):
        try:
            db.write_grouped(write_notes, (n, f"note {n}"))
        except duckdb.Error as error:
            errors[n] = error

    blocker = threading.Thread(target=submit, args=(100,))
    blocker.start()
    while not calls:
        threading.Event().wait(0.01)
    queued = [threading.Thread(target=submit, args=(n,)) for n in (5, 6, 7, 8)]
    for thread in queued:
        thread.start()
    threading.Event().wait(0.3)
    release.set()
    for thread in [blocker, *queued]:
        thread.join(10)
    assert list(errors) == [7] and "7" in str(errors[7])
    assert sorted(r[0] for r in db.query("SELECT id FROM notes")) == [5, 6, 7, 8, 100]
    assert db.scalar("SELECT body FROM notes WHERE id = 7") == "taken"
    assert any(len(rows) == 4 for rows in calls)      # the four were tried together before one by one


def _inspection(db, inspection_id, status):
    db.write(lambda c: inspection_store.insert_inspections(c, [{
        "id": inspection_id, "enterprise_code": "91320100MA1XXXXX0X", "scheduled_on": NOW.date(),
        "lead_department": "emergency", "departments": ["emergency"], "team": ["emergency1"], "kind": "routine",
        "reason": "", "status": status, "checklist_version": "v", "merged_list_json": "{}", "created_by": "t",
        "cap_override_reason": ""}], NOW))


def _answer(inspection_id, item_id, result="pass", **changes):
    return {"inspection_id": inspection_id, "item_id": item_id, "result": result, "note": "", "photos": [],
            "answered_by": "emergency1", "answered_at": NOW, "self_check": False, "level": None,
            "deadline": None, **changes}


def test_saving_answers_keeps_photos_and_rechecks_the_status(tmp_path):
    db = Database(tmp_path / "a.duckdb")
    _inspection(db, "OPEN", "in_progress")
    _inspection(db, "DONE", "completed")
    db.write(lambda c: inspection_store.upsert_answer(c, _answer("OPEN", "S01", "fail", photos=["P1", "P2"],
                                                               note="old", level="general",
                                                               deadline=NOW.date())))
    writes = [inspection_store.AnswerWrite(_answer("OPEN", "S01", "pass"), ("in_progress",)),
              inspection_store.AnswerWrite(_answer("DONE", "S01"), ("in_progress",)),
              inspection_store.AnswerWrite(_answer("GONE", "S01"), ("in_progress",)),
              inspection_store.AnswerWrite(_answer("OPEN", "S02", note="first"), ("in_progress",)),
              inspection_store.AnswerWrite(_answer("OPEN", "S02", "not_applicable", note="second"), ("in_progress",))]
    saved = db.write(lambda c: inspection_store.save_answers(c, writes))
    assert [s.refused_by for s in saved] == [None, "completed", "missing", None, None]
    assert saved[0].photos == ("P1", "P2")                  # a new result never drops the photos
    stored = inspection_store.answers(db, "OPEN")
    assert stored["S01"]["result"] == "pass" and stored["S01"]["photos"] == ["P1", "P2"]
    assert stored["S01"]["level"] is None and stored["S01"]["note"] == ""
    assert stored["S02"]["result"] == "not_applicable" and stored["S02"]["note"] == "second"  # the later wins
    assert inspection_store.answers(db, "DONE") == {}
    db.close()
