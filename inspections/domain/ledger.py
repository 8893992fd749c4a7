"""Rules for a hazard ledger (隐患台账) row: columns in English or Chinese, sector, department and level as
ids or Chinese names, credit codes checked, dates in order, hazard ids of letters, digits and _ . -
(HAZARD_ID: they appear in pages, links and file names, so nothing that could be markup gets in). Pure:
it turns rows into records or problems."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from inspections.domain import credit_code
from inspections.domain.catalogue import Catalogue
from inspections.domain.hazards import LEVEL_NAMES, Level
from inspections.domain.rows import ImportProblem, RowProblem, cell_text, parse_date, unescape_formula

COLUMNS: dict[str, tuple[str, ...]] = {
    "hazard_id": ("hazard_id", "隐患编号"),
    "enterprise_code": ("enterprise_code", "统一社会信用代码"),
    "enterprise_name": ("enterprise_name", "企业名称"),
    "sector": ("sector", "行业领域"),
    "department": ("department", "检查部门"),
    "level": ("level", "隐患等级"),
    "description": ("description", "隐患描述"),
    "found_on": ("found_on", "发现日期"),
    "deadline": ("deadline", "整改期限"),
    "rectified_on": ("rectified_on", "整改完成日期"),
    "closed_on": ("closed_on", "销号日期"),
}
REQUIRED = ("hazard_id", "enterprise_code", "sector", "department", "level", "description",
            "found_on", "deadline")
EXPORT_ORDER = tuple(COLUMNS)
# A letter or digit, then letters, digits, '_', '.' or '-', 64 characters at most: the demo's and the
# app's own ids (YH202601-00001, YH-JC20260101-0001-001, ZC-JC20260101-0001-S01) and a ledger's usual ones.
HAZARD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
LEVELS = {"general": Level.GENERAL, "major": Level.MAJOR,
          **{name: level for level, name in LEVEL_NAMES.items()},
          "一般隐患": Level.GENERAL, "重大隐患": Level.MAJOR, "一般事故隐患": Level.GENERAL,
          "重大事故隐患": Level.MAJOR}


@dataclass(frozen=True, slots=True)
class LedgerRow:
    row: int
    hazard_id: str
    enterprise_code: str
    enterprise_name: str
    sector: str
    department: str
    level: str
    description: str
    found_on: date
    deadline: date
    rectified_on: date | None
    closed_on: date | None


def parse_rows(rows: list[tuple[int, list[object]]], positions: dict[str, int],
               catalogue: Catalogue) -> tuple[list[LedgerRow], list[RowProblem]]:
    """Check every row; return the good rows and one problem per bad field (all rows are checked, so a
    refused file lists everything to fix at once)."""
    good: list[LedgerRow] = []
    problems: list[RowProblem] = []
    seen_ids: dict[str, int] = {}
    code_problems: dict[str, ImportProblem | None] = {}
    sector_of = _memo(catalogue.resolve_sector)
    department_of = _memo(catalogue.resolve_department)
    date_of = _memo(parse_date)  # a ledger repeats a few thousand distinct dates across its rows

    def cell(values: list[object], name: str) -> object:
        position = positions.get(name)
        return values[position] if position is not None and position < len(values) else None

    for number, values in rows:
        before = len(problems)

        def text(name: str) -> str:
            """The cell as text, without the apostrophe an export puts before = + - @ (any column)."""
            return unescape_formula(cell_text(cell(values, name)))

        def bad(name: str, value: object, why: ImportProblem) -> None:
            problems.append(RowProblem(number, name, value, why))

        def required(name: str) -> None:
            bad(name, "", ImportProblem("required"))

        hazard_id = text("hazard_id")
        if not hazard_id:
            required("hazard_id")
        elif not HAZARD_ID.fullmatch(hazard_id):
            bad("hazard_id", hazard_id, ImportProblem("hazard_id_rule"))
        elif hazard_id in seen_ids:
            bad("hazard_id", hazard_id, ImportProblem("duplicate", row=seen_ids[hazard_id], column="hazard_id"))
        else:
            seen_ids[hazard_id] = number
        code = "".join(text("enterprise_code").split()).upper()
        if code not in code_problems:
            refused = credit_code.refusal(code)
            code_problems[code] = ImportProblem("credit_code", why=refused) if refused else None
        if code_problems[code]:
            bad("enterprise_code", code, code_problems[code])
        sector_text, department_text, level_text = text("sector"), text("department"), text("level")
        sector = sector_of(sector_text) if sector_text else None
        if sector is None:
            bad("sector", sector_text, ImportProblem("unknown_sector" if sector_text else "required"))
        department = department_of(department_text) if department_text else None
        if department is None:
            bad("department", department_text, ImportProblem("unknown_department" if department_text else "required"))
        level = LEVELS.get(level_text.lower()) if level_text else None
        if level is None:
            bad("level", level_text, ImportProblem("unknown_level" if level_text else "required"))
        description = text("description")
        if not description:
            required("description")
        dates: dict[str, date | None] = {}
        for name in ("found_on", "deadline", "rectified_on", "closed_on"):
            raw = cell(values, name)
            value, why = date_of(raw) if isinstance(raw, str) else parse_date(raw)
            if why:
                bad(name, cell_text(raw), why)
            elif value is None and name in ("found_on", "deadline"):
                required(name)
            dates[name] = value
        found_on = dates["found_on"]
        if found_on:
            for name in ("deadline", "rectified_on", "closed_on"):
                if dates[name] and dates[name] < found_on:
                    bad(name, dates[name].isoformat(),
                        ImportProblem("date_before", other="found_on", date=found_on.isoformat()))
        if dates["rectified_on"] and dates["closed_on"] and dates["closed_on"] < dates["rectified_on"]:
            bad("closed_on", dates["closed_on"].isoformat(),
                ImportProblem("date_before", other="rectified_on", date=dates["rectified_on"].isoformat()))
        if len(problems) == before:
            good.append(LedgerRow(number, hazard_id, code, text("enterprise_name"), sector, department,
                                  level.value, description, found_on, dates["deadline"],
                                  dates["rectified_on"], dates["closed_on"]))
    return good, problems


def _memo(function):
    cache: dict[str, object] = {}

    def lookup(key: str):
        if key not in cache:
            cache[key] = function(key)
        return cache[key]
    return lookup
