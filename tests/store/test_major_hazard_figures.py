"""The four figures of a major hazard's steps and of hazards fixed on the spot, on a small world built
through the lifecycle function and stored in a real DuckDB file. As of 2026-06-30:

  id  level    found       what happened                                              counts in
  F1  general  2026-05-10  fixed on the spot that day                                 fixed_on_spot
  M1  major    2026-06-01  plan 06-05; supervised until 07-15; open                   with_plan, supervised
  M2  major    2026-04-01  plan 04-20; supervised until 05-20; accepted 05-15,        with_plan, supervised,
                           closed 05-18                                                supervised_closed_on_time
  M3  major    2026-03-01  no plan; supervised until 04-10; accepted, closed 04-20    supervised (closed late)
  M4  major    2026-06-15  plan 07-02 (after the as-of date)                          -
As of 2026-05-01 only M2 and M3 are found: M2's plan counts (04-20), both are supervised, and neither is
closed by then on time under supervision (M3 late, M2 not yet closed)."""
import datetime as dt

from inspections.domain.hazards import Hazard, Level, apply, default_deadline
from inspections.services.data.stats import closure_stats
from inspections.store import hazards as hazard_store
from tests.conftest import district_time

T = dt.date(2026, 6, 30)


def _at(month, day):
    return district_time(2026, month, day, 10, 0)


def _new(hazard_id, level, found):
    return Hazard(id=hazard_id, enterprise_code="x", sector="fire", department="fire_rescue", level=level,
                  description=f"hazard {hazard_id}", found_on=found, deadline=default_deadline(level, found))


def _major(hazard_id, found, *, plan=None, supervised_until=None, accepted=None, closed=None):
    hazard, event = apply(None, "raise", actor="insp", at=_at(found.month, found.day), new=_new(hazard_id, Level.MAJOR, found))
    events = [event]
    if supervised_until:
        hazard, event = apply(hazard, "supervise", actor="office", at=_at(found.month, found.day), supervised=True,
                              supervising_unit="区安委办", supervisor="李四", supervision_deadline=supervised_until)
        events.append(event)
    if plan:
        hazard, event = apply(hazard, "plan", actor="ent", at=_at(*plan), note="五落实")
        events.append(event)
    if accepted:
        for action, when, actor in (("submit", accepted, "ent"), ("accept", accepted, "insp"), ("close", closed, "office")):
            hazard, event = apply(hazard, action, actor=actor, at=_at(*when))
            events.append(event)
    return hazard, events


def _world(ctx):
    fixed, fix = apply(None, "fix_on_spot", actor="insp", at=_at(5, 10), new=_new("F1", Level.GENERAL, dt.date(2026, 5, 10)),
                       note="当场整改")
    built = [(fixed, [fix]),
             _major("M1", dt.date(2026, 6, 1), plan=(6, 5), supervised_until=dt.date(2026, 7, 15)),
             _major("M2", dt.date(2026, 4, 1), plan=(4, 20), supervised_until=dt.date(2026, 5, 20),
                    accepted=(5, 15), closed=(5, 18)),
             _major("M3", dt.date(2026, 3, 1), supervised_until=dt.date(2026, 4, 10), accepted=(4, 19), closed=(4, 20)),
             _major("M4", dt.date(2026, 6, 15), plan=(7, 2))]

    def work(cursor):
        hazard_store.insert_hazards(cursor, [hazard for hazard, _ in built])
        hazard_store.insert_events(cursor, [event for _, events in built for event in events])
    ctx.db.write(work)


def test_the_new_figures_as_of_the_end_of_june(ctx):
    _world(ctx)
    total = closure_stats(ctx, "level", as_of=T).total
    assert (total.found, total.rectified, total.closed) == (5, 3, 3)     # F1 counts as found and closed
    assert (total.fixed_on_spot, total.major_with_plan, total.supervised, total.supervised_closed_on_time) == (1, 2, 3, 1)
    rows = {row.group: row.figures for row in closure_stats(ctx, "level", as_of=T).rows}
    assert (rows["general"].fixed_on_spot, rows["major"].fixed_on_spot) == (1, 0)
    assert rows["major"].major_with_plan == 2


def test_the_new_figures_as_of_the_first_of_may(ctx):
    _world(ctx)
    total = closure_stats(ctx, "level", as_of=dt.date(2026, 5, 1)).total
    assert total.found == 2
    assert (total.fixed_on_spot, total.major_with_plan, total.supervised, total.supervised_closed_on_time) == (0, 1, 2, 0)


def test_a_stored_hazard_reads_back_with_its_steps(ctx):
    _world(ctx)
    m2 = hazard_store.get(ctx.db, "M2")
    assert (m2.plan_on, m2.supervising_unit, m2.supervision_deadline, m2.accepted_by) == (
        dt.date(2026, 4, 20), "区安委办", dt.date(2026, 5, 20), "insp")
    assert hazard_store.get(ctx.db, "F1").fixed_on_spot
    assert [e.action for e in hazard_store.events(ctx.db, "M2")] == ["raise", "supervise", "plan", "submit", "accept", "close"]
