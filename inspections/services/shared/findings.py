"""The original finding behind each hazard, as the inspector (or, for its own hazard, the enterprise's
self-check) recorded it: the item of the visit's merged list and the photos taken of it. The enterprise's
hazard card and the inspector's re-check show it beside the rectification. Imported hazards have no
finding (their description is all there is)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inspections.domain.hazards import Hazard, Source
from inspections.domain.merge import MergedItem
from inspections.store import inspections as inspection_store
from inspections.store import photos as photo_store
from inspections.services.shared import merged_lists, photos
from inspections.services.shared.context import Context


@dataclass(frozen=True)
class Finding:
    item: MergedItem | None = None                      # None: the item is not on the visit's list (imports)
    photos: list[Path] = field(default_factory=list)    # the finding's photo files, in the order taken


def of_hazards(ctx: Context, hazards: list[Hazard]) -> dict[str, Finding]:
    """{hazard id: its Finding} for hazards the caller was given by an access-checked use case (each
    visit's list and answers read once, however many of its hazards there are)."""
    found: dict[str, Finding] = {}
    visits: dict[str, tuple] = {}
    for hazard in hazards:
        if not hazard.inspection_id or not hazard.item_id or hazard.source == Source.IMPORT:
            found[hazard.id] = Finding()
            continue
        self_check = hazard.source == Source.SELF_CHECK
        key = (hazard.inspection_id, self_check)
        if key not in visits:
            header = inspection_store.header(ctx.db, hazard.inspection_id)
            visits[key] = ({i.id: i for i in merged_lists.of(ctx, header).items} if header else {},
                           inspection_store.answers(ctx.db, hazard.inspection_id, self_check=self_check))
        items, answers = visits[key]
        records = photo_store.many(ctx.db, list((answers.get(hazard.item_id) or {}).get("photos") or []))
        found[hazard.id] = Finding(item=items.get(hazard.item_id),
                                   photos=[photos.path_of(ctx, r) for r in records
                                           if r["enterprise_code"] == hazard.enterprise_code])
    return found
