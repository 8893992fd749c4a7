"""Closure statistics counted in SQL, one scan for the groups and the total (GROUPING SETS). The
meaning of every count is the one written in domain/closure.py; the rates are derived there."""
from __future__ import annotations

import datetime as dt

from ..domain.closure import COUNT_NAMES, GROUPINGS
from .database import Database

GROUP_EXPRESSIONS = {
    "sector": "sector",
    "department": "department",
    "level": "level",
    "month": "strftime(found_on, '%Y-%m')",
    "enterprise": "enterprise_code",
}
assert set(GROUP_EXPRESSIONS) == set(GROUPINGS)

COUNTS_SQL = """
    count(*) AS found,
    count(*) FILTER (WHERE rectified_on <= $as_of OR closed_on <= $as_of) AS rectified,
    count(*) FILTER (WHERE closed_on <= $as_of) AS closed,
    count(*) FILTER (WHERE deadline < $as_of) AS due,
    count(*) FILTER (WHERE deadline < $as_of AND closed_on <= deadline) AS closed_on_time,
    count(*) FILTER (WHERE deadline < $as_of AND (closed_on IS NULL OR closed_on > $as_of)) AS overdue_open,
    count(*) FILTER (WHERE level = 'major') AS major_found,
    count(*) FILTER (WHERE level = 'major' AND closed_on <= $as_of) AS major_closed,
    count(*) FILTER (WHERE level = 'major' AND (closed_on IS NULL OR closed_on > $as_of)) AS major_open
"""


def closure_counts(db: Database, by: str, as_of: dt.date, date_from: dt.date | None = None,
                   date_to: dt.date | None = None) -> tuple[list[tuple[str, dict[str, int]]], dict[str, int]]:
    """([(group, counts)] sorted by group in plain string order, total counts)."""
    group = GROUP_EXPRESSIONS[by]
    where = ["found_on <= $as_of"]
    params: dict[str, object] = {"as_of": as_of}
    if date_from:
        where.append("found_on >= $date_from")
        params["date_from"] = date_from
    if date_to:
        where.append("found_on <= $date_to")
        params["date_to"] = date_to
    sql = f"""SELECT {group} AS grp, grouping({group}) AS is_total, {COUNTS_SQL}
              FROM hazards WHERE {' AND '.join(where)}
              GROUP BY GROUPING SETS (({group}), ())"""
    rows = db.query(sql, params)
    groups, total = [], dict.fromkeys(COUNT_NAMES, 0)
    for row in rows:
        counts = dict(zip(COUNT_NAMES, row[2:]))
        if row[1]:
            total = counts
        else:
            groups.append((row[0], counts))
    groups.sort(key=lambda pair: pair[0].encode("utf-8"))
    return groups, total
