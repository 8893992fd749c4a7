"""`checklist validate | export | merge`: the catalogue without a database."""
from __future__ import annotations

import json
import sys

from inspections import config
from inspections.readers.catalogue_files import load
from inspections.services.data import catalogue as catalogue_service


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("，", ",").split(",") if part.strip()]


def checklist(args) -> int:
    result = load(config.checklist_dir(args.dir))
    if args.action == "validate":
        if result.ok:
            print(result.summary())
            return 0
        for problem in result.problems:
            print(problem)
        print(result.summary(), file=sys.stderr)
        return 2
    if not result.ok:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        return 2
    catalogue = result.catalogue
    if args.action == "export":
        print(json.dumps(catalogue_service.export_json(catalogue), ensure_ascii=False, indent=2))
        return 0
    merged = catalogue_service.merged_list(catalogue, _split(args.sectors), _split(args.departments),
                                           args.scenario)
    if args.json:
        print(json.dumps(merged.contract_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"sectors: {', '.join(merged.sectors)}; departments: {', '.join(merged.departments)}; "
          f"{len(merged.items)} items")
    for item in merged.items:
        print(f"{item.id:7} [{item.section}] {item.title.zh} ({', '.join(item.departments)})")
    return 0
