"""The service tests' one visit world: today's first scheduled demo visit on a copy of the demo world,
with its lead inspector, an inspector of a department not on it, and a user of the visited enterprise."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from inspections.services.shared.auth import User
from inspections.services.shared.context import Context
from tests.conftest import SUITE_TODAY


@dataclass(frozen=True)
class TodaysVisit:
    ctx: Context
    inspection: dict          # the whole inspections row, as scheduled
    inspector: User           # its lead inspector (first of the team)
    outsider: User            # an inspector of a department the visit does not bring
    enterprise: User          # a user of the visited enterprise


@pytest.fixture
def todays_visit(demo_ctx) -> TodaysVisit:
    ctx = demo_ctx
    inspection = ctx.db.query_dicts("SELECT * FROM inspections WHERE scheduled_on = ? AND status = 'scheduled' "
                                    "ORDER BY id LIMIT 1", [SUITE_TODAY])[0]
    lead = inspection["team"][0]
    inspector = User(lead, lead, "inspector", ctx.db.scalar("SELECT department FROM users WHERE username = ?", [lead]))
    outsider_department = next(d for d in ctx.catalogue.department_ids if d not in inspection["departments"])
    outsider = User(f"{outsider_department}1", "x", "inspector", outsider_department)
    enterprise = User("rep", "代表", "enterprise", enterprise_code=inspection["enterprise_code"])
    return TodaysVisit(ctx, inspection, inspector, outsider, enterprise)
