"""Who may inspect, as the use cases ask it: the rules file (`inspections/rules/enforcement.yaml`, the
minimum number of officers on a visit's team) and the one check every act on a visit makes before it
writes: the inspector holds an enforcement ID valid that day (domain.enforcement). An expired ID or no
ID (a helper) is refused with EnforcementRefused, saying which, and nothing is written."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from inspections import config
from inspections.domain.enforcement import EnforcementRules, Standing, standing
from inspections.domain.refusals import BadInput
from inspections.readers.rules_files import RulesFileUnusable, load_rules
from inspections.store import users as user_store
from inspections.services.shared.access import Forbidden
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context

RULES_FILE = config.REPO_ROOT / "inspections" / "rules" / "enforcement.yaml"


class EnforcementRulesUnusable(BadInput):
    """The rules file cannot be used (reason 'enforcement_rules_unusable', with `path` and `why`)."""


class EnforcementRefused(Forbidden):
    """An act on a visit by someone who may not do it today: 'enforcement_id_expired' (with `valid_until`
    and `day`) or 'enforcement_id_missing' (a helper: on the team, but answers and signs nothing). A kind
    of access.Forbidden (the visit may be read, not changed), so the pages that show that show this."""


@functools.lru_cache(maxsize=4)
def rules(path: Path = RULES_FILE) -> EnforcementRules:
    try:
        return load_rules(path, EnforcementRules)
    except RulesFileUnusable as error:
        raise EnforcementRulesUnusable("enforcement_rules_unusable", path=str(path), why=error.why) from None


def min_officers() -> int:
    return rules().min_officers_per_visit


def require_officer(ctx: Context, user: User, day: dt.date) -> None:
    """The user holds an enforcement ID valid on `day`, or EnforcementRefused."""
    record = user_store.enforcement_ids(ctx.db.cursor(), [user.username]).get(user.username) or {}
    found = standing(record.get("enforcement_number"), record.get("enforcement_valid_until"), day)
    if found == Standing.EXPIRED:
        raise EnforcementRefused("enforcement_id_expired", valid_until=record["enforcement_valid_until"], day=day)
    if found == Standing.HELPER:
        raise EnforcementRefused("enforcement_id_missing")
