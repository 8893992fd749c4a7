"""An enterprise of the zone and the rules for its fields: credit code, name, sectors (ids or Chinese
names separated by ';'), scenario, contact data and risk tier A-D. `field_problems` is the one check,
asked by the registry importer (a problem per row and column) and the office's form (the first problem's
reason key)."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from inspections.domain import credit_code
from inspections.domain.catalogue import Catalogue
from inspections.domain.rows import ImportProblem, RowProblem, cell_text

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


@dataclass(frozen=True)
class FieldProblem:
    """One field of an enterprise that is wrong: `reason` is the form's reason key (with `values`),
    `why` the importer's (the row error's message)."""
    field: str
    value: str
    reason: str
    why: ImportProblem
    values: dict = dataclasses.field(default_factory=dict)


def field_problems(code: str, name: str, sectors_text: str, scenario_text: str, tier: str, phone: str,
                   catalogue: Catalogue, *, tier_shown: str | None = None
                   ) -> tuple[list[FieldProblem], list[str], str | None]:
    """(every problem in field order, the sector ids, the scenario id) of an enterprise's fields. `code`
    is normalised already (credit_code.normalise); `tier_shown` is what the user wrote for the tier, when
    the caller normalised it."""
    problems: list[FieldProblem] = []
    why = credit_code.refusal(code)
    if why:
        problems.append(FieldProblem("code", code, "bad_credit_code", ImportProblem("credit_code", why=why),
                                     {"why": why}))
    if not name.strip():
        problems.append(FieldProblem("name", "", "name_required", ImportProblem("required")))
    sectors, unknown = parse_sectors(sectors_text, catalogue)
    for bad in unknown:
        problems.append(FieldProblem("sectors", bad, "sectors_required", ImportProblem("unknown_sector")))
    if not sectors and not unknown:
        problems.append(FieldProblem("sectors", "", "sectors_required", ImportProblem("no_sector")))
    scenario = catalogue.resolve_scenario(scenario_text) if scenario_text else None
    if scenario_text and scenario is None:
        problems.append(FieldProblem("scenario", scenario_text, "unknown_scenario", ImportProblem("unknown_scenario"),
                                     {"scenario": scenario_text}))
    if tier not in TIERS:
        problems.append(FieldProblem("tier", tier if tier_shown is None else tier_shown, "bad_tier",
                                     ImportProblem("bad_tier")))
    if phone.strip() and not PHONE.match(phone.strip()):
        problems.append(FieldProblem("phone", phone, "bad_phone", ImportProblem("bad_phone")))
    return problems, sectors, scenario


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
        code, name, phone = credit_code.normalise(text("code")), text("name"), text("phone")
        tier = text("tier").upper() or DEFAULT_TIER
        found, sectors, scenario = field_problems(code, name, text("sectors"), text("scenario"), tier, phone,
                                                  catalogue, tier_shown=text("tier"))
        if not any(p.field == "code" for p in found):
            if code in seen:
                found.insert(0, FieldProblem("code", code, "code_taken",
                                             ImportProblem("duplicate", row=seen[code], column="code")))
            else:
                seen[code] = number
        problems += [RowProblem(number, p.field, p.value, p.why) for p in found]
        if len(problems) == before:
            good.append(EnterpriseRow(number, Enterprise(
                code=code, name=name, sectors=sectors, scenario=scenario, address=text("address"),
                contact=text("contact"), phone=phone, tier=tier)))
    return good, problems
