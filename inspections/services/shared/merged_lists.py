"""The parsed merged list of an inspection, parsed once per process rather than on every answer and
every rerun (a 150-item list is ~47 KB of JSON and ~1 ms of pydantic). Entries are keyed by the JSON's
md5, so a list re-merged by the office (only possible while the visit is still scheduled) is parsed
afresh; the store's `header()` gives the md5 without reading the JSON itself."""
from __future__ import annotations

import hashlib

from inspections.domain.merge import MergedList
from inspections.store import inspections as inspection_store
from inspections.services.shared.caches import LruCache
from inspections.services.shared.context import Context

CAPACITY = 512                       # distinct lists kept; a district has a few hundred visits a month

_parsed: LruCache[MergedList] = LruCache(CAPACITY)


def digest(merged_list_json: str) -> str:
    return hashlib.md5(merged_list_json.encode("utf-8")).hexdigest()


def of(ctx: Context, inspection: dict) -> MergedList:
    """The merged list of `inspection`: a full row (with `merged_list_json`) or a `header()` row (with
    `merged_list_md5`). Callers must not change the list they get: it is shared."""
    text = inspection.get("merged_list_json")
    key = digest(text) if text is not None else inspection["merged_list_md5"]
    found = _parsed.get(key)
    if found is not None:
        return found
    if text is None:                     # a header row: read the JSON (which may have changed meanwhile)
        text = inspection_store.get(ctx.db, inspection["id"])["merged_list_json"]
        key = digest(text)
    parsed = MergedList.model_validate_json(text)
    _parsed.put(key, parsed)
    return parsed
