"""A WHERE clause built from optional filters, every value a parameter (never text in the SQL)."""
from __future__ import annotations


class Where:
    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[object] = []

    def add(self, clause: str, *values: object) -> None:
        """Add `clause` with one parameter per `?` in it."""
        self.clauses.append(clause)
        self.params.extend(values)

    def when(self, value: object, clause: str) -> None:
        """Add `clause` (with one `?`) only when a filter value is given."""
        if value:
            self.add(clause, value)

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) or "TRUE"
