"""Message lookup for the pages: Chinese by default, English when the toggle is on."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st
import yaml

from inspections.domain.catalogue import Text

MESSAGES = Path(__file__).with_name("messages.yaml")
LANG_KEY = "lang"


@cache
def catalogue() -> dict[str, Text]:
    raw = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    return {key: Text.model_validate(value) for key, value in raw.items()}


def lang() -> str:
    return st.session_state.get(LANG_KEY, "zh")


def t(key: str, **values: object) -> str:
    text = catalogue()[key].get(lang())
    return text.format(**values) if values else text


def title(obj) -> str:
    """A catalogue object's title in the current language."""
    return obj.title.get(lang())
