"""The checklist catalogue as validated pydantic models: areas and tasks, sectors, departments,
scenarios and items. Cross-references are checked by `Catalogue.problems()`; the YAML loader turns each
problem into a message naming the file and line."""
from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ALL_SECTORS = "*"
TASK_ID_PATTERN = r"^A[0-8]-\d{2}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Chinese and English; both are required and neither may be blank."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("zh", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Department(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    title: Text
    aliases: list[str] = []


class Sector(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    title: Text
    aliases: list[str] = []
    major_standard: Text | None = None


class Task(Strict):
    id: str = Field(pattern=TASK_ID_PATTERN)
    title: Text
    source: Literal["official", "representative"] = "representative"


class Area(Strict):
    id: str = Field(pattern=r"^A[0-8]$")
    title: Text
    tasks: list[Task] = Field(min_length=1)


class Scenario(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    title: Text
    sectors: list[str] = Field(min_length=1)


class Item(Strict):
    """One inspection item. `sectors` is a list of sector ids, or ["*"] for every sector. `scenarios`,
    when given, narrows the item to those kinds of business (a pharmacy item is not asked of a
    restaurant, though both are in food_drugs); it applies when the merge knows the scenario."""

    id: str = Field(pattern=r"^[A-Z]{1,3}-?\d{2,3}$")
    title: Text
    basis: str = Field(min_length=1)
    departments: list[str] = Field(min_length=1)
    task: str
    sectors: list[str] = Field(min_length=1)
    shared: bool = False
    major_if: Text | None = None
    scenarios: list[str] = []

    @property
    def for_every_sector(self) -> bool:
        return ALL_SECTORS in self.sectors

    def applies_to(self, sectors: set[str], scenario: str | None = None) -> bool:
        if scenario and self.scenarios and scenario not in self.scenarios:
            return False
        return self.for_every_sector or bool(sectors.intersection(self.sectors))


class Problem(Strict):
    """A cross-reference problem, located by the object it concerns (the loader adds file and line)."""

    kind: Literal["item", "scenario", "task", "sector", "department", "area"]
    object_id: str
    field: str
    why: str


class Catalogue(Strict):
    version: str
    source: str = "representative"
    areas: list[Area]
    departments: list[Department]
    sectors: list[Sector]
    scenarios: list[Scenario]
    items: list[Item]

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @cached_property
    def tasks(self) -> dict[str, Task]:
        return {task.id: task for area in self.areas for task in area.tasks}

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def department_ids(self) -> list[str]:
        return [d.id for d in self.departments]

    @cached_property
    def sector_ids(self) -> list[str]:
        return [s.id for s in self.sectors]

    def department(self, department_id: str) -> Department:
        return next(d for d in self.departments if d.id == department_id)

    def sector(self, sector_id: str) -> Sector:
        return next(s for s in self.sectors if s.id == sector_id)

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    @cached_property
    def _sector_names(self) -> dict[str, str]:
        return _name_index(self.sectors)

    @cached_property
    def _department_names(self) -> dict[str, str]:
        return _name_index(self.departments)

    @cached_property
    def _scenario_names(self) -> dict[str, str]:
        return _name_index(self.scenarios)

    def resolve_sector(self, name: str) -> str | None:
        """A sector id from its id, Chinese or English title, or an alias; None when unknown."""
        return self._sector_names.get(_fold(name))

    def resolve_department(self, name: str) -> str | None:
        return self._department_names.get(_fold(name))

    def resolve_scenario(self, name: str) -> str | None:
        return self._scenario_names.get(_fold(name))

    def problems(self) -> list[Problem]:
        """Every broken cross-reference and every task that no item serves."""
        found: list[Problem] = []
        seen: dict[str, str] = {}
        for kind, objects in (("area", self.areas), ("department", self.departments),
                              ("sector", self.sectors), ("scenario", self.scenarios),
                              ("item", self.items)):
            for obj in objects:
                if obj.id in seen:
                    found.append(Problem(kind=kind, object_id=obj.id, field="id",
                                         why=f"duplicate id (already used by a {seen[obj.id]})"))
                seen[obj.id] = kind
        task_seen: set[str] = set()
        for area in self.areas:
            for task in area.tasks:
                if task.id in task_seen:
                    found.append(Problem(kind="task", object_id=task.id, field="id", why="duplicate id"))
                if not task.id.startswith(area.id + "-"):
                    found.append(Problem(kind="task", object_id=task.id, field="id",
                                         why=f"task id does not belong to area {area.id}"))
                task_seen.add(task.id)
        departments, sectors = set(self.department_ids), set(self.sector_ids)
        for item in self.items:
            for dep in item.departments:
                if dep not in departments:
                    found.append(Problem(kind="item", object_id=item.id, field="departments",
                                         why=f"unknown department '{dep}'"))
            for sec in item.sectors:
                if sec != ALL_SECTORS and sec not in sectors:
                    found.append(Problem(kind="item", object_id=item.id, field="sectors",
                                         why=f"unknown sector '{sec}'"))
            if item.task not in self.tasks:
                found.append(Problem(kind="item", object_id=item.id, field="task",
                                     why=f"unknown task '{item.task}'"))
            for scenario_id in item.scenarios:
                if scenario_id not in {s.id for s in self.scenarios}:
                    found.append(Problem(kind="item", object_id=item.id, field="scenarios",
                                         why=f"unknown scenario '{scenario_id}'"))
            if item.shared and len(set(item.departments)) < 2:
                found.append(Problem(kind="item", object_id=item.id, field="departments",
                                     why="a shared item must name at least 2 departments"))
        for scenario in self.scenarios:
            for sec in scenario.sectors:
                if sec not in sectors:
                    found.append(Problem(kind="scenario", object_id=scenario.id, field="sectors",
                                         why=f"unknown sector '{sec}'"))
        served = {item.task for item in self.items}
        for task_id in self.tasks:
            if task_id not in served:
                found.append(Problem(kind="task", object_id=task_id, field="task",
                                     why="no item serves this task"))
        return found


def _fold(name: str) -> str:
    return "".join(str(name).split()).lower()


def _name_index(objects) -> dict[str, str]:
    index: dict[str, str] = {}
    for obj in objects:
        for name in (obj.id, obj.title.zh, obj.title.en, *getattr(obj, "aliases", [])):
            index.setdefault(_fold(name), obj.id)
    return index
