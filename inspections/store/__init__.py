"""The store: the only code that speaks SQL. `Database` owns the DuckDB file; the modules beside it hold
the queries of one subject each (enterprises, hazards, statistics, users, inspections)."""
from inspections.store.database import Database, DatabaseInUse, StoreError

__all__ = ["Database", "DatabaseInUse", "StoreError"]
