"""Reads a rules file (`inspections/rules/*.yaml`) into the pydantic model that validates it, or says in
one line why it cannot be used (unreadable, not YAML, or a field out of bounds, by its path)."""
from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from inspections.readers import strict_yaml

Rules = TypeVar("Rules", bound=BaseModel)


class RulesFileUnusable(ValueError):
    """A rules file that cannot be used; `why` says what is wrong in it."""

    def __init__(self, path: Path, why: str):
        super().__init__(f"{path}: {why}")
        self.path, self.why = path, why


def load_rules(path: Path, model: type[Rules]) -> Rules:
    try:
        return model.model_validate(strict_yaml.load(path.read_text(encoding="utf-8")))
    except ValidationError as error:
        why = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'the file'}: {e['msg']}" for e in error.errors())
        raise RulesFileUnusable(path, why) from None
    except (OSError, yaml.YAMLError) as error:
        raise RulesFileUnusable(path, str(error)) from None
