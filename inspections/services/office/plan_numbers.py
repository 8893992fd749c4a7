"""The numbers of the plans that make routine and special visits (备案编号: domain.planning, "Plan numbers"):
a plan is one visit planned alone or a bulk plan of many; each is recorded with its year's next number in
the transaction that creates its visits, so two plans at once never share a number (writes are serial)."""
from __future__ import annotations

from inspections.domain.planning import PLANNED_KINDS, plan_number
from inspections.store import planning as store
from inspections.services.shared.auth import User
from inspections.services.shared.context import Context


def number_visits(ctx: Context, user: User, cursor, records: list[dict]) -> str | None:
    """Give every visit of `records` (one plan's, all of one kind) the number of a new plan for the year
    of its date (a plan spanning new year's eve gets one number per year); None for a triggered kind."""
    from inspections.services.office.planning import rules
    if not records or records[0]["kind"] not in PLANNED_KINDS:
        return None
    numbers: dict[int, str] = {}
    plans = []
    for year in sorted({record["scheduled_on"].year for record in records}):
        sequence = store.next_plan_sequence(cursor, year)
        numbers[year] = plan_number(rules(), year, sequence)
        plans.append({"number": numbers[year], "year": year, "sequence": sequence, "kind": records[0]["kind"],
                      "visits": sum(r["scheduled_on"].year == year for r in records),
                      "created_at": ctx.clock.instant(), "created_by": user.username})
    store.insert_plans(cursor, plans)
    for record in records:
        record["plan_number"] = numbers[record["scheduled_on"].year]
    return numbers[min(numbers)]
