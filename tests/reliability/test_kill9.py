"""kill -9 of the process holding the database while 20 sessions autosave: after a restart every
acknowledged answer is there (the last acknowledged state of each item, or a later one that was written
but not yet acknowledged) and the database opens cleanly."""
import json
import os
import signal
import subprocess
import sys
import time

from inspections.domain.merge import MergedList
from inspections.services.shared.context import Context
from inspections.store import inspections as inspection_store
from tests.conftest import REPO, copy_demo

SESSIONS = 20


def _plan(ctx) -> list[dict]:
    """Twenty in-progress inspections, one per session, each with its inspector and items."""
    rows = ctx.db.query_dicts("SELECT id, team, departments, merged_list_json FROM inspections "
                              "WHERE status = 'completed' ORDER BY id LIMIT ?", [SESSIONS])
    ids = [r["id"] for r in rows]
    ctx.db.write(lambda c: c.execute("UPDATE inspections SET status = 'in_progress' WHERE list_contains(?, id)", [ids]))
    plan = []
    for row in rows:
        username = row["team"][0]
        department = ctx.db.scalar("SELECT department FROM users WHERE username = ?", [username])
        items = [i.id for i in MergedList.model_validate_json(row["merged_list_json"]).items]
        plan.append({"inspection": row["id"], "username": username, "department": department, "items": items})
    return plan


def test_no_acknowledged_answer_is_lost(demo_world, tmp_path):
    db = copy_demo(demo_world, tmp_path / "k")
    ctx = Context.open(db)
    plan = _plan(ctx)
    ctx.close()
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    ack = tmp_path / "ack.log"
    process = subprocess.Popen([sys.executable, "-m", "tests.reliability.autosaver", str(db), str(tmp_path / "plan.json"),
                                str(ack)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "running", process.stderr.read()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not ack.exists() or ack.stat().st_size < 60_000):
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    acknowledged: dict[tuple[str, str], list] = {}
    for line in ack.read_text(encoding="utf-8").splitlines():
        inspection, item, result, note = json.loads(line)
        acknowledged[(inspection, item)] = [result, note]
    assert len(acknowledged) > 200, "the load did not run long enough to mean anything"

    reopened = Context.open(db)  # replays the WAL; must open cleanly
    try:
        for inspection in {key[0] for key in acknowledged}:
            stored = inspection_store.answers(reopened.db, inspection)
            for (insp, item), (result, note) in acknowledged.items():
                if insp != inspection:
                    continue
                saved = stored.get(item)
                assert saved is not None, (insp, item)
                # the acknowledged round, or a later one that was committed before its ack was logged
                acked_round = int(note.rsplit(":", 1)[1])
                saved_round = int(saved["note"].rsplit(":", 1)[1])
                assert saved_round in (acked_round, acked_round + 1), (insp, item, note, saved["note"])
                if saved_round == acked_round:
                    assert saved["result"] == result
        assert reopened.db.scalar("SELECT count(*) FROM hazards") > 0
    finally:
        reopened.close()
