"""An enterprise of the zone and the rules for an enterprise registry row: credit code, name, sectors
(ids or Chinese names separated by ';'), scenario, contact data and risk tier A-D."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from inspections.domain import credit_code
from inspections.domain.catalogue import Catalogue
from inspections.domain.rows import RowProblem, cell_text

TIERS = ("A", "B", "C", "D")
DEFAULT_TIER = "B"
PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
SECTOR_SEPARATORS = re.compile(r"[;；,，、]")

COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "统一社会信用代码", "enterprise_code"),
    "name": ("name", "企业名称", "enterprise_name"),
    "sectors": ("sectors", "行业领域"),
    "scenario": ("scenario", "场景", "企业类型"),
    "address": ("address", "地址", "经营地址"),
    "contact": ("contact", "联系人"),
    "phone": ("phone", "联系电话", "电话"),
    "tier": ("tier", "风险等级", "风险分级"),
}
REQUIRED = ("code", "name", "sectors")


class Enterprise(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str = Field(min_length=1)
    sectors: list[str] = Field(min_length=1)
    scenario: str | None = None
    address: str = ""
    contact: str = ""
    phone: str = ""
    tier: str = DEFAULT_TIER


@dataclass(frozen=True)
class EnterpriseRow:
    row: int
    enterprise: Enterprise


def parse_sectors(text: str, catalogue: Catalogue) -> tuple[list[str], list[str]]:
    """(sector ids in catalogue order, names that are not sectors)."""
    names = [part.strip() for part in SECTOR_SEPARATORS.split(text) if part.strip()]
    unknown = [name for name in names if catalogue.resolve_sector(name) is None]
    known = {catalogue.resolve_sector(name) for name in names} - {None}
    return [s for s in catalogue.sector_ids if s in known], unknown


def parse_rows(rows: list[tuple[int, list[object]]], positions: dict[str, int],
               catalogue: Catalogue) -> tuple[list[EnterpriseRow], list[RowProblem]]:
    good: list[EnterpriseRow] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        def text(name: str) -> str:
            position = positions.get(name)
            return cell_text(values[position]) if position is not None and position < len(values) else ""
        before = len(problems)
        code = credit_code.normalise(text("code"))
        why = credit_code.problem(code)
        if why:
            problems.append(RowProblem(number, "code", code, why))
        elif code in seen:
            problems.append(RowProblem(number, "code", code, f"duplicate: row {seen[code]} has the same code"))
        else:
            seen[code] = number
        name = text("name")
        if not name:
            problems.append(RowProblem(number, "name", "", "required"))
        sectors, unknown = parse_sectors(text("sectors"), catalogue)
        for bad in unknown:
            problems.append(RowProblem(number, "sectors", bad, "unknown sector"))
        if not sectors and not unknown:
            problems.append(RowProblem(number, "sectors", "", "required: at least one sector"))
        scenario_text = text("scenario")
        scenario = catalogue.resolve_scenario(scenario_text) if scenario_text else None
        if scenario_text and scenario is None:
            problems.append(RowProblem(number, "scenario", scenario_text, "unknown scenario"))
        tier = text("tier").upper() or DEFAULT_TIER
        if tier not in TIERS:
            problems.append(RowProblem(number, "tier", text("tier"), "risk tier must be A, B, C or D"))
        phone = text("phone")
        if phone and not PHONE.match(phone):
            problems.append(RowProblem(number, "phone", phone, "not a phone number"))
        if len(problems) == before:
            good.append(EnterpriseRow(number, Enterprise(
                code=code, name=name, sectors=sectors, scenario=scenario, address=text("address"),
                contact=text("contact"), phone=phone, tier=tier)))
    return good, problems
