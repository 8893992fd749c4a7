"""Chinese line breaking for the PDFs (行首行尾禁则, kinsoku): where a text of mixed Chinese and Latin may
be broken into lines of a given width. Pure apart from reading its rules, which are data
(inspections/rules/typesetting.yaml): closing punctuation never starts a line, opening punctuation
never ends one.

A text is cut into tokens: a Latin word or number (letters and digits, joined by . - / : _ and the
like: "GB50016-2014", "1.5", "localhost:8501") is one token and stays whole on a line that can hold it;
every other character (汉字, punctuation, a space, an emoji) is a token of its own. Lines are filled
greedily; where the token that does not fit would start the next line with a closing mark (or leave an
opening one at this line's end), the break moves back to the nearest place the rules allow, so the
characters before it move down with it (`，` takes the 汉字 before it along, `”。` the word before both).
A line with no allowed break at all (a word as wide as the line, then `，`) lets the closing marks hang
past its end rather than start the next line with them; when nothing can hang (`《` then a word that
does not fit after it), the word is broken between its letters. Only a line that still has no allowed
break (nothing but opening marks) is cut where it is full. Spaces at a break are dropped."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

from inspections.readers import strict_yaml
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

RULES_FILE = Path(__file__).resolve().parents[1] / "rules" / "typesetting.yaml"

_LETTER = r"[0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]"   # digits, Latin, Greek, Cyrillic
_WORD = re.compile(rf"{_LETTER}+(?:[._\-/:@&+#'’]{_LETTER}+)*|\s|.", re.S)


class TypesettingRules(BaseModel):
    """How text is set: the characters a line may not start or end with (line breaking), and what is
    printed for a character no font of the document can draw."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    no_line_start: frozenset[str]
    no_line_end: frozenset[str]
    placeholder: str

    @field_validator("no_line_start", "no_line_end", mode="before")
    @classmethod
    def _characters(cls, value: object) -> object:
        if isinstance(value, str):
            if not value or any(c.isspace() for c in value):
                raise ValueError("a non-empty string of characters without spaces")
            return frozenset(value)
        return value

    @field_validator("placeholder")
    @classmethod
    def _one_visible_character(cls, value: str) -> str:
        if len(value) != 1 or value.isspace():
            raise ValueError("one visible character")
        return value

    @model_validator(mode="after")
    def _disjoint(self) -> TypesettingRules:
        both = self.no_line_start & self.no_line_end
        if both:
            raise ValueError(f"characters both forbidden at a line's start and at its end: {''.join(sorted(both))}")
        return self


@functools.lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> TypesettingRules:
    """The rules file, validated (a broken file fails loudly, with pydantic's reasons)."""
    return TypesettingRules.model_validate(strict_yaml.load(path.read_text(encoding="utf-8")))


def tokens(text: str) -> list[str]:
    """The text's tokens: Latin words and numbers whole, every other character alone."""
    return _WORD.findall(text)


def break_lines(text: str, width_of: Callable[[str], float], width: float,
                rules: TypesettingRules | None = None) -> list[str]:
    """The lines of `text` (one paragraph) at most `width` wide as measured by `width_of`, except a
    hanging closing mark (see the module docstring). Always at least one line ("" for no text)."""
    rules = rules or load_rules()
    parts: list[str] = []
    for token in tokens(text):   # a word wider than a line is broken between its characters
        parts.extend([token] if len(token) == 1 or width_of(token) <= width else list(token))
    lines: list[str] = []
    start = _skip_spaces(parts, 0)
    while start < len(parts):
        end, used = start, 0.0
        while end < len(parts) and (end == start or used + width_of(parts[end]) <= width):
            used += width_of(parts[end])
            end += 1
        cut = end if end == len(parts) else _break_at(parts, start, end, rules)
        if cut is None and len(parts[end]) > 1:  # e.g. 《 then a word: break the word, not the rules
            parts[end:end + 1] = list(parts[end])
            continue
        cut = end if cut is None else cut
        lines.append("".join(parts[start:cut]).rstrip())
        start = _skip_spaces(parts, cut)
    return lines or [""]


def _skip_spaces(parts: list[str], at: int) -> int:
    while at < len(parts) and parts[at].isspace():
        at += 1
    return at


def _allowed(parts: list[str], start: int, cut: int, rules: TypesettingRules) -> bool:
    """Whether the line parts[start:cut] may end there: it keeps something besides spaces, does not end
    with an opening mark, and the next line does not start with a closing one."""
    before = cut - 1
    while before >= start and parts[before].isspace():
        before -= 1
    if before < start or parts[before][-1] in rules.no_line_end:
        return False
    after = _skip_spaces(parts, cut)
    return after == len(parts) or parts[after][0] not in rules.no_line_start


def _break_at(parts: list[str], start: int, end: int, rules: TypesettingRules) -> int | None:
    """Where the line that parts[start:end] fill should end: at `end` if allowed, else the nearest
    allowed place before it; with none, after the closing marks that follow (they hang); else None."""
    for cut in range(end, start, -1):
        if _allowed(parts, start, cut, rules):
            return cut
    hang = end
    while hang < len(parts) and (parts[hang].isspace() or parts[hang] in rules.no_line_start):
        hang += 1
    return hang if hang > end and _allowed(parts, start, hang, rules) else None
