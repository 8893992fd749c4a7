"""A deterministic synthetic hazard ledger of any size, in the import format, for benchmarks."""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from inspections.domain import credit_code

SECTORS = {"roads": "transport", "construction": "housing", "food_drugs": "market", "fire": "fire_rescue",
           "hazchem": "emergency", "industry_trade": "emergency", "special_equipment": "market", "gas": "housing"}
HEADER = ["hazard_id", "enterprise_code", "enterprise_name", "sector", "department", "level",
          "description", "found_on", "deadline", "rectified_on", "closed_on"]


def write_ledger(path: Path, rows: int, enterprises: int = 3160, seed: int = 7,
                 today: dt.date = dt.date(2026, 11, 27)) -> Path:
    rng = random.Random(seed)
    codes = [credit_code.complete(f"91220100{n:09d}") for n in range(enterprises)]
    sectors = list(SECTORS)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            sector = sectors[n % len(sectors)]
            found = today - dt.timedelta(days=rng.randint(0, 5 * 365))
            major = rng.random() < 0.03
            deadline = found + dt.timedelta(days=60 if major else 30)
            fate = rng.random()
            rectified = closed = ""
            if fate < 0.85:
                done = found + dt.timedelta(days=rng.randint(1, 45))
                if done < today:
                    rectified = done.isoformat()
                    closed_day = done + dt.timedelta(days=rng.randint(0, 10))
                    closed = closed_day.isoformat() if closed_day < today else ""
            enterprise = n % enterprises
            writer.writerow([f"B{n:07d}", codes[enterprise], f"（演示）企业{enterprise}", sector, SECTORS[sector],
                             "major" if major else "general", f"隐患描述 {n}", found.isoformat(),
                             deadline.isoformat(), rectified, closed])
    return path
