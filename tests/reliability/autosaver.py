"""A stand-in for the app process under load: N sessions (threads) answer items of their own in-progress
inspections through services.inspecting.answer_item, as the pages' callbacks do, and write every
acknowledged answer to an ack log (flushed and fsynced) before going on. Killed with SIGKILL by the test."""
from __future__ import annotations

import json
import os
import sys
import threading

from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from inspections.services.inspector.inspecting import answer_item


def main(db_path: str, plan_path: str, ack_path: str) -> None:
    plan = json.loads(open(plan_path, encoding="utf-8").read())
    ctx = Context.open(db_path)
    ack = open(ack_path, "a", encoding="utf-8")
    lock = threading.Lock()

    def session(entry: dict) -> None:
        user = User(entry["username"], "x", "inspector", entry["department"])
        for round_number in range(1000):
            for item in entry["items"]:
                result = ("pass", "fail", "not_applicable")[(round_number + len(item)) % 3]
                note = f"{entry['inspection']}:{item}:{round_number}"
                answer_item(ctx, user, entry["inspection"], item, result, note=note)
                with lock:  # acknowledged: the call returned, so the answer must survive anything now
                    ack.write(json.dumps([entry["inspection"], item, result, note]) + "\n")
                    ack.flush()
                    os.fsync(ack.fileno())

    threads = [threading.Thread(target=session, args=(entry,), daemon=True) for entry in plan]
    for thread in threads:
        thread.start()
    print("running", flush=True)
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main(*sys.argv[1:4])
