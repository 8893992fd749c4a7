"""YAML as every data file of the app is read: safe, and a key given twice in one mapping is an error at
its line (PyYAML keeps the last one silently, which hid a message text overwritten by another)."""
from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError


class StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping with a duplicate key."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise ConstructorError("while reading a mapping", node.start_mark,
                                           f"duplicate key '{key}' (first on line {seen[key]})",
                                           key_node.start_mark)
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load(text: str) -> object:
    return yaml.load(text, Loader=StrictLoader)
