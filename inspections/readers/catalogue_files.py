"""Loads `checklists/*.yaml` into a validated Catalogue, or explains every mistake by file, line, object
and field (like ODK's XLSForm validator): YAML syntax, missing zh/en text, unknown references,
duplicate ids and tasks that no item serves. Never raises for bad data; returns the problems."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from inspections.readers.strict_yaml import StrictLoader
from inspections.domain.catalogue import (ALL_SECTORS, Area, Catalogue, Department, Item, Scenario, Sector)

TOP_FILES = ("departments.yaml", "sectors.yaml", "tasks.yaml", "shared.yaml", "scenarios.yaml")
SECTOR_FOLDER = "sectors"


class _Mapping(dict):
    line: int = 0


class _LineLoader(StrictLoader):
    """A safe loader whose mappings remember the line they start on (and refuse a duplicate key)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class LoadResult:
    catalogue: Catalogue | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.catalogue is not None and not self.problems

    def summary(self) -> str:
        c = self.catalogue
        if not self.ok:
            return f"{len(self.problems)} problem(s) in the checklists"
        shared = sum(item.shared for item in c.items)
        return (f"checklists OK (version {c.version}): {len(c.areas)} areas, {len(c.tasks)} tasks, "
                f"{len(c.items)} items ({shared} shared), {len(c.sectors)} sectors, "
                f"{len(c.departments)} departments, {len(c.scenarios)} scenarios; every task is served")


class _Collector:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[str] = []
        self.unreadable = False
        self.where: dict[str, list[tuple[str, int]]] = {}

    def name(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def add(self, path: Path, line: int | None, message: str) -> None:
        at = f"{self.name(path)}:{line}" if line else self.name(path)
        self.problems.append(f"{at}: {message}")

    def read(self, path: Path) -> object | None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.add(path, None, "file is missing")
            self.unreadable = True
            return None
        except UnicodeDecodeError as error:
            self.add(path, None, f"not UTF-8 text ({error.reason} at byte {error.start})")
            self.unreadable = True
            return None
        try:
            return yaml.load(text, Loader=_LineLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else None
            self.add(path, line, f"YAML syntax error: {error.problem or error.context}")
            self.unreadable = True
            return None

    def objects(self, path: Path, data: object, key: str, model: type[BaseModel], kind: str,
                defaults: dict | None = None) -> list:
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            self.add(path, getattr(data, "line", None), f"expected a top-level '{key}:' list")
            return []
        built = []
        for raw in data[key]:
            line = getattr(raw, "line", None)
            if not isinstance(raw, dict):
                self.add(path, line, f"each entry of '{key}' must be a mapping")
                continue
            object_id = raw.get("id", "?")
            try:
                obj = model.model_validate({**(defaults or {}), **raw})
            except ValidationError as error:
                for detail in error.errors():
                    field_name = ".".join(str(p) for p in detail["loc"]) or "(entry)"
                    self.add(path, _line_of(raw, detail["loc"]) or line,
                             f"{kind} {object_id}: field {field_name}: {_why(detail)}")
                continue
            built.append(obj)
            self.where.setdefault(obj.id, []).append((self.name(path), line or 0))
            if isinstance(obj, Area):
                for task_raw, task in zip(raw.get("tasks", []), obj.tasks):
                    self.where.setdefault(task.id, []).append((self.name(path), getattr(task_raw, "line", 0)))
        return built


def load(directory: Path) -> LoadResult:
    """Load and validate the catalogue in `directory`."""
    directory = Path(directory)
    collector = _Collector(directory)
    if not directory.is_dir():
        return LoadResult(None, [f"{directory}: no such checklist folder"])
    data = {name: collector.read(directory / name) for name in TOP_FILES}
    departments = collector.objects(directory / "departments.yaml", data["departments.yaml"],
                                    "departments", Department, "department")
    sectors = collector.objects(directory / "sectors.yaml", data["sectors.yaml"], "sectors", Sector, "sector")
    areas = collector.objects(directory / "tasks.yaml", data["tasks.yaml"], "areas", Area, "area")
    scenarios = collector.objects(directory / "scenarios.yaml", data["scenarios.yaml"],
                                  "scenarios", Scenario, "scenario")
    items = collector.objects(directory / "shared.yaml", data["shared.yaml"], "items", Item, "item",
                              defaults={"shared": True, "sectors": [ALL_SECTORS]})
    sector_files = sorted((directory / SECTOR_FOLDER).glob("*.yaml"))
    if not sector_files:
        collector.add(directory / SECTOR_FOLDER, None, "no sector files (sectors/<sector>.yaml)")
    for path in sector_files:
        raw = collector.read(path)
        if raw is None:
            continue
        sector = raw.get("sector") if isinstance(raw, dict) else None
        if not isinstance(sector, str) or not sector:
            collector.add(path, getattr(raw, "line", 1), "field sector: required (the sector id of this file)")
            continue
        if sector not in {s.id for s in sectors}:
            collector.add(path, getattr(raw, "line", 1), f"field sector: unknown sector '{sector}'")
        items += collector.objects(path, raw, "items", Item, "item",
                                   defaults={"shared": False, "sectors": [sector]})
    files = [directory / name for name in TOP_FILES] + sector_files
    version = _version(files)
    tasks_source = data["tasks.yaml"].get("source", "representative") if isinstance(data["tasks.yaml"], dict) else "representative"
    catalogue = Catalogue(version=version, source=str(tasks_source), areas=areas, departments=departments,
                          sectors=sectors, scenarios=scenarios, items=items)
    # cross-references are checked only when every file could be read: a file that did not parse
    # would otherwise make every reference to its contents look broken
    for problem in ([] if collector.unreadable else catalogue.problems()):
        places = collector.where.get(problem.object_id) or [("checklists", 0)]
        file_name, line = places[-1]
        at = f"{file_name}:{line}" if line else file_name
        collector.problems.append(f"{at}: {problem.kind} {problem.object_id}: field {problem.field}: {problem.why}")
    if collector.problems:
        return LoadResult(catalogue, collector.problems)
    return LoadResult(catalogue, [])


def _version(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _line_of(raw: dict, loc: tuple) -> int | None:
    """The line of the innermost mapping on the error's path, for a precise pointer."""
    line, node = None, raw
    for part in loc:
        if isinstance(node, dict):
            line = getattr(node, "line", line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
    if isinstance(node, dict):
        line = getattr(node, "line", line)
    return line


def _why(detail: dict) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown field (check its spelling)"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"'{detail.get('input')}' is not a valid id here (pattern {detail['ctx']['pattern']})"
    message = detail["msg"]
    return message[len("Value error, "):] if message.startswith("Value error, ") else message
