"""The rules of a major hazard's steps (`inspections/rules/hazards.yaml`: the days its plan and its
acceptance are due in), read once and checked by domain.hazards.MajorHazardRules."""
from __future__ import annotations

import functools
from pathlib import Path

from inspections import config
from inspections.domain.hazards import MajorHazardRules
from inspections.readers.rules_files import load_rules

RULES_FILE = config.REPO_ROOT / "inspections" / "rules" / "hazards.yaml"


@functools.cache
def major_hazard_rules(path: Path = RULES_FILE) -> MajorHazardRules:
    return load_rules(path, MajorHazardRules)
