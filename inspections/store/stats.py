"""Closure statistics counted in SQL, one scan of the hazards and one GROUP BY. The meaning of every
count is the one written in domain/closure.py; the rates are derived there.

How it is counted (each step measured on 1,000,000 hazards: bench/run.py, bench/RESULTS.md):
- each hazard's conditions are counted with count_if (count(*) FILTER for the thousands of enterprise
  groups, where it is the quicker);
- the total is the sum of the groups, which partition the hazards (no group key is ever NULL), instead
  of GROUPING SETS, which materialises the groups and aggregates them a second time;
- the two "open" figures are counted as their exact complements:
    overdue_open = due - (due and closed_on <= T)        (due and not closed by T)
    major_open   = major_found - major_closed            (major and not closed by T);
- months are grouped on date_trunc (a date) and formatted once per group, not once per hazard."""
from __future__ import annotations

import datetime as dt

from inspections.domain.closure import COUNT_NAMES, GROUPINGS
from inspections.store.database import Database

GROUP_EXPRESSIONS = {
    "sector": "sector",
    "department": "department",
    "level": "level",
    "month": "date_trunc('month', found_on)",
    "enterprise": "enterprise_code",
}
# How a group's key is shown (applied to the few result rows, not to every hazard).
GROUP_LABELS = {"month": "strftime(grp, '%Y-%m')"}
assert set(GROUP_EXPRESSIONS) == set(GROUPINGS)

CONDITIONS = {
    "rectified": "rectified_on <= $as_of OR closed_on <= $as_of",
    "closed": "closed_on <= $as_of",
    "due": "deadline < $as_of",
    "closed_on_time": "deadline < $as_of AND closed_on <= deadline",
    "due_closed": "deadline < $as_of AND closed_on <= $as_of",
    "major_found": "level = 'major'",
    "major_closed": "level = 'major' AND closed_on <= $as_of",
    "fixed_on_spot": "fixed_on_spot",
    "major_with_plan": "level = 'major' AND plan_on <= $as_of",
    "supervised": "supervised",
    "supervised_closed_on_time": "supervised AND closed_on <= $as_of "
                                 "AND closed_on <= coalesce(supervision_deadline, deadline)",
}
# How a condition is counted: count_if is the quickest over a few groups (sector, department, level,
# month), count(*) FILTER over thousands (enterprise). count_if gives NULL, not 0, over a group whose
# conditions are all NULL: hence the coalesce.
FEW_GROUPS = "coalesce(count_if({condition}), 0)"
MANY_GROUPS = "count(*) FILTER (WHERE {condition})"
COUNT_FORMS = {"enterprise": MANY_GROUPS}


def _counts_sql(by: str) -> str:
    form = COUNT_FORMS.get(by, FEW_GROUPS)
    return ", ".join(["count(*) AS found"] + [f"{form.format(condition=condition)} AS {name}"
                                             for name, condition in CONDITIONS.items()])


def _figures(row: tuple) -> tuple[int, ...]:
    """The counts of COUNT_NAMES from (found, rectified, closed, due, closed_on_time, due_closed,
    major_found, major_closed, fixed_on_spot, major_with_plan, supervised, supervised_closed_on_time)."""
    found, rectified, closed, due, closed_on_time, due_closed, major_found, major_closed, *major_steps = row
    return (found, rectified, closed, due, closed_on_time, due - due_closed, major_found, major_closed,
            major_found - major_closed, *major_steps)


def closure_counts(db: Database, by: str, as_of: dt.date, date_from: dt.date | None = None,
                   date_to: dt.date | None = None) -> tuple[list[tuple[str, dict[str, int]]], dict[str, int]]:
    """([(group, counts)] sorted by group in plain string order, total counts)."""
    group = GROUP_EXPRESSIONS[by]
    label = GROUP_LABELS.get(by, "grp")
    where = ["found_on <= $as_of"]
    params: dict[str, object] = {"as_of": as_of}
    if date_from:
        where.append("found_on >= $date_from")
        params["date_from"] = date_from
    if date_to:
        where.append("found_on <= $date_to")
        params["date_to"] = date_to
    sql = f"""SELECT {label} AS grp, * EXCLUDE (grp) FROM (
                  SELECT {group} AS grp, {_counts_sql(by)}
                  FROM hazards WHERE {' AND '.join(where)}
                  GROUP BY grp)"""
    rows = db.query(sql, params)
    rows.sort(key=lambda row: row[0].encode("utf-8"))
    groups = [(row[0], dict(zip(COUNT_NAMES, _figures(row[1:])))) for row in rows]
    sums = tuple(sum(column) for column in zip(*(row[1:] for row in rows))) or (0,) * (1 + len(CONDITIONS))
    return groups, dict(zip(COUNT_NAMES, _figures(sums)))
