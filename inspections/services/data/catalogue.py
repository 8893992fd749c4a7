"""Catalogue use cases: the export contract and the merged list."""
from __future__ import annotations

from inspections.domain.catalogue import Catalogue, Text
from inspections.domain.merge import MergedList, merge


def _text(text: Text | None) -> dict | None:
    return None if text is None else {"zh": text.zh, "en": text.en}


def export_json(catalogue: Catalogue) -> dict:
    """The `checklist export --json` contract."""
    return {
        "version": catalogue.version,
        "areas": [{"id": a.id, "title": _text(a.title),
                   "tasks": [{"id": t.id, "title": _text(t.title)} for t in a.tasks]} for a in catalogue.areas],
        "sectors": [{"id": s.id, "title": _text(s.title)} for s in catalogue.sectors],
        "departments": [{"id": d.id, "title": _text(d.title)} for d in catalogue.departments],
        "scenarios": [{"id": s.id, "title": _text(s.title), "sectors": list(s.sectors)}
                      for s in catalogue.scenarios],
        "items": [{"id": i.id, "title": _text(i.title), "basis": i.basis, "departments": list(i.departments),
                   "sectors": list(i.sectors), "task": i.task, "shared": i.shared,
                   "major_if": _text(i.major_if),
                   **({"scenarios": list(i.scenarios)} if i.scenarios else {})} for i in catalogue.items],
    }


def merged_list(catalogue: Catalogue, sectors: list[str], departments: list[str] | None = None,
                scenario: str | None = None) -> MergedList:
    return merge(catalogue, sectors, departments, scenario)
