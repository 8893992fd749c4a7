"""The merge of 综合查一次: one list of items for an enterprise's sectors and the participating
departments, each item exactly once, shared items first, then sector by sector (docs/architecture.md)."""
from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel, ConfigDict

from inspections.domain.catalogue import Catalogue, Item, Text
from inspections.domain.refusals import BadInput

SHARED_SECTION = "shared"   # the section of the items every sector shares; it comes first


class MergeError(BadInput):
    """The sectors, departments or scenario asked for are not in the catalogue ('merge_unknown_sector',
    'merge_unknown_department' with `name` and `known`; 'merge_unknown_scenario' with `scenario` and
    `known`), or no sector at all ('merge_no_sector')."""


class MergedItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: Text
    departments: list[str]
    task: str
    shared: bool
    section: str  # SHARED_SECTION or the sector id the item is listed under
    basis: str
    major_if: Text | None = None


class MergedList(BaseModel):
    model_config = ConfigDict(frozen=True)

    sectors: list[str]
    departments: list[str]
    items: list[MergedItem]

    @cached_property
    def item_ids(self) -> frozenset[str]:
        return frozenset(item.id for item in self.items)

    def has_item(self, item_id: str) -> bool:
        return item_id in self.item_ids

    def sections(self) -> list[tuple[str, list[MergedItem]]]:
        """(section, its items) in list order: the shared items, then sector by sector."""
        grouped: dict[str, list[MergedItem]] = {}
        for item in self.items:
            grouped.setdefault(item.section, []).append(item)
        return list(grouped.items())

    def count_by_department(self) -> dict[str, int]:
        return {dep: sum(dep in item.departments for item in self.items) for dep in self.departments}

    def contract_json(self) -> dict:
        """The `checklist merge --json` shape, exactly as the CLI contract writes it."""
        return {
            "sectors": self.sectors,
            "departments": self.departments,
            "items": [item.model_dump(mode="json", include={"id", "title", "departments", "task", "shared"})
                      for item in self.items],
        }


def resolve_scenario(catalogue: Catalogue, scenario: str | None) -> str | None:
    if not scenario:
        return None
    found = catalogue.resolve_scenario(scenario)
    if found is None:
        known = ", ".join(s.id for s in catalogue.scenarios)
        raise MergeError("merge_unknown_scenario", scenario=scenario, known=known)
    return found


def resolve_sectors(catalogue: Catalogue, sectors: list[str], scenario: str | None = None) -> list[str]:
    """Sector ids in catalogue order from ids or names, plus the scenario's sectors."""
    wanted = _ids(sectors, catalogue.resolve_sector, catalogue.sector_ids, "merge_unknown_sector")
    scenario_id = resolve_scenario(catalogue, scenario)
    if scenario_id:
        wanted.update(catalogue.scenario(scenario_id).sectors)
    if not wanted:
        raise MergeError("merge_no_sector")
    return [s for s in catalogue.sector_ids if s in wanted]


def resolve_departments(catalogue: Catalogue, departments: list[str]) -> list[str]:
    wanted = _ids(departments, catalogue.resolve_department, catalogue.department_ids, "merge_unknown_department")
    return [d for d in catalogue.department_ids if d in wanted]


def _ids(names: list[str], resolve, known: list[str], unknown: str) -> set[str]:
    """The ids of `names` (ids, titles or aliases); MergeError naming the first unknown one."""
    found: set[str] = set()
    for name in names:
        resolved = resolve(name)
        if resolved is None:
            raise MergeError(unknown, name=name, known=", ".join(known))
        found.add(resolved)
    return found


def default_departments(catalogue: Catalogue, sectors: list[str], scenario: str | None = None) -> list[str]:
    """The departments that check the non-shared items of these sectors, in catalogue order."""
    wanted = set(sectors)
    checking = {dep for item in catalogue.items
                if not item.shared and item.applies_to(wanted, scenario) for dep in item.departments}
    return [d for d in catalogue.department_ids if d in checking]


def merge(catalogue: Catalogue, sectors: list[str], departments: list[str] | None = None,
          scenario: str | None = None) -> MergedList:
    """The merged list. `departments` None means: those that check the sectors' own items. A scenario
    adds its sectors and leaves out items meant only for other kinds of business."""
    scenario_id = resolve_scenario(catalogue, scenario)
    sector_ids = resolve_sectors(catalogue, sectors, scenario_id)
    department_ids = (resolve_departments(catalogue, departments) if departments
                      else default_departments(catalogue, sector_ids, scenario_id))
    wanted_sectors, wanted_departments = set(sector_ids), set(department_ids)

    def merged(item: Item, section: str) -> MergedItem:
        return MergedItem(id=item.id, title=item.title, task=item.task, shared=item.shared,
                          departments=[d for d in department_ids if d in item.departments],
                          section=section, basis=item.basis, major_if=item.major_if)

    chosen = [item for item in catalogue.items
              if item.applies_to(wanted_sectors, scenario_id) and wanted_departments.intersection(item.departments)]
    shared = [merged(item, SHARED_SECTION) for item in chosen if item.shared]
    by_sector = [merged(item, sector) for sector in sector_ids for item in chosen
                 if not item.shared and _home_sector(item, sector_ids) == sector]
    return MergedList(sectors=sector_ids, departments=department_ids, items=shared + by_sector)


def _home_sector(item: Item, sector_ids: list[str]) -> str:
    """The first of the enterprise's sectors the item belongs to: where it is listed, once."""
    if item.for_every_sector:
        return sector_ids[0]
    return next(s for s in sector_ids if s in item.sectors)
