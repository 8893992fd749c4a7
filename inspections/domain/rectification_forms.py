"""Which form a visit's hazards are issued on, pure and without I/O. A joint visit's rectification
requirements go out as the joint 隐患整改通知书, except the hazards of a department that issues its own
安全生产行政执法文书: those go into that department's 责令限期整改指令书 (today only the emergency
department, 应急管理局: REFERENCE.md section 10). A visit whose hazards are of one kind gets one document;
a visit with none gets neither.

The list of those departments and every fixed text of the 指令书 are data
(`inspections/rules/rectification_forms.yaml`), validated here on load: each template may use only the
values named for it, so a misspelt placeholder is refused when the file is read, not when a visit is
finished.
"""
from __future__ import annotations

import string
from collections.abc import Iterable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

Found = TypeVar("Found")   # anything with a `department` (a domain.hazards.Hazard)

# The values each template may use: the rest of the texts take none.
PLACEHOLDERS = {
    "number": {"abbreviation", "year", "visit"},
    "addressee": {"enterprise"},
    "range_many": {"count"},
    "deadline_same": {"range", "deadline"},
    "deadline_each": {"range"},
    "deadline_item": {"number", "deadline"},
    "remedy": {"review_body", "court"},
    "officer_number": {"number"},
    "seal": {"department"},
    "elsewhere": {"count", "department", "title"},
}


class DirectiveLabels(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enterprise: str = Field(min_length=1)        # the heading of the enterprise's block
    name: str = Field(min_length=1)
    code: str = Field(min_length=1)
    address: str = Field(min_length=1)
    inspection: str = Field(min_length=1)
    inspected_on: str = Field(min_length=1)
    found: str = Field(min_length=1)             # a problem's rows
    basis: str = Field(min_length=1)
    level: str = Field(min_length=1)
    deadline: str = Field(min_length=1)
    hazard: str = Field(min_length=1)


class DirectiveTexts(BaseModel):
    """The 责令限期整改指令书's fixed texts, as printed ({name}: a value filled in when issued)."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    number: str = Field(min_length=1)
    labels: DirectiveLabels
    levels: dict[str, str]
    addressee: str = Field(min_length=1)
    intro: str = Field(min_length=1)
    range_one: str = Field(min_length=1)
    range_many: str = Field(min_length=1)
    deadline_same: str = Field(min_length=1)
    deadline_each: str = Field(min_length=1)
    deadline_item: str = Field(min_length=1)
    overdue: str = Field(min_length=1)
    remedy: str = Field(min_length=1)
    review_body: str = Field(min_length=1)       # where 行政复议 is applied for (区人民政府)
    court: str = Field(min_length=1)             # where 行政诉讼 is brought (区人民法院)
    officer_label: str = Field(min_length=1)
    officer_number: str = Field(min_length=1)
    no_number: str = Field(min_length=1)         # an officer without a registered enforcement ID
    enterprise_label: str = Field(min_length=1)
    seal: str = Field(min_length=1)
    inspection_code: str = Field(min_length=1)   # the QR codes' captions
    portal_code: str = Field(min_length=1)

    @model_validator(mode="after")
    def _placeholders(self) -> DirectiveTexts:
        if set(self.levels) != {"general", "major"}:
            raise ValueError("levels: give exactly general and major")
        for name, value in self.model_dump().items():
            if isinstance(value, str):
                _check_template(name, value)
        return self


class RectificationForms(BaseModel):
    """`inspections/rules/rectification_forms.yaml`."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    directive_departments: dict[str, str]        # department id: its abbreviation in the 指令书's number
    directive: DirectiveTexts
    elsewhere: str = Field(min_length=1)         # the joint notice's line for the hazards issued on a 指令书

    @model_validator(mode="after")
    def _checked(self) -> RectificationForms:
        _check_template("elsewhere", self.elsewhere)
        if any(not abbreviation.strip() for abbreviation in self.directive_departments.values()):
            raise ValueError("directive_departments: every department needs its abbreviation")
        return self


def _check_template(name: str, text: str) -> None:
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError as bad:
        raise ValueError(f"{name}: {bad}") from None
    unknown = used - PLACEHOLDERS.get(name, set())
    if unknown:
        raise ValueError(f"{name}: unknown placeholder {', '.join(sorted(unknown))}")


def split(hazards: Iterable[Found], directive_departments: Iterable[str]
          ) -> tuple[list[Found], dict[str, list[Found]]]:
    """(the hazards of the joint notice, {department: the hazards of its 指令书}), each in the order
    given; a department with no hazard has no entry."""
    directing = set(directive_departments)
    joint: list[Found] = []
    directives: dict[str, list[Found]] = {}
    for hazard in hazards:
        if hazard.department in directing:
            directives.setdefault(hazard.department, []).append(hazard)
        else:
            joint.append(hazard)
    return joint, directives
