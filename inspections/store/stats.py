"""Closure statistics counted in SQL, one scan of the hazards for the groups. The meaning of every count
is the one written in domain/closure.py; the rates are derived there.

How it is counted (measured on 1,000,000 hazards, bench/run.py and bench/RESULTS.md): each hazard's
0/1 conditions are evaluated once and counted with count_if, in one GROUP BY; the total is the sum of the
groups (the groups partition the hazards: no group key is ever NULL), which spares GROUPING SETS' second
pass; the two "open" figures are counted as their complements, exactly:
  overdue_open = due - (due and closed_on <= T)          (due and not closed by T)
  major_open   = major_found - major_closed              (major and not closed by T)
and months are grouped on date_trunc (a date) and formatted once per group, not once per hazard."""
from __future__ import annotations

import datetime as dt

from ..domain.closure import COUNT_NAMES, GROUPINGS
from .database import Database

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

# count_if gives NULL (not 0) over a group whose conditions are all NULL: hence the coalesce.
CONDITIONS = {
    "rectified": "rectified_on <= $as_of OR closed_on <= $as_of",
    "closed": "closed_on <= $as_of",
    "due": "deadline < $as_of",
    "closed_on_time": "deadline < $as_of AND closed_on <= deadline",
    "due_closed": "deadline < $as_of AND closed_on <= $as_of",
    "major_found": "level = 'major'",
    "major_closed": "level = 'major' AND closed_on <= $as_of",
}
COUNTS_SQL = ",\n    ".join(["count(*) AS found"] + [f"coalesce(count_if({condition}), 0) AS {name}"
                                                    for name, condition in CONDITIONS.items()])


def _figures(found, rectified, closed, due, closed_on_time, due_closed, major_found,
             major_closed) -> dict[str, int]:
    counts = dict(found=found, rectified=rectified, closed=closed, due=due, closed_on_time=closed_on_time,
                  overdue_open=due - due_closed, major_found=major_found, major_closed=major_closed,
                  major_open=major_found - major_closed)
    return {name: counts[name] for name in COUNT_NAMES}


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
                  SELECT {group} AS grp, {COUNTS_SQL}
                  FROM hazards WHERE {' AND '.join(where)}
                  GROUP BY grp)"""
    groups = [(row[0], _figures(*row[1:])) for row in db.query(sql, params)]
    groups.sort(key=lambda pair: pair[0].encode("utf-8"))
    total = {name: sum(counts[name] for _, counts in groups) for name in COUNT_NAMES}
    return groups, total
