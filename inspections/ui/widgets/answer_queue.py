"""The tablet's answer queue (assets/answer_queue.js): a result tapped on a card is kept in the browser's
storage at once and delivered to the app's /api/answers route, in order and each once, whenever the
connection allows; a pill says all saved, N waiting, or offline. When a delivery is acknowledged the
page reruns and shows the saved answer. (Notes, levels, deadlines and photos go through Streamlit.)"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from inspections.ui.http_routes import ANSWERS_PATH
from inspections.ui.i18n import t

_queue = st.components.v2.component(
    "inspect_once.answer_queue", js=(Path(__file__).parent.parent / "assets" / "answer_queue.js").read_text())


def answer_queue(inspection_id: str, versions: dict[str, int], item_ids: list[str]) -> dict | None:
    """Mount the queue for a visit; `versions` are the versions of the answers this run shows. Returns the
    colleague's answer a delivery met, on the run that delivery asked for: {item_id, theirs, mine, name,
    time}."""
    shown = {item_id: versions.get(item_id, 0) for item_id in item_ids}
    result = _queue(data={"inspection": inspection_id, "url": ANSWERS_PATH, "versions": shown,
                 "text": {"saved": t("queue_saved"), "waiting": t("queue_waiting", n="{n}"),
                          "offline": t("queue_offline", n="{n}"),
                          "conflict": t("queue_conflict", name="{name}", time="{time}"),
                          "refused": t("queue_refused"), "photo": t("queue_photo_not_saved")}},
           key="answer_queue", on_delivered_change=lambda: None, on_conflict_change=lambda: None, height=0)
    return getattr(result, "conflict", None) if result is not None else None
