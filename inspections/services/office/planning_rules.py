"""The planning rules file and the planning refusal, apart from the use cases so that the modules planning
calls (recheck_plans, plan_numbers) can read and raise them without importing planning itself."""
from __future__ import annotations

import functools
from pathlib import Path

from inspections import config
from inspections.domain.planning import PlanningRules, PlanProblem
from inspections.domain.refusals import BadInput
from inspections.readers.rules_files import RulesFileUnusable, load_rules


class PlanningError(BadInput):
    """A refused plan: the first problem's reason and values, and `problems`, every problem found (a bulk
    plan lists them all)."""

    def __init__(self, reason: str, *, problems: list[PlanProblem] | None = None, **values):
        super().__init__(reason, **values)
        self.problems = problems or [PlanProblem(reason=reason, values=values)]

    @classmethod
    def of(cls, problems: list[PlanProblem], **context) -> "PlanningError":
        first = problems[0]
        return cls(first.reason, problems=problems, **context, **first.values)


RULES_FILE = config.REPO_ROOT / "inspections" / "rules" / "planning.yaml"


@functools.lru_cache(maxsize=4)
def rules(path: Path = RULES_FILE) -> PlanningRules:
    """The planning rules: default caps by tier and the merge window (`inspections/rules/planning.yaml`)."""
    try:
        return load_rules(path, PlanningRules)
    except RulesFileUnusable as error:
        raise PlanningError("planning_rules_unusable", path=str(path), why=error.why) from None


def window_days() -> int:
    """The merge window: visits to one enterprise at most this many days apart are one visit's worth."""
    return rules().merge_window_days
